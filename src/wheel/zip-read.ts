// Reads the structure of a zip archive held in memory: the end of central directory records, the
// central directory, and the local header of every member (PKWARE APPNOTE.TXT 6.3.x, section 4.3).
// It validates everything a reader needs to trust an offset and reports anything else (unsafe or
// duplicate names) as data, for the caller to turn into findings.
import { WheelError } from "../errors.js";
import type { ArchiveMember } from "../types.js";
import {
  CENTRAL_ENTRY_SIGNATURE,
  CENTRAL_ENTRY_SIZE,
  DATA_DESCRIPTOR_SIGNATURE,
  EOCD_SEARCH_SPAN,
  EOCD_SIGNATURE,
  EOCD_SIZE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_ENCRYPTED,
  HOST_UNIX,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
  MAX16,
  MAX32,
  METHOD_STORED,
  ZIP64_EOCD_SIGNATURE,
  ZIP64_EOCD_SIZE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIGNATURE,
  ZIP64_LOCATOR_SIZE,
  decodeMemberName,
  dosDateTimeToDate,
  readU64,
} from "./zip-format.js";

/** Where one member's records are in the archive, for reading it and for copying it unchanged. */
export interface MemberLayout {
  localHeaderOffset: number;
  /** Start and end of the compressed data. */
  dataOffset: number;
  dataEnd: number;
  /** End of the member's local record: the data plus its data descriptor, if any. */
  recordEnd: number;
  centralOffset: number;
  centralLength: number;
  /**
   * Where, inside the central entry, the local header offset is stored: 42 (the fixed u32 field) or
   * the position of the u64 in the zip64 extra field (APPNOTE 4.5.3) when the fixed field is 0xFFFFFFFF.
   */
  offsetFieldAt: number;
}

export interface ZipArchive {
  /** The whole archive; members' data are views into it, never copies. */
  bytes: Uint8Array;
  /** In central directory order. */
  members: ArchiveMember[];
  /** `layout[i]` is where `members[i]` lives. */
  layout: MemberLayout[];
  /** The archive comment from the end of central directory record. */
  comment: Uint8Array;
  /** The zip64 end of central directory record's versions, when the archive has one. */
  zip64: { versionMadeBy: number; versionNeeded: number } | null;
}

/** What the end of central directory records say (zip64 values when there is a zip64 record). */
interface CentralDirectoryInfo {
  entries: number;
  offset: number;
  size: number;
  /** Where the central directory must end at the latest: the first end record after it. */
  limit: number;
  comment: Uint8Array;
  zip64: ZipArchive["zip64"];
}

function fail(message: string, member?: string): never {
  throw new WheelError("R001", message, member);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parse the central directory of a whole archive in memory and check every member's local header.
 * Throws WheelError("R001") when the bytes are not a zip a reader can trust; never for names.
 */
export function openZip(bytes: Uint8Array): ZipArchive {
  if (bytes.length === 0) fail("not a zip file (the file is empty)");
  const view = viewOf(bytes);
  const directory = findCentralDirectory(bytes, view);
  const members: ArchiveMember[] = [];
  const layout: MemberLayout[] = [];
  const directoryEnd = directory.offset + directory.size;
  let at = directory.offset;
  for (let index = 0; index < directory.entries; index++) {
    if (at + CENTRAL_ENTRY_SIZE > directoryEnd) {
      fail(`central directory ends after ${index} of the ${directory.entries} entries it declares`);
    }
    const entry = readCentralEntry(bytes, view, at, directoryEnd, index);
    members.push(entry.member);
    layout.push(entry.layout);
    at += entry.layout.centralLength;
  }
  if (at !== directoryEnd) {
    fail(
      `central directory is ${directory.size} bytes but its ${directory.entries} entries take ${at - directory.offset}`,
    );
  }
  checkLocalRecords(bytes, view, members, layout, directory.offset);
  return { bytes, members, layout, comment: directory.comment, zip64: directory.zip64 };
}

/**
 * Find the end of central directory record: the comment after it is at most 64 KiB, so search the
 * last 64 KiB + 22 bytes, from the end, and take the last signature whose record is consistent (a
 * comment may itself contain the signature bytes).
 */
function findCentralDirectory(bytes: Uint8Array, view: DataView): CentralDirectoryInfo {
  const lowest = Math.max(0, bytes.length - EOCD_SEARCH_SPAN);
  let firstProblem: string | null = null;
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (bytes[at] !== 0x50 || view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    const result = readEndRecords(bytes, view, at);
    if (typeof result !== "string") return result;
    firstProblem ??= result;
  }
  fail(firstProblem ?? "not a zip file (no end of central directory record)");
}

/** The central directory an end record at `at` describes, or what is inconsistent about it. */
function readEndRecords(bytes: Uint8Array, view: DataView, at: number): CentralDirectoryInfo | string {
  const commentLength = view.getUint16(at + 20, true);
  if (at + EOCD_SIZE + commentLength > bytes.length) {
    return `end of central directory record at offset ${at} has a comment that runs past the end of the file`;
  }
  let disk = view.getUint16(at + 4, true);
  let directoryDisk = view.getUint16(at + 6, true);
  let entriesOnDisk = view.getUint16(at + 8, true);
  let entries = view.getUint16(at + 10, true);
  let size: number | null = view.getUint32(at + 12, true);
  let offset: number | null = view.getUint32(at + 16, true);
  let limit = at;
  let zip64: ZipArchive["zip64"] = null;

  // Zip64 (APPNOTE 4.3.14, 4.3.15): a locator right before the end record points to a bigger record
  // whose values replace the 16/32-bit ones.
  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && view.getUint32(locatorAt, true) === ZIP64_LOCATOR_SIGNATURE) {
    const recordAt = readU64(view, locatorAt + 8);
    if (recordAt === null || recordAt + ZIP64_EOCD_SIZE > locatorAt) {
      return `zip64 end of central directory locator at offset ${locatorAt} points outside the file`;
    }
    if (view.getUint32(recordAt, true) !== ZIP64_EOCD_SIGNATURE) {
      return `no zip64 end of central directory record at offset ${recordAt}`;
    }
    if (view.getUint32(locatorAt + 4, true) !== 0 || view.getUint32(locatorAt + 16, true) > 1) {
      return "multi-disk (spanned) zip archives are not supported";
    }
    disk = view.getUint32(recordAt + 16, true);
    directoryDisk = view.getUint32(recordAt + 20, true);
    const onDisk = readU64(view, recordAt + 24);
    const total = readU64(view, recordAt + 32);
    if (onDisk === null || total === null) return "zip64 end of central directory record has impossible entry counts";
    entriesOnDisk = onDisk;
    entries = total;
    size = readU64(view, recordAt + 40);
    offset = readU64(view, recordAt + 48);
    limit = recordAt;
    zip64 = { versionMadeBy: view.getUint16(recordAt + 12, true), versionNeeded: view.getUint16(recordAt + 14, true) };
  }
  if (disk !== 0 || directoryDisk !== 0) return "multi-disk (spanned) zip archives are not supported";
  if (entriesOnDisk !== entries) {
    return `end of central directory record disagrees with itself: ${entriesOnDisk} entries on this disk, ${entries} in total`;
  }
  if (size === null || offset === null || offset + size > bytes.length) {
    return `central directory at offset ${offset ?? "≥ 2^53"} (${size ?? "≥ 2^53"} bytes) runs past the end of the file`;
  }
  if (offset + size > limit) {
    return `central directory at offset ${offset} (${size} bytes) overlaps the end of central directory record at offset ${limit}`;
  }
  if (entries * CENTRAL_ENTRY_SIZE > size) {
    return `end of central directory record says ${entries} entries, but the central directory (${size} bytes) has room for at most ${Math.floor(size / CENTRAL_ENTRY_SIZE)}`;
  }
  if (entries > 0 && view.getUint32(offset, true) !== CENTRAL_ENTRY_SIGNATURE) {
    return `no central directory at offset ${offset}, where the end of central directory record says it starts`;
  }
  return { entries, offset, size, limit, comment: bytes.subarray(at + EOCD_SIZE, at + EOCD_SIZE + commentLength), zip64 };
}

/** One central directory file header (APPNOTE 4.3.12), with the zip64 extra field applied. */
function readCentralEntry(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  directoryEnd: number,
  index: number,
): { member: ArchiveMember; layout: MemberLayout } {
  if (view.getUint32(at, true) !== CENTRAL_ENTRY_SIGNATURE) {
    fail(`central directory entry ${index} at offset ${at} has no central directory signature`);
  }
  const versionMadeBy = view.getUint16(at + 4, true);
  const flags = view.getUint16(at + 8, true);
  const method = view.getUint16(at + 10, true);
  const time = view.getUint16(at + 12, true);
  const date = view.getUint16(at + 14, true);
  const crc32 = view.getUint32(at + 16, true);
  let compressedSize: number | null = view.getUint32(at + 20, true);
  let size: number | null = view.getUint32(at + 24, true);
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const commentLength = view.getUint16(at + 32, true);
  let diskStart = view.getUint16(at + 34, true);
  const externalAttributes = view.getUint32(at + 38, true);
  let localHeaderOffset: number | null = view.getUint32(at + 42, true);
  const centralLength = CENTRAL_ENTRY_SIZE + nameLength + extraLength + commentLength;
  if (at + centralLength > directoryEnd) {
    fail(`central directory entry ${index} at offset ${at} runs past the end of the central directory`);
  }
  const nameBytes = bytes.subarray(at + CENTRAL_ENTRY_SIZE, at + CENTRAL_ENTRY_SIZE + nameLength);
  const name = decodeMemberName(nameBytes, flags);

  // The zip64 extra field holds, in this order, only the values whose fixed field is all ones.
  let offsetFieldAt = 42;
  const needsZip64 = size === MAX32 || compressedSize === MAX32 || localHeaderOffset === MAX32 || diskStart === MAX16;
  if (needsZip64) {
    const extraAt = findExtraField(view, at + CENTRAL_ENTRY_SIZE + nameLength, extraLength, ZIP64_EXTRA_ID);
    if (extraAt === null) fail(`central directory entry of ${name} needs a zip64 extra field and has none`, name);
    let field = extraAt.start;
    const take = (): number | null => {
      if (field + 8 > extraAt.end) fail(`zip64 extra field of ${name} is too short`, name);
      const value = readU64(view, field);
      field += 8;
      return value;
    };
    if (size === MAX32) size = take();
    if (compressedSize === MAX32) compressedSize = take();
    if (localHeaderOffset === MAX32) {
      offsetFieldAt = field - at;
      localHeaderOffset = take();
    }
    if (diskStart === MAX16) {
      if (field + 4 > extraAt.end) fail(`zip64 extra field of ${name} is too short`, name);
      diskStart = view.getUint32(field, true);
    }
  }
  if (size === null || compressedSize === null || localHeaderOffset === null) {
    fail(`member ${name} declares sizes or an offset beyond 2^53 bytes`, name);
  }
  if (diskStart !== 0) fail("multi-disk (spanned) zip archives are not supported", name);

  const member: ArchiveMember = {
    name,
    method,
    compressedSize,
    size,
    crc32,
    isDirectory: name.endsWith("/"),
    unixMode: versionMadeBy >>> 8 === HOST_UNIX ? externalAttributes >>> 16 : null,
    index,
    nameBytes,
    flags,
    modified: dosDateTimeToDate(date, time),
    externalAttributes,
  };
  const layout: MemberLayout = {
    localHeaderOffset,
    dataOffset: 0,
    dataEnd: 0,
    recordEnd: 0,
    centralOffset: at,
    centralLength,
    offsetFieldAt,
  };
  return { member, layout };
}

/** The body of the first extra field with header `id` (APPNOTE 4.5.1), or null. */
export function findExtraField(
  view: DataView,
  start: number,
  length: number,
  id: number,
): { start: number; end: number } | null {
  const end = start + length;
  let at = start;
  while (at + 4 <= end) {
    const fieldId = view.getUint16(at, true);
    const fieldLength = view.getUint16(at + 2, true);
    if (at + 4 + fieldLength > end) return null;
    if (fieldId === id) return { start: at + 4, end: at + 4 + fieldLength };
    at += 4 + fieldLength;
  }
  return null;
}

/**
 * Check each member's local header (APPNOTE 4.3.7) against its central entry, locate its data, and
 * make sure no two members share bytes: overlapping members are how the worst zip bombs are built,
 * and no honest writer produces them.
 */
function checkLocalRecords(
  bytes: Uint8Array,
  view: DataView,
  members: ArchiveMember[],
  layout: MemberLayout[],
  directoryOffset: number,
): void {
  // Whether each local header has a zip64 extra field (its data descriptor then has 8-byte sizes).
  const wideSizes: boolean[] = [];
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as ArchiveMember;
    const place = layout[i] as MemberLayout;
    const at = place.localHeaderOffset;
    const name = member.name;
    if (at + LOCAL_HEADER_SIZE > directoryOffset) {
      fail(`local header of ${name} at offset ${at} is not before the central directory`, name);
    }
    if (view.getUint32(at, true) !== LOCAL_HEADER_SIGNATURE) {
      fail(`no local header for ${name} at offset ${at}`, name);
    }
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const dataOffset = at + LOCAL_HEADER_SIZE + nameLength + extraLength;
    if (!sameBytes(bytes.subarray(at + LOCAL_HEADER_SIZE, at + LOCAL_HEADER_SIZE + nameLength), member.nameBytes)) {
      fail(`local header at offset ${at} names a different member than the central directory entry of ${name}`, name);
    }
    const dataEnd = dataOffset + member.compressedSize;
    if (dataEnd > directoryOffset) {
      fail(`data of ${name} (offset ${dataOffset}, ${member.compressedSize} bytes) runs into the central directory or past the end of the file`, name);
    }
    if (member.method === METHOD_STORED && !(member.flags & FLAG_ENCRYPTED) && member.compressedSize !== member.size) {
      fail(`stored member ${name} has a compressed size of ${member.compressedSize} but a size of ${member.size}`, name);
    }
    place.dataOffset = dataOffset;
    place.dataEnd = dataEnd;
    place.recordEnd = dataEnd;
    wideSizes[i] = findExtraField(view, at + LOCAL_HEADER_SIZE + nameLength, extraLength, ZIP64_EXTRA_ID) !== null;
  }

  const order = layout.map((_, i) => i).sort((a, b) => (layout[a] as MemberLayout).localHeaderOffset - (layout[b] as MemberLayout).localHeaderOffset);
  for (let k = 0; k < order.length; k++) {
    const place = layout[order[k] as number] as MemberLayout;
    const next = k + 1 < order.length ? (layout[order[k + 1] as number] as MemberLayout) : null;
    const limit = next ? next.localHeaderOffset : directoryOffset;
    if (place.dataEnd > limit) {
      const a = members[order[k] as number] as ArchiveMember;
      const b = members[order[k + 1] as number] as ArchiveMember;
      fail(`members ${a.name} and ${b.name} overlap (offsets ${place.localHeaderOffset} and ${limit})`, b.name);
    }
    const member = members[order[k] as number] as ArchiveMember;
    if (member.flags & FLAG_DATA_DESCRIPTOR) {
      const wide = wideSizes[order[k] as number] === true;
      place.recordEnd = place.dataEnd + dataDescriptorLength(view, member, place.dataEnd, limit, wide);
    }
  }
}

/**
 * Length of the data descriptor after a member's data (APPNOTE 4.3.9): an optional signature, the
 * CRC, and both sizes as 4 bytes, or 8 when the local header has a zip64 extra field. Writers differ
 * on the signature and the width, so take the layout whose values match the central entry. Installers
 * (Python's zipfile) never read the descriptor, so a lying one is not an error: guess its length from
 * the signature, within the bytes before the next record, so a rewrite still carries it over.
 */
function dataDescriptorLength(view: DataView, member: ArchiveMember, at: number, limit: number, wide: boolean): number {
  const signed = at + 4 <= limit && view.getUint32(at, true) === DATA_DESCRIPTOR_SIGNATURE;
  const shapes = [
    { signed, wide },
    { signed, wide: !wide },
  ];
  for (const shape of shapes) {
    const start = at + (shape.signed ? 4 : 0);
    const length = (shape.signed ? 4 : 0) + (shape.wide ? 20 : 12);
    if (at + length > limit) continue;
    const compressed = shape.wide ? readU64(view, start + 4) : view.getUint32(start + 4, true);
    const size = shape.wide ? readU64(view, start + 12) : view.getUint32(start + 8, true);
    if (view.getUint32(start, true) === member.crc32 && compressed === member.compressedSize && size === member.size) {
      return length;
    }
  }
  return Math.min((signed ? 4 : 0) + (wide ? 20 : 12), limit - at);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
