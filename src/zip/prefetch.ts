// Read-ahead hints for a source where each request costs a round trip (a remote wheel read with HTTP
// range requests, src/remote/): before reading many records, the zip layer names them in one
// `prefetch` call, so the source fetches nearby ones in one request and several at once. A source
// without `prefetch` (bytes in memory, a local file) is read exactly as before: nothing here changes
// what is read, only how many requests it takes (DESIGN §10).
import type { ByteSource } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import type { ZipArchive } from "./read.js";

/**
 * Records named per prefetch call. A source merges ranges a few KiB apart, so one call of N local
 * headers may fetch everything between them; bounding N bounds that (256 headers at most 16 KiB apart
 * ≈ 4 MiB), so a batch fits the source's cache and is still there when the records are read.
 */
export const PREFETCH_BATCH = 256;
/** Member data named per call (a member larger than this is left to its own read). */
export const PREFETCH_WINDOW = 8 * 2 ** 20;

export interface Range {
  offset: number;
  length: number;
}

/** Names `ranges` to the source, if it takes hints; empty ranges are left out. */
export async function hint(source: ByteSource, ranges: readonly Range[]): Promise<void> {
  const wanted = ranges.filter((r) => r.length > 0);
  if (source.prefetch === undefined || wanted.length === 0) return;
  await source.prefetch(wanted);
}

/** Whether reads of this source are worth announcing (only a source with `prefetch`). */
export function takesHints(source: ByteSource): boolean {
  return source.prefetch !== undefined;
}

/**
 * A read-ahead over members that will be read in the given order: called before each read, it names
 * the next window of members (at most PREFETCH_BATCH of them and PREFETCH_WINDOW bytes of data) once
 * the reads reach its start. Members not in the list, or read again, cost nothing.
 */
export function memberReadAhead(archive: ZipArchive, members: readonly ArchiveMember[]): (member: ArchiveMember) => Promise<void> {
  if (!takesHints(archive.source)) return () => Promise.resolve();
  const position = new Map(members.map((m, i) => [m.index, i] as const));
  let next = 0; // the first member not yet named
  return async (member) => {
    const at = position.get(member.index);
    if (at === undefined || at < next) return;
    const ranges: Range[] = [];
    let bytes = 0;
    let end = at;
    for (; end < members.length && end - at < PREFETCH_BATCH; end++) {
      const place = archive.layout[(members[end] as ArchiveMember).index];
      if (place === undefined) continue;
      const length = place.dataEnd - place.dataOffset;
      if (bytes + length > PREFETCH_WINDOW) {
        // The window is full; a member larger than a whole window is read on its own.
        if (end === at) end++;
        break;
      }
      bytes += length;
      ranges.push({ offset: place.dataOffset, length });
    }
    next = end;
    await hint(archive.source, ranges);
  };
}
