// Builds small, well-formed WebAssembly modules for tests to break: the magic and version, then the
// sections a spec asks for, in the order the core spec requires (dylink.0 first, as
// DynamicLinking.md asks). Returns where each section's contents start, so a test can patch them.

const text = new TextEncoder();

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

export function nameBytes(s: string): number[] {
  const b = text.encode(s);
  return [...uleb(b.length), ...b];
}

export interface WasmSpec {
  dylink?: { memorySize: number; memoryAlignment: number; tableSize: number; tableAlignment: number; needed: string[] };
  /** Write the pre-2021 `dylink` section instead of dylink.0. */
  oldDylink?: boolean;
  imports?: { module: string; name: string; desc: number[] }[];
  exports?: { name: string; kind: number; index: number }[];
  producers?: { field: string; values: [string, string][] }[];
  features?: [string, string][];
}

export interface BuiltWasm {
  bytes: Uint8Array;
  /** Offsets of each section by name: where its id byte is, and where its contents start. */
  sections: Map<string, { at: number; contents: number }>;
}

/** Import descriptors: a function of type 0, a memory with min 1, an immutable i32 global, a funcref table, a tag. */
export const DESC = { func: [0x00, 0x00], memory: [0x02, 0x00, 0x01], global: [0x03, 0x7f, 0x00], table: [0x01, 0x70, 0x00, 0x00], tag: [0x04, 0x00, 0x00] };

export function buildWasm(spec: WasmSpec = {}): BuiltWasm {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const sections = new Map<string, { at: number; contents: number }>();
  const section = (name: string, id: number, contents: number[]): void => {
    const at = out.length;
    const size = uleb(contents.length);
    out.push(id, ...size);
    sections.set(name, { at, contents: out.length });
    out.push(...contents);
  };
  const custom = (name: string, payload: number[]): void => section(name, 0, [...nameBytes(name), ...payload]);
  const vec = <T>(items: readonly T[], each: (item: T) => number[]): number[] => [...uleb(items.length), ...items.flatMap(each)];

  if (spec.dylink) {
    const d = spec.dylink;
    const mem = [...uleb(d.memorySize), ...uleb(d.memoryAlignment), ...uleb(d.tableSize), ...uleb(d.tableAlignment)];
    const needed = vec(d.needed, nameBytes);
    if (spec.oldDylink) custom("dylink", [...mem, ...needed]);
    else custom("dylink.0", [1, ...uleb(mem.length), ...mem, 2, ...uleb(needed.length), ...needed]);
  }
  section("type", 1, [1, 0x60, 0, 0]);
  if (spec.imports) section("import", 2, vec(spec.imports, (i) => [...nameBytes(i.module), ...nameBytes(i.name), ...i.desc]));
  if (spec.exports) section("export", 7, vec(spec.exports, (e) => [...nameBytes(e.name), e.kind, ...uleb(e.index)]));
  if (spec.producers) custom("producers", vec(spec.producers, (f) => [...nameBytes(f.field), ...vec(f.values, ([n, v]) => [...nameBytes(n), ...nameBytes(v)])]));
  if (spec.features) custom("target_features", vec(spec.features, ([p, n]) => [p.charCodeAt(0), ...nameBytes(n)]));
  return { bytes: Uint8Array.from(out), sections };
}

/** A side module like the Pyodide fixtures: dylink.0, env imports, PyInit__m, producers, features. */
export const SIDE_MODULE: WasmSpec = {
  dylink: { memorySize: 128, memoryAlignment: 4, tableSize: 0, tableAlignment: 0, needed: ["libfoo.so"] },
  imports: [
    { module: "env", name: "memory", desc: DESC.memory },
    { module: "env", name: "__memory_base", desc: DESC.global },
    { module: "env", name: "PyModule_Create2", desc: DESC.func },
    { module: "env", name: "__indirect_function_table", desc: DESC.table },
    { module: "env", name: "__cpp_exception", desc: DESC.tag },
  ],
  exports: [{ name: "PyInit__m", kind: 0, index: 1 }],
  producers: [{ field: "processed-by", values: [["clang", "19.1.7"]] }],
  features: [["+", "mutable-globals"], ["+", "sign-ext"]],
};
