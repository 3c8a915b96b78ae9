// parseWasm: one WebAssembly module (WebAssembly core specification, "Binary Format": the `\0asm`
// magic, version 1, then sections of id u8, size u32 LEB128, contents). Reads the import and export
// sections, and the custom sections dylink.0 / dylink, producers and target_features; skips the
// rest after checking that it lies inside the file. Bytes in, data out; bad input throws
// FormatError("wasm", message, offset) and nothing else.

import type { WasmExternalKind, WasmImport, WasmExport, WasmModule, WasmSection } from "../model/wasm.js";
import { readDylink0, readOldDylink, readProducers, readTargetFeatures } from "./custom.js";
import { byte, count, fail, hex, leb, name, sub, type Cursor } from "./reader.js";

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];
const SECTION_IMPORT = 2;
const SECTION_EXPORT = 7;
const KINDS: WasmExternalKind[] = ["func", "table", "memory", "global", "tag"];

export function parseWasm(bytes: Uint8Array): WasmModule {
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, fewer than the 8 of the magic and version`, 0);
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) fail("no \\0asm magic", 0);
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  // A component (the component model's binary) has this magic with another version / layer.
  if (version !== 1) fail(`version ${hex(version)} is not 1 (not a core module)`, 4);

  const module: WasmModule = { version, sections: [], imports: [], exports: [], dylink: null, producers: null, targetFeatures: null };
  const file: Cursor = { bytes, pos: 8, end: bytes.length };
  const seen = new Set<number>();
  while (file.pos < file.end) {
    const at = file.pos;
    const id = byte(file, "section id");
    if (id >= SECTION_NAMES.length) fail(`section at ${hex(at)} has id ${id}, which is no section`, at);
    const size = leb(file, `section ${SECTION_NAMES[id]} size`);
    const contents = sub(file, size, `section ${SECTION_NAMES[id]} at ${hex(at)}`);
    if (id !== 0) {
      if (seen.has(id)) fail(`a second ${SECTION_NAMES[id]} section at ${hex(at)}`, at);
      seen.add(id);
    }
    // offset / size cover the whole contents, a custom section's name included (as llvm-readobj says).
    const offset = contents.pos;
    const section: WasmSection = { id, name: id === 0 ? name(contents, `custom section at ${hex(at)} name`) : SECTION_NAMES[id]!, offset, size };
    module.sections.push(section);
    if (id === 0) readCustom(module, section, contents, at);
    else if (id === SECTION_IMPORT || id === SECTION_EXPORT) {
      if (id === SECTION_IMPORT) module.imports = readImports(contents);
      else module.exports = readExports(contents);
      if (contents.pos !== contents.end) fail(`section ${section.name} at ${hex(at)}: ${contents.end - contents.pos} bytes left over`, contents.pos);
    }
  }
  return module;
}

function readCustom(module: WasmModule, section: WasmSection, c: Cursor, at: number): void {
  // Only the first of each is read: tools emit one, and a second would say nothing new.
  if (section.name === "dylink.0" && module.dylink === null) module.dylink = readDylink0(c);
  else if (section.name === "dylink" && module.dylink === null) module.dylink = readOldDylink(c);
  else if (section.name === "producers" && module.producers === null) module.producers = readProducers(c);
  else if (section.name === "target_features" && module.targetFeatures === null) module.targetFeatures = readTargetFeatures(c);
  else return;
  if (c.pos !== c.end) fail(`custom section ${section.name} at ${hex(at)}: ${c.end - c.pos} bytes left over`, c.pos);
}

function kind(c: Cursor, what: string): WasmExternalKind {
  const at = c.pos;
  const k = byte(c, what);
  const known = KINDS[k];
  if (known === undefined) fail(`${what} ${k} at ${hex(at)} is none of func, table, memory, global, tag`, at);
  return known;
}

/** limits: a flags byte (bit 0: has max, bit 1: shared, bit 2: 64-bit), min, and max if present. */
function limits(c: Cursor, what: string): void {
  const at = c.pos;
  const flags = byte(c, `${what} limits`);
  if (flags > 7) fail(`${what}: limits flags ${hex(flags)} at ${hex(at)} are not known`, at);
  const bits = (flags & 4) !== 0 ? 64 : 32;
  leb(c, `${what} minimum`, bits);
  if ((flags & 1) !== 0) leb(c, `${what} maximum`, bits);
}

/** A value or reference type byte of the core spec and its proposals in wide use (SIMD, reference types). */
const VALUE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

function valueType(c: Cursor, what: string): void {
  const at = c.pos;
  const t = byte(c, what);
  if (!VALUE_TYPES.has(t)) fail(`${what} ${hex(t)} at ${hex(at)} is not a value type retag reads`, at);
}

function readImports(c: Cursor): WasmImport[] {
  const n = count(c, "import section", 4);
  const imports: WasmImport[] = [];
  for (let i = 0; i < n; i++) {
    const what = `import ${i}`;
    const module = name(c, `${what} module`);
    const field = name(c, `${what} name`);
    const k = kind(c, `${what} kind`);
    if (k === "func") leb(c, `${what} type index`);
    else if (k === "table") {
      valueType(c, `${what} table element type`);
      limits(c, `${what} table`);
    } else if (k === "memory") limits(c, `${what} memory`);
    else if (k === "global") {
      valueType(c, `${what} global type`);
      const at = c.pos;
      if (byte(c, `${what} global mutability`) > 1) fail(`${what}: global mutability at ${hex(at)} is neither 0 nor 1`, at);
    } else {
      const at = c.pos;
      if (byte(c, `${what} tag attribute`) !== 0) fail(`${what}: tag attribute at ${hex(at)} is not 0 (exception)`, at);
      leb(c, `${what} tag type index`);
    }
    imports.push({ module, name: field, kind: k });
  }
  return imports;
}

function readExports(c: Cursor): WasmExport[] {
  const n = count(c, "export section", 3);
  const exports: WasmExport[] = [];
  for (let i = 0; i < n; i++) {
    const exportName = name(c, `export ${i} name`);
    exports.push({ name: exportName, kind: kind(c, `export ${i} kind`), index: leb(c, `export ${i} index`) });
  }
  return exports;
}
