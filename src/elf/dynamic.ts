// The dynamic section (gABI, "Dynamic Section"): found through PT_DYNAMIC as the loader finds it (or
// the SHT_DYNAMIC section of a file without that segment), read up to DT_NULL. Its string table is
// DT_STRTAB / DT_STRSZ, an address mapped through PT_LOAD, so it works without section headers.

import type { ElfDynamic, ElfSection, ElfSegment } from "../model/elf.js";
import * as C from "./constants.js";
import { addressToOffset } from "./headers.js";
import { fail, hex, need, signedWord, stringAt, word, type ElfBytes, type StringTable } from "./reader.js";

export interface DynamicTable {
  /** The first value of each tag (DT_NEEDED and the path tags are collected separately). */
  values: Map<number, { value: number; at: number }>;
  facts: ElfDynamic;
  /** DT_STRTAB / DT_STRSZ, checked to lie in the file; null when the table has none. */
  strings: StringTable | null;
}

export function readDynamic(f: ElfBytes, segments: readonly ElfSegment[], sections: readonly ElfSection[]): DynamicTable | null {
  const segment = segments.find((s) => s.type === C.PT_DYNAMIC);
  const section = sections.find((s) => s.type === C.SHT_DYNAMIC);
  const where = segment ? { offset: segment.offset, size: segment.fileSize, what: "PT_DYNAMIC" } : section ? { offset: section.offset, size: section.size, what: "the SHT_DYNAMIC section" } : null;
  if (where === null) return null;
  need(f, where.offset, where.size, `dynamic section (${where.what})`);

  const entrySize = C.DYN_SIZE[f.bits];
  const count = Math.floor(where.size / entrySize);
  const values = new Map<number, { value: number; at: number }>();
  const lists: { tag: number; value: number; at: number }[] = [];
  let terminated = false;
  for (let i = 0; i < count; i++) {
    const at = where.offset + i * entrySize;
    const tag = signedWord(f, at, `dynamic entry ${i}`);
    const value = word(f, at + entrySize / 2, `dynamic entry ${i}`);
    if (tag === C.DT_NULL) {
      terminated = true;
      break;
    }
    if (tag === C.DT_NEEDED || tag === C.DT_RPATH || tag === C.DT_RUNPATH) lists.push({ tag, value, at });
    else if (!values.has(tag)) values.set(tag, { value, at });
  }
  if (!terminated) fail(`dynamic section (${where.what}, ${count} entries at ${hex(where.offset)}) has no DT_NULL`, where.offset);

  const strtab = values.get(C.DT_STRTAB);
  const strsz = values.get(C.DT_STRSZ);
  let strings: StringTable | null = null;
  if (strtab !== undefined) {
    if (strsz === undefined) fail("dynamic section: DT_STRTAB without DT_STRSZ", strtab.at);
    const what = `the dynamic string table (DT_STRTAB ${hex(strtab.value)}, DT_STRSZ ${strsz.value})`;
    strings = { offset: addressToOffset(f, segments, strtab.value, strsz.value, what, strtab.at), size: strsz.value, what };
  }
  const string = (entry: { tag: number; value: number; at: number }, name: string): string => {
    if (strings === null) return fail(`dynamic section: ${name} without DT_STRTAB`, entry.at);
    return stringAt(f, strings, entry.value, `dynamic entry ${name} at ${hex(entry.at)}`);
  };
  const soname = values.get(C.DT_SONAME);
  const facts: ElfDynamic = {
    needed: lists.filter((e) => e.tag === C.DT_NEEDED).map((e) => string(e, "DT_NEEDED")),
    soname: soname === undefined ? null : string({ tag: C.DT_SONAME, ...soname }, "DT_SONAME"),
    rpath: lists.filter((e) => e.tag === C.DT_RPATH).map((e) => string(e, "DT_RPATH")),
    runpath: lists.filter((e) => e.tag === C.DT_RUNPATH).map((e) => string(e, "DT_RUNPATH")),
    flags1: values.get(C.DT_FLAGS_1)?.value ?? 0,
  };
  return { values, facts, strings };
}
