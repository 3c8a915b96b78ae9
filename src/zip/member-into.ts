// Reads a member into the caller's buffer, its compressed data in pieces (issue 15: a check's peak
// memory is the largest member, not a fresh compressed and inflated buffer per member waiting for
// the garbage collector). While the host inflates one piece (Node: in libuv's thread pool), this
// thread CRC-checks and hands on (to be hashed) the output of the piece before, and the next piece
// is being read: one pass over each byte, and the hashing off the inflater's path. The checks and
// errors are readMember's: the same limits, the same messages.
import type { ByteSource, Codecs, PieceInflater } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { METHOD_STORED } from "./format.js";
import { admitMember, checkSize, crcError, inflateError, type ReadMemberOptions } from "./member.js";
import type { ZipArchive } from "./read.js";

/**
 * Compressed data is read this many bytes at a time. 128 KiB: each read in flight holds two, and
 * a check reads up to five members at once (issue 15: 256 KiB pieces cost 1.2 MiB more peak RSS on
 * the 200 MiB wheel, for the same CPU time; 64 KiB cost CPU, one thread-pool round trip per piece).
 */
export const PIECE_BYTES = 128 * 1024;

export interface ReadIntoOptions extends Pick<ReadMemberOptions, "maxMemberSize" | "maxRatio"> {
  /** Each part of the member's bytes, in order, as soon as it is there (a view of the target). */
  onOutput?: (part: Uint8Array) => void;
  /**
   * Two buffers of PIECE_BYTES for the compressed pieces, the caller's to reuse once this returns
   * (else each piece is a new buffer). Never used by two reads at once.
   */
  pieces?: readonly [Uint8Array, Uint8Array];
}

/**
 * readMember into `target`, which must hold the member's size + 1 bytes (one more than allowed, to
 * tell a member that inflates to more): a view of its start holding the member, checked against its
 * CRC-32 and declared size. Null when the host cannot inflate into a buffer (use readMember).
 */
export async function readMemberInto(archive: ZipArchive, member: ArchiveMember, codecs: Codecs, target: Uint8Array, options: ReadIntoOptions = {}): Promise<Uint8Array | null> {
  const place = admitMember(archive, member, options);
  if (target.length < member.size + 1) throw new RangeError(`a buffer of ${target.length} bytes cannot hold ${member.name} (${member.size} bytes + 1)`);
  const total = place.dataEnd - place.dataOffset;
  const out = target.subarray(0, member.size + 1);
  let crc = 0;
  let done = 0;
  const emit = (upTo: number): void => {
    if (upTo <= done) return;
    const part = out.subarray(done, upTo);
    crc = codecs.crc32(part, crc);
    options.onOutput?.(part);
    done = upTo;
  };
  if (member.method === METHOD_STORED) {
    // Stored: the data is the member, read straight into the target.
    checkSize(member, total);
    for (let at = 0; at < total; at += PIECE_BYTES) {
      const length = Math.min(PIECE_BYTES, total - at);
      const into = out.subarray(at, at + length);
      const read = await readPiece(archive.source, place.dataOffset + at, length, into);
      if (read.buffer !== into.buffer || read.byteOffset !== into.byteOffset) into.set(read);
      emit(at + length);
    }
  } else {
    const inflater = codecs.inflateRawInto?.(out, total) ?? null;
    if (inflater === null) return null;
    try {
      if (total <= PIECE_BYTES) {
        // One piece (most members): no pipeline to keep full.
        emit(await inflater.write(await readPiece(archive.source, place.dataOffset, total, options.pieces?.[0].subarray(0, total) ?? null), true));
      } else await inflatePieces(archive.source, place.dataOffset, total, inflater, options.pieces, emit);
    } catch (error) {
      throw inflateError(member, error);
    } finally {
      inflater.close();
    }
  }
  checkSize(member, done);
  if (crc >>> 0 !== member.crc32) throw crcError(member);
  return out.subarray(0, done);
}

/**
 * The compressed range through the inflater, a piece at a time: the next piece is read and the last
 * one's output handed to `emit` while the inflater works. Nothing is left running when this returns
 * or throws: the caller may reuse the pieces and the target at once.
 */
async function inflatePieces(
  source: ByteSource,
  offset: number,
  total: number,
  inflater: PieceInflater,
  pieces: readonly [Uint8Array, Uint8Array] | undefined,
  emit: (upTo: number) => void,
): Promise<void> {
  const bufferFor = (k: number, length: number): Uint8Array | null => (pieces === undefined ? null : (pieces[k & 1] as Uint8Array).subarray(0, length));
  let at = Math.min(PIECE_BYTES, total);
  let piece = await readPiece(source, offset, at, bufferFor(0, at));
  let produced = 0;
  for (let k = 0; ; k++) {
    const last = at >= total;
    const inflating = inflater.write(piece, last);
    const length = Math.min(PIECE_BYTES, total - at);
    const reading = last ? null : readPiece(source, offset + at, length, bufferFor(k + 1, length));
    // The output of the piece before is checked and hashed while this one inflates (the inflater
    // writes only after it). Both are waited for before anything can fail, so no read or inflate
    // outlives this call.
    const [emitted, inflated, read] = await Promise.allSettled([Promise.resolve().then(() => emit(produced)), inflating, reading]);
    if (inflated.status === "rejected") throw inflated.reason;
    if (emitted.status === "rejected") throw emitted.reason;
    if (read.status === "rejected") throw read.reason;
    produced = inflated.value;
    if (read.value === null) {
      emit(produced);
      return;
    }
    piece = read.value;
    at += length;
  }
}

/** `length` bytes at `offset`: read into `into` when given and the source can, else as the source reads them (a view, in memory). */
export function readPiece(source: ByteSource, offset: number, length: number, into: Uint8Array | null): Promise<Uint8Array> {
  if (into !== null && source.readInto !== undefined) return source.readInto(offset, into);
  return source.read(offset, length);
}
