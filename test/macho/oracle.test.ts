// retag's Mach-O parser against LLVM's, on every fixture built by test/fixtures/build.sh.
// The expected values come from the recorded llvm-objdump / llvm-lipo / llvm-nm output
// (test/fixtures/oracle/*.txt, read by test/fixtures/oracle.ts), never from this file.

import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exportsSymbol, parseMachO } from "../../src/macho/index.js";
import type { Slice } from "../../src/model/macho.js";
import { allFixtureFiles } from "../fixtures/native.js";
import { expectedMachOFile, readOracle } from "../fixtures/oracle.js";
import { manifest, readFixture } from "../helpers/fixtures.js";

/** Every fact of a slice but its export list, whose order the oracle does not fix. */
function facts(slice: Slice): Omit<Slice, "exports"> {
  const { exports: _exports, ...rest } = slice;
  return rest;
}

describe("the fixture set", () => {
  const listed = manifest.map((f) => f.file).sort();

  it("has a manifest entry, a binary and an oracle file for each fixture", () => {
    const dir = (sub: string) => readdirSync(fileURLToPath(new URL(`../fixtures/${sub}/`, import.meta.url))).sort();
    expect(dir("macho")).toEqual(listed);
    // oracle/ also holds the ELF, PE and wasm oracles (test/fixtures/native.ts), one per fixture.
    expect(dir("oracle")).toEqual(allFixtureFiles().map((f) => `${f}.txt`).sort());
  });

  it.each(manifest)("has a consistent oracle for $file", ({ file }) => {
    const oracle = readOracle(file);
    expect(oracle.images.length).toBeGreaterThan(0);
    if (oracle.fat) {
      expect(oracle.fat.archs).toHaveLength(oracle.fat.nfatArch);
      expect(oracle.fat.archs.map((a) => a.architecture)).toEqual(oracle.lipoArchs);
    }
  });
});

describe.each(manifest)("parseMachO($file)", ({ file, module }) => {
  const bytes = readFixture(file);
  const oracle = readOracle(file);
  const expected = expectedMachOFile(oracle, bytes.length);
  const parse = () => {
    const parsed = parseMachO(bytes);
    if (parsed === null) throw new Error(`${file} was not recognised as Mach-O`);
    return parsed;
  };

  it("finds the container and the slices llvm-objdump finds, in file order", () => {
    const parsed = parse();
    expect(parsed.container).toBe(expected.container);
    expect(parsed.slices.map((s) => s.arch)).toEqual(expected.slices.map((s) => s.arch));
  });

  it.each(expected.slices.map((slice, index) => ({ index, arch: slice.arch })))(
    "reads every fact of the $arch slice",
    ({ index }) => {
      const parsed = parse().slices[index];
      const wanted = expected.slices[index]!;
      expect(parsed && facts(parsed)).toEqual(facts(wanted));
      expect([...(parsed?.exports ?? [])].sort()).toEqual([...wanted.exports].sort());
    },
  );

  if (module !== null) {
    const symbol = `_PyInit_${module}`;
    it.each(expected.slices.map((slice, index) => ({ index, arch: slice.arch })))(
      `tells whether the $arch slice exports ${symbol}`,
      ({ index }) => {
        const parsed = parse().slices[index]!;
        expect(exportsSymbol(parsed, symbol)).toBe(expected.slices[index]!.exports.includes(symbol));
      },
    );
  }
});
