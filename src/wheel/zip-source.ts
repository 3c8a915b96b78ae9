// Where the zip layer reads an archive's bytes from. The core never does I/O: a caller that has the
// bytes wraps them here (views, no copy); src/node.ts supplies a source that reads a file by ranges.
import type { ByteSource } from "../model/zip.js";

/** The bytes in memory as a source; every read is a view into them. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Uint8Array {
      // subarray would silently clamp a range past the end; the zip layer promises never to ask for
      // one, and a clamped result would hide that broken promise.
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        throw new RangeError(`read of ${length} bytes at offset ${offset} is outside the ${bytes.length} bytes of the archive`);
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** A source for bytes or a source as given (the zip layer's entry points accept both). */
export function toSource(input: ByteSource | Uint8Array): ByteSource {
  return input instanceof Uint8Array ? memorySource(input) : input;
}
