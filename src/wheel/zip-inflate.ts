// Reads a member's bytes from the archive's source (only its compressed range): stored members are
// returned as read (views, for an archive in memory), deflated ones are inflated by
// zlib with the output capped at the declared size, so a zip bomb costs at most what it declares;
// and a large member may declare at most MAX_INFLATE_RATIO times its compressed size, so what it
// declares is bounded by the bytes the wheel really has (DESIGN §7: memory bounded by the wheel's size).
import { constants as bufferConstants } from "node:buffer";
import * as zlib from "node:zlib";
import { WheelError } from "../model/errors.js";
import type { ArchiveMember } from "../model/zip.js";
import { crc32 } from "./zip-crc32.js";
import { FLAG_ENCRYPTED, METHOD_DEFLATED, METHOD_STORED } from "./zip-format.js";
import type { MemberLayout, ZipArchive } from "./zip-read.js";

export interface ReadMemberOptions {
  /** Refuse members whose declared size is above this many bytes (default: the largest Buffer). */
  maxMemberSize?: number;
  /** Refuse deflated members above BOMB_FLOOR that declare more than this many times their compressed size (default MAX_INFLATE_RATIO). */
  maxRatio?: number;
}

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
    throw new WheelError("R014", `${member.name} is encrypted`, member.name);
  }
  if (member.method !== METHOD_STORED && member.method !== METHOD_DEFLATED) {
    throw new WheelError("R014", `${member.name}: compression method ${member.method} is not supported`, member.name);
  }
}

/** zlib returns Buffers; callers get plain Uint8Array views of the same memory (no copy). */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

function isBufferTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_BUFFER_TOO_LARGE";
}

function bombError(member: ArchiveMember): WheelError {
  return new WheelError("R014", `${member.name} inflates to more than its declared size of ${member.size} bytes`, member.name);
}

function corruptError(member: ArchiveMember, error: unknown): WheelError {
  const reason = error instanceof Error ? error.message : String(error);
  return new WheelError("R001", `${member.name}: compressed data is corrupt (${reason})`, member.name);
}

/**
 * The whole member, checked against its CRC-32 and declared size. Never produces more than the
 * declared size: inflating past it stops with WheelError("R014"). A stored member is returned as the
 * source read it, a view into an archive in memory (do not modify it).
 */
export function readMember(archive: ZipArchive, member: ArchiveMember, options: ReadMemberOptions = {}): Uint8Array {
  const place = layoutOf(archive, member);
  checkReadable(member);
  const limit = Math.min(options.maxMemberSize ?? bufferConstants.MAX_LENGTH, bufferConstants.MAX_LENGTH);
  if (member.size > limit) {
    throw new WheelError("R014", `${member.name} is ${member.size} bytes, more than the limit of ${limit}`, member.name);
  }
  const ratio = options.maxRatio ?? MAX_INFLATE_RATIO;
  if (member.method === METHOD_DEFLATED && member.size > BOMB_FLOOR && member.size > member.compressedSize * ratio) {
    throw new WheelError(
      "R014",
      `${member.name} declares ${member.size} bytes from ${member.compressedSize} compressed, more than ${ratio}:1 (a zip bomb?)`,
      member.name,
    );
  }
  const compressed = archive.source.read(place.dataOffset, place.dataEnd - place.dataOffset);
  let data: Uint8Array;
  if (member.method === METHOD_STORED) {
    data = compressed;
  } else {
    try {
      // maxOutputLength must be ≥ 1; an empty member that inflates to 1 byte is caught below.
      // One output chunk of the declared size: zlib's default 16 KiB chunks are joined by a final
      // copy, which doubles the peak memory and made inflating large members ~9× slower.
      const maxOutputLength = Math.max(member.size, 1);
      const chunkSize = Math.max(zlib.constants.Z_MIN_CHUNK, maxOutputLength);
      data = plain(zlib.inflateRawSync(compressed, { maxOutputLength, chunkSize }));
    } catch (error) {
      throw isBufferTooLarge(error) ? bombError(member) : corruptError(member, error);
    }
  }
  if (data.length > member.size) throw bombError(member);
  if (data.length < member.size) {
    throw new WheelError("R001", `${member.name} has ${data.length} bytes, but its header says ${member.size}`, member.name);
  }
  if (crc32(data) !== member.crc32) {
    throw new WheelError("R001", `${member.name}: CRC-32 does not match (the data is corrupt)`, member.name);
  }
  return data;
}

/**
 * Up to the first `n` bytes of a member, inflating only a prefix of its data (enough to sniff a magic
 * number). No CRC check: that needs the whole member.
 */
export function readMemberHead(archive: ZipArchive, member: ArchiveMember, n: number): Uint8Array {
  const place = layoutOf(archive, member);
  checkReadable(member);
  const want = Math.max(0, Math.min(n, member.size));
  if (member.method === METHOD_STORED) return archive.source.read(place.dataOffset, want);
  if (want === 0) return new Uint8Array(0);
  const cap = Math.min(member.size, bufferConstants.MAX_LENGTH);
  // Inflate a growing prefix of the compressed data; Z_SYNC_FLUSH returns what a truncated stream
  // decodes to instead of failing. A deflate byte expands to at most ~1032 bytes, so doubling from a
  // small prefix never inflates much more than was asked for.
  let take = Math.min(place.dataEnd - place.dataOffset, 64 + Math.ceil(want / 4));
  for (;;) {
    const compressed = archive.source.read(place.dataOffset, take);
    let out: Uint8Array;
    try {
      out = plain(zlib.inflateRawSync(compressed, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: cap }));
    } catch (error) {
      throw isBufferTooLarge(error) ? bombError(member) : corruptError(member, error);
    }
    if (out.length >= want || take === place.dataEnd - place.dataOffset) return out.subarray(0, want);
    take = Math.min(place.dataEnd - place.dataOffset, take * 2);
  }
}
