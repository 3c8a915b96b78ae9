// retag's PE reader against LLVM's, on every PE fixture built by test/fixtures/build-native.sh. The
// expected values come from the recorded llvm-readobj output (test/fixtures/oracle/*.txt, read by
// test/fixtures/oracle-pe.ts), never from this file.

import { describe, expect, it } from "vitest";
import { exportsSymbol, parsePe } from "../../src/pe/index.js";
import { fixtureFolder, nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { readPeOracle } from "../fixtures/oracle-pe.js";
import { lookup } from "../fixtures/oracle-text.js";

const fixtures = nativeFixtures("pe");

/**
 * llvm-readobj's Machine names → what the header says and which hybrid kind retag should report.
 * LLVM prints ARM64EC / ARM64X for AMD64 / ARM64 images that carry CHPE metadata (COFFObjectFile::
 * getMachine), so the raw Machine of those is the plain one.
 */
const MACHINES: Record<string, { machine: number; hybrid: "arm64ec" | "arm64x" | null }> = {
  IMAGE_FILE_MACHINE_AMD64: { machine: 0x8664, hybrid: null },
  IMAGE_FILE_MACHINE_I386: { machine: 0x14c, hybrid: null },
  IMAGE_FILE_MACHINE_ARM64: { machine: 0xaa64, hybrid: null },
  IMAGE_FILE_MACHINE_ARM64EC: { machine: 0x8664, hybrid: "arm64ec" },
  IMAGE_FILE_MACHINE_ARM64X: { machine: 0xaa64, hybrid: "arm64x" },
};

/** `pkg/_m.cp313-win_amd64.pyd` → win_amd64: each extension's member name carries its platform tag. */
function platformInMember(member: string): string | null {
  return /-(win32|win_amd64|win_arm64)\.pyd$/.exec(member)?.[1] ?? null;
}

describe("the PE fixture set", () => {
  it("has a manifest entry and a binary for each fixture", () => {
    expect(fixtureFolder("pe")).toEqual(fixtures.map((f) => f.file).sort());
  });

  it("covers PE32 and PE32+, both hybrid kinds, a DLL without the export and an executable", () => {
    const oracles = fixtures.map((f) => readPeOracle(f.file));
    expect(new Set(oracles.map((o) => o.magic))).toEqual(new Set([0x10b, 0x20b]));
    expect(oracles.map((o) => o.machine.name)).toEqual(expect.arrayContaining(["IMAGE_FILE_MACHINE_ARM64EC", "IMAGE_FILE_MACHINE_ARM64X"]));
    expect(oracles.some((o) => (o.characteristics & 0x2000) === 0)).toBe(true);
  });
});

describe.each(fixtures)("parsePe($file)", ({ file, module, member }) => {
  const bytes = readNativeFixture("pe", file);
  const oracle = readPeOracle(file);
  const parsed = () => parsePe(bytes);

  it("reads the COFF and optional headers", () => {
    const pe = parsed();
    const machine = lookup(file, MACHINES, oracle.machine.name, "Machine");
    expect({ machine: pe.machine, hybrid: pe.hybrid }).toEqual(machine);
    expect({
      timeDateStamp: pe.timeDateStamp,
      characteristics: pe.characteristics,
      magic: pe.magic,
      entryPoint: pe.entryPoint,
      imageBase: pe.imageBase,
      subsystem: pe.subsystem,
      dllCharacteristics: pe.dllCharacteristics,
    }).toEqual({
      timeDateStamp: oracle.timeDateStamp,
      characteristics: oracle.characteristics,
      magic: lookup(file, { 0x10b: "PE32", 0x20b: "PE32+" } as Record<number, string>, String(oracle.magic), "Magic"),
      entryPoint: oracle.entryPoint,
      imageBase: oracle.imageBase,
      subsystem: oracle.subsystem.value,
      dllCharacteristics: oracle.dllCharacteristics,
    });
    expect(pe.isDll).toBe((oracle.characteristics & 0x2000) !== 0);
  });

  it("names the platform tag of its machine", () => {
    const expected = platformInMember(member);
    if (expected !== null) expect(parsed().platform).toBe(expected);
    else expect(parsed().platform).toMatch(/^win/);
  });

  it("reads the section table and the data directories", () => {
    const pe = parsed();
    expect(pe.sections.length).toBe(oracle.sectionCount);
    expect(pe.sections).toEqual(
      oracle.sections.map((s) => ({ name: s.name, virtualSize: s.virtualSize, virtualAddress: s.virtualAddress, sizeOfRawData: s.rawDataSize, pointerToRawData: s.pointerToRawData, characteristics: s.characteristics })),
    );
    const names = [...oracle.dataDirectories.keys()].filter((k) => k.endsWith("RVA")).map((k) => k.slice(0, -3));
    expect(pe.dataDirectories).toEqual(names.map((name) => ({ rva: oracle.dataDirectories.get(`${name}RVA`), size: oracle.dataDirectories.get(`${name}Size`) })));
  });

  it("lists the exports, the imported DLLs and the delay-loaded ones", () => {
    const pe = parsed();
    expect(pe.exports).toEqual(oracle.exports.flatMap((e) => (e.name === null ? [] : [e.name])));
    expect(pe.imports).toEqual(oracle.imports);
    expect(pe.delayImports).toEqual(oracle.delayImports);
    if (module !== null) expect(exportsSymbol(pe, `PyInit_${module}`)).toBe(oracle.exports.some((e) => e.name === `PyInit_${module}`));
  });

  it("reads the load configuration and the hybrid code map", () => {
    const pe = parsed();
    expect(pe.loadConfig).toEqual(oracle.loadConfig);
    // llvm-readobj prints each range as start - end (exclusive), with the code kind.
    const kinds: Record<string, string> = { ARM64: "arm64", ARM64EC: "arm64ec", X64: "amd64" };
    expect(pe.chpe).toEqual(
      oracle.chpe && { version: oracle.chpe.version, codeMap: oracle.chpe.codeMap.map((r) => ({ start: r.start, length: r.end - r.start, kind: lookup(file, kinds, r.kind, "code kind") })) },
    );
  });
});
