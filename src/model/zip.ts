// A zip archive's members as the zip layer (src/zip/) reads them from its central directory.

/** One member of a zip archive, from its central directory entry. */
export interface ArchiveMember {
  name: string;
  /** Zip compression method (0 stored, 8 deflate). */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  isDirectory: boolean;
  /** Unix mode from the external attributes when the entry was made on Unix, else null. */
  unixMode: number | null;
  /** Position in the central directory; tells apart members that share a name. */
  index: number;
  /** The name exactly as stored (kept for the rewrite and for encoding checks). */
  nameBytes: Uint8Array;
  /** General purpose bit flag: bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8 name. */
  flags: number;
  /** The DOS date/time fields, read as UTC (as jszip and retag's writer write them). */
  modified: Date;
  /** External attributes as stored (`unixMode` is their high 16 bits for Unix entries). */
  externalAttributes: number;
}

/**
 * Random access to an archive's bytes, so the zip layer reads only the records and members it needs
 * instead of holding the whole wheel (DESIGN §7: memory bounded by the wheel's size). The bytes in
 * memory (a view, no copy) or a file read range by range (src/node.ts): the core does no I/O itself.
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; callers keep `offset + length ≤ size`. The result may be a view: do not modify it. */
  read(offset: number, length: number): Uint8Array;
}
