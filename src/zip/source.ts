// Bytes in memory as a byte source (views, no copy). The core never does I/O: src/node/ supplies a
// source that reads a file by ranges, src/remote/ one that reads a URL with range requests.
import type { ByteSource } from "../model/ports.js";

/** The bytes in memory as a source; every read is a view into them. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      // subarray would silently clamp a range past the end; the zip layer promises never to ask for
      // one, and a clamped result would hide that broken promise.
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        return Promise.reject(new RangeError(`read of ${length} bytes at offset ${offset} is outside the ${bytes.length} bytes of the archive`));
      }
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** A source for bytes, or a source as given (the zip layer's entry points accept both). */
export function toSource(input: ByteSource | Uint8Array): ByteSource {
  return input instanceof Uint8Array ? memorySource(input) : input;
}
