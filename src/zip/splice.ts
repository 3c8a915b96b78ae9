// One raw deflate stream (RFC 1951) for data made of pieces some of which are already compressed:
// a fat file whose slices are its inputs' members, byte for byte. Deflate streams can follow one
// another when each but the last ends on a byte boundary without a final block: the last block's
// BFINAL bit cleared, an empty stored block after it (3 header bits, padding to the byte, LEN 0,
// NLEN 0xFFFF: what zlib's Z_SYNC_FLUSH writes). A stream never refers back before its own start,
// so it decodes to the same bytes wherever it is put. The reused bytes stay ranges of their source:
// fusing two 100 MiB binaries then costs finding one input's final block instead of deflating 200 MiB,
// and holds a few patched bytes instead of the compressed output. The final block is found by the
// host's inflater where it reports block ends (Codecs.deflateFinalBlock: native, then a walk of that
// block alone), else by walking every block in JavaScript (deflate-blocks.ts).
import type { ByteSource, Codecs, FinalBlockBounds } from "../model/ports.js";
import type { OutputPart } from "./assemble.js";
import { crc32Combine } from "./crc32-combine.js";
import { deflateBlocks, DeflateWalkError, finalBlockAt, type DeflateBlocks } from "./deflate-blocks.js";

/** Bytes of the member, and perhaps a raw deflate stream (a range of a source) that inflates to exactly them. */
export interface SplicePiece {
  bytes: Uint8Array;
  /** `finalBlock`: where the stream's final block begins, when the inflate that read it said (Codecs.inflateRawBlocks). */
  deflated?: { source: ByteSource; offset: number; length: number; finalBlock?: FinalBlockBounds | null };
  /** The CRC-32 of `bytes` when it is known already (a whole input member, checked when it was read). */
  crc32?: number;
}

/** A member's data compressed: parts to write (new bytes, or ranges of a source), with its size and CRC-32. */
export interface DeflatedData {
  size: number;
  crc32: number;
  parts: OutputPart[];
}

/** The empty stored block that ends a stream on a byte boundary: LEN 0 and NLEN 0xFFFF after the header byte(s). */
const LEN_NLEN = [0x00, 0x00, 0xff, 0xff];

type Stream = NonNullable<SplicePiece["deflated"]>;

/**
 * The stream's final block, and the stream's bytes it was found in: from the byte before its header
 * when the inflate that read it said where that is (the rest need not be read again), else all of
 * them, scanned by the host (Codecs.deflateFinalBlock) or walked. Null when its blocks cannot be
 * followed.
 */
async function locate(stream: Stream, size: number, codecs: Codecs): Promise<{ bytes: Uint8Array; from: number; blocks: DeflateBlocks } | null> {
  const told = stream.finalBlock;
  if (told != null && told.start.input <= stream.length) {
    const from = Math.max(0, told.start.input - 1);
    const tail = await stream.source.read(stream.offset + from, stream.length - from);
    const shifted = { start: { ...told.start, input: told.start.input - from }, end: { ...told.end, input: told.end.input - from } };
    const blocks = finalBlockAt(tail, shifted, size);
    if (blocks !== null) return { bytes: tail, from, blocks };
  }
  const whole = await stream.source.read(stream.offset, stream.length);
  const bounds = (await codecs.deflateFinalBlock?.(whole, size)) ?? null;
  try {
    const blocks = (bounds === null ? null : finalBlockAt(whole, bounds, size)) ?? deflateBlocks(whole, size);
    return { bytes: whole, from: 0, blocks };
  } catch (error) {
    if (error instanceof DeflateWalkError) return null;
    throw error;
  }
}

/**
 * The stream made non-final: the parts that replace it, ending on a byte boundary. Null when its
 * blocks cannot be followed or it does not inflate to `size` bytes (the caller deflates instead).
 */
async function nonFinal(stream: Stream, size: number, codecs: Codecs): Promise<OutputPart[] | null> {
  const located = await locate(stream, size, codecs);
  if (located === null) return null;
  const { bytes: compressed, from, blocks } = located;
  if (blocks.size !== size) return null;
  const headerByte = blocks.lastBlockBit >>> 3;
  const endByte = blocks.endBit >>> 3;
  const endBits = blocks.endBit & 7;
  // The bytes from the last block's header byte to the end, copied to be patched: BFINAL cleared, the
  // bits after the stream's end zeroed, then the empty stored block.
  const tailLength = endByte - headerByte + (endBits === 0 ? 0 : 1);
  // BFINAL 0 and BTYPE 00 are zero bits: after the stream's last bit they need room (one more byte
  // when the stream ends on a byte boundary or fewer than 3 bits are left in its last byte), then
  // padding to the byte boundary, LEN and NLEN.
  const extra = endBits === 0 || endBits > 5 ? 1 : 0;
  const patched = new Uint8Array(tailLength + extra + LEN_NLEN.length);
  patched.set(compressed.subarray(headerByte, headerByte + tailLength));
  patched[0]! &= ~(1 << (blocks.lastBlockBit & 7));
  if (endBits !== 0) patched[tailLength - 1]! &= (1 << endBits) - 1;
  patched.set(LEN_NLEN, tailLength + extra);
  const at = patched.length;
  // Large tails (a last block of many KiB) stay ranges: only the header byte and the end are new.
  const parts: OutputPart[] = [];
  if (from + headerByte > 0) parts.push({ source: stream.source, offset: stream.offset, length: from + headerByte });
  if (tailLength > 2) {
    parts.push(patched.subarray(0, 1));
    parts.push({ source: stream.source, offset: stream.offset + from + headerByte + 1, length: tailLength - 2 });
    parts.push(patched.subarray(tailLength - 1, at));
  } else parts.push(patched.subarray(0, at));
  return parts;
}

/**
 * The raw deflate stream of the pieces joined, or null when the host cannot deflate a piece on its
 * own without ending the stream (Codecs.deflateRawPart). A piece with a stream reuses it (read once
 * to walk its blocks, unless it is the last piece, which stays as it is); the others, and any stream
 * that cannot be followed, are deflated.
 */
export async function spliceDeflate(pieces: readonly SplicePiece[], codecs: Codecs): Promise<DeflatedData | null> {
  const deflatePart = codecs.deflateRawPart;
  if (deflatePart === undefined) return null;
  const present = pieces.filter((p) => p.bytes.length > 0);
  let size = 0;
  let crc = 0;
  const parts: OutputPart[] = [];
  for (const [i, piece] of present.entries()) {
    size += piece.bytes.length;
    crc = piece.crc32 === undefined ? codecs.crc32(piece.bytes, crc) : crc32Combine(crc, piece.crc32, piece.bytes.length);
    const last = i === present.length - 1;
    const stream = piece.deflated;
    if (stream !== undefined && last) {
      parts.push({ source: stream.source, offset: stream.offset, length: stream.length });
      continue;
    }
    if (stream !== undefined) {
      const spliced = await nonFinal(stream, piece.bytes.length, codecs);
      if (spliced !== null) {
        parts.push(...spliced);
        continue;
      }
    }
    parts.push(await deflatePart(piece.bytes, last));
  }
  if (present.length === 0) parts.push(await deflatePart(new Uint8Array(0), true));
  return { size, crc32: crc, parts };
}
