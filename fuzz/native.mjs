// @ts-check
// The ELF, PE and WebAssembly side of the fuzz harness (issue 16): wheels of every platform family
// (iOS, Android, Linux, Windows, Pyodide) built around the repository's own native fixtures
// (test/fixtures/elf/, pe/, wasm/, and the iOS Mach-O ones), with members mutated blindly and at the
// header fields each reader trusts, and tag sets that fit the binaries, or do not. Field targets are
// found by reading the bytes as they are (not by a reader), so a mutation can still aim at a field
// of an input earlier mutations already broke.
import { chunk, flipBit, readField, setByte, splice, truncate, writeField } from "./mutate.mjs";

/** Platform tag sets per family, right and wrong ones (DESIGN §3.7). */
const FAMILY_TAGS = {
  linux: [
    "manylinux_2_17_x86_64.manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_17_aarch64", "musllinux_1_2_x86_64", "linux_x86_64",
    "linux_armv6l", "linux_armv7l", "linux_armv5l", "manylinux1_i686", "linux_mips64", "manylinux_2_17_ppc64le", "linux_ppc64", "linux_riscv64",
    "manylinux_2_17_s390x", "linux_loongarch64", "musllinux_1_2_aarch64", "linux_foo",
  ],
  android: ["android_21_arm64_v8a", "android_24_arm64_v8a", "android_21_x86_64", "android_21_armeabi_v7a", "android_21_x86", "android_15_arm64_v8a", "android_21_armeabi"],
  windows: ["win_amd64", "win32", "win_arm64", "win_arm32", "win_amd64.win_arm64"],
  wasm: ["pyodide_2024_0_wasm32", "emscripten_3_1_58_wasm32", "pyemscripten_2025_0_wasm32"],
  ios: [
    "ios_13_0_arm64_iphoneos", "ios_13_4_arm64_iphoneos", "ios_12_0_arm64_iphoneos", "ios_13_0_arm64_iphonesimulator",
    "ios_13_0_arm64_iphonesimulator.ios_13_0_x86_64_iphonesimulator", "ios_11_0_arm64_iphoneos", "ios_13_0_x86_64_iphoneos",
  ],
};
const OTHER_NATIVE_NAMES = ["pkg/_m.so", "pkg/_m.pyd", "pkg/_m.abi3.so", "pkg/lib/libfoo.so", "pkg-1.0.data/scripts/tool", "pkg/_m.cp312-win_amd64.pyd", "pkg/_m.cpython-313-darwin.so"];

/** Which native fixtures a family's wheel holds (by file name). */
function familyOf(fixture) {
  if (fixture.format === "pe") return "windows";
  if (fixture.format === "wasm") return "wasm";
  if (fixture.format === "macho") return "ios";
  return fixture.file.includes("_android_") ? "android" : "linux";
}

/**
 * Field targets: [{ at, width, little }] at the header fields the readers trust. ELF: e_ident class
 * and data, e_type, e_machine, e_phoff, e_shoff, e_phnum, e_shnum, e_shstrndx, and every program and
 * section header's offset / size fields (gABI). PE: e_lfanew, Machine, NumberOfSections,
 * SizeOfOptionalHeader, the optional header magic, NumberOfRvaAndSizes, the data directories and
 * section table entries (PE Format). wasm: the version and each section's id byte and size.
 */
export function nativeTargets(bytes) {
  const targets = [];
  if (bytes.length >= 52 && bytes[0] === 0x7f && bytes[1] === 0x45) {
    const is64 = bytes[4] === 2;
    const little = bytes[5] !== 2;
    const word = is64 ? 8 : 4;
    targets.push({ at: 4, width: 1, little }, { at: 5, width: 1, little }, { at: 16, width: 2, little }, { at: 18, width: 2, little });
    const phoffAt = is64 ? 32 : 28;
    const shoffAt = is64 ? 40 : 32;
    const counts = is64 ? 56 : 44; // e_phnum, then e_shentsize, e_shnum, e_shstrndx
    targets.push({ at: phoffAt, width: word, little }, { at: shoffAt, width: word, little }, { at: counts, width: 2, little }, { at: counts + 4, width: 2, little }, { at: counts + 6, width: 2, little });
    const phoff = readField(bytes, phoffAt, word === 8 ? 8 : 4, little);
    const phnum = Math.min(readField(bytes, counts, 2, little), 64);
    const phent = is64 ? 56 : 32;
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phent;
      if (at + phent > bytes.length) break;
      // p_type, p_offset, p_filesz
      targets.push({ at, width: 4, little }, { at: at + (is64 ? 8 : 4), width: word, little }, { at: at + (is64 ? 32 : 16), width: word, little });
    }
    const shoff = readField(bytes, shoffAt, word === 8 ? 8 : 4, little);
    const shnum = Math.min(readField(bytes, counts + 4, 2, little), 64);
    const shent = is64 ? 64 : 40;
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shent;
      if (at + shent > bytes.length) break;
      // sh_type, sh_offset, sh_size, sh_link
      targets.push({ at: at + 4, width: 4, little }, { at: at + (is64 ? 24 : 16), width: word, little }, { at: at + (is64 ? 32 : 20), width: word, little }, { at: at + (is64 ? 40 : 24), width: 4, little });
    }
  } else if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const lfanew = readField(bytes, 0x3c, 4, true);
    targets.push({ at: 0x3c, width: 4, little: true });
    if (lfanew + 24 <= bytes.length) {
      const coff = lfanew + 4;
      targets.push({ at: coff, width: 2, little: true }, { at: coff + 2, width: 2, little: true }, { at: coff + 16, width: 2, little: true });
      const optional = coff + 20;
      const size = readField(bytes, coff + 16, 2, true);
      targets.push({ at: optional, width: 2, little: true });
      const pe32plus = readField(bytes, optional, 2, true) === 0x20b;
      const directories = optional + (pe32plus ? 112 : 96);
      targets.push({ at: directories - 4, width: 4, little: true });
      for (let i = 0; i < 16; i++) targets.push({ at: directories + i * 8, width: 4, little: true }, { at: directories + i * 8 + 4, width: 4, little: true });
      const sections = optional + size;
      const count = Math.min(readField(bytes, coff + 2, 2, true), 32);
      for (let i = 0; i < count; i++) {
        const at = sections + i * 40;
        if (at + 40 > bytes.length) break;
        // VirtualSize, VirtualAddress, SizeOfRawData, PointerToRawData
        for (const off of [8, 12, 16, 20]) targets.push({ at: at + off, width: 4, little: true });
      }
    }
  } else if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61) {
    targets.push({ at: 4, width: 4, little: true });
    let at = 8;
    for (let n = 0; n < 64 && at < bytes.length; n++) {
      targets.push({ at, width: 1, little: true }, { at: at + 1, width: 1, little: true });
      // The section size is a LEB128 after the id byte.
      let size = 0;
      let shift = 0;
      let p = at + 1;
      for (; p < bytes.length && shift < 35; p++, shift += 7) {
        size += (bytes[p] & 0x7f) * 2 ** shift;
        if ((bytes[p] & 0x80) === 0) break;
      }
      at = p + 1 + size;
    }
  }
  return targets.filter((t) => t.at >= 0 && t.at + t.width <= bytes.length);
}

const NATIVE_U32 = [0, 1, 2, 3, 0x40, 0x100, 0x1000, 0x7fffffff, 0x80000000, 0xffffffff, 0x8664, 0xaa64, 0x14c, 0x70000003, 6, 0x6ffffffe];

/** One header field set to a value that tests a bound: near the old one, the file's length, huge. */
export function nativeField(random, bytes, targets = nativeTargets(bytes)) {
  if (targets.length === 0) return setByte(random, bytes);
  const t = random.pick(targets);
  const out = bytes.slice();
  const width = t.width === 8 ? 8 : t.width;
  const current = readField(out, t.at, width, t.little);
  const max = width === 1 ? 0xff : width === 2 ? 0xffff : width === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  const choice = random.below(8);
  const value =
    choice === 0 ? random.pick(NATIVE_U32)
    : choice <= 2 ? current + random.pick([-1, 1, -8, 8, -64, 64, 4096])
    : choice === 3 ? bytes.length - random.below(16)
    : choice === 4 ? current * 2
    : choice === 5 ? max
    : choice === 6 ? random.below(Math.min(max, bytes.length + 1))
    : 0;
  writeField(out, t.at, width, Math.max(0, Math.min(max, value)), t.little);
  return out;
}

/** 1–3 mutations of a native file; `others` are files to splice with. */
export function mutateNative(random, bytes, others, notes) {
  let out = bytes;
  const count = random.int(1, 3);
  for (let i = 0; i < count; i++) {
    const op = random.pick(["field", "field", "field", "field", "flip", "byte", "truncate", "splice", "chunk"]);
    notes.push(`native:${op}`);
    if (op === "field") out = nativeField(random, out);
    else if (op === "flip") out = flipBit(random, out);
    else if (op === "byte") out = setByte(random, out);
    else if (op === "truncate") out = truncate(random, out);
    else if (op === "splice") out = splice(random, out, random.pick(others));
    else out = chunk(random, out);
  }
  return out;
}

/**
 * The members and platform of a native family's wheel: 1–3 binaries mostly of the family's own
 * fixtures (sometimes another family's: foreign binaries), under their manifest names or others,
 * half of them mutated. Returns the platform tag set, the entries and the mutated members.
 */
export function nativeMembers(random, pool, notes) {
  const natives = pool.natives ?? [];
  if (natives.length === 0) return null;
  const family = random.pick(Object.keys(FAMILY_TAGS));
  notes.push(`family:${family}`);
  const own = natives.filter((f) => familyOf(f) === family);
  const platform = random.pick(FAMILY_TAGS[family]);
  const entries = [];
  const mutated = [];
  const used = new Set();
  const count = random.pick([1, 1, 1, 2, 2, 3]);
  for (let i = 0; i < count; i++) {
    const fixture = own.length > 0 && random.chance(0.85) ? random.pick(own) : random.pick(natives);
    let name = random.chance(0.85) ? fixture.member : random.pick(OTHER_NATIVE_NAMES);
    if (used.has(name)) name = name.replace(/\//, `/d${i}/`);
    used.add(name);
    let data = fixture.bytes;
    if (random.chance(0.5)) {
      data = mutateNative(random, data, natives.map((f) => f.bytes), notes);
      mutated.push({ name, format: fixture.format, bytes: data });
    }
    entries.push({ name, data });
  }
  return { platform, entries, mutated };
}
