// Fat files made while fuse's inputs are still being checked (issue 17; DESIGN §4.1 and §7: each
// member inflated once). The inputs are checked side by side, and each binary a check has read,
// verified (CRC-32 and its RECORD row) and analysed is handed here. Once every input has handed in a
// binary of one name, the fat file is laid out, hashed for RECORD and deflated as a splice of the
// inputs' own compressed streams (src/zip/splice.ts), and only that is kept: the digest, the layout's
// facts and a list of ranges of the inputs and a few new bytes. The assembler then copies those
// ranges; nothing is inflated a second time. A binary whose partners come later waits, within a byte
// budget (builds of one project list their members in the same order, so the wait is short); one that
// would not fit, or that writeFat refuses, is left to the assembler's path (inflated again then).
import { FatWriteError, MachOError } from "../model/errors.js";
import type { Codecs, FinalBlockBounds } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { writeFat } from "../macho/fat-write.js";
import type { BinaryHandler, Recycler } from "../read/index.js";
import { spliceDeflate, type DeflatedData, type SplicePiece, type ZipArchive } from "../zip/index.js";
import { digestChunks, isMachO } from "./rebuilt.js";

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
  /** Where its stream's final block begins, when the read learnt it. */
  finalBlock?: FinalBlockBounds | null;
}

/**
 * The pieces of a fat file for spliceDeflate: each chunk that is a whole input (a thin slice) with
 * that input's compressed stream, the header and padding as bytes to deflate. A stored input has no
 * stream to reuse.
 */
export function fatPieces(chunks: readonly Uint8Array[], copies: readonly MemberCopy[]): SplicePiece[] {
  return chunks.map((bytes): SplicePiece => {
    const copy = copies.find((c) => c.bytes.buffer === bytes.buffer && c.bytes.byteOffset === bytes.byteOffset && c.bytes.length === bytes.length);
    if (copy === undefined) return { bytes };
    // The member's CRC-32: its read checked the bytes against it.
    if (copy.member.method !== 8) return { bytes, crc32: copy.member.crc32 };
    const place = copy.archive.layout[copy.member.index]!;
    return { bytes, crc32: copy.member.crc32, deflated: { source: copy.archive.source, offset: place.dataOffset, length: place.dataEnd - place.dataOffset, finalBlock: copy.finalBlock ?? null } };
  });
}

export interface EarlyFats {
  /** The handler for input `i`'s check (ReadOptions.onBinary). */
  handler(i: number): BinaryHandler;
  /** Whether input `i`'s check should learn its streams' final blocks (ReadOptions.finalBlocks). */
  finalBlocks(i: number): () => boolean;
  /** An input's read has ended (or failed): no input is held any longer, or from now on. */
  finished(): void;
  /** The fat files made, by member name. */
  made: Map<string, EarlyFat>;
}

/**
 * Meets the binaries of `count` inputs by name. `budget` bounds the bytes of binaries waiting for
 * their partners. A host that cannot splice deflate streams (no Codecs.deflateRawPart) gets nothing
 * made here: its fat files are deflated whole by the assembler.
 *
 * The reads run at different paces (one input's binaries are inflated on this thread, see below), so
 * an input whose copy would take the waiting bytes over the budget is held until that copy's partners
 * arrive: the reads go in step. It is not held when every other input is held already, or once an
 * input has finished reading (a partner may never come); its copy is then refused (the read keeps it
 * or the assembler inflates it again), so waiting stays within the budget and one copy per held input.
 *
 * Every slice but a fat file's last is spliced, which needs its stream's final block: the inputs
 * `firstSlices` names (a guess from the tags: lipo puts arm64, the most aligned, last) learn it while
 * their check inflates them; after each fat file made, the guess is what that file's order was. A
 * wrong guess costs a scan of the stream (Codecs.deflateFinalBlock), never a wrong splice.
 */
export function earlyFats(count: number, codecs: Codecs, budget: number, firstSlices: ReadonlySet<number>, recycler?: Recycler): EarlyFats {
  const made = new Map<string, EarlyFat>();
  const first = new Set(firstSlices);
  const learns = codecs.inflateRawBlocks !== undefined && codecs.deflateRawPart !== undefined;
  const waiting = new Map<string, Array<MemberCopy | undefined>>();
  let waitingBytes = 0;
  // Inputs held until a member's copies are all in, by member name.
  const held = new Map<string, Array<() => void>>();
  let heldCount = 0;
  let finished = false;
  const release = (name: string): void => {
    const resume = held.get(name);
    held.delete(name);
    for (const r of resume ?? []) r();
  };
  const handler =
    (i: number): BinaryHandler =>
    async (archive, member, bytes, binary, finalBlock) => {
      if (codecs.deflateRawPart === undefined || !isMachO(binary)) return false;
      const copies = waiting.get(member.name) ?? new Array<MemberCopy | undefined>(count);
      if (copies[i] !== undefined) return false;
      const mine: MemberCopy = { bytes, archive, member, finalBlock };
      const all = [...copies.filter((c): c is MemberCopy => c !== undefined), mine];
      if (all.length < count) {
        const over = waitingBytes + bytes.length > budget;
        if (over && (finished || heldCount >= count - 1)) return false;
        copies[i] = mine;
        waiting.set(member.name, copies);
        waitingBytes += bytes.length;
        if (over) {
          heldCount++;
          await new Promise<void>((resolve) => held.set(member.name, [...(held.get(member.name) ?? []), resolve]));
          heldCount--;
        }
        return true;
      }
      copies[i] = mine;
      waiting.delete(member.name);
      for (const c of all) if (c !== mine) waitingBytes -= c.bytes.length;
      release(member.name);
      // Input order, as writeFat and the assembler take them.
      const ordered = copies as MemberCopy[];
      // Every copy is taken (this handler returned or returns true for each): their buffers go back
      // once the fat file is made, which keeps no view of them (its parts are ranges of the inputs
      // and new bytes: src/zip/splice.ts).
      const done = (): true => {
        for (const c of ordered) recycler?.give(c.bytes);
        return true;
      };
      // The same bytes in every input are copied, not fused (fuse.ts's identical()).
      if (ordered.every((c) => c.member.crc32 === ordered[0]!.member.crc32 && c.member.size === ordered[0]!.member.size)) return done();
      const early = await fatOf(ordered, codecs).finally(done);
      if (early === null) return true;
      made.set(member.name, early.fat);
      // The inputs whose slices this file put before its last: the guess for the members to come.
      first.clear();
      for (const k of early.firstInputs) first.add(k);
      return true;
    };
  return {
    handler,
    made,
    finalBlocks: (i) => () => learns && first.has(i),
    finished: () => {
      finished = true;
      for (const name of [...held.keys()]) release(name);
    },
  };
}

/**
 * The fat file of the copies, hashed and spliced, and the inputs (indices into `copies`, which has one
 * per input in input order) whose slices come before its last; null when writeFat refuses them (the
 * assembler's path reports why).
 */
async function fatOf(copies: readonly MemberCopy[], codecs: Codecs): Promise<{ fat: EarlyFat; firstInputs: number[] } | null> {
  let fat;
  try {
    fat = writeFat(copies.map((c) => c.bytes));
  } catch (error) {
    if (error instanceof FatWriteError || error instanceof MachOError) return null;
    throw error;
  }
  const deflated = await spliceDeflate(fatPieces(fat.chunks, copies), codecs);
  if (deflated === null) return null;
  const slices = fat.archs.map((a) => a.input);
  return {
    fat: { digest: await digestChunks(fat.chunks, codecs), size: fat.size, archs: fat.archs.map((a) => a.arch), container: fat.container, deflated },
    firstInputs: [...new Set(slices.slice(0, -1))].filter((k) => k !== slices[slices.length - 1]),
  };
}
