// Rewrites an archive with some members replaced or dropped. Untouched members are carried over byte
// for byte (local header, extra fields, compressed data, data descriptor, central entry with only its
// local header offset changed), so fix mode changes nothing it does not have to (DESIGN §4). Their
// records are read from the archive's source as raw ranges, never inflated.
import type { ArchiveMember } from "../model/zip.js";
import { crc32 } from "./zip-crc32.js";
import {
  CENTRAL_ENTRY_SIZE,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  MAX32,
  METHOD_STORED,
  METHOD_DEFLATED,
  ZIP64_EXTRA_ID,
  writeU64,
} from "./zip-format.js";
import { centralEntryOf, type MemberLayout, type ZipArchive } from "./zip-read.js";
import {
  type CentralEntryFields,
  deflate,
  encodeCentralEntry,
  encodeEndRecords,
  encodeLocalHeader,
} from "./zip-write.js";

export interface ZipChanges {
  /** New contents by member name; the member keeps its place, name, time, attributes and method. */
  replace: Map<string, Uint8Array>;
  /** Names of members to leave out. */
  drop: Set<string>;
}

/** Extra fields without the zip64 one (the encoders write their own). A malformed tail is kept as is. */
function withoutZip64(extra: Uint8Array): Uint8Array {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  const parts: Array<[number, number]> = [];
  let at = 0;
  while (at + 4 <= extra.length) {
    const fieldLength = view.getUint16(at + 2, true);
    if (at + 4 + fieldLength > extra.length) break;
    if (view.getUint16(at, true) !== ZIP64_EXTRA_ID) parts.push([at, at + 4 + fieldLength]);
    at += 4 + fieldLength;
  }
  if (at < extra.length) parts.push([at, extra.length]);
  const out = new Uint8Array(parts.reduce((sum, [from, to]) => sum + to - from, 0));
  let written = 0;
  for (const [from, to] of parts) {
    out.set(extra.subarray(from, to), written);
    written += to - from;
  }
  return out;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The stored fields of a member's central entry, with its extra fields minus zip64. */
function centralFields(entry: Uint8Array, member: ArchiveMember): CentralEntryFields {
  const view = viewOf(entry);
  const nameLength = view.getUint16(28, true);
  const extraLength = view.getUint16(30, true);
  const commentLength = view.getUint16(32, true);
  const extraAt = CENTRAL_ENTRY_SIZE + nameLength;
  return {
    versionMadeBy: view.getUint16(4, true),
    versionNeeded: view.getUint16(6, true),
    flags: member.flags,
    method: member.method,
    time: view.getUint16(12, true),
    date: view.getUint16(14, true),
    crc32: member.crc32,
    compressedSize: member.compressedSize,
    size: member.size,
    nameBytes: member.nameBytes,
    extra: withoutZip64(entry.subarray(extraAt, extraAt + extraLength)),
    comment: entry.subarray(extraAt + extraLength, extraAt + extraLength + commentLength),
    internalAttributes: view.getUint16(36, true),
    externalAttributes: member.externalAttributes,
  };
}

/** The member's central entry as stored, moved to `offset`. */
function movedCentralEntry(archive: ZipArchive, member: ArchiveMember, place: MemberLayout, offset: number): Uint8Array {
  const raw = centralEntryOf(archive, place);
  if (offset === place.localHeaderOffset) return raw;
  if (place.offsetFieldAt === 42 && offset >= MAX32) {
    // The entry has no room for a 64-bit offset: re-encode it with a zip64 extra field.
    const view = viewOf(raw);
    const zip64Sizes = view.getUint32(20, true) === MAX32 || view.getUint32(24, true) === MAX32;
    return encodeCentralEntry(centralFields(raw, member), offset, zip64Sizes);
  }
  const copy = raw.slice();
  const copyView = viewOf(copy);
  if (place.offsetFieldAt === 42) copyView.setUint32(42, offset, true);
  else writeU64(copyView, place.offsetFieldAt, offset);
  return copy;
}

/** A replaced member's local header, data and central entry fields: same name, time, attributes, method. */
function replacedRecord(
  archive: ZipArchive,
  member: ArchiveMember,
  place: MemberLayout,
  data: Uint8Array,
): { header: Uint8Array; compressed: Uint8Array; fields: CentralEntryFields } {
  const method = member.method === METHOD_STORED ? METHOD_STORED : METHOD_DEFLATED;
  const compressed = method === METHOD_DEFLATED ? deflate(data) : data;
  // openZip checked that the header, name and extra fields lie before the member's data.
  const headerLength = place.dataOffset - place.localHeaderOffset;
  const header = archive.source.read(place.localHeaderOffset, headerLength);
  const localNameLength = viewOf(header).getUint16(26, true);
  const localExtra = withoutZip64(header.subarray(LOCAL_HEADER_SIZE + localNameLength));
  const fields: CentralEntryFields = {
    ...centralFields(centralEntryOf(archive, place), member),
    // Sizes are known now: no data descriptor; new data is not encrypted. Keep only the UTF-8 flag.
    flags: member.flags & FLAG_UTF8,
    method,
    crc32: crc32(data),
    compressedSize: compressed.length,
    size: data.length,
  };
  return { header: encodeLocalHeader({ ...fields, extra: localExtra }), compressed, fields };
}

function checkChanges(archive: ZipArchive, changes: ZipChanges): void {
  const names = new Set(archive.members.map((member) => member.name));
  for (const name of [...changes.replace.keys(), ...changes.drop]) {
    if (!names.has(name)) throw new Error(`rewriteZip: the archive has no member named ${name}`);
    if (changes.replace.has(name) && changes.drop.has(name)) {
      throw new Error(`rewriteZip: ${name} is both replaced and dropped`);
    }
  }
}

/**
 * Untouched records are read in runs of adjacent records, each read at most this long: one read per
 * run instead of one per member (a wheel has thousands), without one allocation the size of the wheel.
 */
const MAX_COPY_READ = 64 * 2 ** 20;

/**
 * The archive with `changes` applied, as chunks to write in order. Untouched records are read from
 * the archive's source (views into an archive in memory; from a file, they hold the wheel's bytes
 * until written). Local records keep their order in the file, central entries theirs; bytes between
 * records that belong to no member are not carried over. A name shared by several members applies to
 * all of them. Writes zip64 end records when a count or offset needs them or when the input had them.
 */
export function rewriteZip(archive: ZipArchive, changes: ZipChanges): Uint8Array[] {
  checkChanges(archive, changes);
  const chunks: Uint8Array[] = [];
  const central: Array<Uint8Array | undefined> = [];
  const fileOrder = archive.members
    .map((member) => member.index)
    .sort((a, b) => (archive.layout[a] as MemberLayout).localHeaderOffset - (archive.layout[b] as MemberLayout).localHeaderOffset);

  // The pending run of adjacent untouched records, [start, end) in the input.
  let runStart = 0;
  let runEnd = 0;
  const flush = (): void => {
    for (let at = runStart; at < runEnd; at += MAX_COPY_READ) {
      chunks.push(archive.source.read(at, Math.min(MAX_COPY_READ, runEnd - at)));
    }
    runStart = runEnd = 0;
  };

  let offset = 0;
  for (const index of fileOrder) {
    const member = archive.members[index] as ArchiveMember;
    const place = archive.layout[index] as MemberLayout;
    if (changes.drop.has(member.name)) continue;
    const replacement = changes.replace.get(member.name);
    if (replacement === undefined) {
      if (runEnd !== place.localHeaderOffset || runEnd === runStart) {
        flush();
        runStart = place.localHeaderOffset;
      }
      runEnd = place.recordEnd;
      central[index] = movedCentralEntry(archive, member, place, offset);
      offset += place.recordEnd - place.localHeaderOffset;
    } else {
      flush();
      const record = replacedRecord(archive, member, place, replacement);
      chunks.push(record.header, record.compressed);
      central[index] = encodeCentralEntry(record.fields, offset);
      offset += record.header.length + record.compressed.length;
    }
  }
  flush();

  const directoryOffset = offset;
  let entries = 0;
  for (const entry of central) {
    if (entry === undefined) continue;
    chunks.push(entry);
    offset += entry.length;
    entries++;
  }
  chunks.push(
    encodeEndRecords({ entries, directoryOffset, directorySize: offset - directoryOffset, comment: archive.comment, zip64: archive.zip64 }),
  );
  return chunks;
}
