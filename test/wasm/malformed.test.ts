// One case per kind of malformation: each must throw FormatError("wasm") saying what was wrong and
// where the reader gave up.

import { describe, expect, it } from "vitest";
import { parseWasm } from "../../src/wasm/index.js";
import { expectFormatError } from "../elf/expect-error.js";
import { buildWasm, DESC, nameBytes, SIDE_MODULE, uleb, type BuiltWasm, type WasmSpec } from "./builder.js";

interface Case {
  name: string;
  bytes: Uint8Array;
  offset: number;
  message: RegExp;
}

/** The module's bytes with `bytes` written at `at` (replacing `remove` bytes there). */
function splice(module: BuiltWasm, at: number, remove: number, bytes: number[]): Uint8Array {
  return Uint8Array.from([...module.bytes.subarray(0, at), ...bytes, ...module.bytes.subarray(at + remove)]);
}

function section(module: BuiltWasm, name: string): { at: number; contents: number } {
  const s = module.sections.get(name);
  if (!s) throw new Error(`no ${name} section`);
  return s;
}

/** A module with one raw extra section (id, contents) appended. */
function withSection(spec: WasmSpec, id: number, contents: number[]): { bytes: Uint8Array; at: number; contents: number } {
  const base = buildWasm(spec).bytes;
  const size = uleb(contents.length);
  return { bytes: Uint8Array.from([...base, id, ...size, ...contents]), at: base.length, contents: base.length + 1 + size.length };
}

const side = buildWasm(SIDE_MODULE);
const imports = section(side, "import");
const exports = section(side, "export");
const dylink = section(side, "dylink.0");
/** The payload of dylink.0 starts after its name ("dylink.0": one length byte and 8 bytes). */
const dylinkPayload = dylink.contents + 9;
/** WASM_DYLINK_MEM_INFO is first: type, size, then `memInfoSize` bytes; WASM_DYLINK_NEEDED follows. */
const memInfoSize = side.bytes[dylinkPayload + 1]!;
const neededAt = dylinkPayload + 2 + memInfoSize;

const cases: Case[] = [
  { name: "7 bytes", bytes: side.bytes.subarray(0, 7), offset: 0, message: /fewer than the 8 of the magic and version/ },
  { name: "no \\0asm magic", bytes: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0]), offset: 0, message: /no \\0asm magic/ },
  { name: "version 2", bytes: splice(side, 4, 1, [2]), offset: 4, message: /version 0x2 is not 1/ },
  { name: "a component (layer 1, version 0x0d)", bytes: splice(side, 4, 4, [0x0d, 0x00, 0x01, 0x00]), offset: 4, message: /version 0x1000d is not 1 \(not a core module\)/ },
  { name: "a section id of 14", ...(() => { const m = withSection({}, 14, [0]); return { bytes: m.bytes, offset: m.at }; })(), message: /has id 14, which is no section/ },
  { name: "a section size past the end of the file", bytes: splice(side, exports.at + 1, 1, [0x7f]), offset: exports.contents, message: /section export at 0x[0-9a-f]+: 127 bytes at 0x[0-9a-f]+ run past the end of their file/ },
  { name: "a section size LEB128 cut by the end of the file", bytes: Uint8Array.from([...buildWasm().bytes, 7, 0x80, 0x80]), offset: buildWasm().bytes.length + 1, message: /section export size: LEB128 at 0x[0-9a-f]+ runs past the end of its file/ },
  { name: "a six-byte LEB128", bytes: Uint8Array.from([...buildWasm().bytes, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), offset: buildWasm().bytes.length + 1, message: /LEB128 at 0x[0-9a-f]+ is longer than the 5 bytes of a u32/ },
  { name: "a LEB128 of 2^35 (high bits in the fifth byte)", bytes: Uint8Array.from([...buildWasm().bytes, 7, 0x80, 0x80, 0x80, 0x80, 0x70]), offset: buildWasm().bytes.length + 1, message: /LEB128 at 0x[0-9a-f]+ is too large for u32/ },
  { name: "a second import section", ...(() => { const m = withSection(SIDE_MODULE, 2, [0]); return { bytes: m.bytes, offset: m.at }; })(), message: /a second import section/ },
  { name: "2^32 - 1 imports", bytes: splice(side, imports.contents, 1, [0xff, 0xff, 0xff, 0xff, 0x0f]), offset: imports.contents, message: /import section: 4294967295 entries cannot fit/ },
  { name: "an import module name longer than its section", bytes: splice(side, imports.contents + 1, 1, [0x7f]), offset: imports.contents + 1, message: /import 0 module: a name of 127 bytes at 0x[0-9a-f]+ runs past the end of its section/ },
  { name: "an import kind of 5", bytes: splice(side, imports.contents + 1 + nameBytes("env").length + nameBytes("memory").length, 1, [5]), offset: imports.contents + 1 + 4 + 7, message: /import 0 kind 5 at 0x[0-9a-f]+ is none of func/ },
  { name: "memory limits flags of 8", bytes: splice(side, imports.contents + 1 + 4 + 7 + 1, 1, [8]), offset: imports.contents + 1 + 4 + 7 + 1, message: /import 0 memory: limits flags 0x8 .* are not known/ },
  ...(() => {
    // The second import is the global: env.__memory_base, then kind 3, value type, mutability.
    const global = imports.contents + 1 + 4 + 7 + DESC.memory.length + 4 + nameBytes("__memory_base").length + 1;
    return [
      { name: "a global value type of 0x40", bytes: splice(side, global, 1, [0x40]), offset: global, message: /import 1 global type 0x40 at 0x[0-9a-f]+ is not a value type/ },
      { name: "a global mutability of 2", bytes: splice(side, global + 1, 1, [2]), offset: global + 1, message: /import 1: global mutability at 0x[0-9a-f]+ is neither 0 nor 1/ },
    ];
  })(),
  ...(() => {
    const m = buildWasm({ imports: [{ module: "env", name: "e", desc: [0x04, 0x01, 0x00] }] });
    const tag = section(m, "import").contents + 1 + 4 + 2 + 1;
    return [{ name: "a tag attribute of 1", bytes: m.bytes, offset: tag, message: /import 0: tag attribute at 0x[0-9a-f]+ is not 0/ }];
  })(),
  ...(() => {
    // The export section, one byte longer than its one export: a byte left over.
    const m = buildWasm({ exports: [{ name: "PyInit__m", kind: 0, index: 1 }] });
    const s = section(m, "export");
    const contents = [...m.bytes.subarray(s.contents)];
    const bytes = Uint8Array.from([...m.bytes.subarray(0, s.at), 7, ...uleb(contents.length + 1), ...contents, 0]);
    return [{ name: "an export section with a byte left over", bytes, offset: bytes.length - 1, message: /section export at 0x[0-9a-f]+: 1 bytes left over/ }];
  })(),
  { name: "2^32 - 1 exports", bytes: splice(side, exports.contents, 1, [0xff, 0xff, 0xff, 0xff, 0x0f]), offset: exports.contents, message: /export section: 4294967295 entries cannot fit/ },
  { name: "an export index LEB128 cut by its section", bytes: splice(side, exports.contents + 1 + nameBytes("PyInit__m").length + 1, 1, [0x81]), offset: exports.contents + 1 + nameBytes("PyInit__m").length + 1, message: /export 0 index: LEB128 at 0x[0-9a-f]+ runs past the end of its section/ },
  { name: "a custom section name longer than the section", bytes: splice(side, dylink.contents, 1, [0x7f]), offset: dylink.contents, message: /custom section at 0x[0-9a-f]+ name: a name of 127 bytes .* runs past the end of its section/ },
  { name: "a dylink.0 subsection past its section", bytes: splice(side, dylinkPayload + 1, 1, [0x7f]), offset: dylinkPayload + 2, message: /dylink\.0 subsection 1: 127 bytes at 0x[0-9a-f]+ run past the end of their section/ },
  { name: "two WASM_DYLINK_MEM_INFO subsections", bytes: splice(side, neededAt, 1, [1]), offset: neededAt, message: /dylink\.0: a second subsection of type 1/ },
  { name: "a WASM_DYLINK_MEM_INFO with a byte left over", bytes: splice(side, dylinkPayload + 1, 1, [memInfoSize + 1]), offset: neededAt, message: /dylink\.0 subsection 1 at 0x[0-9a-f]+: 1 bytes left over/ },
  { name: "127 needed libraries in a few bytes", bytes: splice(side, neededAt + 2, 1, [0x7f]), offset: neededAt + 2, message: /dylink\.0 WASM_DYLINK_NEEDED needed libraries: 127 entries cannot fit in the 10 bytes left/ },
  ...(() => {
    const m = buildWasm({ producers: [{ field: "language", values: [["C", "19"]] }] });
    const p = section(m, "producers").contents + nameBytes("producers").length;
    return [
      { name: "2^32 - 1 producers fields", bytes: splice(m, p, 1, [0xff, 0xff, 0xff, 0xff, 0x0f]), offset: p, message: /producers fields: 4294967295 entries cannot fit/ },
      { name: "a producers version name past its section", bytes: splice(m, p + 1 + nameBytes("language").length + 1 + 2, 1, [0x7f]), offset: p + 1 + nameBytes("language").length + 1 + 2, message: /producers language value 0 version: a name of 127 bytes/ },
    ];
  })(),
  ...(() => {
    const m = buildWasm({ features: [["+", "sign-ext"]] });
    const f = section(m, "target_features").contents + nameBytes("target_features").length;
    return [{ name: "a target feature prefix of '?'", bytes: splice(m, f + 1, 1, [0x3f]), offset: f + 1, message: /target_features entry 0: prefix "\?" is none of \+, -, =/ }];
  })(),
  ...(() => {
    const m = buildWasm({ ...SIDE_MODULE, oldDylink: true });
    const d = section(m, "dylink");
    // Cut the old dylink section inside its needed list by shrinking its size by 3.
    const size = m.bytes[d.at + 1]!;
    const needed = d.contents + size - nameBytes("libfoo.so").length;
    return [{ name: "an old dylink section cut inside its needed list", bytes: splice(m, d.at + 1, 1, [size - 3]), offset: needed, message: /dylink needed library 0: a name of 9 bytes .* runs past the end of its section/ }];
  })(),
];

describe("parseWasm on malformed modules", () => {
  it("builds modules it reads back", () => {
    const module = parseWasm(side.bytes);
    expect(module.dylink?.needed).toEqual(["libfoo.so"]);
    expect(module.imports.map((i) => i.kind)).toEqual(["memory", "global", "func", "table", "tag"]);
    expect(parseWasm(buildWasm({ ...SIDE_MODULE, oldDylink: true }).bytes).dylink?.section).toBe("dylink");
  });

  it.each(cases)("$name", ({ bytes, offset, message }) => {
    expectFormatError(() => parseWasm(bytes), "wasm", offset, message);
  });
});
