// Small members inflated with one reused inflater (issue 15: a 20,000-member wheel made 20,000 zlib
// streams, each a Duplex object, a handle and zlib's ~40 KiB of state and window, allocated and freed
// again): the handle is reset between members (inflateReset keeps the state and window) and each
// member is one inflate() call with Z_FINISH into a buffer one byte larger than allowed. Errors are
// zlib's own, as inflateRawSync reports them: "unexpected end of file" for data cut short.
import * as zlib from "node:zlib";
import { CodecError } from "../model/errors.js";
import { rawInflater, type RawInflater } from "./zlib-handle.js";

let shared: RawInflater | null | undefined;
let failure: string | null = null;

/** `data` inflated to at most `maxSize` bytes, or null when Node's handle is not as expected (use inflateRawSync). */
export function inflateSmall(data: Uint8Array, maxSize: number): Uint8Array | null {
  if (shared === undefined) {
    shared = rawInflater();
    if (shared !== null) {
      shared.handle.onerror = (message) => {
        failure = String(message);
      };
    }
  }
  if (shared === null) return null;
  const { handle, state } = shared;
  handle.reset();
  failure = null;
  const out = Buffer.allocUnsafe(maxSize + 1);
  handle.writeSync(zlib.constants.Z_FINISH, data, 0, data.length, out, 0, out.length);
  if (failure !== null) {
    const message: string = failure;
    failure = null;
    throw new CodecError("corrupt", message);
  }
  const made = out.length - state[0]!;
  if (made > maxSize) throw new CodecError("too-large", `inflates to more than ${maxSize} bytes`);
  // Room left but the stream did not end would have been zlib's "unexpected end of file" above.
  return new Uint8Array(out.buffer, out.byteOffset, made);
}
