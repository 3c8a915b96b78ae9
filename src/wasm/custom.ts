// The custom sections retag decodes: `dylink.0` (tool-conventions DynamicLinking.md: subsections of
// type u8, payload_len, payload; WASM_DYLINK_MEM_INFO = 1, WASM_DYLINK_NEEDED = 2), its predecessor
// `dylink` (memory and table sizes, then the needed libraries, in one record), `producers`
// (ProducersSection.md) and `target_features` (Linking.md).

import type { WasmDylink, WasmModule } from "../model/wasm.js";
import { byte, count, fail, hex, leb, name, sub, type Cursor } from "./reader.js";

const WASM_DYLINK_MEM_INFO = 1;
const WASM_DYLINK_NEEDED = 2;

export function readDylink0(c: Cursor): WasmDylink {
  const out: WasmDylink = { section: "dylink.0", memorySize: 0, memoryAlignment: 0, tableSize: 0, tableAlignment: 0, needed: [] };
  const seen = new Set<number>();
  while (c.pos < c.end) {
    const at = c.pos;
    const type = byte(c, "dylink.0 subsection type");
    const payload = sub(c, leb(c, "dylink.0 subsection size"), `dylink.0 subsection ${type}`);
    if (type === WASM_DYLINK_MEM_INFO || type === WASM_DYLINK_NEEDED) {
      if (seen.has(type)) fail(`dylink.0: a second subsection of type ${type} at ${hex(at)}`, at);
      seen.add(type);
    }
    if (type === WASM_DYLINK_MEM_INFO) readMemInfo(payload, out, "dylink.0 WASM_DYLINK_MEM_INFO");
    else if (type === WASM_DYLINK_NEEDED) out.needed = readNeeded(payload, "dylink.0 WASM_DYLINK_NEEDED");
    else continue; // export and import info: flags retag does not use
    if (payload.pos !== payload.end) fail(`dylink.0 subsection ${type} at ${hex(at)}: ${payload.end - payload.pos} bytes left over`, payload.pos);
  }
  return out;
}

/** The pre-2021 `dylink` section: the same four sizes, then the needed libraries. */
export function readOldDylink(c: Cursor): WasmDylink {
  const out: WasmDylink = { section: "dylink", memorySize: 0, memoryAlignment: 0, tableSize: 0, tableAlignment: 0, needed: [] };
  readMemInfo(c, out, "dylink");
  out.needed = readNeeded(c, "dylink");
  return out;
}

function readMemInfo(c: Cursor, out: WasmDylink, what: string): void {
  out.memorySize = leb(c, `${what} memorysize`);
  out.memoryAlignment = leb(c, `${what} memoryalignment`);
  out.tableSize = leb(c, `${what} tablesize`);
  out.tableAlignment = leb(c, `${what} tablealignment`);
}

function readNeeded(c: Cursor, what: string): string[] {
  const n = count(c, `${what} needed libraries`, 1);
  const needed: string[] = [];
  for (let i = 0; i < n; i++) needed.push(name(c, `${what} needed library ${i}`));
  return needed;
}

export function readProducers(c: Cursor): NonNullable<WasmModule["producers"]> {
  const fields: NonNullable<WasmModule["producers"]> = [];
  const n = count(c, "producers fields", 2);
  for (let i = 0; i < n; i++) {
    const field = name(c, `producers field ${i}`);
    const m = count(c, `producers field ${field} values`, 2);
    const values: { name: string; version: string }[] = [];
    for (let j = 0; j < m; j++) values.push({ name: name(c, `producers ${field} value ${j} name`), version: name(c, `producers ${field} value ${j} version`) });
    fields.push({ field, values });
  }
  return fields;
}

export function readTargetFeatures(c: Cursor): NonNullable<WasmModule["targetFeatures"]> {
  const features: NonNullable<WasmModule["targetFeatures"]> = [];
  const n = count(c, "target_features", 2);
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const prefix = String.fromCharCode(byte(c, `target_features entry ${i} prefix`));
    if (prefix !== "+" && prefix !== "-" && prefix !== "=") fail(`target_features entry ${i}: prefix ${JSON.stringify(prefix)} is none of +, -, =`, at);
    features.push({ prefix, name: name(c, `target_features entry ${i} name`) });
  }
  return features;
}
