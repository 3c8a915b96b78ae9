// Codecs.inflateRawInto on Node: one raw deflate stream inflated into the caller's buffer, piece by
// piece, so a large member's output is written once, where the read stage wants it (a buffer it
// reuses: src/read/arena.ts), and its compressed data is read in pieces too (issue 15: peak RSS
// bounded by the largest member, not by fresh buffers per member waiting for the garbage collector).
//
// Large data is inflated in libuv's thread pool through a node:zlib stream whose output buffer is
// the caller's target: zlib.js writes each piece's output at `_outOffset` of `_outBuffer` and pushes
// a view of it (lib/zlib.js processChunk / processCallback, Node 20–24). `push` is replaced on the
// instance, so nothing is buffered, and the stream is destroyed the moment the target is full,
// before zlib.js would allocate a new output buffer. Those fields are not public API: they are
// feature-checked, and where they are not as expected the answer is null (callers fall back to
// inflateRaw). Small data is inflated on this thread with a reused handle (src/node/zlib-handle.ts).
import * as zlib from "node:zlib";
import { CodecError } from "../model/errors.js";
import type { PieceInflater } from "../model/ports.js";
import { rawInflater, type RawInflater } from "./zlib-handle.js";

/** The fields of a node:zlib stream this file drives (lib/zlib.js). */
interface ZlibInternals {
  _outBuffer: Buffer;
  _outOffset: number;
  _chunkSize: number;
  _processChunk(chunk: Uint8Array, flush: number, cb: () => void): void;
  push(chunk: Buffer | null): boolean;
  destroy(error?: Error): void;
  close(): void;
  once(event: "error", listener: (error: Error) => void): void;
  removeListener(event: "error", listener: (error: Error) => void): void;
  destroyed: boolean;
}

function tooLarge(target: Uint8Array): CodecError {
  return new CodecError("too-large", `inflates to more than ${target.length - 1} bytes`);
}

/** In the thread pool: a node:zlib stream writing into `target`, or null when zlib.js is not as expected. */
export function backgroundInflater(target: Uint8Array): PieceInflater | null {
  const stream = new zlib.InflateRaw({ chunkSize: zlib.constants.Z_MIN_CHUNK }) as unknown as ZlibInternals;
  if (typeof stream._processChunk !== "function" || !Buffer.isBuffer(stream._outBuffer) || stream._outOffset !== 0 || typeof stream._chunkSize !== "number") {
    stream.close();
    return null;
  }
  stream._outBuffer = Buffer.from(target.buffer, target.byteOffset, target.length);
  stream._chunkSize = target.length;
  let ended = false;
  let full = false;
  // Called by zlib.js after each inflate() with a view of what it wrote (or null: the stream ended
  // before its input did, so the rest is trailing bytes).
  stream.push = (chunk) => {
    if (chunk === null) ended = true;
    // zlib.js has already moved _outOffset past the chunk.
    else if (stream._outOffset >= target.length) {
      full = true;
      stream.destroy();
    }
    return true;
  };
  return {
    write(piece, last) {
      if (ended || piece.length === 0 && !last) return Promise.resolve(stream._outOffset);
      if (stream.destroyed) return Promise.reject(full ? tooLarge(target) : new CodecError("corrupt", "the inflater was closed"));
      return new Promise((resolve, reject) => {
        const failed = (error: Error): void => reject(full ? tooLarge(target) : new CodecError("corrupt", error.message));
        stream.once("error", failed);
        stream._processChunk(piece, last ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH, () => {
          stream.removeListener("error", failed);
          // push ran before this callback; the target filled up: more output than allowed.
          if (full) reject(tooLarge(target));
          else resolve(stream._outOffset);
        });
      });
    },
    close() {
      // Never close a handle with a write in the pool; destroy waits for it (zlib.js _destroy).
      if (!stream.destroyed) stream.destroy();
    },
  };
}

/** Reused handles for the inflaters on this thread (one per stream open at once, usually one). */
const idle: RawInflater[] = [];

/** On this thread: one inflate() per piece into `target` with a reused handle, or null without one. */
export function foregroundInflater(target: Uint8Array): PieceInflater | null {
  const inflater = idle.pop() ?? rawInflater();
  if (inflater === null) return null;
  const { handle, state } = inflater;
  handle.reset();
  let failure: string | null = null;
  handle.onerror = (message) => {
    failure = String(message);
  };
  let written = 0;
  let ended = false;
  let open = true;
  return {
    write(piece, last) {
      if (!open) return Promise.reject(new CodecError("corrupt", "the inflater was closed"));
      if (ended) return Promise.resolve(written);
      const room = target.length - written;
      handle.writeSync(last ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH, piece, 0, piece.length, target, written, room);
      if (failure !== null) return Promise.reject(new CodecError("corrupt", failure));
      written += room - state[0]!;
      if (written >= target.length) return Promise.reject(tooLarge(target));
      // Output room left and input left over: the stream ended inside this piece (trailing bytes).
      if (state[1]! > 0) ended = true;
      return Promise.resolve(written);
    },
    close() {
      if (!open) return;
      open = false;
      // A handle that failed keeps zlib's error state until reset; reset happens when it is reused.
      if (idle.length < 4) idle.push(inflater);
      else inflater.close();
    },
  };
}
