// The core's codecs on Node: zlib for inflate / deflate / CRC-32 and node:crypto for digests. zlib's
// one-shot functions are the fastest way to inflate a member Node has (DESIGN §7: inflating is the
// floor of a check): on this thread for small data, in the thread pool for large data.
import * as crypto from "node:crypto";
import * as zlib from "node:zlib";
import { CodecError } from "../model/errors.js";
import type { Codecs, DigestAlgorithm } from "../model/ports.js";
import { crc32Portable } from "../zip/crc32.js";
import { deflateFinalBlock, inflateRawBlocks } from "./deflate-final-block.js";
import { backgroundInflater, foregroundInflater } from "./inflate-into.js";
import { inflateSmall } from "./inflate-small.js";
import { streamDeflater, streamInflater } from "./stream-codecs.js";
import { threadPoolAllowed } from "./thread-pool-use.js";

/** hashlib name → node:crypto name. */
const NODE_HASHES: { [A in DigestAlgorithm]: string } = {
  sha256: "sha256",
  sha384: "sha384",
  sha512: "sha512",
  sha3_256: "sha3-256",
  sha3_384: "sha3-384",
  sha3_512: "sha3-512",
  blake2b: "blake2b512",
  blake2s: "blake2s256",
};

/** zlib returns Buffers; callers get plain Uint8Array views of the same memory (no copy). */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

// zlib.crc32 runs in C (Node ≥ 20.15 / 22.2); older Node 20 releases get the table-driven one.
const nativeCrc32: ((data: Uint8Array, value?: number) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === "function" ? zlib.crc32 : undefined;

function inflateRawSync(data: Uint8Array, maxSize: number, partial: boolean): Uint8Array {
  if (!partial) {
    const inflated = inflateSmall(data, maxSize);
    if (inflated !== null) return inflated;
  }
  try {
    // maxOutputLength must be ≥ 1; an empty member that inflates to 1 byte is caught by the caller.
    // One output chunk of the declared size: zlib's default 16 KiB chunks are joined by a final
    // copy, which doubles the peak memory and made inflating large members ~9× slower.
    const maxOutputLength = Math.max(maxSize, 1);
    const chunkSize = partial ? zlib.constants.Z_DEFAULT_CHUNK : Math.max(zlib.constants.Z_MIN_CHUNK, maxOutputLength);
    return plain(
      zlib.inflateRawSync(data, { maxOutputLength, chunkSize, ...(partial ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {}) }),
    );
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "ERR_BUFFER_TOO_LARGE") throw new CodecError("too-large", `inflates to more than ${maxSize} bytes`);
    throw new CodecError("corrupt", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Compressed data from this size on is inflated in libuv's thread pool (zlib's asynchronous one-shot
 * call), so the read stage can inflate the next large member while this thread hashes the last one
 * (src/read/wheel.ts reads large members ahead). Smaller data is inflated here: a trip to the pool
 * costs tens of µs, more than inflating a small member (a 20,000-member wheel has thousands).
 */
const BACKGROUND_FLOOR = 256 * 1024;

function inflateRawBackground(data: Uint8Array, maxSize: number): Promise<Uint8Array> {
  const maxOutputLength = Math.max(maxSize, 1);
  const chunkSize = Math.max(zlib.constants.Z_MIN_CHUNK, maxOutputLength);
  return new Promise((resolve, reject) => {
    zlib.inflateRaw(data, { maxOutputLength, chunkSize }, (error, result) => {
      if (error === null) resolve(plain(result));
      else if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") reject(new CodecError("too-large", `inflates to more than ${maxSize} bytes`));
      else reject(new CodecError("corrupt", error.message));
    });
  });
}

const available = new Set(crypto.getHashes());

// crypto.hash (Node ≥ 20.12) hashes in one call, without a Hash object per member: ~1.9 µs against
// ~5 µs for createHash().update().digest() on the 1 KiB members of a many-member wheel.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: "buffer") => Buffer }).hash;
function digestSync(algorithm: string, data: Uint8Array): Buffer {
  return oneShot !== undefined ? oneShot(algorithm, data, "buffer") : crypto.createHash(algorithm).update(data).digest();
}

/**
 * zlib's deflate stream fed chunk by chunk (Z_NO_FLUSH between them, Z_FINISH at the end): the same
 * bytes as one-shot deflateRawSync of the joined chunks. Runs in libuv's thread pool; 1 MiB output
 * chunks keep the number of pieces small for a large member.
 */
function deflateRawChunks(chunks: readonly Uint8Array[]): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = [];
    const stream = zlib.createDeflateRaw({ level: 6, chunkSize: 2 ** 20 });
    stream.on("data", (piece: Buffer) => out.push(plain(piece)));
    stream.on("error", reject);
    stream.on("end", () => resolve(out));
    for (const chunk of chunks) if (chunk.length > 0) stream.write(chunk);
    stream.end();
  });
}

export const nodeCodecs: Codecs = {
  inflateRaw: (data, maxSize, options) =>
    data.length >= BACKGROUND_FLOOR && options?.partial !== true && threadPoolAllowed()
      ? inflateRawBackground(data, maxSize)
      : Promise.resolve().then(() => inflateRawSync(data, maxSize, options?.partial === true)),
  deflateRaw: (data) => Promise.resolve(plain(zlib.deflateRawSync(data, { level: 6 }))),
  crc32: (data, initial = 0) => (nativeCrc32 ? nativeCrc32(data, initial) >>> 0 : crc32Portable(data, initial)),
  deflateRawChunks,
  deflateRawPart: (data, last) =>
    Promise.resolve(plain(zlib.deflateRawSync(data, { level: 6, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }))),
  deflateFinalBlock: (data, size) => Promise.resolve().then(() => deflateFinalBlock(data, size)),
  // On this thread: zlib's thread pool call cannot stop at block ends.
  inflateRawBlocks: (data, maxSize, target) => Promise.resolve().then(() => inflateRawBlocks(data, maxSize, target) ?? { bytes: inflateRawSync(data, maxSize, false), finalBlock: null }),
  inflateRawInto: (target, compressedSize) =>
    compressedSize >= BACKGROUND_FLOOR && threadPoolAllowed() ? backgroundInflater(target) : foregroundInflater(target),
  inflateRawStream: streamInflater,
  deflateRawStream: streamDeflater,
  hasher: (algorithm) => {
    const hash = crypto.createHash(NODE_HASHES[algorithm]);
    return {
      update: (data) => void hash.update(data),
      digest: () => plain(hash.digest()),
    };
  },
  digest: (algorithm, data) => Promise.resolve(plain(digestSync(NODE_HASHES[algorithm], data))),
  digestChunks: (algorithm, chunks) => {
    const hash = crypto.createHash(NODE_HASHES[algorithm]);
    for (const chunk of chunks) hash.update(chunk);
    return Promise.resolve(plain(hash.digest()));
  },
  digests: new Set((Object.keys(NODE_HASHES) as DigestAlgorithm[]).filter((a) => available.has(NODE_HASHES[a]))),
};
