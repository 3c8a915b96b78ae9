import { describe, expect, it } from "vitest";
import { exportsSymbol, MAX_EXPORT_NAME_BYTES, MAX_EXPORT_NAMES, MAX_SYMBOL_LENGTH, parseMachO } from "../../src/macho/index.js";
import * as C from "../../src/macho/constants.js";
import type { Slice } from "../../src/model/macho.js";
import { buildImage, exportTrie, setU32, uleb128 } from "./builder.js";
import { expectMachOError } from "./expect-error.js";

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Parses an image whose export trie is `trie`; returns the exports and where the trie starts. */
function withTrie(trie: number[] | Uint8Array): { run: () => string[]; at: number } {
  const image = buildImage({ exportTrie: { raw: Uint8Array.from(trie) } });
  return { run: () => parseMachO(image.bytes)!.slices[0]!.exports, at: image.trieOffset! };
}

describe("export trie", () => {
  it("reads every terminal node, in trie order, through compressed edges", () => {
    const names = ["_PyInit__m", "_PyInit__mm", "_Py_x", "__mh_bundle_header", "_z", "_€uro"];
    const exports = withTrie(exportTrie(names)).run();
    expect(exports).toHaveLength(names.length);
    expect(new Set(exports)).toEqual(new Set(names));
  });

  it("reads a hand-written trie: root → '_a' → terminal node", () => {
    const { run } = withTrie([0x00, 0x01, ...ascii("_a"), 0x00, 0x06, 0x02, 0x00, 0x10, 0x00]);
    expect(run()).toEqual(["_a"]);
  });

  const malformed: [string, number[], number, RegExp][] = [
    ["a child that points back at the root (loop)", [0x00, 0x01, ...ascii("_a"), 0x00, 0x00], 2, /reached twice \(loop\)/],
    ["two children sharing one node", [0x00, 0x02, ...ascii("a"), 0x00, 0x08, ...ascii("b"), 0x00, 0x08, 0x00, 0x00], 5, /reached twice/],
    ["a child offset outside the trie", [0x00, 0x01, ...ascii("_a"), 0x00, 0x7f], 2, /child offset 0x7f is outside the trie/],
    ["terminal info running past the end", [0x05, 0x00], 0, /terminal info .* runs past the end/],
    ["no child count", [0x00], 0, /child count .* is past the end/],
    ["an edge label without NUL", [0x00, 0x01, ...ascii("_a")], 2, /edge label .* is not NUL-terminated/],
    ["a child offset ULEB128 cut off", [0x00, 0x01, ...ascii("_"), 0x00, 0x80], 4, /ULEB128 .* runs past the end/],
    ["a child offset ULEB128 too large", [0x00, 0x01, ...ascii("_"), 0x00, ...new Array<number>(9).fill(0xff), 0x01], 4, /ULEB128 .* is too large/],
    // Node 2 lies inside the root's label and reuses its bytes as its own label.
    ["edge labels that overlap", [0x00, 0x01, ...new Array<number>(20).fill(0x01), 0x00, 0x02], 5, /edge labels overlap/],
    ["a name longer than the cap", [0x00, 0x01, ...new Array<number>(MAX_SYMBOL_LENGTH + 1).fill(0x61), 0x00, 0x00], 2, /symbol name longer than 65536 bytes/],
  ];
  it.each(malformed)("rejects %s", (_name, trie, offset, message) => {
    const { run, at } = withTrie(trie);
    expectMachOError(run, at + offset, message);
  });

  it("bounds the depth of a trie whose edges are empty", () => {
    const nodes = MAX_SYMBOL_LENGTH + 10;
    const bytes: number[] = [];
    for (let i = 0; i < nodes; i++) {
      // [terminal size 0][1 child]["" NUL][offset of the next node]; offsets are fixed-width (3 bytes) ULEB128s.
      const next = (i + 1) * 6;
      bytes.push(0x00, 0x01, 0x00, (next & 0x7f) | 0x80, ((next >> 7) & 0x7f) | 0x80, (next >> 14) & 0x7f);
    }
    bytes.push(0x00, 0x00);
    const { run } = withTrie(bytes);
    expect(run).toThrow(/deeper than 65536 nodes/);
  });

  it("stops collecting names at the byte budget but still walks the whole chain", () => {
    // A chain of 20,000 terminal nodes "", "a", "aa", …: 200 MB of names if all were kept.
    const count = 20_000;
    const bytes: number[] = [];
    const nodeSize = 9; // [terminal size 2][flags 0][address 0][1 child]["a" NUL][3-byte ULEB128 offset]
    for (let i = 0; i < count; i++) {
      const next = (i + 1) * nodeSize;
      bytes.push(0x02, 0x00, 0x00, 0x01, 0x61, 0x00, (next & 0x7f) | 0x80, ((next >> 7) & 0x7f) | 0x80, (next >> 14) & 0x7f);
    }
    bytes.push(0x00, 0x00);
    const { run } = withTrie(bytes);
    const names = run();
    const total = names.reduce((n, s) => n + s.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_EXPORT_NAME_BYTES);
    expect(total + names.length).toBeGreaterThan(MAX_EXPORT_NAME_BYTES); // the next name would not have fit
    expect(names.every((s, i) => s === "a".repeat(i))).toBe(true);
  });
});

describe("symbol table exports", () => {
  /** An image whose symbol table has `nsyms` entries of type `type`, all naming string `strx`. */
  function manySymbols(nsyms: number, name: string): Uint8Array {
    const image = buildImage({ symbols: [{ name }], trailing: nsyms * C.NLIST_64_SIZE + 8 });
    const symoff = Math.ceil((image.stringTableOffset! + name.length + 2) / 8) * 8;
    setU32(image.bytes, image.symtabCommandOffset! + 8, symoff, true);
    setU32(image.bytes, image.symtabCommandOffset! + 12, nsyms, true);
    for (let i = 0; i < nsyms; i++) {
      setU32(image.bytes, symoff + i * C.NLIST_64_SIZE, 1, true);
      image.bytes[symoff + i * C.NLIST_64_SIZE + 4] = C.N_SECT | C.N_EXT;
    }
    return image.bytes;
  }

  it(`stops at ${MAX_EXPORT_NAMES} names`, () => {
    const exports = parseMachO(manySymbols(MAX_EXPORT_NAMES + 5, "_a"))!.slices[0]!.exports;
    expect(exports.length).toBe(MAX_EXPORT_NAMES);
  });

  it("stops at the byte budget", () => {
    const exports = parseMachO(manySymbols(2000, "x".repeat(MAX_SYMBOL_LENGTH)))!.slices[0]!.exports;
    expect(exports.length).toBe(MAX_EXPORT_NAME_BYTES / MAX_SYMBOL_LENGTH);
  });

  it("rejects a name longer than the cap", () => {
    expect(() => parseMachO(manySymbols(1, "x".repeat(MAX_SYMBOL_LENGTH + 1)))).toThrow(/name longer than 65536 bytes/);
  });

  it("reads a last name that ends with the string table (no NUL)", () => {
    const image = buildImage({ symbols: [{ name: "_last" }] });
    setU32(image.bytes, image.symtabCommandOffset! + 20, 1 + "_last".length, true); // strsize without the NUL
    expect(parseMachO(image.bytes)!.slices[0]!.exports).toEqual(["_last"]);
  });
});

describe("exportsSymbol", () => {
  const slice = (exports: string[]): Slice => ({ ...parseMachO(buildImage().bytes)!.slices[0]!, exports });

  it.each([
    [["_PyInit__m"], "_PyInit__m", true],
    [["_PyInit__m"], "PyInit__m", false],
    [["_PyInit__mm"], "_PyInit__m", false],
    [[], "_PyInit__m", false],
    [Array.from({ length: 100 }, (_, i) => `_f${i}`), "_f99", true],
    [Array.from({ length: 100 }, (_, i) => `_f${i}`), "_f100", false],
  ])("%#: looks up %s", (exports, symbol, expected) => {
    expect(exportsSymbol(slice(exports as string[]), symbol as string)).toBe(expected);
  });

  it("answers from the slice's current export list", () => {
    const s = slice(Array.from({ length: 100 }, (_, i) => `_f${i}`));
    expect(exportsSymbol(s, "_g")).toBe(false);
    s.exports = [...s.exports, "_g"];
    expect(exportsSymbol(s, "_g")).toBe(true);
  });

  it("finds the PyInit symbol of a parsed extension", () => {
    const image = buildImage({ exportTrie: { names: ["__mh_bundle_header", "_PyInit__x"] } });
    expect(exportsSymbol(parseMachO(image.bytes)!.slices[0]!, "_PyInit__x")).toBe(true);
  });
});

describe("uleb128 (builder)", () => {
  it("encodes as <mach-o/loader.h> tries expect", () => {
    expect(uleb128(0)).toEqual([0]);
    expect(uleb128(127)).toEqual([0x7f]);
    expect(uleb128(128)).toEqual([0x80, 0x01]);
    expect(uleb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
  });
});
