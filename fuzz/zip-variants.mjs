// @ts-check
// A deliberately flexible zip writer for fuzz seeds (PKWARE APPNOTE.TXT 6.3.x, section 4.3).
// retag's own writer always produces one tidy layout; real wheels come from many writers (Python's
// zipfile, Info-ZIP, jszip, build backends), so the seeds need the other shapes too: data
// descriptors with and without a signature, zip64 extra fields and end records, extra fields,
// archive comments, bytes before the first record or between records, names that are not UTF-8, and
// any Unix mode (symlinks, directories). Everything here is still a valid archive; breaking it is the
// mutators' job.
import * as zlib from "node:zlib";

const encoder = new TextEncoder();

/**
 * @typedef {object} VariantEntry
 * @property {string} name
 * @property {Uint8Array} data
 * @property {0 | 8} [method]          stored or deflate (default 8)
 * @property {Uint8Array} [nameBytes]  the name as stored, instead of UTF-8 of `name`
 * @property {boolean} [utf8Flag]      general purpose bit 11 (default: set when the name is not ASCII)
 * @property {number} [mode]           Unix mode in the external attributes (default 0o100644)
 * @property {"none" | "signed" | "unsigned"} [descriptor]  a data descriptor after the data (bit 3)
 * @property {boolean} [zip64]         zip64 extra fields in both headers, sizes as 0xFFFFFFFF
 * @property {Uint8Array} [extra]      more extra fields (in both headers)
 * @property {Uint8Array} [comment]    the member's central directory comment
 */

/**
 * @typedef {object} VariantArchive
 * @property {Uint8Array} [prefix]     bytes before the first local header (a self-extractor stub)
 * @property {number} [gap]            junk bytes between local records
 * @property {Uint8Array} [comment]    the archive comment
 * @property {boolean} [zip64End]      write zip64 end of central directory records
 */

/** An "UT" extended timestamp extra field (0x5455), as Info-ZIP writes it. */
export function timestampExtra(seconds) {
  const out = new Uint8Array(9);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x5455, true);
  view.setUint16(2, 5, true);
  out[4] = 1;
  view.setUint32(5, seconds >>> 0, true);
  return out;
}

function isAscii(bytes) {
  return bytes.every((b) => b < 0x80);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function zip64Extra(values) {
  const out = new Uint8Array(4 + values.length * 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0001, true);
  view.setUint16(2, values.length * 8, true);
  values.forEach((v, i) => view.setBigUint64(4 + i * 8, BigInt(v), true));
  return out;
}

/**
 * @param {VariantEntry[]} entries
 * @param {VariantArchive} [archive]
 * @returns {Uint8Array}
 */
export function writeVariantZip(entries, archive = {}) {
  const parts = [];
  const centrals = [];
  let offset = 0;
  const push = (bytes) => {
    parts.push(bytes);
    offset += bytes.length;
  };
  if (archive.prefix) push(archive.prefix);
  for (const entry of entries) {
    const nameBytes = entry.nameBytes ?? encoder.encode(entry.name);
    const method = entry.method ?? 8;
    const compressed = method === 8 ? zlib.deflateRawSync(entry.data) : entry.data;
    const crc = zlib.crc32(entry.data) >>> 0;
    const descriptor = entry.descriptor ?? "none";
    const utf8 = entry.utf8Flag ?? !isAscii(nameBytes);
    const flags = (descriptor !== "none" ? 0x08 : 0) | (utf8 ? 0x800 : 0);
    const zip64 = entry.zip64 === true;
    const extra = entry.extra ?? new Uint8Array(0);
    const localExtra = zip64 ? concat([zip64Extra([entry.data.length, compressed.length]), extra]) : extra;
    const mode = entry.mode ?? 0o100644;
    const localOffset = offset;

    const local = new Uint8Array(30 + nameBytes.length + localExtra.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, zip64 ? 45 : 20, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, 0x6000, true); // 12:00:00
    lv.setUint16(12, 0x5822, true); // 2024-01-02
    // With a data descriptor, writers that stream leave CRC and sizes 0 in the local header.
    lv.setUint32(14, descriptor === "none" ? crc : 0, true);
    lv.setUint32(18, zip64 ? 0xffffffff : descriptor === "none" ? compressed.length : 0, true);
    lv.setUint32(22, zip64 ? 0xffffffff : descriptor === "none" ? entry.data.length : 0, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, localExtra.length, true);
    local.set(nameBytes, 30);
    local.set(localExtra, 30 + nameBytes.length);
    push(local);
    push(compressed);
    if (descriptor !== "none") {
      const signed = descriptor === "signed";
      const d = new Uint8Array((signed ? 4 : 0) + (zip64 ? 20 : 12));
      const dv = new DataView(d.buffer);
      let at = 0;
      if (signed) {
        dv.setUint32(0, 0x08074b50, true);
        at = 4;
      }
      dv.setUint32(at, crc, true);
      if (zip64) {
        dv.setBigUint64(at + 4, BigInt(compressed.length), true);
        dv.setBigUint64(at + 12, BigInt(entry.data.length), true);
      } else {
        dv.setUint32(at + 4, compressed.length, true);
        dv.setUint32(at + 8, entry.data.length, true);
      }
      push(d);
    }
    if (archive.gap) push(new Uint8Array(archive.gap).fill(0x5a));

    const centralExtra = zip64 ? concat([zip64Extra([entry.data.length, compressed.length, localOffset]), extra]) : extra;
    const comment = entry.comment ?? new Uint8Array(0);
    const central = new Uint8Array(46 + nameBytes.length + centralExtra.length + comment.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, (3 << 8) | (zip64 ? 45 : 20), true);
    cv.setUint16(6, zip64 ? 45 : 20, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, 0x6000, true);
    cv.setUint16(14, 0x5822, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, zip64 ? 0xffffffff : compressed.length, true);
    cv.setUint32(24, zip64 ? 0xffffffff : entry.data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint16(30, centralExtra.length, true);
    cv.setUint16(32, comment.length, true);
    cv.setUint32(38, ((mode & 0xffff) << 16) >>> 0, true);
    cv.setUint32(42, zip64 ? 0xffffffff : localOffset, true);
    central.set(nameBytes, 46);
    central.set(centralExtra, 46 + nameBytes.length);
    central.set(comment, 46 + nameBytes.length + centralExtra.length);
    centrals.push(central);
  }

  const directoryOffset = offset;
  for (const c of centrals) push(c);
  const directorySize = offset - directoryOffset;
  if (archive.zip64End) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, (3 << 8) | 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(entries.length), true);
    rv.setBigUint64(32, BigInt(entries.length), true);
    rv.setBigUint64(40, BigInt(directorySize), true);
    rv.setBigUint64(48, BigInt(directoryOffset), true);
    const recordAt = offset;
    push(record);
    const locator = new Uint8Array(20);
    const lv = new DataView(locator.buffer);
    lv.setUint32(0, 0x07064b50, true);
    lv.setBigUint64(8, BigInt(recordAt), true);
    lv.setUint32(16, 1, true);
    push(locator);
  }
  const comment = archive.comment ?? new Uint8Array(0);
  const end = new Uint8Array(22 + comment.length);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, archive.zip64End ? 0xffff : entries.length, true);
  ev.setUint16(10, archive.zip64End ? 0xffff : entries.length, true);
  ev.setUint32(12, archive.zip64End ? 0xffffffff : directorySize, true);
  ev.setUint32(16, archive.zip64End ? 0xffffffff : directoryOffset, true);
  ev.setUint16(20, comment.length, true);
  end.set(comment, 22);
  push(end);
  return concat(parts);
}

/**
 * The archive with an end of central directory signature hidden in its comment (issue 11, D11):
 * zipfile takes the last signature, so a record there decides what pip reads. The comment holds a
 * record pointing nowhere (at its very end, where zipfile's first check looks, or with text after
 * it), a copy of the central directory with a consistent record of its own (a second archive), or
 * the bare signature bytes.
 * @param {{ pick: (items: any[]) => any, below: (n: number) => number, chance: (p: number) => boolean, u32: () => number }} random
 * @param {Uint8Array} bytes
 */
export function withEndRecordInComment(random, bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 0xffff - 22); at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return bytes;
  const entries = view.getUint16(eocd + 10, true);
  const size = view.getUint32(eocd + 12, true);
  const offset = view.getUint32(eocd + 16, true);
  const record = (n, cdSize, cdOffset, commentLength = 0) => {
    const out = new Uint8Array(22);
    const v = new DataView(out.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, n, true);
    v.setUint16(10, n, true);
    v.setUint32(12, cdSize, true);
    v.setUint32(16, cdOffset, true);
    v.setUint16(20, commentLength, true);
    return out;
  };
  const kind = random.below(4);
  let comment;
  if (kind === 0) comment = record(random.pick([entries, entries + 1, 5]), random.pick([size, random.u32()]), random.pick([offset, random.u32(), 0]));
  else if (kind === 1) comment = concat([record(entries, size, offset, 0), encoder.encode(" and some words after it")]);
  else if (kind === 2 && offset + size <= eocd && size <= 0xffff - 22) {
    // A second directory: a copy of the real one, and a record that describes it where it now is.
    const cd = bytes.subarray(offset, offset + size);
    comment = concat([cd, record(entries, size, eocd + 22)]);
  } else comment = encoder.encode(`PK\x05\x06 a signature in ${random.chance(0.5) ? "the middle" : "words"}`);
  if (comment.length > 0xffff) return bytes;
  const out = concat([bytes.subarray(0, eocd + 22), comment]);
  new DataView(out.buffer).setUint16(eocd + 20, comment.length, true);
  return out;
}
