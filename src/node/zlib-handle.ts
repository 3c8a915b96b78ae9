// The native handle under a node:zlib stream, for calls zlib.js makes but does not export: one
// inflate() with a chosen flush (`writeSync(flush, in, inOff, inLen, out, outOff, outLen)`, the
// counts left in the stream's write state) and `reset()` (inflateReset: the same state and window
// reused), as zlib.js itself drives the handle (measured on Node 20; not a public API, so it is
// feature-checked). Where the stream is not as expected (another Node), the answer is null and
// callers use zlib's public calls.
import * as zlib from "node:zlib";

export interface InflateHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

/** An inflater's handle and write state ([avail_out, avail_in] after each call), or null. */
export interface RawInflater {
  handle: InflateHandle;
  state: Uint32Array;
  close(): void;
}

export function rawInflater(): RawInflater | null {
  const stream = new zlib.InflateRaw() as unknown as { _handle?: unknown; _writeState?: unknown; close(): void };
  const handle = stream._handle as Partial<InflateHandle> | undefined;
  const state = stream._writeState;
  if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array) || state.length < 2) {
    stream.close();
    return null;
  }
  return { handle: handle as InflateHandle, state, close: () => stream.close() };
}
