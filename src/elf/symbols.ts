// The dynamic symbol table (gABI, "Symbol Table"): what dlsym — and so CPython's importer looking
// for PyInit_<name> — can find. Located by the SHT_DYNSYM section, or without section headers by
// DT_SYMTAB, with its length from the hash table the loader uses (DT_GNU_HASH, else DT_HASH).

import type { ElfSection, ElfSegment } from "../model/elf.js";
import * as C from "./constants.js";
import type { DynamicTable } from "./dynamic.js";
import { addressToOffset, sectionStrings } from "./headers.js";
import { decode, fail, hex, inFile, need, stringBytesAt, u32, u8, u16, type ElfBytes, type StringTable } from "./reader.js";

/** At most this many names are collected per file (a real shared object has well under 500,000). */
export const MAX_EXPORT_NAMES = 1_000_000;
/** At most this many name bytes are decoded per file. */
export const MAX_EXPORT_NAME_BYTES = 64 * 1024 * 1024;

export interface SymbolTable {
  offset: number;
  count: number;
  strings: StringTable;
}

export function findDynamicSymbols(f: ElfBytes, segments: readonly ElfSegment[], sections: readonly ElfSection[], dynamic: DynamicTable | null): SymbolTable | null {
  const entrySize = C.SYM_SIZE[f.bits];
  const index = sections.findIndex((s) => s.type === C.SHT_DYNSYM);
  const section = sections[index];
  if (section !== undefined) {
    const what = `.dynsym (section ${index})`;
    const at = inFile(f, section.offset);
    if (section.entrySize !== entrySize) fail(`${what}: sh_entsize ${section.entrySize} is not the ${entrySize} of an Elf${f.bits}_Sym`, at);
    if (section.size % entrySize !== 0) fail(`${what}: size ${hex(section.size)} is not a multiple of ${entrySize}`, at);
    need(f, section.offset, section.size, what);
    const strtab = sections[section.link];
    if (strtab === undefined) fail(`${what}: sh_link ${section.link} is not a section`, at);
    return { offset: section.offset, count: section.size / entrySize, strings: sectionStrings(f, strtab, `the string table of ${what} (section ${section.link})`) };
  }
  if (sections.length > 0 || dynamic === null) return null;

  const symtab = dynamic.values.get(C.DT_SYMTAB);
  if (symtab === undefined) return null;
  if (dynamic.strings === null) fail("dynamic section: DT_SYMTAB without DT_STRTAB", symtab.at);
  const syment = dynamic.values.get(C.DT_SYMENT);
  if (syment !== undefined && syment.value !== entrySize) fail(`dynamic section: DT_SYMENT ${syment.value} is not the ${entrySize} of an Elf${f.bits}_Sym`, syment.at);
  const count = symbolCount(f, segments, dynamic);
  const what = `the dynamic symbol table (DT_SYMTAB ${hex(symtab.value)}, ${count} symbols)`;
  return { offset: addressToOffset(f, segments, symtab.value, count * entrySize, what, symtab.at), count, strings: dynamic.strings };
}

/**
 * The number of dynamic symbols, as the hash tables imply it. DT_HASH (gABI "Hash Table") says it
 * outright: nchain. DT_GNU_HASH (the GNU hash section; no written spec, see glibc's dl-lookup.c)
 * does not: the count is one past the last symbol of the last hash chain — the largest bucket
 * start, then along the chain to the entry whose low bit marks its end.
 */
function symbolCount(f: ElfBytes, segments: readonly ElfSegment[], dynamic: DynamicTable): number {
  const gnu = dynamic.values.get(C.DT_GNU_HASH);
  if (gnu !== undefined) {
    const what = `DT_GNU_HASH table at ${hex(gnu.value)}`;
    const header = addressToOffset(f, segments, gnu.value, 16, what, gnu.at);
    const nbuckets = u32(f, header, what);
    const symoffset = u32(f, header + 4, what);
    const bloomSize = u32(f, header + 8, what);
    const bucketsAt = header + 16 + bloomSize * (f.bits / 8);
    // The buckets must come from the same segment as the header.
    addressToOffset(f, segments, gnu.value, 16 + bloomSize * (f.bits / 8) + nbuckets * 4, `${what}: ${nbuckets} buckets`, gnu.at);
    let last = 0;
    for (let i = 0; i < nbuckets; i++) last = Math.max(last, u32(f, bucketsAt + i * 4, what));
    if (last === 0) return symoffset;
    if (last < symoffset) fail(`${what}: bucket value ${last} is below symoffset ${symoffset}`, bucketsAt);
    const chainAt = bucketsAt + nbuckets * 4;
    // Each step reads one more u32 inside the file, so the walk ends within the file's size.
    for (let symbol = last; ; symbol++) {
      const entry = chainAt + (symbol - symoffset) * 4;
      if ((u32(f, entry, `${what}: hash chain`) & 1) !== 0) return symbol + 1;
    }
  }
  const sysv = dynamic.values.get(C.DT_HASH);
  if (sysv !== undefined) {
    const what = `DT_HASH table at ${hex(sysv.value)}`;
    const header = addressToOffset(f, segments, sysv.value, 8, what, sysv.at);
    return u32(f, header + 4, what);
  }
  return fail("dynamic section: DT_SYMTAB without DT_HASH or DT_GNU_HASH, so its length is unknown", dynamic.values.get(C.DT_SYMTAB)?.at ?? 0);
}

/** True for a symbol that dlsym resolves: defined, global / weak / unique, default or protected. */
function isExport(f: ElfBytes, entry: number): boolean {
  const info = u8(f, entry + (f.bits === 64 ? 4 : 12), "symbol st_info");
  const other = u8(f, entry + (f.bits === 64 ? 5 : 13), "symbol st_other");
  const shndx = u16(f, entry + (f.bits === 64 ? 6 : 14), "symbol st_shndx");
  const bind = info >> 4;
  const visibility = other & 3;
  return (
    shndx !== C.SHN_UNDEF &&
    (bind === C.STB_GLOBAL || bind === C.STB_WEAK || bind === C.STB_GNU_UNIQUE) &&
    (visibility === C.STV_DEFAULT || visibility === C.STV_PROTECTED)
  );
}

/**
 * Names of the exported symbols (isExport), in table order, up to MAX_EXPORT_NAMES names or
 * MAX_EXPORT_NAME_BYTES bytes. Entry 0 is the reserved null symbol and is skipped.
 */
export function readExports(f: ElfBytes, table: SymbolTable): { names: string[]; truncated: boolean } {
  const names: string[] = [];
  let bytes = 0;
  const entrySize = C.SYM_SIZE[f.bits];
  for (let i = 1; i < table.count; i++) {
    const entry = table.offset + i * entrySize;
    if (!isExport(f, entry)) continue;
    const name = stringBytesAt(f, table.strings, u32(f, entry, `dynamic symbol ${i}`), `dynamic symbol ${i}`);
    if (names.length >= MAX_EXPORT_NAMES || bytes + name.length > MAX_EXPORT_NAME_BYTES) return { names, truncated: true };
    bytes += name.length;
    names.push(decode(name));
  }
  return { names, truncated: false };
}
