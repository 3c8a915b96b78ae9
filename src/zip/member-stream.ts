// Reads a member a part at a time without holding it (split thins a fat file this way, issue 17):
// the compressed data in pieces, inflated by the host's streaming inflater, each part of the output
// handed on and CRC-checked as it passes. The checks and errors are readMember's: the same limits,
// the same messages; a member whose CRC-32 or size does not hold fails after its last part.
import type { Codecs } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { METHOD_STORED } from "./format.js";
import { admitMember, checkSize, crcError, inflateError, type ReadMemberOptions } from "./member.js";
import { PIECE_BYTES, readPiece } from "./member-into.js";
import type { ZipArchive } from "./read.js";

/**
 * The member's bytes to `onOutput`, in order (a view valid until its promise settles); false when
 * the host has no streaming inflater (read the member whole instead). Throws ZipError as readMember.
 * With `until`, reading stops once that many bytes have been handed on (no CRC-32 or size check
 * then: that needs the whole member).
 */
export async function streamMember(
  archive: ZipArchive,
  member: ArchiveMember,
  codecs: Codecs,
  onOutput: (part: Uint8Array) => Promise<void>,
  options: Pick<ReadMemberOptions, "maxMemberSize" | "maxRatio"> & { until?: number } = {},
): Promise<boolean> {
  const until = options.until ?? Infinity;
  const place = admitMember(archive, member, options);
  const total = place.dataEnd - place.dataOffset;
  let crc = 0;
  let size = 0;
  const pass = async (part: Uint8Array): Promise<void> => {
    crc = codecs.crc32(part, crc);
    size += part.length;
    await onOutput(part);
  };
  const piece = new Uint8Array(Math.min(PIECE_BYTES, Math.max(total, 1)));
  const next = (at: number, length: number): Promise<Uint8Array> => readPiece(archive.source, place.dataOffset + at, length, piece.subarray(0, length));
  if (member.method === METHOD_STORED) {
    checkSize(member, total);
    for (let at = 0; at < total && size < until; at += PIECE_BYTES) await pass(await next(at, Math.min(PIECE_BYTES, total - at)));
  } else {
    const inflater = codecs.inflateRawStream?.(pass, member.size) ?? null;
    if (inflater === null) return false;
    try {
      if (total === 0) await inflater.write(new Uint8Array(0), true);
      for (let at = 0; at < total && size < until; at += PIECE_BYTES) {
        const length = Math.min(PIECE_BYTES, total - at);
        await inflater.write(await next(at, length), at + length >= total);
      }
    } catch (error) {
      throw inflateError(member, error);
    } finally {
      inflater.close();
    }
  }
  if (size < until || until >= member.size) {
    checkSize(member, size);
    if (crc >>> 0 !== member.crc32) throw crcError(member);
  }
  return true;
}
