// The ports the core reads and computes through. A host (src/node/ for Node, the web page for a
// browser) supplies them, so the core itself imports no `node:` module and does no I/O.

/**
 * Random access to a file's bytes: bytes in memory, a file read by ranges, or a remote file read
 * with HTTP range requests. The core reads only the records and members it needs (DESIGN §7).
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /**
   * Exactly `length` bytes from `offset`; callers keep `offset + length ≤ size`. The result may be a
   * view shared with the source: do not modify it.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: the ranges the caller is about to read, so a source with a high cost per request (HTTP)
   * can fetch adjacent or nearby ranges in one request. Reads of these ranges then come from what
   * was prefetched. A source without it is read range by range.
   */
  prefetch?(ranges: ReadonlyArray<{ offset: number; length: number }>): Promise<void>;
  /**
   * Optional: read's bytes written into `target` (its whole length, from `offset`) instead of a new
   * buffer, so a reader that reuses its buffers allocates nothing per member (src/read/arena.ts).
   * Resolves with `target`. A source without it is read with `read` and copied.
   */
  readInto?(offset: number, target: Uint8Array): Promise<Uint8Array>;
}

/** Hash algorithms as hashlib names them (RECORD hash fields use these names, lower-cased). */
export type DigestAlgorithm = "sha256" | "sha384" | "sha512" | "sha3_256" | "sha3_384" | "sha3_512" | "blake2b" | "blake2s";

/**
 * The compression and hashing the core needs, supplied by the host: Node's zlib and crypto
 * (src/node/codecs.ts), or a browser's CompressionStream / DecompressionStream and crypto.subtle.
 */
export interface Codecs {
  /**
   * Raw deflate data (RFC 1951) inflated to at most `maxSize` bytes. Throws CodecError("too-large")
   * when the data inflates to more (a zip bomb costs at most what it declares) and
   * CodecError("corrupt") when it is not valid deflate data. With `partial`, data cut off in the
   * middle of the stream is not an error: what it decodes to is returned (to sniff a member's head).
   */
  inflateRaw(data: Uint8Array, maxSize: number, options?: { partial?: boolean }): Promise<Uint8Array>;
  /** Raw deflate at zlib's default level 6, as retag writes members. */
  deflateRaw(data: Uint8Array): Promise<Uint8Array>;
  /**
   * Optional: the same deflate of data given as chunks (a fat file's header, padding and slices),
   * without joining them; the result is the compressed bytes as chunks. Its bytes are exactly those
   * of `deflateRaw` of the joined chunks (deflate does not depend on how its input is cut), so a
   * host without it is served by joining. A fused 2 × 100 MiB binary then never exists as one buffer.
   */
  deflateRawChunks?(chunks: readonly Uint8Array[]): Promise<Uint8Array[]>;
  /**
   * Optional: raw deflate of one part of a longer stream at level 6: unless `last`, it ends with a
   * sync flush (byte-aligned, no final block: zlib's Z_SYNC_FLUSH), so another deflate stream can
   * follow it; `last` ends it with the final block (Z_FINISH). Lets a fused binary reuse its inputs'
   * compressed bytes between newly deflated headers and padding (src/zip/splice.ts).
   */
  deflateRawPart?(data: Uint8Array, last: boolean): Promise<Uint8Array>;
  /**
   * Optional: where the raw deflate stream `data`'s final block begins and where the stream ends, as
   * an inflater that stops at block boundaries finds them (zlib's Z_BLOCK), or null when it cannot
   * tell (not valid deflate, not `size` bytes of output). Lets a fused binary reuse a stream without
   * walking its blocks in JavaScript (src/zip/splice.ts); a host without it is served by the walk.
   */
  deflateFinalBlock?(data: Uint8Array, size: number): Promise<FinalBlockBounds | null>;
  /**
   * Optional: inflateRaw that also says where the stream's final block begins (as deflateFinalBlock;
   * null when it cannot tell), so a fuse input's binary is inflated once for both its check and its
   * splice. Same limits and errors as inflateRaw. Into `target` when given (maxSize + 1 bytes: one
   * more than allowed, to tell output that is too large), else a buffer of its own.
   */
  inflateRawBlocks?(data: Uint8Array, maxSize: number, target?: Uint8Array): Promise<{ bytes: Uint8Array; finalBlock: FinalBlockBounds | null }>;
  /**
   * Optional: an inflater of one raw deflate stream that writes into `target` (after what it already
   * wrote) and is fed the compressed data piece by piece, so a large member is inflated where the
   * read stage keeps it and its compressed data is never held whole. `compressedSize` lets the host
   * choose where to run it (Node: libuv's thread pool for large data). Null when the host cannot
   * here; callers then use inflateRaw.
   */
  inflateRawInto?(target: Uint8Array, compressedSize: number): PieceInflater | null;
  /**
   * Optional: an inflater of one raw deflate stream that keeps nothing: its output is handed to
   * `onOutput` a part at a time (a view the host reuses once onOutput's promise settles), so a member
   * is read without ever being held whole (split thins a fat file this way). `write` resolves with
   * the bytes output so far; output past `maxSize` is CodecError("too-large"). Null when the host
   * cannot here; callers then read the member whole.
   */
  inflateRawStream?(onOutput: (part: Uint8Array) => Promise<void>, maxSize: number): PieceInflater | null;
  /**
   * Optional: a raw deflate stream fed in parts; each write's promise settles once the part has been
   * taken in (the caller may then reuse its bytes), `end` with the compressed bytes.
   */
  deflateRawStream?(): DeflateStream;
  /** Optional: a digest computed over data given in parts (else `digest` of the whole, once it is all there). */
  hasher?(algorithm: DigestAlgorithm): IncrementalHash;
  /** CRC-32 as zip uses it (APPNOTE 4.4.7), continuing from `initial`. */
  crc32(data: Uint8Array, initial?: number): number;
  /** The digest of `data`; only for algorithms in `digests`. */
  digest(algorithm: DigestAlgorithm, data: Uint8Array): Promise<Uint8Array>;
  /** Optional: the digest of the chunks' bytes in order, without joining them (else `digest` of the joined bytes). */
  digestChunks?(algorithm: DigestAlgorithm, chunks: readonly Uint8Array[]): Promise<Uint8Array>;
  /** The algorithms this host can compute (sha256 always). */
  readonly digests: ReadonlySet<DigestAlgorithm>;
}

/** Codecs.inflateRawInto: one raw deflate stream, inflated into a caller's buffer piece by piece. */
export interface PieceInflater {
  /**
   * Inflates the next piece of the stream into the target, after what is there; `last` says the
   * stream must end within it (data cut short is CodecError("corrupt")). Resolves with the bytes of
   * the target written so far. The target is one byte larger than allowed: filling it is
   * CodecError("too-large"). Pieces after the end of the stream are ignored (trailing bytes, which
   * zlib's one-shot inflate ignores too).
   */
  write(piece: Uint8Array, last: boolean): Promise<number>;
  /** Frees the inflater: after the last write, or to give up on the stream. */
  close(): void;
}

/** Codecs.deflateRawStream: one raw deflate stream, fed in parts. */
export interface DeflateStream {
  write(part: Uint8Array): Promise<void>;
  end(): Promise<Uint8Array[]>;
}

/** Codecs.hasher: a digest fed in parts. */
export interface IncrementalHash {
  update(data: Uint8Array): void;
  /** The digest of everything given; the hash is then used up. */
  digest(): Uint8Array;
}

/**
 * Two places in a raw deflate stream, as bytes of input consumed and of output produced: the end of
 * the block before the final one (the start, 0 / 0 for a stream of one block) and the end of the
 * final block. An inflater consumes whole bytes, so the place itself is one of the 8 bits ending at
 * `input` (up to 7 bits of the last byte consumed may still be unused).
 */
export interface FinalBlockBounds {
  start: { input: number; output: number };
  end: { input: number; output: number };
}

/**
 * What a path of a TreeSource is. A symlink is followed only while it stays inside the tree: one that
 * leads out of it is `outside` and never opened; FIFOs, sockets and devices are `other`, never opened
 * (reading a FIFO would block).
 */
export type TreeStat =
  | { kind: "file"; size: number }
  | { kind: "directory" }
  | { kind: "other" }
  | { kind: "missing" }
  | { kind: "outside"; target: string }
  | { kind: "unreadable"; reason: string };

/** One entry of a folder as listed (not followed: a symlink is listed as one). */
export interface TreeEntry {
  name: string;
  kind: "file" | "directory" | "symlink" | "other";
}

/**
 * Read-only access to a folder tree: an unpacked wheel or a `site-packages` (DESIGN §9). Paths are
 * relative to the tree's root, `/`-separated, with no empty, `.` or `..` segment ("" is the root);
 * the read stage resolves RECORD paths before asking, and a source refuses any other path. A source
 * never writes and never reads outside the root.
 */
export interface TreeSource {
  /** The root as the user named it, for reports. */
  readonly label: string;
  /** The entries of a folder, sorted by name. Throws TreeError when it cannot be listed. */
  list(path: string): Promise<TreeEntry[]>;
  /** What is at a path; never throws for a problem with the path itself. */
  stat(path: string): Promise<TreeStat>;
  /** Exactly `length` bytes from `offset` of a file `stat` said is a file. Throws TreeError. */
  read(path: string, offset: number, length: number): Promise<Uint8Array>;
}

/** A TreeSource could not list or read a path: why, as a user reads it ("permission denied"). */
export class TreeError extends Error {
  override name = "TreeError";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
