// retag's wasm reader against LLVM's, on every wasm fixture built by test/fixtures/build-native.sh.
// The expected values come from the recorded llvm-readobj and obj2yaml output (read by
// test/fixtures/oracle-wasm.ts), never from this file.

import { describe, expect, it } from "vitest";
import { exportsSymbol, parseWasm } from "../../src/wasm/index.js";
import { fixtureFolder, nativeFixtures, readNativeFixture } from "../fixtures/native.js";
import { FEATURE_PREFIXES, PRODUCER_FIELDS, entries, kindOf, readWasmOracle, scalar } from "../fixtures/oracle-wasm.js";
import { lookup } from "../fixtures/oracle-text.js";

const fixtures = nativeFixtures("wasm");

describe("the wasm fixture set", () => {
  it("has a manifest entry and a binary for each fixture", () => {
    expect(fixtureFolder("wasm")).toEqual(fixtures.map((f) => f.file).sort());
  });

  it("has side modules with dylink.0 and a plain module without", () => {
    const dylinks = fixtures.map((f) => readWasmOracle(f.file).sections.some((s) => s.name === "dylink.0"));
    expect(dylinks).toContain(true);
    expect(dylinks).toContain(false);
  });
});

describe.each(fixtures)("parseWasm($file)", ({ file, module }) => {
  const bytes = readNativeFixture("wasm", file);
  const oracle = readWasmOracle(file);
  const parsed = () => parseWasm(bytes);
  const yamlSection = (type: string, name?: string) => oracle.yamlSections.filter((s) => s.Type === type && (name === undefined || s.Name === name));

  it("walks every section", () => {
    const wasm = parsed();
    expect(wasm.version).toBe(oracle.version);
    // llvm-readobj gives a custom section's Size without its name (a one-byte length and the bytes).
    const nameSize = (name: string | null): number => (name === null ? 0 : 1 + new TextEncoder().encode(name).length);
    expect(wasm.sections.map((s) => ({ id: s.id, offset: s.offset, size: s.size }))).toEqual(oracle.sections.map((s) => ({ id: s.id, offset: s.offset, size: s.size + nameSize(s.name) })));
    // Custom sections by their own name; the others as llvm-objdump spells them, in lower case.
    expect(wasm.sections.map((s) => s.name)).toEqual(oracle.objdumpNames.map((n, i) => (oracle.sections[i]!.id === 0 ? n : n.toLowerCase())));
  });

  it("reads the imports and the exports", () => {
    const wasm = parsed();
    const imports = yamlSection("IMPORT").flatMap((s) => entries(file, s.Imports));
    expect(wasm.imports).toEqual(imports.map((i) => ({ module: scalar(file, i.Module), name: scalar(file, i.Field), kind: kindOf(file, i.Kind) })));
    const exports = yamlSection("EXPORT").flatMap((s) => entries(file, s.Exports));
    expect(wasm.exports).toEqual(exports.map((e) => ({ name: scalar(file, e.Name), kind: kindOf(file, e.Kind), index: Number(scalar(file, e.Index)) })));
    if (module !== null) expect(exportsSymbol(wasm, `PyInit_${module}`)).toBe(exports.some((e) => e.Name === `PyInit_${module}` && e.Kind === "FUNCTION"));
  });

  it("reads dylink.0", () => {
    const [dylink] = yamlSection("CUSTOM", "dylink.0");
    const n = (key: string): number => Number(scalar(file, dylink![key]));
    expect(parsed().dylink).toEqual(
      dylink === undefined
        ? null
        : {
            section: "dylink.0",
            memorySize: n("MemorySize"),
            memoryAlignment: n("MemoryAlignment"),
            tableSize: n("TableSize"),
            tableAlignment: n("TableAlignment"),
            needed: dylink.Needed === undefined ? [] : (dylink.Needed as string[]),
          },
    );
  });

  it("reads producers and target_features", () => {
    const wasm = parsed();
    const [producers] = yamlSection("CUSTOM", "producers");
    expect(wasm.producers).toEqual(
      producers === undefined
        ? null
        : Object.keys(producers)
            .filter((k) => k in PRODUCER_FIELDS)
            .map((k) => ({ field: PRODUCER_FIELDS[k], values: entries(file, producers[k]).map((t) => ({ name: scalar(file, t.Name), version: scalar(file, t.Version) })) })),
    );
    const [features] = yamlSection("CUSTOM", "target_features");
    expect(wasm.targetFeatures).toEqual(
      features === undefined ? null : entries(file, features.Features).map((f) => ({ prefix: lookup(file, FEATURE_PREFIXES, scalar(file, f.Prefix), "feature prefix"), name: scalar(file, f.Name) })),
    );
  });
});
