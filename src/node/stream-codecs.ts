// Codecs.inflateRawStream and Codecs.deflateRawStream on Node: a member inflated a window at a time
// and slices deflated as they come, so `retag split` thins a fat file without holding it, or its
// compressed stream, whole (issue 17: split of a 200 MiB fat binary peaked at 419 MiB, the fat file
// inflated once for the check and once more whole for the thinning, beside its slices deflated).
import * as zlib from "node:zlib";
import { CodecError } from "../model/errors.js";
import type { DeflateStream, PieceInflater } from "../model/ports.js";
import { rawInflater } from "./zlib-handle.js";

/** Output is handed on this many bytes at a time. */
const WINDOW_BYTES = 1 << 20;

/**
 * On this thread, with the native handle (zlib-handle.ts): each piece inflated into one reused
 * window, the window handed on each time it fills or the piece is used up. Null without the handle.
 */
export function streamInflater(onOutput: (part: Uint8Array) => Promise<void>, maxSize: number): PieceInflater | null {
  const inflater = rawInflater();
  if (inflater === null) return null;
  const { handle, state } = inflater;
  let failure: string | null = null;
  handle.onerror = (message) => {
    failure = String(message);
  };
  const window = new Uint8Array(WINDOW_BYTES);
  let written = 0;
  let ended = false;
  let open = true;
  return {
    async write(piece, last) {
      if (!open) throw new CodecError("corrupt", "the inflater was closed");
      let at = 0;
      while (!ended) {
        const inLen = piece.length - at;
        handle.writeSync(last ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH, piece, at, inLen, window, 0, window.length);
        if (failure !== null) throw new CodecError("corrupt", failure);
        const made = window.length - state[0]!;
        at += inLen - state[1]!;
        written += made;
        if (written > maxSize) throw new CodecError("too-large", `inflates to more than ${maxSize} bytes`);
        if (made > 0) await onOutput(window.subarray(0, made));
        // A window not filled: the piece is used up, or the stream ended inside it (the rest is trailing bytes).
        if (made < window.length) {
          if (at < piece.length || last) ended = true;
          break;
        }
      }
      return written;
    },
    close() {
      if (!open) return;
      open = false;
      inflater.close();
    },
  };
}

/** A zlib DeflateRaw stream (level 6, as the zip writer deflates): a write settles once zlib has taken the part in. */
export function streamDeflater(): DeflateStream {
  const stream = zlib.createDeflateRaw({ level: 6, chunkSize: WINDOW_BYTES });
  const out: Uint8Array[] = [];
  let failed: Error | null = null;
  stream.on("data", (chunk: Buffer) => out.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  stream.on("error", (error) => {
    failed = error;
  });
  return {
    write: (part) =>
      new Promise((resolve, reject) => {
        if (failed !== null) return reject(new CodecError("corrupt", failed.message));
        // The callback runs once the part has been through zlib (Writable's write callback), so the
        // caller's view may be reused after.
        stream.write(part, (error) => (error ? reject(new CodecError("corrupt", error.message)) : resolve()));
      }),
    end: () =>
      new Promise((resolve, reject) => {
        if (failed !== null) return reject(new CodecError("corrupt", failed.message));
        stream.once("error", (error) => reject(new CodecError("corrupt", error.message)));
        stream.once("end", () => resolve(out));
        stream.end();
      }),
  };
}
