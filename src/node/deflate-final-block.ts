// Codecs.deflateFinalBlock on Node: zlib's inflate with Z_BLOCK returns at the end of every deflate
// block (zlib.h: "Z_BLOCK requests that inflate() stop if and when it gets to the next deflate block
// boundary"), so the last two places it stops at are the final block's start and the stream's end.
// Native inflate is 3–4 × faster than walking the blocks in JavaScript (src/zip/deflate-blocks.ts),
// and the output is thrown away chunk by chunk into one reused buffer. Node has no public call that
// passes Z_BLOCK to one inflate() and reports where it stopped: the stream's handle does
// (`handle.writeSync(flush, in, inOff, inLen, out, outOff, outLen)`, the counts left in its write
// state), which is what zlib.js itself calls. Where that handle is not as expected (another Node), the
// answer is null and the caller walks the blocks instead.
import * as zlib from "node:zlib";
import type { FinalBlockBounds } from "../model/ports.js";

interface InflateHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
}

/** Output is discarded: one buffer, reused for every call. */
const SCRATCH_BYTES = 1 << 20;
let scratch: Uint8Array | null = null;

interface Place {
  input: number;
  output: number;
}

export function deflateFinalBlock(data: Uint8Array, size: number): FinalBlockBounds | null {
  const stream = new zlib.InflateRaw() as unknown as { _handle?: unknown; _writeState?: unknown; close(): void };
  try {
    const handle = stream._handle as InflateHandle | undefined;
    const state = stream._writeState;
    if (typeof handle?.writeSync !== "function" || !(state instanceof Uint32Array) || state.length < 2) return null;
    let failed = false;
    // Ours, so that a corrupt stream is a null answer, not an 'error' event on the stream object.
    handle.onerror = () => {
      failed = true;
    };
    scratch ??= new Uint8Array(SCRATCH_BYTES);
    const out = scratch;
    let input = 0;
    let output = 0;
    let before: Place = { input: 0, output: 0 };
    let last: Place | null = null;
    for (;;) {
      const inLen = data.length - input;
      handle.writeSync(zlib.constants.Z_BLOCK, data, input, inLen, out, 0, out.length);
      if (failed) return null;
      const used = inLen - state[1]!;
      const made = out.length - state[0]!;
      input += used;
      output += made;
      if (output > size) return null;
      // No progress: the stream has ended (Z_STREAM_END) or the input is used up.
      if (used === 0 && made === 0) break;
      // Room left in the output: inflate stopped at a block's end (or at the input's end, which the
      // next call shows by making no progress). A block that ends exactly where the output buffer
      // fills is not seen; then the place found is not a block's start and the caller walks instead.
      if (state[0]! > 0) {
        if (last !== null) before = last;
        last = { input, output };
      }
    }
    if (last === null || last.output !== size || output !== size) return null;
    return { start: before, end: last };
  } finally {
    stream.close();
  }
}
