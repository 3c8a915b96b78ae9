// The one zip writer: assembles an archive from records copied out of any number of archives and
// records written from new data (APPNOTE.TXT 4.3.6: local records, then the central directory, then
// the end records). Copied records are carried over byte for byte (local header, extra fields,
// compressed data, data descriptor; the central entry with only its local header offset changed), so
// a rewrite changes nothing it does not have to (DESIGN §4). A replaced member keeps its place, name,
// time, attributes and method. The output is a list of parts: new bytes, and ranges of a source to
// copy, so a writer can stream the copied ranges from the input to the output without holding them.
// New data may be given as chunks produced when the assembler reaches the entry (ChunkedData): the
// entries are assembled one at a time, in order, so a flow that fuses two 100 MiB binaries inflates
// one member's inputs at a time and the fat file is deflated piece by piece, never joined.
import { concatBytes } from "../bytes.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { ArchiveMember } from "../model/zip.js";
import {
  CENTRAL_ENTRY_SIZE,
  FLAG_UTF8,
  HOST_UNIX,
  LOCAL_HEADER_SIZE,
  MAX32,
  METHOD_DEFLATED,
  METHOD_STORED,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  VERSION_DEFAULT,
  VERSION_ZIP64,
  ZIP64_EXTRA_ID,
  dateToDosDateTime,
  encodeUtf8,
  isAscii,
  writeU64,
} from "./format.js";
import { centralEntryOf, type MemberLayout, type ZipArchive } from "./read.js";
import type { DeflatedData } from "./splice.js";
import { type CentralEntryFields, encodeCentralEntry, encodeEndRecords, encodeLocalHeader } from "./records.js";

/**
 * A member's data as chunks in order (say a fat file's header, padding and slices, views of the
 * inputs), made when the assembler reaches the entry and dropped once the entry is compressed. The
 * member is the chunks joined, but they are never joined: CRC-32, deflate (Codecs.deflateRawChunks
 * when the host has it) and a stored member's parts go chunk by chunk.
 */
export interface ChunkedData {
  chunks(): Promise<readonly Uint8Array[]>;
  /**
   * Optional: the data already compressed with raw deflate (parts: new bytes or ranges of a source,
   * as splice.ts makes them from inputs' compressed members), with its size and CRC-32. Used instead
   * of `chunks` when the member is deflated; null: use `chunks`.
   */
  deflated?(): Promise<DeflatedData | null>;
}

/** A member's new contents: bytes, or chunks made on demand. */
export type MemberData = Uint8Array | ChunkedData;

/** A member written from new data into a fresh archive. */
export interface NewZipEntry {
  name: string;
  data: Uint8Array;
  /** 8 (deflate, zlib level 6; the default) or 0 (stored). Folders are always stored. */
  method?: 0 | 8;
  /** Unix mode; permission bits alone get S_IFREG (or S_IFDIR for a name ending in `/`). Default 0644 / 0755. */
  mode?: number;
  /** Modification time, written as UTC; default 1980-01-01 so that output is reproducible. */
  date?: Date;
}

/** A new member whose data is chunks made when the assembler reaches it. */
export interface NewChunkedEntry extends Omit<NewZipEntry, "data"> {
  data: ChunkedData;
}

/** One local record of the output. */
export type AssemblyEntry =
  /** The member's records copied from its archive as they are. */
  | { kind: "copy"; archive: ZipArchive; index: number }
  /** The member with new contents: same name, time, attributes and method (stored stays stored). */
  | { kind: "replace"; archive: ZipArchive; index: number; data: MemberData }
  /** A member made from scratch, as a fresh archive writes it (made on Unix). */
  | { kind: "new"; entry: NewZipEntry | NewChunkedEntry };

export interface Assembly {
  /** The local records, in output order. */
  entries: AssemblyEntry[];
  /** The central directory's order, as positions in `entries`; default: the order of `entries`. */
  centralOrder?: number[];
  /** The archive comment (default none). */
  comment?: Uint8Array;
  /** Versions of a zip64 end record to write even when every value fits (to keep an input's). */
  zip64?: { versionMadeBy: number; versionNeeded: number } | null;
}

/** A part of the output: bytes to write, or a range of a source to copy as it is. */
export type OutputPart = Uint8Array | SourceRange;

export interface SourceRange {
  source: ByteSource;
  offset: number;
  length: number;
}

/** An assembled archive: its parts in order and its total size. */
export interface AssembledZip {
  parts: OutputPart[];
  size: number;
}

export function isSourceRange(part: OutputPart): part is SourceRange {
  return !(part instanceof Uint8Array);
}

const DOS_EPOCH = new Date(Date.UTC(1980, 0, 1));
/** MS-DOS directory attribute, in the low byte of external attributes (APPNOTE 4.4.15). */
const DOS_DIRECTORY = 0x10;
const EMPTY = new Uint8Array(0);

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Extra fields without the zip64 one (the encoders write their own). A malformed tail is kept as is. */
function withoutZip64(extra: Uint8Array): Uint8Array {
  const view = viewOf(extra);
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

/** A new member's bytes: their size and CRC-32, and their compressed form as parts. */
interface EncodedData {
  size: number;
  crc32: number;
  compressed: OutputPart[];
  compressedSize: number;
}

/** Encodes new data for `method`: CRC-32 and deflate chunk by chunk; a stored member's parts are the chunks themselves. */
async function encodeData(data: MemberData, method: number, codecs: Codecs): Promise<EncodedData> {
  if (!(data instanceof Uint8Array) && method === METHOD_DEFLATED && data.deflated !== undefined) {
    const made = await data.deflated();
    if (made !== null) return { size: made.size, crc32: made.crc32, compressed: made.parts, compressedSize: made.parts.reduce((sum, p) => sum + p.length, 0) };
  }
  const chunks = data instanceof Uint8Array ? [data] : await data.chunks();
  let size = 0;
  let crc = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    crc = codecs.crc32(chunk, crc);
  }
  let compressed: OutputPart[];
  if (method !== METHOD_DEFLATED) compressed = [...chunks];
  else if (chunks.length === 1) compressed = [await codecs.deflateRaw(chunks[0] as Uint8Array)];
  else if (codecs.deflateRawChunks !== undefined) compressed = await codecs.deflateRawChunks(chunks);
  else compressed = [await codecs.deflateRaw(concatBytes(chunks))]; // a host without streaming deflate: the same bytes
  return { size, crc32: crc, compressed, compressedSize: compressed.reduce((sum, c) => sum + c.length, 0) };
}

/** A replaced member's local header, data and central entry fields: same name, time, attributes, method. */
async function replacedRecord(
  archive: ZipArchive,
  member: ArchiveMember,
  place: MemberLayout,
  data: MemberData,
  codecs: Codecs,
): Promise<{ header: Uint8Array; compressed: OutputPart[]; fields: CentralEntryFields }> {
  const method = member.method === METHOD_STORED ? METHOD_STORED : METHOD_DEFLATED;
  const encoded = await encodeData(data, method, codecs);
  // openZip checked that the header, name and extra fields lie before the member's data.
  const headerLength = place.dataOffset - place.localHeaderOffset;
  const header = await archive.source.read(place.localHeaderOffset, headerLength);
  const localNameLength = viewOf(header).getUint16(26, true);
  const localExtra = withoutZip64(header.subarray(LOCAL_HEADER_SIZE + localNameLength));
  const fields: CentralEntryFields = {
    ...centralFields(centralEntryOf(archive, place), member),
    // Sizes are known now: no data descriptor; new data is not encrypted. Keep only the UTF-8 flag.
    flags: member.flags & FLAG_UTF8,
    method,
    crc32: encoded.crc32,
    compressedSize: encoded.compressedSize,
    size: encoded.size,
  };
  return { header: encodeLocalHeader({ ...fields, extra: localExtra }), compressed: encoded.compressed, fields };
}

/** A fresh member's records, made on Unix, the name flagged UTF-8 when it is not ASCII. */
async function newRecord(entry: NewZipEntry | NewChunkedEntry, codecs: Codecs): Promise<{ header: Uint8Array; compressed: OutputPart[]; fields: CentralEntryFields }> {
  const isDirectory = entry.name.endsWith("/");
  const nameBytes = encodeUtf8(entry.name);
  const method = isDirectory ? METHOD_STORED : (entry.method ?? METHOD_DEFLATED);
  const encoded = await encodeData(entry.data, method, codecs);
  let mode = entry.mode ?? (isDirectory ? 0o755 : 0o644);
  if ((mode & S_IFMT) === 0) mode |= isDirectory ? S_IFDIR : S_IFREG;
  const { date, time } = dateToDosDateTime(entry.date ?? DOS_EPOCH);
  const fields: CentralEntryFields = {
    versionMadeBy: (HOST_UNIX << 8) | VERSION_ZIP64,
    versionNeeded: VERSION_DEFAULT,
    flags: isAscii(nameBytes) ? 0 : FLAG_UTF8,
    method,
    time,
    date,
    crc32: encoded.crc32,
    compressedSize: encoded.compressedSize,
    size: encoded.size,
    nameBytes,
    extra: EMPTY,
    comment: EMPTY,
    internalAttributes: 0,
    externalAttributes: (((mode & 0xffff) << 16) | (isDirectory ? DOS_DIRECTORY : 0)) >>> 0,
  };
  return { header: encodeLocalHeader(fields), compressed: encoded.compressed, fields };
}

function memberOf(archive: ZipArchive, index: number): { member: ArchiveMember; place: MemberLayout } {
  const member = archive.members[index];
  const place = archive.layout[index];
  if (member === undefined || place === undefined) throw new Error(`assembleZip: the archive has no member ${index}`);
  return { member, place };
}

/**
 * The archive `assembly` describes, as parts to write in order. Adjacent copied records of one source
 * become one range. Writes zip64 end records when a count or offset needs them or when asked.
 */
export async function assembleZip(assembly: Assembly, codecs: Codecs): Promise<AssembledZip> {
  const parts: OutputPart[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  let run: SourceRange | null = null;
  const flush = (): void => {
    if (run !== null && run.length > 0) parts.push(run);
    run = null;
  };
  for (const entry of assembly.entries) {
    if (entry.kind === "copy") {
      const { member, place } = memberOf(entry.archive, entry.index);
      const length = place.recordEnd - place.localHeaderOffset;
      const current: SourceRange | null = run;
      if (current === null || current.source !== entry.archive.source || current.offset + current.length !== place.localHeaderOffset) {
        flush();
        run = { source: entry.archive.source, offset: place.localHeaderOffset, length };
      } else current.length += length;
      central.push(movedCentralEntry(entry.archive, member, place, offset));
      offset += length;
      continue;
    }
    flush();
    const record =
      entry.kind === "replace"
        ? await replacedRecord(entry.archive, memberOf(entry.archive, entry.index).member, memberOf(entry.archive, entry.index).place, entry.data, codecs)
        : await newRecord(entry.entry, codecs);
    parts.push(record.header, ...record.compressed.filter((c) => c.length > 0));
    central.push(encodeCentralEntry(record.fields, offset));
    offset += record.header.length + record.fields.compressedSize;
  }
  flush();

  const directoryOffset = offset;
  const order = assembly.centralOrder ?? central.map((_, i) => i);
  for (const i of order) {
    const entry = central[i];
    if (entry === undefined) throw new Error(`assembleZip: central order names record ${i}, which does not exist`);
    parts.push(entry);
    offset += entry.length;
  }
  const end = encodeEndRecords({
    entries: order.length,
    directoryOffset,
    directorySize: offset - directoryOffset,
    comment: assembly.comment ?? EMPTY,
    zip64: assembly.zip64 ?? null,
  });
  parts.push(end);
  return { parts, size: offset + end.length };
}

/** The whole output in one buffer (for archives made in memory: tests, the API, the Python wheel). */
export async function joinParts(zip: AssembledZip): Promise<Uint8Array> {
  const out = new Uint8Array(zip.size);
  let at = 0;
  for (const part of zip.parts) {
    const bytes = isSourceRange(part) ? await part.source.read(part.offset, part.length) : part;
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** A new archive with `entries` in order, made on Unix, names flagged UTF-8 when not ASCII. */
export async function writeZip(entries: NewZipEntry[], codecs: Codecs): Promise<Uint8Array> {
  return joinParts(await assembleZip({ entries: entries.map((entry) => ({ kind: "new", entry })) }, codecs));
}

export interface ZipChanges {
  /** New contents by member name; the member keeps its place, name, time, attributes and method. */
  replace: Map<string, Uint8Array>;
  /** Names of members to leave out. */
  drop: Set<string>;
}

/**
 * The archive with `changes` applied: local records keep their order in the file, central entries
 * theirs; bytes between records that belong to no member are not carried over. A name shared by
 * several members applies to all of them. Keeps the comment and zip64 end records of the input.
 */
export async function rewriteZip(archive: ZipArchive, changes: ZipChanges, codecs: Codecs): Promise<AssembledZip> {
  const names = new Set(archive.members.map((member) => member.name));
  for (const name of [...changes.replace.keys(), ...changes.drop]) {
    if (!names.has(name)) throw new Error(`rewriteZip: the archive has no member named ${name}`);
    if (changes.replace.has(name) && changes.drop.has(name)) throw new Error(`rewriteZip: ${name} is both replaced and dropped`);
  }
  const fileOrder = archive.members
    .map((member) => member.index)
    .filter((index) => !changes.drop.has((archive.members[index] as ArchiveMember).name))
    .sort((a, b) => (archive.layout[a] as MemberLayout).localHeaderOffset - (archive.layout[b] as MemberLayout).localHeaderOffset);
  const entries: AssemblyEntry[] = fileOrder.map((index) => {
    const data = changes.replace.get((archive.members[index] as ArchiveMember).name);
    return data === undefined ? { kind: "copy", archive, index } : { kind: "replace", archive, index, data };
  });
  const position = new Map(fileOrder.map((index, at) => [index, at] as const));
  const centralOrder = archive.members.map((m) => position.get(m.index)).filter((at) => at !== undefined);
  return assembleZip({ entries, centralOrder, comment: archive.comment, zip64: archive.zip64 }, codecs);
}
