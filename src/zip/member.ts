// Reads a member's bytes from the archive's source (only its compressed range): stored members are
// returned as read (views, for an archive in memory), deflated ones are inflated by the host's codec
// with the output capped at the declared size, so a zip bomb costs at most what it declares; and a
// large member may declare at most MAX_INFLATE_RATIO times its compressed size, so what it declares is
// bounded by the bytes the wheel really has (DESIGN §7: memory bounded by the wheel's size).
import { CodecError, ZipError } from "../model/errors.js";
import type { Codecs, FinalBlockBounds } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { clip } from "../text.js";
import { FLAG_ENCRYPTED, FLAG_PATCHED, FLAG_STRONG_ENCRYPTION, METHOD_DEFLATED, METHOD_STORED } from "./format.js";
import type { MemberLayout, ZipArchive } from "./read.js";

export interface ReadMemberOptions {
  /** Refuse members whose declared size is above this many bytes (default: MAX_MEMBER_BYTES). */
  maxMemberSize?: number;
  /** Refuse deflated members above BOMB_FLOOR that declare more than this many times their compressed size (default MAX_INFLATE_RATIO). */
  maxRatio?: number;
  /**
   * Told where a deflated member's final block begins (Codecs.inflateRawBlocks, when the host has it;
   * null when it cannot tell): a fuse input's binary, spliced later without being inflated again.
   */
  onFinalBlock?: (bounds: FinalBlockBounds | null) => void;
  /**
   * A deflated member's compressed data is read into the start of this buffer when it is large
   * enough and the source reads into buffers (the caller's to reuse once this returns), and it is
   * inflated into `target` (which must hold its size + 1 bytes) when the host inflates into buffers
   * with the final block (Codecs.inflateRawBlocks): fuse's recycled buffers (src/read/recycler.ts).
   */
  compressedInto?: Uint8Array;
  target?: Uint8Array;
}

/** The largest member retag inflates into one buffer (2 GiB: every host holds a typed array that large). */
export const MAX_MEMBER_BYTES = 2 ** 31;

/**
 * Deflate expands at most about 1032:1, and only for data that is nearly all one byte. Real wheel
 * members stay far below 100:1 (small arm64 extension modules, zero-padded to 16 KiB pages, reach
 * about 50:1; code compresses 2–4:1), so a large member declaring more is a bomb: a 1 MiB wheel
 * would otherwise make the checker inflate, hash and hold 1 GiB (found by the fuzz harness).
 */
export const MAX_INFLATE_RATIO = 100;
/** Members up to this size are read whatever their ratio: a small file of zeros is harmless. */
export const BOMB_FLOOR = 64 * 2 ** 20;

/** The member's layout, after checking that the member belongs to this archive. */
function layoutOf(archive: ZipArchive, member: ArchiveMember): MemberLayout {
  const place = archive.layout[member.index];
  if (place === undefined || archive.members[member.index]?.name !== member.name) {
    throw new Error(`member ${member.name} is not from this archive`);
  }
  return place;
}

/** Methods other than stored and deflate (bzip2, LZMA, zstd, …) are valid zip but no installer reads them. */
function checkReadable(member: ArchiveMember): void {
  if (member.flags & FLAG_ENCRYPTED) {
    throw new ZipError("unsupported", `${clip(member.name)} is encrypted`, member.name);
  }
  // APPNOTE 4.4.4 bits 5 (compressed patched data) and 6 (strong encryption): Python's zipfile
  // refuses to read such a member (ZipFile.open raises NotImplementedError), so pip cannot install it.
  if (member.flags & (FLAG_PATCHED | FLAG_STRONG_ENCRYPTION)) {
    throw new ZipError("unsupported", `${clip(member.name)} is ${member.flags & FLAG_PATCHED ? "compressed patched data" : "strongly encrypted"} (general purpose bit ${member.flags & FLAG_PATCHED ? 5 : 6})`, member.name);
  }
  if (member.method !== METHOD_STORED && member.method !== METHOD_DEFLATED) {
    throw new ZipError("unsupported", `${clip(member.name)}: compression method ${member.method} is not supported`, member.name);
  }
}

export function bombError(member: ArchiveMember): ZipError {
  return new ZipError("too-large", `${clip(member.name)} inflates to more than its declared size of ${member.size} bytes`, member.name);
}

export function inflateError(member: ArchiveMember, error: unknown): ZipError {
  if (error instanceof CodecError && error.kind === "too-large") return bombError(member);
  if (error instanceof CodecError) return new ZipError("corrupt", `${clip(member.name)}: compressed data is corrupt (${error.message})`, member.name);
  throw error;
}

/**
 * The whole member, checked against its CRC-32 and declared size. Never produces more than the
 * declared size: inflating past it stops with ZipError("too-large"). A stored member is returned as
 * the source read it, a view into an archive in memory (do not modify it).
 */
export async function readMember(archive: ZipArchive, member: ArchiveMember, codecs: Codecs, options: ReadMemberOptions = {}): Promise<Uint8Array> {
  const place = admitMember(archive, member, options);
  const total = place.dataEnd - place.dataOffset;
  // Stored data is the member: never read into the caller's reused buffer.
  const into = member.method !== METHOD_STORED && options.compressedInto !== undefined && options.compressedInto.length >= total && archive.source.readInto !== undefined ? options.compressedInto.subarray(0, total) : null;
  const compressed = into === null ? await archive.source.read(place.dataOffset, total) : await archive.source.readInto!(place.dataOffset, into);
  let data: Uint8Array;
  if (member.method === METHOD_STORED) {
    data = compressed;
  } else {
    try {
      if (options.onFinalBlock !== undefined && codecs.inflateRawBlocks !== undefined) {
        const target = options.target !== undefined && options.target.length >= member.size + 1 ? options.target.subarray(0, member.size + 1) : undefined;
        const inflated = await codecs.inflateRawBlocks(compressed, member.size, target);
        data = inflated.bytes;
        options.onFinalBlock(inflated.finalBlock);
      } else data = await codecs.inflateRaw(compressed, member.size);
    } catch (error) {
      throw inflateError(member, error);
    }
  }
  checkSize(member, data.length);
  if (codecs.crc32(data) !== member.crc32) throw crcError(member);
  return data;
}

/** The member's layout once it may be read: a method installers read, within the size and ratio limits. */
export function admitMember(archive: ZipArchive, member: ArchiveMember, options: Pick<ReadMemberOptions, "maxMemberSize" | "maxRatio">): MemberLayout {
  const place = layoutOf(archive, member);
  checkReadable(member);
  const limit = Math.min(options.maxMemberSize ?? MAX_MEMBER_BYTES, MAX_MEMBER_BYTES);
  if (member.size > limit) {
    throw new ZipError("too-large", `${clip(member.name)} is ${member.size} bytes, more than the limit of ${limit}`, member.name);
  }
  const ratio = options.maxRatio ?? MAX_INFLATE_RATIO;
  if (member.method === METHOD_DEFLATED && member.size > BOMB_FLOOR && member.size > member.compressedSize * ratio) {
    throw new ZipError(
      "too-large",
      `${clip(member.name)} declares ${member.size} bytes from ${member.compressedSize} compressed, more than ${ratio}:1 (a zip bomb?)`,
      member.name,
    );
  }
  return place;
}

/** The member's data came to `length` bytes: exactly its declared size, or an error. */
export function checkSize(member: ArchiveMember, length: number): void {
  if (length > member.size) throw bombError(member);
  if (length < member.size) {
    throw new ZipError("corrupt", `${clip(member.name)} has ${length} bytes, but its header says ${member.size}`, member.name);
  }
}

export function crcError(member: ArchiveMember): ZipError {
  return new ZipError("corrupt", `${clip(member.name)}: CRC-32 does not match (the data is corrupt)`, member.name);
}

/**
 * Up to the first `n` bytes of a member, inflating only a prefix of its data (enough to sniff a magic
 * number). No CRC check: that needs the whole member.
 */
export async function readMemberHead(archive: ZipArchive, member: ArchiveMember, n: number, codecs: Codecs): Promise<Uint8Array> {
  const place = layoutOf(archive, member);
  checkReadable(member);
  const want = Math.max(0, Math.min(n, member.size));
  if (member.method === METHOD_STORED) return archive.source.read(place.dataOffset, want);
  if (want === 0) return new Uint8Array(0);
  const cap = Math.min(member.size, MAX_MEMBER_BYTES);
  // Inflate a growing prefix of the compressed data; a partial inflate returns what a truncated
  // stream decodes to instead of failing. A deflate byte expands to at most ~1032 bytes, so doubling
  // from a small prefix never inflates much more than was asked for.
  let take = Math.min(place.dataEnd - place.dataOffset, 64 + Math.ceil(want / 4));
  for (;;) {
    const compressed = await archive.source.read(place.dataOffset, take);
    let out: Uint8Array;
    try {
      out = await codecs.inflateRaw(compressed, cap, { partial: true });
    } catch (error) {
      throw inflateError(member, error);
    }
    if (out.length >= want || take === place.dataEnd - place.dataOffset) return out.subarray(0, want);
    take = Math.min(place.dataEnd - place.dataOffset, take * 2);
  }
}
