// @ts-check
// Mutations for the fuzz harness: bit flips, byte sets, truncation, splices of two inputs, chunks
// duplicated, inserted or removed, and field edits aimed at the structures the readers trust: zip
// local headers, central directory entries and end records (APPNOTE 4.3), Mach-O headers, load
// commands and fat arch entries (<mach-o/loader.h>, <mach-o/fat.h>), and the text of WHEEL and
// RECORD. Field targets are found by scanning the bytes as they are (not by a reader), so a
// mutation can still aim at fields of an input that earlier mutations already broke.
//
// Every function takes a random source from random.mjs and returns new bytes (never edits its input).

// ───────────────────────────── generic byte mutations ─────────────────────────────

const INTERESTING_U8 = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x2f, 0x2e, 0x5c, 0x0a, 0x0d, 0x2c, 0x22];
const INTERESTING_U16 = [0, 1, 2, 0x7fff, 0x8000, 0xfffe, 0xffff, 8, 0x0800, 0x0808, 45, 63];
const INTERESTING_U32 = [
  0, 1, 2, 4, 7, 8, 12, 16, 24, 32, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0xffff, 0x10000, 0x7fffffff,
  0x80000000, 0xfffffff8, 0xfffffffe, 0xffffffff, 0xcafebabe, 0xfeedfacf, 0xcffaedfe, 0x04034b50, 0x02014b50,
  0x06054b50,
];

function copyOf(bytes) {
  return bytes.slice();
}

/** Writes `value` as a `width`-byte unsigned integer (2, 4 or 8; 8 takes a Number ≤ 2^53). */
export function writeField(bytes, at, width, value, little) {
  if (at < 0 || at + width > bytes.length) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 1) bytes[at] = value & 0xff;
  else if (width === 2) view.setUint16(at, value & 0xffff, little);
  else if (width === 4) view.setUint32(at, value >>> 0, little);
  else view.setBigUint64(at, BigInt(Math.max(0, Math.min(Number.MAX_SAFE_INTEGER, Math.floor(value)))), little);
}

export function readField(bytes, at, width, little) {
  if (at < 0 || at + width > bytes.length) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (width === 1) return bytes[at];
  if (width === 2) return view.getUint16(at, little);
  if (width === 4) return view.getUint32(at, little);
  return Number(view.getBigUint64(at, little));
}

/** A value for a field: extremes, neighbours of the current value, the sizes of the input. */
function fieldValue(random, width, current, length) {
  const max = width === 2 ? 0xffff : width === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  const choice = random.below(10);
  if (choice === 0) return random.pick(width === 2 ? INTERESTING_U16 : INTERESTING_U32);
  if (choice <= 3) return Math.max(0, Math.min(max, current + random.pick([-1, 1, -2, 2, -4, 4, -8, 8, -16, 16, -30, 30, -46, 46])));
  if (choice === 4) return Math.min(max, current * 2);
  if (choice === 5) return Math.min(max, Math.max(0, length - random.below(64)));
  if (choice === 6) return random.below(Math.min(max, length + 1) + 1);
  if (choice === 7) return width === 2 ? random.below(0x10000) : random.u32();
  if (choice === 8) return max;
  return 0;
}

export function flipBit(random, bytes) {
  if (bytes.length === 0) return bytes;
  const out = copyOf(bytes);
  out[random.below(out.length)] ^= 1 << random.below(8);
  return out;
}

export function setByte(random, bytes) {
  if (bytes.length === 0) return bytes;
  const out = copyOf(bytes);
  out[random.below(out.length)] = random.chance(0.7) ? random.pick(INTERESTING_U8) : random.below(256);
  return out;
}

export function truncate(random, bytes) {
  if (bytes.length === 0) return bytes;
  // Cuts near the end are the interesting ones for zips (the end records live there).
  const at = random.chance(0.5) ? Math.max(0, bytes.length - random.small(4096)) : random.below(bytes.length);
  return bytes.slice(0, at);
}

/** The start of `a` joined to the end of `b`, each cut at a random point. */
export function splice(random, a, b) {
  const cutA = random.below(a.length + 1);
  const cutB = random.below(b.length + 1);
  const out = new Uint8Array(cutA + b.length - cutB);
  out.set(a.subarray(0, cutA));
  out.set(b.subarray(cutB), cutA);
  return out;
}

/** A chunk of the input (or of random bytes) inserted somewhere, or a chunk removed. */
export function chunk(random, bytes) {
  if (bytes.length === 0) return bytes;
  const op = random.below(3);
  if (op === 2) {
    const at = random.below(bytes.length);
    const length = Math.min(random.small(256), bytes.length - at);
    const out = new Uint8Array(bytes.length - length);
    out.set(bytes.subarray(0, at));
    out.set(bytes.subarray(at + length), at);
    return out;
  }
  const at = random.below(bytes.length + 1);
  const from = random.below(bytes.length);
  const insert = op === 0 ? bytes.slice(from, from + random.small(512)) : random.bytes(random.small(64));
  const out = new Uint8Array(bytes.length + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at), at + insert.length);
  return out;
}

// ───────────────────────────── zip fields ─────────────────────────────

/** Field layouts of the zip records (offset from the signature, width, name). */
/** @type {Array<{ signature: number, fields: Array<[number, number, string]> }>} */
const ZIP_RECORDS = [
  {
    signature: 0x04034b50,
    fields: [[4, 2, "local.version"], [6, 2, "local.flags"], [8, 2, "local.method"], [14, 4, "local.crc"], [18, 4, "local.compressedSize"], [22, 4, "local.size"], [26, 2, "local.nameLength"], [28, 2, "local.extraLength"]],
  },
  {
    signature: 0x02014b50,
    fields: [
      [4, 2, "central.madeBy"], [6, 2, "central.version"], [8, 2, "central.flags"], [10, 2, "central.method"], [16, 4, "central.crc"],
      [20, 4, "central.compressedSize"], [24, 4, "central.size"], [28, 2, "central.nameLength"], [30, 2, "central.extraLength"],
      [32, 2, "central.commentLength"], [34, 2, "central.disk"], [38, 4, "central.external"], [42, 4, "central.offset"],
    ],
  },
  {
    signature: 0x06054b50,
    fields: [[4, 2, "end.disk"], [6, 2, "end.directoryDisk"], [8, 2, "end.entriesOnDisk"], [10, 2, "end.entries"], [12, 4, "end.size"], [16, 4, "end.offset"], [20, 2, "end.commentLength"]],
  },
  {
    signature: 0x06064b50,
    fields: [[16, 4, "end64.disk"], [24, 8, "end64.entriesOnDisk"], [32, 8, "end64.entries"], [40, 8, "end64.size"], [48, 8, "end64.offset"]],
  },
  { signature: 0x07064b50, fields: [[4, 4, "locator.disk"], [8, 8, "locator.offset"], [16, 4, "locator.disks"]] },
  { signature: 0x08074b50, fields: [[4, 4, "descriptor.crc"], [8, 4, "descriptor.compressedSize"], [12, 4, "descriptor.size"]] },
];

/** Every zip record field found by its signature: [{ at, width, name }]. */
export function zipTargets(bytes) {
  const targets = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.length; at++) {
    if (bytes[at] !== 0x50 || bytes[at + 1] !== 0x4b) continue;
    const signature = view.getUint32(at, true);
    const record = ZIP_RECORDS.find((r) => r.signature === signature);
    if (record === undefined) continue;
    for (const [offset, width, name] of record.fields) {
      if (at + offset + width <= bytes.length) targets.push({ at: at + offset, width, name });
    }
  }
  return targets;
}

const ZIP_FLAG_VALUES = [0, 1, 0x08, 0x800, 0x808, 0x809, 0x41];
const ZIP_METHOD_VALUES = [0, 8, 9, 12, 14, 93, 99, 0xffff];

/** One field of a zip record set to a value chosen for what the field means. */
export function zipField(random, bytes, targets = zipTargets(bytes)) {
  if (targets.length === 0) return flipBit(random, bytes);
  const out = copyOf(bytes);
  const target = random.pick(targets);
  const current = readField(out, target.at, target.width, true);
  let value;
  if (target.name.endsWith("flags")) value = random.chance(0.7) ? random.pick(ZIP_FLAG_VALUES) : current ^ (1 << random.below(16));
  else if (target.name.endsWith("method")) value = random.pick(ZIP_METHOD_VALUES);
  else if (target.name.endsWith("external")) value = random.pick([0o120777 << 16, 0o040755 << 16, 0o100755 << 16, 0x10, 0, 0xffffffff]) >>> 0;
  else if (target.name.endsWith("offset") && random.chance(0.4)) {
    // Point at another record: members that overlap or share data are how zip bombs are built.
    const others = targets.filter((t) => t.name === "local.version" || t.name === "central.madeBy");
    value = others.length > 0 ? random.pick(others).at - 4 : 0;
  } else value = fieldValue(random, target.width, current, bytes.length);
  writeField(out, target.at, target.width, value, true);
  return out;
}

// ───────────────────────────── Mach-O fields ─────────────────────────────

const MH_MAGICS = new Map([
  [0xfeedface, { bits: 32, little: false }],
  [0xcefaedfe, { bits: 32, little: true }],
  [0xfeedfacf, { bits: 64, little: false }],
  [0xcffaedfe, { bits: 64, little: true }],
]);

const LC_BUILD_VERSION = 0x32;
const VERSION_MIN = new Set([0x24, 0x25, 0x2f, 0x30]);
const LC_SYMTAB = 0x2;
const LC_DYLD_INFO = 0x22;
const LC_DYLD_INFO_ONLY = 0x80000022;
const LC_DYLD_EXPORTS_TRIE = 0x80000033;
const LOAD_COMMANDS = [
  0x1, 0x2, 0xb, 0xc, 0xd, 0xe, 0x19, 0x1b, 0x1d, 0x22, 0x24, 0x25, 0x26, 0x29, 0x2a, 0x2f, 0x30, 0x32, 0x80000018, 0x8000001c,
  0x8000001f, 0x80000022, 0x80000028, 0x80000033, 0x80000034, 0x80000035, 0x36, 0x99, 0,
];
/** (cputype, cpusubtype) pairs retag names, and a few it does not. */
export const ARCH_PAIRS = [
  [0x01000007, 3], [0x0100000c, 0], [0x0100000c, 0x80000002], [0x01000007, 8], [7, 3], [0x12, 0], [0x12, 10],
  [0x01000012, 0], [0x01000012, 100], [0xc, 9], [0x0200000c, 1], [0x01000007, 0x80000003], [0x77, 0],
];
/** minos / sdk encodings (xxxx.yy.zz): every boundary of the tag model (DESIGN §3.3–3.4). */
export const VERSIONS = [
  0x000a0400, 0x000a0500, 0x000a0600, 0x000a0900, 0x000a0d00, 0x000a0e00, 0x000a0f00, 0x000a1000, 0x000a0905, 0x000b0000, 0x000b0300,
  0x000c0000, 0x000c0300, 0x000d0000, 0x000d0301, 0x000f0000, 0x00100000, 0x00140000, 0x00190000, 0x001a0000, 0x001a0100, 0x00630000,
  0x00640000, 0x0,
  0xffffffff,
];
const PLATFORMS = [1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0xffffffff];
const FILETYPES = [1, 2, 3, 6, 6, 7, 8, 8, 9, 0xa, 0xb, 0xc, 0, 0xff];

/**
 * The fields of a Mach-O file, walked tolerantly: the fat header and entries, each image's mach
 * header and load commands, the version commands (for the semantic edits), and the byte ranges of
 * the export tries and string tables.
 */
export function machoTargets(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields = [];
  const images = [];
  const data = [];
  const u32 = (at, little) => (at + 4 <= bytes.length ? view.getUint32(at, little) : 0);
  const image = (start, fatEntry) => {
    if (start + 28 > bytes.length) return;
    const kind = MH_MAGICS.get(view.getUint32(start, false));
    if (kind === undefined) return;
    const { bits, little } = kind;
    const header = bits === 64 ? 32 : 28;
    const add = (at, width, name) => fields.push({ at, width, little, name });
    add(start + 4, 4, "cputype");
    add(start + 8, 4, "cpusubtype");
    add(start + 12, 4, "filetype");
    add(start + 16, 4, "ncmds");
    add(start + 20, 4, "sizeofcmds");
    add(start + 24, 4, "flags");
    const found = { start, little, fatEntry, versions: [], commands: [] };
    images.push(found);
    const ncmds = u32(start + 16, little);
    let p = start + header;
    for (let i = 0; i < Math.min(ncmds, 256) && p + 8 <= bytes.length; i++) {
      const cmd = u32(p, little);
      const cmdsize = u32(p + 4, little);
      found.commands.push(p);
      add(p, 4, "cmd");
      add(p + 4, 4, "cmdsize");
      if (cmd === LC_BUILD_VERSION) {
        found.versions.push({ at: p, kind: "build" });
        add(p + 8, 4, "platform");
        add(p + 12, 4, "version");
        add(p + 16, 4, "version");
        add(p + 20, 4, "count");
      } else if (VERSION_MIN.has(cmd)) {
        found.versions.push({ at: p, kind: "min" });
        add(p + 8, 4, "version");
        add(p + 12, 4, "version");
      } else if (cmd === LC_SYMTAB) {
        for (const o of [8, 12, 16, 20]) add(p + o, 4, o === 12 ? "count" : "range");
        data.push([start + u32(p + 16, little), start + u32(p + 16, little) + Math.min(u32(p + 20, little), 256)]);
      } else if (cmd === LC_DYLD_EXPORTS_TRIE) {
        add(p + 8, 4, "range");
        add(p + 12, 4, "range");
        data.push([start + u32(p + 8, little), start + u32(p + 8, little) + Math.min(u32(p + 12, little), 512)]);
      } else if (cmd === LC_DYLD_INFO || cmd === LC_DYLD_INFO_ONLY) {
        add(p + 40, 4, "range");
        add(p + 44, 4, "range");
        data.push([start + u32(p + 40, little), start + u32(p + 40, little) + Math.min(u32(p + 44, little), 512)]);
      } else {
        for (let o = 8; o < Math.min(cmdsize, 72); o += 4) add(p + o, 4, "word");
      }
      if (cmdsize < 8) break;
      p += cmdsize;
    }
  };
  const magic = bytes.length >= 8 ? view.getUint32(0, false) : 0;
  if (magic === 0xcafebabe || magic === 0xcafebabf) {
    const is64 = magic === 0xcafebabf;
    const entry = is64 ? 32 : 20;
    fields.push({ at: 4, width: 4, little: false, name: "nfat" });
    const n = Math.min(view.getUint32(4, false), 64);
    for (let i = 0; i < n && 8 + (i + 1) * entry <= bytes.length; i++) {
      const at = 8 + i * entry;
      const add = (o, width, name) => fields.push({ at: at + o, width, little: false, name });
      add(0, 4, "cputype");
      add(4, 4, "cpusubtype");
      add(8, is64 ? 8 : 4, "range");
      add(is64 ? 16 : 12, is64 ? 8 : 4, "range");
      add(is64 ? 24 : 16, 4, "align");
      const offset = readField(bytes, at + 8, is64 ? 8 : 4, false);
      image(offset, { at, is64 });
    }
  } else {
    image(0, null);
  }
  return { fields, images, data: data.filter(([a, b]) => a < b && a < bytes.length).map(([a, b]) => [a, Math.min(b, bytes.length)]) };
}

function machoValue(random, target, current, length) {
  switch (target.name) {
    case "cputype":
      return random.chance(0.7) ? random.pick(ARCH_PAIRS)[0] : fieldValue(random, 4, current, length);
    case "cpusubtype":
      return random.chance(0.7) ? random.pick(ARCH_PAIRS)[1] : fieldValue(random, 4, current, length);
    case "filetype":
      return random.pick(FILETYPES);
    case "cmd":
      return random.pick(LOAD_COMMANDS);
    case "platform":
      return random.pick(PLATFORMS);
    case "version":
      return random.chance(0.8) ? random.pick(VERSIONS) : random.u32();
    case "align":
      return random.pick([0, 1, 2, 3, 12, 14, 15, 16, 31, 0xffffffff]);
    case "nfat":
      return random.pick([0, 1, 2, 3, 4, 30, 31, 0x34, 0xffffffff]);
    default:
      return fieldValue(random, target.width, current, length);
  }
}

/** One Mach-O field set to a value chosen for what it means. */
export function machoField(random, bytes, targets = machoTargets(bytes)) {
  if (targets.fields.length === 0) return flipBit(random, bytes);
  const out = copyOf(bytes);
  const target = random.pick(targets.fields);
  const current = readField(out, target.at, target.width, target.little);
  writeField(out, target.at, target.width, machoValue(random, target, current, bytes.length), target.little);
  return out;
}

/** A byte of an export trie or string table changed (where `_PyInit_<mod>` lives). */
export function machoData(random, bytes, targets = machoTargets(bytes)) {
  if (targets.data.length === 0) return setByte(random, bytes);
  const out = copyOf(bytes);
  const [start, end] = random.pick(targets.data);
  out[start + random.below(end - start)] = random.chance(0.5) ? random.pick(INTERESTING_U8) : random.below(256);
  return out;
}

/**
 * A well-formed change of meaning: a slice's arch (header and fat entry together, so the file stays
 * consistent), or the platform and versions of a version command. These keep the reader happy and
 * push the input into the tag model instead.
 */
export function machoMeaning(random, bytes, targets = machoTargets(bytes)) {
  if (targets.images.length === 0) return machoField(random, bytes, targets);
  const out = copyOf(bytes);
  const img = random.pick(targets.images);
  const withVersions = img.versions.length > 0;
  const what = random.below(withVersions ? 5 : 3);
  if (what === 0) {
    const [cputype, cpusubtype] = random.pick(ARCH_PAIRS);
    writeField(out, img.start + 4, 4, cputype, img.little);
    writeField(out, img.start + 8, 4, cpusubtype, img.little);
    if (img.fatEntry !== null) {
      writeField(out, img.fatEntry.at, 4, cputype, false);
      writeField(out, img.fatEntry.at + 4, 4, cpusubtype, false);
    }
  } else if (what === 1) {
    writeField(out, img.start + 12, 4, random.pick(FILETYPES), img.little);
  } else if (what === 2) {
    // Turn a command of the right size (LC_UUID: 24 bytes, LC_SOURCE_VERSION: 16) into one more
    // version command: zippered binaries carry a macOS and a Mac Catalyst one.
    const sized = img.commands.filter((at) => [16, 24].includes(readField(out, at + 4, 4, img.little)));
    if (sized.length > 0) {
      const at = random.pick(sized);
      if (readField(out, at + 4, 4, img.little) === 24) {
        writeField(out, at, 4, LC_BUILD_VERSION, img.little);
        writeField(out, at + 8, 4, random.pick(PLATFORMS), img.little);
        writeField(out, at + 12, 4, random.pick(VERSIONS), img.little);
        writeField(out, at + 20, 4, 0, img.little);
      } else {
        writeField(out, at, 4, random.pick([...VERSION_MIN]), img.little);
        writeField(out, at + 8, 4, random.pick(VERSIONS), img.little);
      }
    }
  } else {
    const v = random.pick(img.versions);
    if (v.kind === "build" && random.chance(0.5)) writeField(out, v.at + 8, 4, random.pick(PLATFORMS), img.little);
    writeField(out, v.at + (v.kind === "build" ? 12 : 8), 4, random.pick(VERSIONS), img.little);
    if (random.chance(0.3)) {
      // Turn one version command into the other kind, or into no version command at all.
      const cmd = random.pick([0x24, 0x25, 0x2f, 0x30, LC_BUILD_VERSION, 0x2a]);
      if (cmd !== LC_BUILD_VERSION || readField(out, v.at + 4, 4, img.little) >= 24) writeField(out, v.at, 4, cmd, img.little);
    }
  }
  return out;
}

// ───────────────────────────── text (WHEEL, RECORD) ─────────────────────────────

const TEXT_INSERTS = [",", '"', "\r", "\n", "\r\n", " ", ":", "=", "\0", "é", "\ufeff", "\t", "sha256=", "md5=", "-1", "..", "/", "\\", "Tag: ", "\u2028"];

/** Line-level and character-level edits of a text member. */
export function mutateText(random, text) {
  const lines = text.split(/(?<=\n)/);
  const op = random.below(6);
  const at = random.below(lines.length);
  if (op === 0 && lines.length > 0) lines.splice(at, 1);
  else if (op === 1 && lines.length > 0) lines.splice(at, 0, lines[at]);
  else if (op === 2 && lines.length > 1) {
    const other = random.below(lines.length);
    [lines[at], lines[other]] = [lines[other], lines[at]];
  } else if (op === 3 && lines.length > 0) lines[at] = lines[at].replace(/\r?\n$/, random.pick(["", "\r\n", "\n", "\r", "\n\n"]));
  else {
    const joined = lines.join("");
    const pos = random.below(joined.length + 1);
    const cut = op === 4 ? 0 : random.small(8);
    return joined.slice(0, pos) + random.pick(TEXT_INSERTS) + joined.slice(pos + cut);
  }
  return lines.join("");
}

// ───────────────────────────── hostile shapes (issue 11) ─────────────────────────────
// What an attack on retag found beyond byte fuzzing, and the neighbours of each case: fields and
// lines far longer than any real one, RECORDs naming thousands of members that are not there, fat
// files with more slices than file(1) believes in. Their guarantees: no hang, bounded memory, short
// messages, at most 100 findings of a code (fuzz/guarantees.mjs).

/** RECORD's field limit (src/wheel/record.ts MAX_RECORD_FIELD) and its neighbours. */
const FIELD_LENGTHS = [0xffff - 20, 0xffff, 0xffff + 1, 200_000, 1_000_000];

/** RECORD text with one row whose path, hash or size is `length` characters long (a line break inside, now and then). */
export function hugeRecordField(random, text, eol = "\n") {
  const length = random.pick(FIELD_LENGTHS);
  const body = "a".repeat(63).concat(String.fromCharCode(97 + random.below(26))).repeat(Math.ceil(length / 64)).slice(0, length);
  const field = random.chance(0.2) ? `"${body.slice(0, length >> 1)}\n${body.slice(length >> 1)}"` : body;
  const row = random.pick([`pkg/${field},,`, `pkg/__init__.py,sha256=${field},1`, `pkg/__init__.py,,${field}`]);
  return `${text.replace(/(\r\n|\r|\n)?$/, eol)}${row}${eol}`;
}

/** RECORD text with `n` more rows naming members the wheel does not have (around the findings cap). */
export function ghostRows(random, text, eol = "\n") {
  const n = random.pick([99, 100, 101, 1000, 20_000]);
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(`pkg/ghost_${i}.py,,${eol}`);
  return `${text.replace(/(\r\n|\r|\n)?$/, eol)}${rows.join("")}`;
}

/** WHEEL text with one line of `length` characters: a header, no header at all, or a Tag or Build value. */
export function longWheelLine(random, text) {
  const length = random.pick([1000, 100_000, 1_000_000]);
  const long = "B".repeat(length);
  const line = random.pick([long, `X-Long: ${long}`, `Tag: py3-none-${long}`, `Build: 1${long}`, `Wheel-Version: 1.${long}`]);
  const lines = text.split(/(?<=\n)/);
  lines.splice(random.below(lines.length + 1), 0, `${line}\n`);
  return lines.join("");
}

/** A thin 64-bit little-endian Mach-O header with no load commands, for a CPU no tag names. */
function bareImage(cputype) {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, cputype, true);
  view.setUint32(12, 8, true); // MH_BUNDLE
  return out;
}

/**
 * A fat file (<mach-o/fat.h>, big-endian) of `image` and enough bare slices of other CPUs to make
 * 31 to 60 slices: counts a slice-count cut-off would take for a Java class file version.
 */
export function manySlices(random, image) {
  const count = random.pick([30, 31, 32, 44, 45, 46, 60]);
  const images = [image];
  for (let i = 1; i < count; i++) images.push(bareImage(100 + i));
  const align = 3;
  let at = 8 + 20 * count;
  const offsets = images.map((img) => {
    at = Math.ceil(at / 2 ** align) * 2 ** align;
    const offset = at;
    at += img.length;
    return offset;
  });
  const out = new Uint8Array(at);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xcafebabe, false);
  view.setUint32(4, count, false);
  images.forEach((img, i) => {
    const little = img[0] === 0xcf || img[0] === 0xce;
    const e = 8 + 20 * i;
    view.setUint32(e, new DataView(img.buffer, img.byteOffset).getUint32(4, little), false);
    view.setUint32(e + 4, new DataView(img.buffer, img.byteOffset).getUint32(8, little), false);
    view.setUint32(e + 8, offsets[i], false);
    view.setUint32(e + 12, img.length, false);
    view.setUint32(e + 16, align, false);
    out.set(img, offsets[i]);
  });
  return out;
}
