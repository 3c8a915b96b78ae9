// @ts-check
// One fuzz case from (run seed, case index): a wheel file name, the wheel's bytes, the options to
// run retag with, and the Mach-O members that were mutated (the harness also parses those alone).
//
// Most cases build a wheel with a correct RECORD around mutated Mach-O members, so the Mach-O reader
// and the tag rules are reached instead of stopping at a RECORD mismatch; some also mutate WHEEL and
// RECORD; about a third then break the zip itself (fields of its records, bit flips, truncation,
// splices with another wheel, chunks). Every choice comes from the case's own random source.
import { createHash } from "node:crypto";
import {
  chunk,
  flipBit,
  ghostRows,
  hugeRecordField,
  longWheelLine,
  machoData,
  machoField,
  machoMeaning,
  machoTargets,
  manySlices,
  mutateText,
  setByte,
  splice,
  truncate,
  zipField,
  zipTargets,
} from "./mutate.mjs";
import { nativeMembers } from "./native.mjs";
import { caseSeed, makeRandom } from "./random.mjs";
import { timestampExtra, withEndRecordInComment, writeVariantZip } from "./zip-variants.mjs";

const encoder = new TextEncoder();

/** Platform tag sets that reach each branch of the tag model (DESIGN §3.4–3.7). */
const PLATFORMS = [
  "macosx_10_9_universal2", "macosx_10_9_universal2", "macosx_11_0_arm64", "macosx_11_0_arm64", "macosx_10_9_x86_64", "macosx_10_13_x86_64",
  "macosx_12_0_arm64", "macosx_12_3_arm64", "macosx_110_0_arm64", "macosx_10_9_x86_64.macosx_11_0_arm64", "macosx_11_0_universal2",
  "macosx_10_6_intel", "macosx_10_4_fat", "macosx_10_5_universal", "macosx_10_5_fat64", "macosx_10_6_fat32", "macosx_10_4_ppc",
  "macosx_10_5_ppc64", "macosx_10_6_i386", "macosx_16_0_arm64", "macosx_26_0_arm64", "macosx_10_16_x86_64", "macosx_14_0_x86_64",
  "macosx_10_15_universal2", "macosx_13_0_arm64.macosx_13_0_x86_64", "macosx_10_9_arm64e", "macosx_10_9_x86_64h", "macosx_10_9_foo",
  "macosx_9_0_x86_64", "macosx_100_0_arm64", "any", "linux_x86_64", "manylinux_2_17_aarch64", "win_amd64", "ios_13_0_arm64_iphoneos",
  "macosx_11_0_arm64.macosx_10_9_x86_64",
];
const PY_ABI = [
  ["cp313", "cp313"], ["cp313", "cp313"], ["cp312", "cp312"], ["cp313", "abi3"], ["cp39", "abi3"], ["py3", "none"], ["cp27", "cp27mu"],
  ["py2", "none"], ["py2.py3", "none"], ["cp312.cp313", "cp312.cp313"], ["cp313t", "cp313t"],
];
const DISTRIBUTIONS = ["pkg", "pkg", "pkg", "Pkg_Name", "pkg.sub", "café", "a__b"];
const VERSIONS = ["1.0", "1.0", "1.0", "2.0.post1", "1!2.0", "1.0+local.1", "not a version"];
const OTHER_MEMBER_NAMES = [
  "pkg/_x.abi3.so", "pkg/.dylibs/libz.1.dylib", "pkg/_m.so", "pkg/_m.cpython-312-darwin.so", "pkg-1.0.data/scripts/tool", "pkg/data.bin",
  "pkg/sub/_m.cpython-313-darwin.so", "pkg/_m.cpython-313-darwin.so", "pkg/_1bad.so", "pkg/lib/libm.a", "pkg/_m.o",
];
const OPTION_TARGETS = ["10.9", "10.13", "11.0", "12.3", "13", "10.4", "26.0"];

/**
 * The hostile shapes an attack on retag found (issue 11), one of them in about one case in eight.
 * They come from a random source of their own (seeded apart from the case's), so the cases the
 * harness made before them are still made byte for byte the same.
 */
const HOSTILE_SHAPES = ["record:huge-field", "record:ghosts", "wheel:long-line", "zip:eocd-in-comment", "macho:many-slices", "names:control", "names:case"];
const HOSTILE_SALT = 0x4057113;
/** Names with control characters: a workflow command after a newline, terminal escapes, C1 and DEL. */
const CONTROL_NAMES = ["pkg/x\n::error file=README.md::forged\n.py", "pkg/\u001b]0;title\u0007.py", "pkg/\u001b[2K.py", "pkg/a\u009b2K.py", "pkg/a\u007f.py", "pkg/a\tb.py", "pkg/x\r.py"];
/** Names one path with pkg/__init__.py where case is ignored, and neighbours that are not. */
const CASE_NAMES = ["pkg/__INIT__.py", "PKG/__init__.py", "pkg/__init__.PY", "Pkg/sub/x.py", "pkg/__init__.py/x.py", "pkg/__ınit__.py"];

function sha256Field(data) {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** The expanded Tag values of a file name (a best effort for names retag itself will reject). */
function tagsOfFilename(filename) {
  const parts = filename.replace(/\.whl$/, "").split("-");
  const [py = "", abi = "", plat = ""] = parts.slice(-3);
  const tags = [];
  for (const p of py.split(".")) for (const a of abi.split(".")) for (const pl of plat.split(".")) tags.push(`${p}-${a}-${pl}`);
  return [...new Set(tags)].sort();
}

/** The file name's tags as one compressed WHEEL Tag value (`py3-none-a.b`), as some backends write it (R021). */
function compressedTagLine(filename) {
  return [filename.replace(/\.whl$/, "").split("-").slice(-3).join("-")];
}

function csvField(field) {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function mutatePlatform(random, platform) {
  const text = mutateText(random, platform);
  return text.replace(/[-/\r\n\0]/g, "_") || platform;
}

/** 1–3 mutations of a Mach-O file; `others` are files to splice with. */
function mutateMacho(random, bytes, others, notes) {
  let out = bytes;
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const op = random.pick(["meaning", "meaning", "meaning", "field", "field", "field", "data", "flip", "byte", "truncate", "splice", "chunk"]);
    notes.push(`macho:${op}`);
    const targets = op === "meaning" || op === "field" || op === "data" ? machoTargets(out) : null;
    if (op === "meaning") out = machoMeaning(random, out, targets);
    else if (op === "field") out = machoField(random, out, targets);
    else if (op === "data") out = machoData(random, out, targets);
    else out = blindMutation(random, op, out, others);
  }
  return out;
}

/** The mutations that know nothing of the format: shared by the Mach-O and the zip mutators. */
function blindMutation(random, op, bytes, others) {
  if (op === "flip") return flipBit(random, bytes);
  if (op === "byte") return setByte(random, bytes);
  if (op === "truncate") return truncate(random, bytes);
  if (op === "splice") return splice(random, bytes, random.pick(others));
  return chunk(random, bytes);
}

/** 1–3 mutations of the zip bytes of a whole wheel. */
function mutateZip(random, bytes, others, notes) {
  let out = bytes;
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const op = random.pick(["field", "field", "field", "field", "flip", "byte", "truncate", "splice", "chunk"]);
    notes.push(`zip:${op}`);
    if (op === "field") out = zipField(random, out, zipTargets(out));
    else out = blindMutation(random, op, out, others);
  }
  return out;
}

/** RECORD rows as a build backend writes them, then perhaps one thing wrong with them. */
function recordText(random, entries, recordPath, notes) {
  let rows = entries.map((e) => [e.name, sha256Field(e.data), String(e.data.length)]);
  rows.push([recordPath, "", ""]);
  if (random.chance(0.15)) {
    const op = random.below(7);
    const i = random.below(rows.length);
    notes.push(`record:${["drop", "hash", "md5", "size", "extra", "blank-hash", "sha512"][op]}`);
    if (op === 0) rows.splice(i, 1);
    else if (op === 1) rows[i][1] = sha256Field(encoder.encode("something else"));
    else if (op === 2) rows[i][1] = `md5=${createHash("md5").update(entries[i]?.data ?? new Uint8Array()).digest("base64url")}`;
    else if (op === 3) rows[i][2] = random.pick(["0", "-1", "1e3", " 5", String(Number(rows[i][2] || 0) + 1), ""]);
    else if (op === 4) rows.push(["pkg/missing.py", sha256Field(new Uint8Array()), "0"]);
    else if (op === 5) rows[i][1] = "";
    else rows[i][1] = `sha512=${createHash("sha512").update(entries[i]?.data ?? new Uint8Array()).digest("base64url")}`;
  }
  if (random.chance(0.1)) {
    notes.push("record:order");
    rows.reverse();
  }
  const eol = random.chance(0.7) ? "\n" : random.pick(["\r\n", "\r"]);
  // Some writers quote every field (csv.QUOTE_ALL); the reader must not care.
  const quoteAll = random.chance(0.1);
  const field = (f) => (quoteAll ? `"${f.replace(/"/g, '""')}"` : csvField(f));
  let text = rows.map((r) => r.map(field).join(",") + (random.chance(0.05) ? random.pick(["\n", "\r\n"]) : eol)).join("");
  if (random.chance(0.1)) text = text.replace(/(\r\n|\r|\n)$/, "");
  if (random.chance(0.08)) text += random.pick(["\n", "\r\n\r\n", "\n\n"]);
  if (random.chance(0.05)) {
    notes.push("record:text");
    text = mutateText(random, text);
  }
  return text;
}

/**
 * @param {{ writeZip: (entries: Array<{ name: string, data: Uint8Array, method?: 0 | 8, mode?: number, date?: Date }>) => Promise<Uint8Array> }} api
 * @param {import("./seeds.mjs").SeedPool} pool
 */
async function buildWheel(random, api, pool, notes, hostile, shape) {
  const distribution = random.pick(DISTRIBUTIONS);
  const version = random.pick(VERSIONS);
  const build = random.chance(0.08) ? random.pick(["1", "2abc", "x"]) : null;
  const [py, abi] = random.pick(PY_ABI);
  let platform = random.pick(PLATFORMS);
  const native = nativeCase(random, pool, notes);
  if (native !== null) platform = native.platform;
  if (random.chance(0.08)) platform = mutatePlatform(random, platform);
  const filename = `${distribution}-${version}${build === null ? "" : `-${build}`}-${py}-${abi}-${platform}.whl`;
  const distInfo = random.chance(0.95) ? `${distribution}-${version}.dist-info` : random.pick(["other-1.0.dist-info", "pkg.dist-info/sub", `${distribution}-9.9.dist-info`, `${distribution.toUpperCase()}-${version}.0.dist-info`]);

  const fixtures = pool.fixtures;
  const entries = [];
  const machos = [];
  const used = new Set();
  const count = native !== null ? 0 : random.pick([0, 1, 1, 1, 1, 2, 2, 3]);
  if (native !== null) entries.push(...native.entries);
  for (let i = 0; i < count; i++) {
    const fixture = random.pick(fixtures);
    let name = random.chance(0.8) ? fixture.member : random.pick(OTHER_MEMBER_NAMES);
    if (used.has(name)) name = name.replace(/\//, `/d${i}/`);
    used.add(name);
    let data = fixture.bytes;
    if (random.chance(0.5)) {
      data = mutateMacho(random, data, fixtures.map((f) => f.bytes), notes);
      machos.push({ name, bytes: data });
    }
    entries.push({ name, data });
  }
  entries.push({ name: "pkg/__init__.py", data: encoder.encode("from ._m import *\n") });
  if (shape === "names:control") entries.push({ name: hostile.pick(CONTROL_NAMES), data: encoder.encode("x = 1\n") });
  if (shape === "names:case") entries.push({ name: hostile.pick(CASE_NAMES), data: encoder.encode("x = 2\n") });
  if (shape === "macho:many-slices") {
    const thin = fixtures.filter((f) => f.bytes[0] === 0xcf || f.bytes[0] === 0xce);
    if (thin.length > 0) {
      const fat = manySlices(hostile, hostile.pick(thin).bytes);
      entries.push({ name: "pkg/_fat.cpython-313-darwin.so", data: fat });
      machos.push({ name: "pkg/_fat.cpython-313-darwin.so", bytes: fat });
    }
  }
  if (random.chance(0.08)) entries.push({ name: "pkg/_m.cpython-313-x86_64-linux-gnu.so", data: encoder.encode("\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0") });
  if (random.chance(0.05)) entries.push({ name: "pkg/_m.pyd", data: encoder.encode("MZ\x90\0\x03\0\0\0") });
  if (random.chance(0.05)) entries.push({ name: "pkg/A.class", data: new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, 0, 0]) });
  if (random.chance(0.05)) entries.push({ name: "pkg/short.so", data: new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 7]) });
  if (random.chance(0.05)) entries.push({ name: "pkg/empty.txt", data: new Uint8Array() });
  if (random.chance(0.04)) entries.push({ name: random.pick(["../evil.py", "/abs.py", "pkg\\win.py", "pkg/a\0b", "pkg/./x.py"]), data: encoder.encode("x\n") });
  if (random.chance(0.04)) entries.push({ name: "pkg/__init__.py", data: encoder.encode("dup\n") });
  if (random.chance(0.06)) entries.push({ name: random.pick(["pkg/a,b.py", 'pkg/"q".py', "pkg/ü.py", "pkg/sp ace.py", "pkg/x\r.py"]), data: encoder.encode("y\n") });

  let tags = tagsOfFilename(filename);
  if (random.chance(0.12)) {
    notes.push("wheel:tags");
    tags = random.pick([tags.slice(1), [...tags, "cp313-cp313-macosx_11_0_arm64"], tags.map((t) => t.replace("universal2", "arm64")), [], compressedTagLine(filename)]);
  }
  let wheelText = random.chance(0.3) ? wheelVariant(random, tags, notes) : `Wheel-Version: 1.0\nGenerator: retag-fuzz (0.1)\nRoot-Is-Purelib: false\n${tags.map((t) => `Tag: ${t}\n`).join("")}`;
  if (random.chance(0.2)) wheelText = wheelText.replace(/\r?\n/g, random.pick(["\r\n", "\r"]));
  if (random.chance(0.08)) {
    notes.push("wheel:text");
    wheelText = mutateText(random, wheelText);
  }
  if (shape === "wheel:long-line") wheelText = longWheelLine(hostile, wheelText);
  if (random.chance(0.97)) entries.push({ name: `${distInfo}/METADATA`, data: encoder.encode(`Metadata-Version: 2.1\nName: ${distribution}\nVersion: ${version}\n`) });
  if (random.chance(0.97)) entries.push({ name: `${distInfo}/WHEEL`, data: encoder.encode(wheelText) });
  if (random.chance(0.03)) entries.push({ name: "other-2.0.dist-info/WHEEL", data: encoder.encode(wheelText) });
  const recordPath = `${distInfo}/RECORD`;
  if (random.chance(0.97)) {
    let record = recordText(random, entries, recordPath, notes);
    if (shape === "record:huge-field") record = hugeRecordField(hostile, record);
    if (shape === "record:ghosts") record = ghostRows(hostile, record);
    entries.push({ name: recordPath, data: encoder.encode(record) });
  }
  if (random.chance(0.06)) entries.push({ name: `${distInfo}/${random.pick(["RECORD.jws", "RECORD.p7s"])}`, data: encoder.encode("{}") });
  if (random.chance(0.08)) {
    notes.push("order");
    for (let i = entries.length - 1; i > 0; i--) {
      const j = random.below(i + 1);
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
  }
  if (random.chance(0.04)) entries.splice(random.below(entries.length), 0, { name: "pkg/", data: new Uint8Array() });

  let bytes;
  if (random.chance(0.55)) {
    bytes = await api.writeZip(entries.map((e) => ({ name: e.name, data: e.data, method: random.chance(0.85) ? 8 : 0 })));
  } else {
    // Other writers' shapes (Python's zipfile, Info-ZIP, streaming writers).
    notes.push("variant");
    const descriptor = random.pick(["none", "none", "signed", "unsigned"]);
    const zip64 = random.chance(0.15);
    bytes = writeVariantZip(
      entries.map((e) => ({
        name: e.name,
        data: e.data,
        method: random.chance(0.8) ? 8 : 0,
        descriptor: random.chance(0.7) ? descriptor : "none",
        zip64: zip64 && random.chance(0.7),
        extra: random.chance(0.2) ? timestampExtra(1_700_000_000) : undefined,
        mode: random.chance(0.03) ? random.pick([0o120777, 0o040755, 0o100755, 0]) : undefined,
        utf8Flag: random.chance(0.05) ? !/[^\x00-\x7f]/.test(e.name) : undefined,
        nameBytes: random.chance(0.02) ? new Uint8Array([...encoder.encode("pkg/"), 0x82, 0xe9, 0x2e, 0x70, 0x79]) : undefined,
        comment: random.chance(0.05) ? encoder.encode("PK\x05\x06 a comment") : undefined,
      })),
      {
        prefix: random.chance(0.05) ? encoder.encode("#!/bin/sh\nexit 0\n") : undefined,
        gap: random.chance(0.05) ? random.int(1, 40) : undefined,
        comment: random.chance(0.1) ? encoder.encode(random.pick(["comment", "PK\x05\x06", "x".repeat(300)])) : undefined,
        zip64End: random.chance(0.1),
      },
    );
  }
  if (shape === "zip:eocd-in-comment") bytes = withEndRecordInComment(hostile, bytes);
  return { filename, bytes, machos, natives: native?.mutated ?? [] };
}

/**
 * About a third of the built wheels are of a native family other than macOS (fuzz/native.mjs):
 * ELF, PE, wasm and iOS members under tags of their family, right or wrong. Null for the others.
 */
function nativeCase(random, pool, notes) {
  if ((pool.natives ?? []).length === 0 || !random.chance(0.35)) return null;
  return nativeMembers(random, pool, notes);
}

/**
 * WHEEL files as other tools write them, and as hand edits leave them: Tag headers anywhere among
 * the others, spelled `tag:`, with extra spaces, continued on a second line, repeated, a body after
 * the blank line (with Tag-looking lines in it), no final line ending (email.parser's rules).
 */
function wheelVariant(random, tags, notes) {
  notes.push("wheel:variant");
  const key = random.chance(0.15) ? random.pick(["tag", "TAG", "Tag "]) : "Tag";
  const tagLines = tags.map((t) => {
    if (random.chance(0.1)) return `${key}:   ${t}  \n`;
    if (random.chance(0.05)) return `${key}: ${t.slice(0, 6)}\n ${t.slice(6)}\n`;
    return `${key}: ${t}\n`;
  });
  if (random.chance(0.1) && tagLines.length > 0) tagLines.push(random.pick(tagLines));
  const others = ["Wheel-Version: 1.0\n", "Generator: bdist_wheel (0.42.0)\n", "Root-Is-Purelib: false\n"];
  if (random.chance(0.2)) others.push("Build: 1\n");
  if (random.chance(0.1)) others.push("X-Long: first\n  continued\n");
  const lines = [...others];
  for (const line of tagLines) lines.splice(random.below(lines.length + 1), 0, line);
  let text = lines.join("");
  if (random.chance(0.15)) text += `\n${random.pick(["Tag: py3-none-any\n", "body text\n", "\n\n"])}`;
  if (random.chance(0.15)) text = text.replace(/\n$/, "");
  return text;
}

function randomOptions(random) {
  const options = {};
  if (random.chance(0.3)) options.round = random.pick(["down", "up"]);
  if (random.chance(0.25)) options.macosTarget = random.pick(OPTION_TARGETS);
  if (random.chance(0.15)) options.strict = true;
  if (random.chance(0.3)) options.rehash = true;
  if (random.chance(0.1)) options.requireArchs = random.pick([["arm64"], ["x86_64"], ["arm64", "x86_64"], ["i386", "x86_64"]]);
  if (random.chance(0.05)) options.ignore = random.pick([["R2"], ["R110"], ["R1"], ["R204", "R205"]]);
  return options;
}

/**
 * @typedef {object} FuzzCase
 * @property {number} runSeed
 * @property {number} index
 * @property {string} filename   what retag is told the wheel is called (its tags are the claim)
 * @property {Uint8Array} bytes  the wheel
 * @property {object} options    Partial<CheckOptions>
 * @property {Array<{ name: string, bytes: Uint8Array }>} machos  mutated Mach-O members, parsed alone too
 * @property {Array<{ name: string, format: string, bytes: Uint8Array }>} [natives]  mutated ELF / PE / wasm (and iOS Mach-O) members, parsed alone too
 * @property {string[]} notes    which mutations made the case (for reports)
 */

/** @returns {Promise<FuzzCase>} */
export async function makeCase(api, pool, runSeed, index) {
  const random = makeRandom(caseSeed(runSeed, index));
  const hostile = makeRandom(caseSeed((runSeed ^ HOSTILE_SALT) >>> 0, index));
  const shape = hostile.chance(0.12) ? hostile.pick(HOSTILE_SHAPES) : null;
  const notes = shape === null ? [] : [`hostile:${shape}`];
  let filename;
  let bytes;
  let machos = [];
  let natives = [];
  if (pool.wheels.length > 0 && random.chance(0.08)) {
    const seed = random.pick(pool.wheels);
    notes.push(`example:${seed.filename}`);
    filename = seed.filename;
    bytes = shape === "zip:eocd-in-comment" ? withEndRecordInComment(hostile, seed.bytes) : seed.bytes;
  } else {
    ({ filename, bytes, machos, natives } = await buildWheel(random, api, pool, notes, hostile, shape));
  }
  if (random.chance(0.3)) {
    const others = [...pool.wheels.map((w) => w.bytes), bytes];
    bytes = mutateZip(random, bytes, others, notes);
  }
  return { runSeed, index, filename, bytes, options: randomOptions(random), machos, natives, notes };
}
