// retag's ELF reader against LLVM's, on every ELF fixture built by test/fixtures/build-native.sh.
// The expected values come from the recorded llvm-readelf output (test/fixtures/oracle/*.txt, read by
// test/fixtures/oracle-elf.ts), never from this file. A fixture without section headers is compared
// with the oracle of the file it was stripped from for what only section headers let llvm-readelf see.

import { describe, expect, it } from "vitest";
import { exportsSymbol, parseElf } from "../../src/elf/index.js";
import type { ElfFile } from "../../src/model/elf.js";
import { fixtureFolder, nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { ELF_MACHINES, ELF_TYPES, NOTE_TYPES, SECTION_FLAGS, SECTION_TYPES, SEGMENT_TYPES, readElfOracle, type ElfOracle } from "../fixtures/oracle-elf.js";
import { lookup } from "../fixtures/oracle-text.js";

const fixtures = nativeFixtures("elf");

/** The defined, visible global / weak / unique symbols of a table, as dlsym sees them. */
function oracleExports(table: NonNullable<ElfOracle["dynsym"]>): string[] {
  return table.symbols
    .filter((s) => s.ndx !== "UND" && ["GLOBAL", "WEAK", "UNIQUE"].includes(s.bind) && ["DEFAULT", "PROTECTED"].includes(s.visibility))
    .map((s) => s.name);
}

/** `x86_64` from `ext_linux_x86_64_glibc2.28.so`: each fixture is named with its platform-tag arch. */
function archInName(file: string): string {
  const match = /^(?:ext|lib|exe)_(?:linux|android)_(x86_64|[a-z0-9]+)(?:_|$)/.exec(file);
  if (!match) throw new Error(`${file}: no arch in the fixture name`);
  return match[1]!;
}

const PF = { R: 4, W: 2, E: 1 } as const;

describe("the ELF fixture set", () => {
  it("has a manifest entry and a binary for each fixture", () => {
    expect(fixtureFolder("elf")).toEqual(fixtures.map((f) => f.file).sort());
  });

  it("covers both classes, both byte orders and every case the rules need", () => {
    const oracles = fixtures.map((f) => readElfOracle(f.file));
    const kinds = new Set(oracles.map((o) => `${o.header.bits}-${o.header.little ? "le" : "be"}`));
    expect([...kinds].sort()).toEqual(["32-be", "32-le", "64-be", "64-le"]);
    // A hidden init: PyInit__m in .symtab but not exported from .dynsym.
    expect(oracles.some((o) => o.symtab?.symbols.some((s) => s.name === "PyInit__m" && s.bind === "LOCAL") && !oracleExports(o.dynsym!).includes("PyInit__m"))).toBe(true);
    expect(oracles.some((o) => o.sections === null)).toBe(true);
    expect(oracles.some((o) => o.notes.some((n) => n.owner === "Android"))).toBe(true);
  });
});

describe.each(fixtures)("parseElf($file)", ({ file, module, strippedFrom }) => {
  const bytes = readNativeFixture("elf", file);
  const oracle = readElfOracle(file);
  // What llvm-readelf prints only from section headers comes from the original of a stripped file.
  const full = strippedFrom === undefined ? oracle : readElfOracle(strippedFrom);
  const parsed = (): ElfFile => parseElf(bytes);

  it("reads the ELF header", () => {
    const e = parsed();
    const h = oracle.header;
    expect({ bits: e.bits, little: e.little, osAbi: e.osAbi, abiVersion: e.abiVersion, type: e.type, machine: e.machine, flags: e.flags, entry: e.entry }).toEqual({
      ...h,
      type: lookup(file, ELF_TYPES, h.type, "e_type"),
      machine: lookup(file, ELF_MACHINES, h.machine, "e_machine"),
    });
  });

  it("names the architecture as the platform tags do", () => {
    expect(parsed().arch).toBe(archInName(file));
  });

  it("reads every program header and the interpreter", () => {
    const e = parsed();
    expect(e.segments).toEqual(
      oracle.segments.map((s) => ({
        type: lookup(file, SEGMENT_TYPES, s.type, "segment type"),
        flags: [...s.flags.replaceAll(" ", "")].reduce((sum, letter) => sum + lookup(file, PF, letter, "segment flag"), 0),
        offset: s.offset,
        virtualAddress: s.virtualAddress,
        fileSize: s.fileSize,
        memorySize: s.memorySize,
        align: s.align,
      })),
    );
    expect(e.interpreter).toBe(oracle.interpreter);
  });

  it("reads every section header", () => {
    const e = parsed();
    expect(e.hasSectionHeaders).toBe(oracle.sections !== null);
    const rows = oracle.sections ?? [];
    expect(e.sections.map(({ flags: _flags, ...s }) => s)).toEqual(rows.map(({ flags: _flags, ...s }) => ({ ...s, type: lookup(file, SECTION_TYPES, s.type, "section type") })));
    rows.forEach((row, i) => {
      const known = Object.values(SECTION_FLAGS).reduce((a, b) => a | b, 0);
      const letters = [...row.flags].filter((l) => l !== "p").reduce((sum, l) => sum | lookup(file, SECTION_FLAGS, l, "section flag"), 0);
      expect(e.sections[i]!.flags & known, `flags of ${row.name}`).toBe(letters >>> 0);
      expect((e.sections[i]!.flags & 0xf0000000 & ~0x80000000) !== 0, `processor flags of ${row.name}`).toBe(row.flags.includes("p"));
    });
  });

  it("reads the dynamic section", () => {
    const d = oracle.dynamic;
    const e = parsed().dynamic;
    expect(e && { needed: e.needed, soname: e.soname, rpath: e.rpath, runpath: e.runpath }).toEqual(d && { needed: d.needed, soname: d.soname, rpath: d.rpath, runpath: d.runpath });
  });

  it("reads the version needs and the newest GLIBC_2.N among them", () => {
    const e = parsed();
    expect(e.versionNeeds).toEqual(full.versionNeeds);
    const named = /glibc(\d+)\.(\d+)/.exec(file);
    const glibc = full.versionNeeds.flatMap((n) => n.versions).filter((v) => v.startsWith("GLIBC_"));
    if (named) expect(e.maxGlibc).toEqual({ major: Number(named[1]), minor: Number(named[2]), name: `GLIBC_${named[1]}.${named[2]}` });
    if (glibc.length === 0) expect(e.maxGlibc).toBeNull();
    else {
      expect(glibc).toContain(e.maxGlibc!.name);
      expect(e.maxGlibc!.name).toMatch(new RegExp(`^GLIBC_${e.maxGlibc!.major}\\.${e.maxGlibc!.minor}(\\.|$)`));
    }
  });

  it("finds the exported dynamic symbols, and only those", () => {
    const e = parsed();
    const table = oracle.dynsym ?? full.dynsym;
    if (table === null) throw new Error(`${file}: no .dynsym in the oracle`);
    expect(e.dynamicSymbolCount).toBe(table.count);
    expect(e.exports).toEqual(oracleExports(table));
    expect(e.exportsTruncated).toBe(false);
    if (module !== null) expect(exportsSymbol(e, `PyInit_${module}`)).toBe(oracleExports(table).includes(`PyInit_${module}`));
  });

  it("reads the notes", () => {
    const e = parsed();
    expect(e.notes.map((n) => ({ owner: n.owner, type: n.type, size: n.descriptionSize }))).toEqual(
      oracle.notes.map((n) => ({ owner: n.owner, type: lookup(file, NOTE_TYPES, n.type, "note type"), size: n.size })),
    );
    const detail = (type: string, prefix: string): string | null => {
      const line = oracle.notes.find((n) => n.type === type)?.details.find((d) => d.startsWith(prefix));
      return line === undefined ? null : line.slice(prefix.length).trim();
    };
    expect(e.buildId).toBe(detail("NT_GNU_BUILD_ID", "Build ID:"));
    const properties = detail("NT_GNU_PROPERTY_TYPE_0", "Properties:");
    expect(e.gnuProperties).toEqual(properties === null ? [] : properties.replace(/^\S+ feature: /, "").split(", "));
    const abi = detail("NT_GNU_ABI_TAG", "OS:");
    expect(e.abiTag).toEqual(abi === null ? null : { os: lookup(file, { Linux: 0 }, abi.split(",")[0]!, "ABI tag OS"), kernel: abi.split("ABI: ")[1] });
    const data = detail("NT_ANDROID_TYPE_IDENT", "description data:");
    if (data === null) expect(e.android).toBeNull();
    else {
      const desc = Uint8Array.from(data.split(" ").map((b) => parseInt(b, 16)));
      const text = (from: number): string => new TextDecoder().decode(desc.subarray(from, from + 64)).replace(/\0.*$/s, "");
      expect(e.android).toEqual({ apiLevel: new DataView(desc.buffer).getUint32(0, oracle.header.little), ndkVersion: text(4), ndkBuildNumber: text(68) });
      expect(file).toContain(`_${e.android!.apiLevel}.so`);
    }
  });

  it("reads the ARM build attributes", () => {
    const e = parsed();
    const attributes = oracle.armAttributes;
    if (attributes === null) {
      expect(e.arm === null).toBe(oracle.header.machine !== "ARM");
      return;
    }
    const cpu = attributes.get("CPU_arch")!;
    const profile = attributes.get("CPU_arch_profile");
    expect(e.arm).toEqual({
      cpuArch: cpu.value,
      cpuArchName: cpu.description?.replace(/^ARM /, ""),
      profile: profile === undefined ? null : String.fromCharCode(profile.value),
      // Tag_ABI_VFP_args 1 (AAPCS VFP) is the hard-float calling convention EF_ARM_ABI_FLOAT_HARD marks.
      floatAbi: attributes.get("ABI_VFP_args")?.value === 1 ? "hard" : "soft",
      eabiVersion: oracle.header.flags >>> 24,
    });
  });
});
