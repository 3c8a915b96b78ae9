// Encodes zip records (APPNOTE.TXT 4.3.7 local header, 4.3.12 central entry, 4.3.14–4.3.16 end
// records). Zip64 fields are written only when a value does not fit, or when the caller asks (to keep
// an input's zip64 end records). The assembler (assemble.ts) puts them together.
import { concatBytes } from "../bytes.js";
import {
  CENTRAL_ENTRY_SIGNATURE,
  CENTRAL_ENTRY_SIZE,
  EOCD_SIGNATURE,
  EOCD_SIZE,
  HOST_UNIX,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
  MAX16,
  MAX32,
  VERSION_ZIP64,
  ZIP64_EOCD_SIGNATURE,
  ZIP64_EOCD_SIZE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIGNATURE,
  ZIP64_LOCATOR_SIZE,
  writeU64,
} from "./format.js";

/** The fields of a member that both its local header and its central entry carry. */
export interface MemberRecordFields {
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc32: number;
  compressedSize: number;
  size: number;
  nameBytes: Uint8Array;
  /** Extra fields other than zip64 (0x0001), which the encoders add when needed. */
  extra: Uint8Array;
}

export interface CentralEntryFields extends MemberRecordFields {
  comment: Uint8Array;
  internalAttributes: number;
  externalAttributes: number;
}

function needsZip64Sizes(fields: MemberRecordFields): boolean {
  return fields.size >= MAX32 || fields.compressedSize >= MAX32;
}

/** A zip64 extended information extra field (APPNOTE 4.5.3) with the given u64 values, in order. */
function zip64Extra(values: number[]): Uint8Array {
  if (values.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(4 + 8 * values.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, ZIP64_EXTRA_ID, true);
  view.setUint16(2, 8 * values.length, true);
  values.forEach((value, i) => writeU64(view, 4 + 8 * i, value));
  return out;
}

/** A local file header; zip64 sizes (both of them, APPNOTE 4.5.3) when they do not fit in 32 bits. */
export function encodeLocalHeader(fields: MemberRecordFields, zip64Sizes = needsZip64Sizes(fields)): Uint8Array {
  const extra = zip64Sizes ? concatBytes([zip64Extra([fields.size, fields.compressedSize]), fields.extra]) : fields.extra;
  const out = new Uint8Array(LOCAL_HEADER_SIZE + fields.nameBytes.length + extra.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, LOCAL_HEADER_SIGNATURE, true);
  view.setUint16(4, zip64Sizes ? Math.max(fields.versionNeeded, VERSION_ZIP64) : fields.versionNeeded, true);
  view.setUint16(6, fields.flags, true);
  view.setUint16(8, fields.method, true);
  view.setUint16(10, fields.time, true);
  view.setUint16(12, fields.date, true);
  view.setUint32(14, fields.crc32, true);
  view.setUint32(18, zip64Sizes ? MAX32 : fields.compressedSize, true);
  view.setUint32(22, zip64Sizes ? MAX32 : fields.size, true);
  view.setUint16(26, fields.nameBytes.length, true);
  view.setUint16(28, extra.length, true);
  out.set(fields.nameBytes, LOCAL_HEADER_SIZE);
  out.set(extra, LOCAL_HEADER_SIZE + fields.nameBytes.length);
  return out;
}

/** A central directory entry; the zip64 extra holds exactly the values whose fixed field is all ones. */
export function encodeCentralEntry(
  fields: CentralEntryFields,
  localHeaderOffset: number,
  zip64Sizes = needsZip64Sizes(fields),
): Uint8Array {
  const zip64Offset = localHeaderOffset >= MAX32;
  const values = zip64Sizes ? [fields.size, fields.compressedSize] : [];
  if (zip64Offset) values.push(localHeaderOffset);
  const extra = concatBytes([zip64Extra(values), fields.extra]);
  const out = new Uint8Array(CENTRAL_ENTRY_SIZE + fields.nameBytes.length + extra.length + fields.comment.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, CENTRAL_ENTRY_SIGNATURE, true);
  view.setUint16(4, fields.versionMadeBy, true);
  view.setUint16(6, values.length > 0 ? Math.max(fields.versionNeeded, VERSION_ZIP64) : fields.versionNeeded, true);
  view.setUint16(8, fields.flags, true);
  view.setUint16(10, fields.method, true);
  view.setUint16(12, fields.time, true);
  view.setUint16(14, fields.date, true);
  view.setUint32(16, fields.crc32, true);
  view.setUint32(20, zip64Sizes ? MAX32 : fields.compressedSize, true);
  view.setUint32(24, zip64Sizes ? MAX32 : fields.size, true);
  view.setUint16(28, fields.nameBytes.length, true);
  view.setUint16(30, extra.length, true);
  view.setUint16(32, fields.comment.length, true);
  view.setUint16(34, 0, true);
  view.setUint16(36, fields.internalAttributes, true);
  view.setUint32(38, fields.externalAttributes, true);
  view.setUint32(42, zip64Offset ? MAX32 : localHeaderOffset, true);
  let at = CENTRAL_ENTRY_SIZE;
  out.set(fields.nameBytes, at);
  out.set(extra, (at += fields.nameBytes.length));
  out.set(fields.comment, at + extra.length);
  return out;
}

export interface EndRecordsFields {
  entries: number;
  directoryOffset: number;
  directorySize: number;
  comment: Uint8Array;
  /** Versions for a zip64 end record that must be written even when every value fits (the input had one). */
  zip64: { versionMadeBy: number; versionNeeded: number } | null;
}

/**
 * The end of central directory record, preceded by a zip64 end record and locator when a count or
 * offset does not fit (APPNOTE 4.4.1.4) or when `zip64` asks for them. The classic record then keeps
 * whatever values fit and all ones for the others, as Python's zipfile writes it.
 */
export function encodeEndRecords(fields: EndRecordsFields): Uint8Array {
  const { entries, directoryOffset, directorySize } = fields;
  const overflow = entries >= MAX16 || directoryOffset >= MAX32 || directorySize >= MAX32;
  const zip64 = overflow ? (fields.zip64 ?? { versionMadeBy: (HOST_UNIX << 8) | VERSION_ZIP64, versionNeeded: VERSION_ZIP64 }) : fields.zip64;
  const zip64Length = zip64 ? ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE : 0;
  const out = new Uint8Array(zip64Length + EOCD_SIZE + fields.comment.length);
  const view = new DataView(out.buffer);
  if (zip64) {
    const recordAt = directoryOffset + directorySize;
    view.setUint32(0, ZIP64_EOCD_SIGNATURE, true);
    writeU64(view, 4, ZIP64_EOCD_SIZE - 12);
    view.setUint16(12, zip64.versionMadeBy, true);
    view.setUint16(14, zip64.versionNeeded, true);
    view.setUint32(16, 0, true);
    view.setUint32(20, 0, true);
    writeU64(view, 24, entries);
    writeU64(view, 32, entries);
    writeU64(view, 40, directorySize);
    writeU64(view, 48, directoryOffset);
    view.setUint32(56, ZIP64_LOCATOR_SIGNATURE, true);
    view.setUint32(60, 0, true);
    writeU64(view, 64, recordAt);
    view.setUint32(72, 1, true);
  }
  const at = zip64Length;
  view.setUint32(at, EOCD_SIGNATURE, true);
  view.setUint16(at + 8, Math.min(entries, MAX16), true);
  view.setUint16(at + 10, Math.min(entries, MAX16), true);
  view.setUint32(at + 12, Math.min(directorySize, MAX32), true);
  view.setUint32(at + 16, Math.min(directoryOffset, MAX32), true);
  view.setUint16(at + 20, fields.comment.length, true);
  out.set(fields.comment, at + EOCD_SIZE);
  return out;
}
