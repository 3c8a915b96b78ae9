// Codecs.deflateFinalBlock and Codecs.inflateRawBlocks on Node: zlib's inflate with Z_BLOCK returns at
// the end of every deflate block (zlib.h: "Z_BLOCK requests that inflate() stop if and when it gets to
// the next deflate block boundary"), so the last two places it stops at are the final block's start
// and the stream's end. Native inflate is 3–4 × faster than walking the blocks in JavaScript
// (src/zip/deflate-blocks.ts), and when the member is being inflated anyway (a fuse input's binary)
// the block ends come with its bytes at no extra cost. Node has no public call that passes Z_BLOCK to
// one inflate() and reports where it stopped: the stream's handle does (zlib-handle.ts). Where that
// handle is not as expected (another Node), the answer is null and the caller inflates or walks the
// usual way.
import * as zlib from "node:zlib";
import { CodecError } from "../model/errors.js";
import type { FinalBlockBounds } from "../model/ports.js";
import { rawInflater, type RawInflater } from "./zlib-handle.js";

/** Handles not in use, for the next call (this thread's; calls never overlap: each runs to its end). */
const idle: RawInflater[] = [];

/** Output that is only counted goes to one buffer, reused for every call. */
const SCRATCH_BYTES = 1 << 20;
let scratch: Uint8Array | null = null;

interface Place {
  input: number;
  output: number;
}

type Inflated = { output: number; final: FinalBlockBounds | null } | { error: string };

/**
 * Inflates `data` block by block, into `target` from its start (its length is the most output
 * allowed) or, with no target, into the scratch buffer (counted only, at most `limit` bytes). Null
 * when the handle is not as expected.
 */
function inflateBlocks(data: Uint8Array, target: Uint8Array | null, limit: number): Inflated | null {
  // A handle reused (reset) from the call before: a fuse input's every member comes here, and a new
  // zlib stream per member (state and window allocated and freed) cost more than inflating a small one.
  const inflater = idle.pop() ?? rawInflater();
  if (inflater === null) return null;
  const { handle, state } = inflater;
  handle.reset();
  try {
    let failed: string | null = null;
    // Ours, so that a corrupt stream is an answer, not an 'error' event on the stream object.
    handle.onerror = (message) => {
      failed = String(message);
    };
    const out = target ?? (scratch ??= new Uint8Array(SCRATCH_BYTES));
    let input = 0;
    let output = 0;
    let before: Place = { input: 0, output: 0 };
    let last: Place | null = null;
    for (;;) {
      const inLen = data.length - input;
      const outOff = target === null ? 0 : output;
      const outLen = out.length - outOff;
      handle.writeSync(zlib.constants.Z_BLOCK, data, input, inLen, out, outOff, outLen);
      if (failed !== null) return { error: failed };
      const used = inLen - state[1]!;
      const made = outLen - state[0]!;
      input += used;
      output += made;
      if (output > limit) return { error: "too-large" };
      // No progress: the stream has ended (Z_STREAM_END), the input is used up, or the target is full.
      if (used === 0 && made === 0) break;
      // Room left in the output: inflate stopped at a block's end (or at the input's end, which the
      // next call shows by making no progress). A block that ends exactly where the output buffer
      // fills is not seen; then the place found is not the final block's start, which the caller's
      // walk of that block finds out.
      if (state[0]! > 0) {
        if (last !== null) before = last;
        last = { input, output };
      }
    }
    // Z_FINISH with no more input: an error ("unexpected end of file") unless the stream has ended.
    handle.writeSync(zlib.constants.Z_FINISH, data, input, 0, out, target === null ? 0 : output, target === null ? out.length : out.length - output);
    if (failed !== null) return { error: failed };
    if (state[0]! !== (target === null ? out.length : out.length - output)) return { error: "too-large" };
    return { output, final: last === null ? null : { start: before, end: last } };
  } finally {
    // A handle that failed keeps zlib's error state until reset; reset happens when it is reused.
    if (idle.length < 2) idle.push(inflater);
    else inflater.close();
  }
}

/** Where the final block of `data` (which must inflate to exactly `size` bytes) starts and the stream ends. */
export function deflateFinalBlock(data: Uint8Array, size: number): FinalBlockBounds | null {
  const result = inflateBlocks(data, null, size);
  if (result === null || "error" in result || result.output !== size) return null;
  return result.final;
}

/**
 * `data` inflated to at most `maxSize` bytes, with where its final block starts; null when the handle
 * is not as expected. The errors of Codecs.inflateRaw.
 */
export function inflateRawBlocks(data: Uint8Array, maxSize: number, into?: Uint8Array): { bytes: Uint8Array; finalBlock: FinalBlockBounds | null } | null {
  // One byte more than allowed: output that reaches it is too large.
  const target = into !== undefined && into.length === maxSize + 1 ? into : new Uint8Array(maxSize + 1);
  const result = inflateBlocks(data, target, maxSize);
  if (result === null) return null;
  if ("error" in result) {
    if (result.error === "too-large") throw new CodecError("too-large", `inflates to more than ${maxSize} bytes`);
    throw new CodecError("corrupt", result.error);
  }
  return { bytes: target.subarray(0, result.output), finalBlock: result.final };
}
