// Fat files made while fuse's inputs are still being checked (issue 17; DESIGN §4.1 and §7: each
// member inflated once). The inputs are checked side by side, and each binary a check has read,
// verified (CRC-32 and its RECORD row) and analysed is handed here. Once every input has handed in a
// binary of one name, the fat file is laid out, hashed for RECORD and deflated as a splice of the
// inputs' own compressed streams (src/zip/splice.ts), and only that is kept: the digest, the layout's
// facts and a list of ranges of the inputs and a few new bytes. The assembler then copies those
// ranges; nothing is inflated a second time. A binary whose partners come later waits, within a byte
// budget (builds of one project list their members in the same order, so the wait is short); one that
// would not fit, or that writeFat refuses, is left to the assembler's path (inflated again then).
import type { BinaryReport } from "../model/binary.js";
import { FatWriteError, MachOError } from "../model/errors.js";
import type { Codecs } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { writeFat } from "../macho/fat-write.js";
import type { BinaryHandler } from "../read/index.js";
import { spliceDeflate, type DeflatedData, type SplicePiece, type ZipArchive } from "../zip/index.js";
import { digestChunks } from "./rebuilt.js";

/** A fat file made ahead of the assembly: what RECORD and the report need, and its deflated data. */
export interface EarlyFat {
  digest: Uint8Array;
  size: number;
  archs: string[];
  container: "fat" | "fat64";
  deflated: DeflatedData;
}

/** One input's copy of a member: its inflated bytes and where its compressed stream lives. */
export interface MemberCopy {
  bytes: Uint8Array;
  archive: ZipArchive;
  member: ArchiveMember;
}

const MACHO_KINDS = new Set(["macho", "fat", "archive"]);

/**
 * The pieces of a fat file for spliceDeflate: each chunk that is a whole input (a thin slice) with
 * that input's compressed stream, the header and padding as bytes to deflate. A stored input has no
 * stream to reuse.
 */
export function fatPieces(chunks: readonly Uint8Array[], copies: readonly MemberCopy[]): SplicePiece[] {
  return chunks.map((bytes): SplicePiece => {
    const copy = copies.find((c) => c.bytes.buffer === bytes.buffer && c.bytes.byteOffset === bytes.byteOffset && c.bytes.length === bytes.length);
    if (copy === undefined || copy.member.method !== 8) return { bytes };
    const place = copy.archive.layout[copy.member.index]!;
    return { bytes, deflated: { source: copy.archive.source, offset: place.dataOffset, length: place.dataEnd - place.dataOffset } };
  });
}

export interface EarlyFats {
  /** The handler for input `i`'s check (ReadOptions.onBinary). */
  handler(i: number): BinaryHandler;
  /** The fat files made, by member name. */
  made: Map<string, EarlyFat>;
}

/**
 * Meets the binaries of `count` inputs by name. `budget` bounds the bytes of binaries waiting for
 * their partners. A host that cannot splice deflate streams (no Codecs.deflateRawPart) gets nothing
 * made here: its fat files are deflated whole by the assembler.
 */
export function earlyFats(count: number, codecs: Codecs, budget: number): EarlyFats {
  const made = new Map<string, EarlyFat>();
  const waiting = new Map<string, Array<MemberCopy | undefined>>();
  let waitingBytes = 0;
  const handler =
    (i: number): BinaryHandler =>
    async (archive, member, bytes, binary) => {
      if (codecs.deflateRawPart === undefined || !isMachO(binary)) return false;
      const copies = waiting.get(member.name) ?? new Array<MemberCopy | undefined>(count);
      if (copies[i] !== undefined) return false;
      copies[i] = { bytes, archive, member };
      const all = copies.filter((c): c is MemberCopy => c !== undefined);
      if (all.length < count) {
        if (waitingBytes + bytes.length > budget) return false;
        waiting.set(member.name, copies);
        waitingBytes += bytes.length;
        return true;
      }
      waiting.delete(member.name);
      for (const c of all) if (c !== copies[i]) waitingBytes -= c.bytes.length;
      // The same bytes in every input are copied, not fused (fuse.ts's identical()).
      if (all.every((c) => c.member.crc32 === all[0]!.member.crc32 && c.member.size === all[0]!.member.size)) return true;
      const early = await fatOf(all, codecs);
      if (early !== null) made.set(member.name, early);
      return true;
    };
  return { handler, made };
}

function isMachO(binary: BinaryReport): boolean {
  return MACHO_KINDS.has(binary.kind) && binary.error === null;
}

/** The fat file of the copies, hashed and spliced; null when writeFat refuses them (the assembler's path reports why). */
async function fatOf(copies: readonly MemberCopy[], codecs: Codecs): Promise<EarlyFat | null> {
  let fat;
  try {
    fat = writeFat(copies.map((c) => c.bytes));
  } catch (error) {
    if (error instanceof FatWriteError || error instanceof MachOError) return null;
    throw error;
  }
  const deflated = await spliceDeflate(fatPieces(fat.chunks, copies), codecs);
  if (deflated === null) return null;
  return { digest: await digestChunks(fat.chunks, codecs), size: fat.size, archs: fat.archs.map((a) => a.arch), container: fat.container, deflated };
}
