// The core's codecs in a browser: DecompressionStream / CompressionStream("deflate-raw") for raw
// deflate (Compression Streams standard), crypto.subtle for digests, and the portable CRC-32 of the
// zip layer. crypto.subtle has SHA-256, SHA-384 and SHA-512 only (WebCrypto): a RECORD that uses
// sha3_* or blake2* gets R013 ("unknown algorithm") here where the CLI verifies it.
import { CodecError } from "../../src/model/errors.js";
import type { Codecs, DigestAlgorithm } from "../../src/model/ports.js";
import { crc32Portable } from "../../src/zip/crc32.js";

const SUBTLE_NAMES: Partial<Record<DigestAlgorithm, string>> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/** Output up to this size is written into one buffer of the declared size; beyond it, chunks are joined. */
const PREALLOCATE_LIMIT = 256 * 2 ** 20;

/**
 * `data` through a (de)compression stream, at most `maxSize` bytes out. With `partial`, a stream
 * cut short is not an error: what it decoded so far is returned (the readable side delivers every
 * chunk before it errors).
 */
async function pipe(stream: CompressionStream | DecompressionStream, data: Uint8Array, maxSize: number, partial: boolean): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // The writes are not awaited: a transform stream applies backpressure until its output is read.
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const exact = maxSize <= PREALLOCATE_LIMIT && !partial ? new Uint8Array(maxSize) : null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > maxSize) {
        await reader.cancel().catch(() => undefined);
        throw new CodecError("too-large", `inflates to more than ${maxSize} bytes`);
      }
      if (exact !== null) exact.set(value, total);
      else chunks.push(value);
      total += value.length;
    }
  } catch (error) {
    if (error instanceof CodecError) throw error;
    if (!partial) throw new CodecError("corrupt", error instanceof Error ? error.message : String(error));
  }
  if (exact !== null) return exact.subarray(0, total);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const browserCodecs: Codecs = {
  inflateRaw: (data, maxSize, options) => pipe(new DecompressionStream("deflate-raw"), data, maxSize, options?.partial === true),
  deflateRaw: (data) => pipe(new CompressionStream("deflate-raw"), data, Number.MAX_SAFE_INTEGER, false),
  crc32: (data, initial = 0) => crc32Portable(data, initial),
  async digest(algorithm, data) {
    const name = SUBTLE_NAMES[algorithm];
    if (name === undefined) throw new Error(`${algorithm} is not available in this browser`);
    return new Uint8Array(await crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));
  },
  digests: new Set(Object.keys(SUBTLE_NAMES) as DigestAlgorithm[]),
};
