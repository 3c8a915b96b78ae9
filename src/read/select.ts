// Which members a read reads. By default every one (a local check inflates them all: RECORD is
// verified whole). A remote check reads WHEEL, RECORD and the binaries only (DESIGN §10): which
// members are binaries is known only from their bytes (§3.1: by magic, never by extension), so each
// member's first bytes are inflated and sniffed, and only those that may be a binary are read whole.
// The heads of a remote wheel arrive with its local headers (the zip layer names both in one
// read-ahead), so sniffing costs no request of its own.
import { ZipError } from "../model/errors.js";
import type { Codecs } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { sniffBinary } from "../macho/index.js";
import { readMemberHead, type ZipArchive } from "../zip/index.js";
import { hint, PREFETCH_BATCH, takesHints } from "../zip/prefetch.js";

/**
 * Chooses, among a wheel's file members, those the read stage reads besides WHEEL and RECORD (which
 * are always read). The others are listed in WheelFacts.unread: their RECORD rows are checked for
 * presence only, their hashes not at all.
 */
export type MemberSelection = (archive: ZipArchive, files: readonly ArchiveMember[], codecs: Codecs) => Promise<ReadonlySet<ArchiveMember>>;

/**
 * Bytes of each member sniffed. Every magic of §3.1 is in the first 8; a PE file's "PE\0\0" sits at
 * `e_lfanew`, which linkers put within the first few hundred bytes (0x80–0x118 for MSVC and MinGW).
 */
export const SNIFF_BYTES = 512;

/** The members whose first bytes may start a binary; any member whose head cannot be read is chosen too. */
export const binaryMembers: MemberSelection = async (archive, files, codecs) => {
  const chosen = new Set<ArchiveMember>();
  const hinted = takesHints(archive.source);
  for (let i = 0; i < files.length; i++) {
    if (hinted && i % PREFETCH_BATCH === 0) await hintHeads(archive, files.slice(i, i + PREFETCH_BATCH));
    const m = files[i] as ArchiveMember;
    if (m.size === 0) continue;
    let head: Uint8Array;
    try {
      head = await readMemberHead(archive, m, SNIFF_BYTES, codecs);
    } catch (error) {
      // Encrypted, an unknown method, corrupt data: the whole read reports it as a full check would.
      if (!(error instanceof ZipError)) throw error;
      chosen.add(m);
      continue;
    }
    if (mayBeBinary(head, m.size)) chosen.add(m);
  }
  return chosen;
};

/**
 * What sniffBinary says of the whole member, judged from its head: the same for every magic (all
 * within the head), and "maybe" for an "MZ" file whose PE signature lies past the head, which is
 * read whole to decide. So a partial read never misses a binary a full read would find.
 */
export function mayBeBinary(head: Uint8Array, size: number): boolean {
  if (sniffBinary(head) !== "none") return true;
  return head.length < size && head[0] === 0x4d && head[1] === 0x5a;
}

/** The first compressed bytes of each member, named together so they come in few requests. */
async function hintHeads(archive: ZipArchive, members: readonly ArchiveMember[]): Promise<void> {
  await hint(
    archive.source,
    members.map((m) => {
      const place = archive.layout[m.index];
      // readMemberHead's first take: 64 + n/4 compressed bytes (n itself when stored).
      const want = m.method === 0 ? SNIFF_BYTES : 64 + SNIFF_BYTES / 4;
      return place === undefined ? { offset: 0, length: 0 } : { offset: place.dataOffset, length: Math.min(want, place.dataEnd - place.dataOffset) };
    }),
  );
}
