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
}
