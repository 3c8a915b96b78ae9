// Mutated Mach-O files must give data, null, or a MachOError — never another exception, never a hang.
// Seeds: builder outputs, and the committed fixtures under test/fixtures/macho/ when they exist.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MachOError } from "../../src/model/errors.js";
import { parseMachO } from "../../src/macho/index.js";
import * as C from "../../src/macho/constants.js";
import type { MachOFile } from "../../src/model/macho.js";
import { buildArchive, buildFat, buildImage, lc, version } from "./builder.js";

const builderSeeds: Seed[] = (() => {
  const arm64 = buildImage({
    commands: [
      lc.segment64(1),
      lc.buildVersion(C.PLATFORM_MACOS, version(11), version(14), 1),
      lc.dylib(C.LC_ID_DYLIB, "@rpath/libx.dylib"),
      lc.dylib(C.LC_LOAD_DYLIB, "/usr/lib/libSystem.B.dylib"),
      lc.rpath("@loader_path"),
    ],
    exportTrie: { names: ["_PyInit__m", "_PyInit__mm", "_helper", "__mh_bundle_header"] },
    symbols: [{ name: "_PyInit__m" }, { name: "_undef", type: C.N_UNDF | C.N_EXT }],
  }).bytes;
  const i386 = buildImage({
    bits: 32,
    little: false,
    cputype: C.CPU_TYPE_POWERPC,
    cpusubtype: 10,
    commands: [lc.segment(2), lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 4), 0), lc.dylinker()],
    exportTrie: { names: ["_initfoo", "_x"], via: "dyld-info-only" },
    symbols: [{ name: "_initfoo" }],
  }).bytes;
  const x86 = buildImage({ cputype: C.CPU_TYPE_X86_64, cpusubtype: 3, commands: [lc.versionMin(C.LC_VERSION_MIN_MACOSX, version(10, 9), version(11))], symbols: [{ name: "_a" }] }).bytes;
  return [
    seed("thin arm64", arm64),
    seed("thin big-endian ppc", i386),
    seed("fat", buildFat([{ bytes: x86 }, { bytes: arm64 }]).bytes),
    seed("fat64", buildFat([{ bytes: x86 }, { bytes: arm64 }], { fat64: true }).bytes),
    seed("fat with an archive", buildFat([{ bytes: buildArchive(), cputype: C.CPU_TYPE_X86_64, cpusubtype: 3 }, { bytes: arm64 }]).bytes),
  ];
})();

const fixtureDir = fileURLToPath(new URL("../fixtures/macho/", import.meta.url));
const fixtureSeeds: Seed[] = existsSync(fixtureDir)
  ? readdirSync(fixtureDir)
      .sort()
      .map((name) => seed(name, new Uint8Array(readFileSync(`${fixtureDir}${name}`))))
  : [];

interface Targets {
  /** u32 fields: fat header and entries, mach headers, the first words of each load command. */
  fields: number[];
  /** Bytes of the export tries and the first symbol table entries and strings. */
  data: number[];
}

/** Where mutations should aim, found by walking the seed (which is well-formed). */
function targetsOf(bytes: Uint8Array): Targets {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: number[] = [];
  const data: number[] = [];
  const range = (start: number, length: number): void => {
    for (let o = 0; o < Math.min(length, 512); o++) if (start + o < bytes.length) data.push(start + o);
  };
  const image = (start: number): void => {
    if (start + 32 > bytes.length) return;
    const magic = view.getUint32(start, false);
    if (![C.MH_MAGIC, C.MH_CIGAM, C.MH_MAGIC_64, C.MH_CIGAM_64].includes(magic)) return;
    const little = magic === C.MH_CIGAM || magic === C.MH_CIGAM_64;
    const header = magic === C.MH_MAGIC_64 || magic === C.MH_CIGAM_64 ? 32 : 28;
    for (let o = 0; o < header; o += 4) fields.push(start + o);
    const ncmds = view.getUint32(start + 16, little);
    let p = start + header;
    for (let i = 0; i < ncmds && p + 24 <= bytes.length; i++) {
      const cmd = view.getUint32(p, little);
      const cmdsize = view.getUint32(p + 4, little);
      for (let o = 0; o < Math.min(cmdsize, 48); o += 4) fields.push(p + o);
      const word = (o: number): number => view.getUint32(p + o, little);
      if (cmd === C.LC_DYLD_EXPORTS_TRIE) range(start + word(8), word(12));
      if ((cmd === C.LC_DYLD_INFO || cmd === C.LC_DYLD_INFO_ONLY) && p + 48 <= bytes.length) range(start + word(40), word(44));
      if (cmd === C.LC_SYMTAB) {
        range(start + word(8), 64);
        range(start + word(16), 64);
      }
      if (cmdsize < 8) break;
      p += cmdsize;
    }
  };
  const magic = bytes.length >= 8 ? view.getUint32(0, false) : 0;
  if (magic === C.FAT_MAGIC || magic === C.FAT_MAGIC_64) {
    const entry = magic === C.FAT_MAGIC_64 ? 32 : 20;
    const n = view.getUint32(4, false);
    fields.push(0, 4);
    for (let i = 0; i < n && 8 + (i + 1) * entry <= bytes.length; i++) {
      const at = 8 + i * entry;
      for (let o = 0; o < entry; o += 4) fields.push(at + o);
      image(magic === C.FAT_MAGIC_64 ? view.getUint32(at + 12, false) : view.getUint32(at + 8, false));
    }
  } else {
    image(0);
  }
  return { fields, data };
}

interface Seed {
  name: string;
  bytes: Uint8Array;
  targets: Targets;
}

function seed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, targets: targetsOf(bytes) };
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "truncate"; at: number }
  | { kind: "splice"; at: number; remove: number; insert: Uint8Array }
  | { kind: "field"; which: number; value: number; little: boolean }
  | { kind: "data"; which: number; value: number };

const interesting = [0, 1, 4, 7, 8, 12, 24, 32, 0x7f, 0x80, 0xff, 0x1000, 0xffff, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff, 0xcafebabe, 0xfeedfacf];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), remove: fc.nat({ max: 16 }), insert: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({
    kind: fc.constant("field" as const),
    which: fc.nat(),
    value: fc.oneof(fc.constantFrom(...interesting), fc.integer({ min: 0, max: 0xffffffff }), fc.nat({ max: 0x10000 })),
    little: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("data" as const), which: fc.nat(), value: fc.oneof(fc.constantFrom(0, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 })) }),
);

function mutate(seed: Seed, mutations: Mutation[]): Uint8Array {
  let bytes = seed.bytes.slice();
  for (const m of mutations) {
    if (bytes.length === 0) break;
    switch (m.kind) {
      case "flip":
        bytes[m.at % bytes.length]! ^= 1 << m.bit;
        break;
      case "truncate":
        bytes = bytes.slice(0, m.at % bytes.length);
        break;
      case "splice": {
        const at = m.at % bytes.length;
        const out = new Uint8Array(bytes.length - Math.min(m.remove, bytes.length - at) + m.insert.length);
        out.set(bytes.subarray(0, at));
        out.set(m.insert, at);
        out.set(bytes.subarray(at + m.remove), at + m.insert.length);
        bytes = out;
        break;
      }
      case "field": {
        const fields = seed.targets.fields.filter((o) => o + 4 <= bytes.length);
        const at = fields.length > 0 ? fields[m.which % fields.length]! : m.which % Math.max(1, bytes.length - 3);
        if (at + 4 <= bytes.length) new DataView(bytes.buffer).setUint32(at, m.value >>> 0, m.little);
        break;
      }
      case "data": {
        const data = seed.targets.data.filter((o) => o < bytes.length);
        bytes[data.length > 0 ? data[m.which % data.length]! : m.which % bytes.length] = m.value;
        break;
      }
    }
  }
  return bytes;
}

/** What parseMachO promises: data or null, or a MachOError; and data that stays inside the file. */
function checkContract(bytes: Uint8Array): void {
  let result: MachOFile | null;
  try {
    result = parseMachO(bytes);
  } catch (error) {
    if (error instanceof MachOError) {
      expect(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= bytes.length, error.message).toBe(true);
      return;
    }
    throw error;
  }
  if (result === null) return;
  for (const slice of result.slices) {
    expect(slice.offset + slice.size).toBeLessThanOrEqual(bytes.length);
    expect(slice.exports.every((name) => typeof name === "string")).toBe(true);
  }
}

function fuzz(seeds: Seed[], randomSeed: number, numRuns: number): void {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
      const original = seeds[index]!;
      try {
        checkContract(mutate(original, mutations));
      } catch (error) {
        throw new Error(`seed ${original.name}: ${String(error)}`);
      }
    }),
    { seed: randomSeed, numRuns },
  );
}

describe("parseMachO under mutation", () => {
  it("parses every seed as written", () => {
    for (const { name, bytes } of [...builderSeeds, ...fixtureSeeds]) expect(parseMachO(bytes), name).not.toBeNull();
  });

  it("keeps its contract on mutated builder output", () => {
    fuzz(builderSeeds, 0x5eed, 5000);
  });

  it.skipIf(fixtureSeeds.length === 0)("keeps its contract on mutated fixtures (test/fixtures/macho)", () => {
    fuzz(fixtureSeeds, 0xf1c5, 4000);
  });

  it("keeps its contract on every truncation of a fat file", () => {
    const fat = builderSeeds[2]!.bytes;
    for (let length = 0; length <= fat.length; length++) checkContract(fat.subarray(0, length));
  });
});
