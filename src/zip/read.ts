// Reads the structure of a zip archive: the end of central directory records, the central directory,
// and the local header of every member (PKWARE APPNOTE.TXT 6.3.x, section 4.3). Only those records
// are read from the source, never the members' data, so opening a 200 MiB wheel costs its central
// directory, not 200 MiB (DESIGN §7). It validates everything a reader needs to trust an offset, each
// against the source's size before it is read, and reports anything else (unsafe or duplicate names)
// as data, for the caller to turn into findings.
import { ZipError } from "../model/errors.js";
import type { ByteSource } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import { clip } from "../text.js";
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
  FLAG_UTF8,
  decodeMemberName,
  decodeUtf8,
  dosDateTimeToDate,
  isAscii,
  isValidUtf8,
  readU64,
} from "./format.js";
import { hint, PREFETCH_BATCH, takesHints, type Range } from "./prefetch.js";
import { crc32Portable } from "./crc32.js";
import { toSource } from "./source.js";

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
  /** Where the archive is read from; members' data are read from it when asked for. */
  source: ByteSource;
  /** In central directory order. */
  members: ArchiveMember[];
  /** `layout[i]` is where `members[i]` lives. */
  layout: MemberLayout[];
  /** The central directory as read, starting at `directoryOffset` in the archive: central entries are copied from it. */
  directory: Uint8Array;
  directoryOffset: number;
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
  throw new ZipError("corrupt", message, member);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parse the central directory of an archive and check every member's local header. Throws
 * ZipError("corrupt") when the bytes are not a zip a reader can trust; never for names.
 */
export async function openZip(input: ByteSource | Uint8Array): Promise<ZipArchive> {
  const source = toSource(input);
  if (source.size === 0) fail("not a zip file (the file is empty)");
  const found = await findCentralDirectory(source);
  const directory = await source.read(found.offset, found.size);
  const view = viewOf(directory);
  const members: ArchiveMember[] = [];
  const layout: MemberLayout[] = [];
  const dates = new Map<number, Date>();
  let at = 0;
  for (let index = 0; index < found.entries; index++) {
    if (at + CENTRAL_ENTRY_SIZE > directory.length) {
      fail(`central directory ends after ${index} of the ${found.entries} entries it declares`);
    }
    const entry = readCentralEntry(directory, view, found.offset, at, index, dates);
    members.push(entry.member);
    layout.push(entry.layout);
    at += entry.layout.centralLength;
  }
  if (at !== directory.length) {
    fail(`central directory is ${found.size} bytes but its ${found.entries} entries take ${at}`);
  }
  await checkLocalRecords(source, members, layout, found.offset);
  return {
    source,
    members,
    layout,
    directory,
    directoryOffset: found.offset,
    comment: found.comment,
    zip64: found.zip64,
  };
}

/** A member's central directory entry, as stored (a view into `archive.directory`). */
export function centralEntryOf(archive: ZipArchive, place: MemberLayout): Uint8Array {
  const start = place.centralOffset - archive.directoryOffset;
  return archive.directory.subarray(start, start + place.centralLength);
}

/**
 * How far from the end Python's zipfile (so pip) looks for the end of central directory record: the
 * record (22 bytes) and a comment of up to 65536 bytes in CPython 3.11 (`1 << 16`), 65535 from 3.12
 * on (ZIP_MAX_COMMENT). Lib/zipfile `_EndRecData`.
 */
const ZIPFILE_WINDOW_OLD = 0x10000 + EOCD_SIZE;
const ZIPFILE_WINDOW_NEW = EOCD_SEARCH_SPAN;

/**
 * Find the end of central directory record the way Python's zipfile does (Lib/zipfile `_EndRecData`),
 * so that retag reads the archive pip installs: the last 22 bytes when they are a record with no
 * comment, else the last signature in the window, however it reads. A comment may itself contain
 * the signature bytes; zipfile then takes the one in the comment, so retag must not take another
 * (issue 11, D11: retag read one archive and pip another, and retag wrote a rewrite pip cannot open).
 * When another signature in the window also starts a consistent record, another reader (one that
 * searches forward, or takes the last consistent record) reads a different archive: that file means
 * two things and is refused. The tail read also covers the zip64 locator that may sit before the record.
 */
async function findCentralDirectory(source: ByteSource): Promise<CentralDirectoryInfo> {
  const size = source.size;
  const windowStart = Math.max(0, size - ZIPFILE_WINDOW_OLD);
  const tailStart = Math.max(0, windowStart - ZIP64_LOCATOR_SIZE);
  const tail: Tail = { bytes: await source.read(tailStart, size - tailStart), start: tailStart };
  const view = viewOf(tail.bytes);
  const isSignature = (at: number): boolean => tail.bytes[at - tailStart] === 0x50 && view.getUint32(at - tailStart, true) === EOCD_SIGNATURE;
  // Every signature in the window, last first (what `bytes.rfind` would find, then the ones before it).
  const signatures: number[] = [];
  for (let at = size - 4; at >= windowStart; at--) if (isSignature(at)) signatures.push(at);
  const noComment = size >= EOCD_SIZE && isSignature(size - EOCD_SIZE) && view.getUint16(size - 2 - tailStart, true) === 0;
  const chosen = noComment ? size - EOCD_SIZE : signatures[0];
  if (chosen === undefined) fail("not a zip file (no end of central directory record)");
  if (chosen + EOCD_SIZE > size) {
    fail(`the last end of central directory signature (offset ${chosen}) has no room for its record after it; Python's zipfile reads no archive here`);
  }
  if (chosen < size - ZIPFILE_WINDOW_NEW) {
    fail(`the end of central directory record at offset ${chosen} is just outside the 65557 bytes Python 3.12 and later search; only older readers find it`);
  }
  const found = await readEndRecords(source, tail, view, chosen);
  if (typeof found === "string") fail(found);
  for (const at of signatures) {
    if (at === chosen || at + EOCD_SIZE > size) continue;
    if (typeof (await readEndRecords(source, tail, view, at)) !== "string") {
      fail(`the end of central directory records at offsets ${Math.min(at, chosen)} and ${Math.max(at, chosen)} both describe an archive; zip readers disagree on which one this file is`);
    }
  }
  return found;
}

/** The last bytes of the archive, and where they start in it. */
interface Tail {
  bytes: Uint8Array;
  start: number;
}

/**
 * The central directory an end record at `at` describes, or what is inconsistent about it. Offsets
 * are the archive's; `tailView` reads the tail, which holds the record and the locator before it.
 */
async function readEndRecords(source: ByteSource, tail: Tail, tailView: DataView, at: number): Promise<CentralDirectoryInfo | string> {
  const size = source.size;
  const u16 = (offset: number): number => tailView.getUint16(offset - tail.start, true);
  const u32 = (offset: number): number => tailView.getUint32(offset - tail.start, true);
  const commentLength = u16(at + 20);
  if (at + EOCD_SIZE + commentLength > size) {
    return `end of central directory record at offset ${at} has a comment that runs past the end of the file`;
  }
  let disk = u16(at + 4);
  let directoryDisk = u16(at + 6);
  let entriesOnDisk = u16(at + 8);
  let entries = u16(at + 10);
  let directorySize: number | null = u32(at + 12);
  let offset: number | null = u32(at + 16);
  let limit = at;
  let zip64: ZipArchive["zip64"] = null;

  // Zip64 (APPNOTE 4.3.14, 4.3.15): a locator right before the end record points to a bigger record
  // whose values replace the 16/32-bit ones.
  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && u32(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
    const recordAt = readU64(tailView, locatorAt - tail.start + 8);
    if (recordAt === null || recordAt + ZIP64_EOCD_SIZE > locatorAt) {
      return `zip64 end of central directory locator at offset ${locatorAt} points outside the file`;
    }
    // Python's zipfile before 3.12 reads the zip64 record from the 56 bytes right before the locator,
    // whatever the locator says; 3.12 on follows the locator and wants the record's size to match.
    // Only a record that is where both look, with no extensible data, is read the same by both.
    if (recordAt + ZIP64_EOCD_SIZE !== locatorAt) {
      return `zip64 end of central directory record at offset ${recordAt} is not right before its locator (offset ${locatorAt}); zip readers disagree on where it is`;
    }
    const record = viewOf(await source.read(recordAt, ZIP64_EOCD_SIZE));
    if (record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
      return `no zip64 end of central directory record at offset ${recordAt}`;
    }
    if (readU64(record, 4) !== ZIP64_EOCD_SIZE - 12) {
      return `zip64 end of central directory record at offset ${recordAt} declares a size other than ${ZIP64_EOCD_SIZE - 12}`;
    }
    if (u32(locatorAt + 4) !== 0 || u32(locatorAt + 16) > 1) {
      return "multi-disk (spanned) zip archives are not supported";
    }
    disk = record.getUint32(16, true);
    directoryDisk = record.getUint32(20, true);
    const onDisk = readU64(record, 24);
    const total = readU64(record, 32);
    if (onDisk === null || total === null) return "zip64 end of central directory record has impossible entry counts";
    entriesOnDisk = onDisk;
    entries = total;
    directorySize = readU64(record, 40);
    offset = readU64(record, 48);
    limit = recordAt;
    zip64 = { versionMadeBy: record.getUint16(12, true), versionNeeded: record.getUint16(14, true) };
  }
  if (disk !== 0 || directoryDisk !== 0) return "multi-disk (spanned) zip archives are not supported";
  if (entriesOnDisk !== entries) {
    return `end of central directory record disagrees with itself: ${entriesOnDisk} entries on this disk, ${entries} in total`;
  }
  if (directorySize === null || offset === null || offset + directorySize > size) {
    return `central directory at offset ${offset ?? "≥ 2^53"} (${directorySize ?? "≥ 2^53"} bytes) runs past the end of the file`;
  }
  if (offset + directorySize > limit) {
    return `central directory at offset ${offset} (${directorySize} bytes) overlaps the end of central directory record at offset ${limit}`;
  }
  // Python's zipfile takes the central directory to end where the end records start, and shifts
  // every offset by the difference (for bytes prepended to the archive): when the directory ends
  // anywhere else, it reads other bytes than these offsets say (Lib/zipfile `_RealGetContents`).
  if (offset + directorySize !== limit) {
    return `central directory at offset ${offset} (${directorySize} bytes) ends ${limit - offset - directorySize} bytes before the end records at offset ${limit}; Python's zipfile would look for it elsewhere`;
  }
  if (entries * CENTRAL_ENTRY_SIZE > directorySize) {
    return `end of central directory record says ${entries} entries, but the central directory (${directorySize} bytes) has room for at most ${Math.floor(directorySize / CENTRAL_ENTRY_SIZE)}`;
  }
  if (entries > 0 && viewOf(await source.read(offset, 4)).getUint32(0, true) !== CENTRAL_ENTRY_SIGNATURE) {
    return `no central directory at offset ${offset}, where the end of central directory record says it starts`;
  }
  const commentAt = at + EOCD_SIZE - tail.start;
  return { entries, offset, size: directorySize, limit, comment: tail.bytes.subarray(commentAt, commentAt + commentLength), zip64 };
}

/**
 * One central directory file header (APPNOTE 4.3.12), with the zip64 extra field applied. `at` is
 * the entry's position in `directory`, which starts at `base` in the archive.
 */
function readCentralEntry(
  directory: Uint8Array,
  view: DataView,
  base: number,
  at: number,
  index: number,
  dates: Map<number, Date>,
): { member: ArchiveMember; layout: MemberLayout } {
  if (view.getUint32(at, true) !== CENTRAL_ENTRY_SIGNATURE) {
    fail(`central directory entry ${index} at offset ${base + at} has no central directory signature`);
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
  if (at + centralLength > directory.length) {
    fail(`central directory entry ${index} at offset ${base + at} runs past the end of the central directory`);
  }
  const nameBytes = directory.subarray(at + CENTRAL_ENTRY_SIZE, at + CENTRAL_ENTRY_SIZE + nameLength);
  const name = decodeMemberName(nameBytes, flags);
  const versionNeeded = view.getUint16(at + 6, true);
  // Lib/zipfile `_RealGetContents` refuses the whole archive (NotImplementedError) for an entry that
  // needs a later version than 6.3 (MAX_EXTRACT_VERSION): pip cannot open it, so neither may retag.
  if (versionNeeded > MAX_EXTRACT_VERSION) {
    fail(`central directory entry of ${clip(name)} needs zip version ${versionNeeded / 10} to extract; Python's zipfile opens nothing above ${MAX_EXTRACT_VERSION / 10}`, name);
  }
  checkExtraFields(view, at + CENTRAL_ENTRY_SIZE + nameLength, extraLength, nameBytes, name);

  // The zip64 extra field holds, in this order, only the values whose fixed field is all ones.
  let offsetFieldAt = 42;
  const needsZip64 = size === MAX32 || compressedSize === MAX32 || localHeaderOffset === MAX32 || diskStart === MAX16;
  if (needsZip64) {
    const extraAt = findExtraField(view, at + CENTRAL_ENTRY_SIZE + nameLength, extraLength, ZIP64_EXTRA_ID);
    if (extraAt === null) fail(`central directory entry of ${clip(name)} needs a zip64 extra field and has none`, name);
    let field = extraAt.start;
    const take = (): number | null => {
      if (field + 8 > extraAt.end) fail(`zip64 extra field of ${clip(name)} is too short`, name);
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
      if (field + 4 > extraAt.end) fail(`zip64 extra field of ${clip(name)} is too short`, name);
      diskStart = view.getUint32(field, true);
    }
  }
  if (size === null || compressedSize === null || localHeaderOffset === null) {
    fail(`member ${clip(name)} declares sizes or an offset beyond 2^53 bytes`, name);
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
    modified: dateOf(date, time, dates),
    externalAttributes,
  };
  const layout: MemberLayout = {
    localHeaderOffset,
    dataOffset: 0,
    dataEnd: 0,
    recordEnd: 0,
    centralOffset: base + at,
    centralLength,
    offsetFieldAt,
  };
  return { member, layout };
}

/** Python's zipfile reads archives that need at most zip 6.3 (Lib/zipfile MAX_EXTRACT_VERSION). */
const MAX_EXTRACT_VERSION = 63;
/** The Info-ZIP Unicode Path extra field (APPNOTE 4.6.9). */
const UNICODE_PATH_EXTRA_ID = 0x7075;

/**
 * A central entry's extra fields as Python's zipfile walks them (`ZipInfo._decodeExtra`): it refuses
 * the whole archive when a field runs past the extra block, or a Unicode Path field (0x7075) is too
 * short or not UTF-8; and from 3.12 on a Unicode Path field whose CRC matches the stored name
 * replaces the name, so 3.11 and 3.12 (and retag) would read different names: refused too. Two zip64
 * fields are refused as well (zipfile reads each one, retag the first: no writer writes two).
 */
function checkExtraFields(view: DataView, start: number, length: number, nameBytes: Uint8Array, name: string): void {
  const end = start + length;
  let zip64Fields = 0;
  for (let at = start; end - at >= 4; ) {
    const id = view.getUint16(at, true);
    const fieldLength = view.getUint16(at + 2, true);
    const body = at + 4;
    if (body + fieldLength > end) {
      fail(`extra field 0x${id.toString(16).padStart(4, "0")} of ${clip(name)} runs past its central directory entry (Python's zipfile refuses the archive)`, name);
    }
    if (id === ZIP64_EXTRA_ID && ++zip64Fields > 1) fail(`central directory entry of ${clip(name)} has two zip64 extra fields`, name);
    if (id === UNICODE_PATH_EXTRA_ID) {
      if (fieldLength < 5) fail(`Unicode Path extra field of ${clip(name)} is too short (Python's zipfile refuses the archive)`, name);
      const version = view.getUint8(body);
      const crc = view.getUint32(body + 1, true);
      if (version === 1 && crc === crc32Portable(nameBytes)) {
        const unicode = new Uint8Array(view.buffer, view.byteOffset + body + 5, fieldLength - 5);
        if (!isValidUtf8(unicode)) fail(`Unicode Path extra field of ${clip(name)} is not UTF-8 (Python's zipfile refuses the archive)`, name);
        const other = decodeUtf8(unicode);
        if (other !== "" && other !== name) {
          fail(`${clip(name)} has a Unicode Path extra field naming it ${clip(other)}; Python 3.12 and later read that name, older readers the stored one`, name);
        }
      }
    }
    at = body + fieldLength;
  }
}

/**
 * The DOS date and time as a Date, one Date per distinct value in the archive: most writers give
 * every member the same time, and a Date per member was a sizeable share of an archive's memory.
 */
function dateOf(date: number, time: number, dates: Map<number, Date>): Date {
  const key = date * 0x10000 + time;
  let when = dates.get(key);
  if (when === undefined) dates.set(key, (when = dosDateTimeToDate(date, time)));
  return when;
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

/** Bytes read with a local header beyond its fixed part and the name: most extra fields fit, so one read usually does. */
const LOCAL_EXTRA_GUESS = 64;
/**
 * Bytes of a member's data named with its local header in a read-ahead hint: a reader that sniffs
 * members' first bytes (readMemberHead, for DESIGN §3.1's magic numbers) then finds them fetched.
 */
const LOCAL_HINT_DATA = 512;

/** The local headers of `members[from, from + PREFETCH_BATCH)`, with the start of their data, named to the source. */
async function hintLocalHeaders(source: ByteSource, members: ArchiveMember[], layout: MemberLayout[], from: number, directoryOffset: number): Promise<void> {
  const ranges: Range[] = [];
  for (let i = from; i < Math.min(members.length, from + PREFETCH_BATCH); i++) {
    const at = (layout[i] as MemberLayout).localHeaderOffset;
    // A header offset past the directory is refused by the loop below; it is never hinted.
    if (at >= directoryOffset) continue;
    const length = LOCAL_HEADER_SIZE + (members[i] as ArchiveMember).nameBytes.length + LOCAL_EXTRA_GUESS + LOCAL_HINT_DATA;
    ranges.push({ offset: at, length: Math.min(length, directoryOffset - at) });
  }
  await hint(source, ranges);
}

/** A local header with its name and extra fields, cut short only by the end of the archive. */
async function readLocalHeader(source: ByteSource, at: number, nameLengthGuess: number): Promise<Uint8Array> {
  const available = source.size - at;
  let header = await source.read(at, Math.min(LOCAL_HEADER_SIZE + nameLengthGuess + LOCAL_EXTRA_GUESS, available));
  const view = viewOf(header);
  const length = LOCAL_HEADER_SIZE + view.getUint16(26, true) + view.getUint16(28, true);
  if (length > header.length && header.length < available) header = await source.read(at, Math.min(length, available));
  return header;
}

/**
 * Check each member's local header (APPNOTE 4.3.7) against its central entry, locate its data, and
 * make sure no two members share bytes: overlapping members are how the worst zip bombs are built,
 * and no honest writer produces them.
 */
async function checkLocalRecords(source: ByteSource, members: ArchiveMember[], layout: MemberLayout[], directoryOffset: number): Promise<void> {
  // Whether each local header has a zip64 extra field (its data descriptor then has 8-byte sizes).
  const wideSizes: boolean[] = [];
  const hints = takesHints(source);
  for (let i = 0; i < members.length; i++) {
    // One read per header; a source with a cost per request is told a batch of them first.
    if (hints && i % PREFETCH_BATCH === 0) await hintLocalHeaders(source, members, layout, i, directoryOffset);
    const member = members[i] as ArchiveMember;
    const place = layout[i] as MemberLayout;
    const at = place.localHeaderOffset;
    const name = member.name;
    if (at + LOCAL_HEADER_SIZE > directoryOffset) {
      fail(`local header of ${clip(name)} at offset ${at} is not before the central directory`, name);
    }
    const header = await readLocalHeader(source, at, member.nameBytes.length);
    const view = viewOf(header);
    if (view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) {
      fail(`no local header for ${clip(name)} at offset ${at}`, name);
    }
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    const dataOffset = at + LOCAL_HEADER_SIZE + nameLength + extraLength;
    if (!sameBytes(header.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + nameLength), member.nameBytes)) {
      fail(`local header at offset ${at} names a different member than the central directory entry of ${clip(name)}`, name);
    }
    // Python's zipfile decodes the local name by the local header's own UTF-8 flag and compares it
    // with the central one (ZipFile.open): a non-ASCII name flagged in one header only fails there.
    if ((view.getUint16(6, true) & FLAG_UTF8) !== (member.flags & FLAG_UTF8) && !isAscii(member.nameBytes)) {
      fail(`the local header of ${clip(name)} and its central directory entry disagree on whether its name is UTF-8`, name);
    }
    const dataEnd = dataOffset + member.compressedSize;
    if (dataEnd > directoryOffset) {
      fail(`data of ${clip(name)} (offset ${dataOffset}, ${member.compressedSize} bytes) runs into the central directory or past the end of the file`, name);
    }
    if (member.method === METHOD_STORED && !(member.flags & FLAG_ENCRYPTED) && member.compressedSize !== member.size) {
      fail(`stored member ${clip(name)} has a compressed size of ${member.compressedSize} but a size of ${member.size}`, name);
    }
    place.dataOffset = dataOffset;
    place.dataEnd = dataEnd;
    place.recordEnd = dataEnd;
    // The data starts before the central directory, so the whole header was read.
    wideSizes[i] = findExtraField(view, LOCAL_HEADER_SIZE + nameLength, extraLength, ZIP64_EXTRA_ID) !== null;
  }

  const order = layout.map((_, i) => i).sort((a, b) => (layout[a] as MemberLayout).localHeaderOffset - (layout[b] as MemberLayout).localHeaderOffset);
  // Positions in `order` of the members with a data descriptor, whose descriptors are read below.
  const described = hints ? order.flatMap((i, k) => (((members[i] as ArchiveMember).flags & FLAG_DATA_DESCRIPTOR) !== 0 ? [k] : [])) : [];
  let nextDescribed = 0;
  for (let k = 0; k < order.length; k++) {
    // A batch of descriptors named at once, when the loop reaches the first of them (the records
    // were checked above, so each range is inside the file).
    if (nextDescribed < described.length && described[nextDescribed] === k) {
      const batch = described.slice(nextDescribed, nextDescribed + PREFETCH_BATCH).map((at) => layout[order[at] as number] as MemberLayout);
      nextDescribed += batch.length;
      await hint(source, batch.map((p) => ({ offset: p.dataEnd, length: Math.min(MAX_DESCRIPTOR_LENGTH, directoryOffset - p.dataEnd) })));
    }
    const place = layout[order[k] as number] as MemberLayout;
    const next = k + 1 < order.length ? (layout[order[k + 1] as number] as MemberLayout) : null;
    const limit = next ? next.localHeaderOffset : directoryOffset;
    if (place.dataEnd > limit) {
      const a = members[order[k] as number] as ArchiveMember;
      const b = members[order[k + 1] as number] as ArchiveMember;
      fail(`members ${clip(a.name)} and ${clip(b.name)} overlap (offsets ${place.localHeaderOffset} and ${limit})`, b.name);
    }
    const member = members[order[k] as number] as ArchiveMember;
    if (member.flags & FLAG_DATA_DESCRIPTOR) {
      const wide = wideSizes[order[k] as number] === true;
      place.recordEnd = place.dataEnd + (await dataDescriptorLength(source, member, place.dataEnd, limit, wide));
    }
  }
}

/** The longest data descriptor: signature, CRC-32 and two 8-byte sizes. */
const MAX_DESCRIPTOR_LENGTH = 24;

/**
 * Length of the data descriptor after a member's data (APPNOTE 4.3.9): an optional signature, the
 * CRC, and both sizes as 4 bytes, or 8 when the local header has a zip64 extra field. Writers differ
 * on the signature and the width, so take the layout whose values match the central entry. Installers
 * (Python's zipfile) never read the descriptor, so a lying one is not an error: guess its length from
 * the signature, within the bytes before the next record, so a rewrite still carries it over.
 */
async function dataDescriptorLength(source: ByteSource, member: ArchiveMember, at: number, limit: number, wide: boolean): Promise<number> {
  const room = limit - at;
  const view = viewOf(await source.read(at, Math.min(MAX_DESCRIPTOR_LENGTH, room)));
  const signed = room >= 4 && view.getUint32(0, true) === DATA_DESCRIPTOR_SIGNATURE;
  const shapes = [
    { signed, wide },
    { signed, wide: !wide },
  ];
  for (const shape of shapes) {
    const start = shape.signed ? 4 : 0;
    const length = (shape.signed ? 4 : 0) + (shape.wide ? 20 : 12);
    if (length > room) continue;
    const compressed = shape.wide ? readU64(view, start + 4) : view.getUint32(start + 4, true);
    const size = shape.wide ? readU64(view, start + 12) : view.getUint32(start + 8, true);
    if (view.getUint32(start, true) === member.crc32 && compressed === member.compressedSize && size === member.size) {
      return length;
    }
  }
  return Math.min((signed ? 4 : 0) + (wide ? 20 : 12), room);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
