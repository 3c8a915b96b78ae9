// Builds small, well-formed ELF files (either class, either byte order) for tests to break. One
// PT_LOAD maps the whole file at address 0, so every address equals its file offset. The builder
// returns where it put each part, so a test can patch exactly the field it means.

import * as C from "../../src/elf/constants.js";

export interface ElfSymbolSpec {
  name: string;
  /** STB_* (default STB_GLOBAL). */
  bind?: number;
  /** st_shndx (default 1: defined). */
  shndx?: number;
  /** st_other visibility (default STV_DEFAULT). */
  visibility?: number;
}

export interface ElfSpec {
  bits?: 32 | 64;
  little?: boolean;
  machine?: number;
  type?: number;
  flags?: number;
  needed?: string[];
  soname?: string;
  runpath?: string;
  symbols?: ElfSymbolSpec[];
  verneed?: { file: string; versions: string[] }[];
  notes?: { owner: string; type: number; desc: Uint8Array }[];
  interp?: string;
  /** Raw `.ARM.attributes` contents (needs section headers). */
  armAttributes?: Uint8Array;
  /** Write section headers (default true). */
  sections?: boolean;
  /** Which hash table the dynamic section points at (default sysv). */
  hash?: "sysv" | "gnu";
}

export interface BuiltElf {
  bytes: Uint8Array;
  bits: 32 | 64;
  little: boolean;
  phoff: number;
  shoff: number;
  /** File offset of each part (absent parts are -1), and of each section header by section name. */
  at: { interp: number; dynstr: number; dynsym: number; hash: number; verneed: number; notes: number; arm: number; dynamic: number; shstrtab: number };
  sectionHeader: Map<string, number>;
  /** File offset of each dynamic entry by tag (the first of each). */
  dynamicEntry: Map<number, number>;
  /** Index in .dynstr of each string. */
  strings: Map<string, number>;
}

class Writer {
  bytes = new Uint8Array(256);
  length = 0;
  constructor(readonly little: boolean) {}
  private grow(n: number): void {
    while (this.length + n > this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2);
      next.set(this.bytes);
      this.bytes = next;
    }
  }
  align(n: number): number {
    while (this.length % n !== 0) this.u8(0);
    return this.length;
  }
  u8(v: number): void {
    this.grow(1);
    this.bytes[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.grow(2);
    new DataView(this.bytes.buffer).setUint16(this.length, v, this.little);
    this.length += 2;
  }
  u32(v: number): void {
    this.grow(4);
    new DataView(this.bytes.buffer).setUint32(this.length, v >>> 0, this.little);
    this.length += 4;
  }
  u64(v: number): void {
    const lo = v % 0x1_0000_0000;
    const hi = Math.floor(v / 0x1_0000_0000);
    if (this.little) {
      this.u32(lo);
      this.u32(hi);
    } else {
      this.u32(hi);
      this.u32(lo);
    }
  }
  raw(b: Uint8Array): void {
    this.grow(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

const text = new TextEncoder();

export function buildElf(spec: ElfSpec = {}): BuiltElf {
  const bits = spec.bits ?? 64;
  const little = spec.little ?? true;
  const w = new Writer(little);
  const word = (v: number): void => (bits === 64 ? w.u64(v) : w.u32(v));
  const withSections = spec.sections ?? true;
  const symbols = [{ name: "", bind: 0, shndx: 0, visibility: 0 }, ...(spec.symbols ?? [{ name: "PyInit__m" }])];

  // .dynstr: every name the dynamic parts refer to.
  const strings = new Map<string, number>();
  const dynstr: number[] = [0];
  const intern = (s: string): number => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    const index = dynstr.length;
    dynstr.push(...text.encode(s), 0);
    strings.set(s, index);
    return index;
  };
  strings.set("", 0);
  for (const s of symbols) intern(s.name);
  for (const n of spec.needed ?? ["libc.so.6"]) intern(n);
  if (spec.soname) intern(spec.soname);
  if (spec.runpath) intern(spec.runpath);
  for (const v of spec.verneed ?? []) {
    intern(v.file);
    v.versions.forEach((name) => intern(name));
  }

  const ehsize = C.EHDR_SIZE[bits];
  const phentsize = C.PHDR_SIZE[bits];
  const segments = [C.PT_LOAD, C.PT_DYNAMIC, ...(spec.interp !== undefined ? [C.PT_INTERP] : []), ...(spec.notes?.length ? [C.PT_NOTE] : [])];
  // The header and program headers are written last, over zeros.
  w.raw(new Uint8Array(ehsize + segments.length * phentsize));

  const at = { interp: -1, dynstr: -1, dynsym: -1, hash: -1, verneed: -1, notes: -1, arm: -1, dynamic: -1, shstrtab: -1 };
  const sizes = new Map<string, number>();
  if (spec.interp !== undefined) {
    at.interp = w.length;
    w.raw(text.encode(`${spec.interp}\0`));
    sizes.set("interp", w.length - at.interp);
  }
  at.dynstr = w.length;
  w.raw(Uint8Array.from(dynstr));
  at.dynsym = w.align(8);
  for (const s of symbols) {
    const info = ((s.bind ?? C.STB_GLOBAL) << 4) | 2; // STT_FUNC
    const shndx = s.shndx ?? 1;
    if (bits === 64) {
      w.u32(strings.get(s.name)!);
      w.u8(s.name === "" ? 0 : info);
      w.u8(s.visibility ?? 0);
      w.u16(s.name === "" ? 0 : shndx);
      w.u64(0);
      w.u64(0);
    } else {
      w.u32(strings.get(s.name)!);
      w.u32(0);
      w.u32(0);
      w.u8(s.name === "" ? 0 : info);
      w.u8(s.visibility ?? 0);
      w.u16(s.name === "" ? 0 : shndx);
    }
  }
  at.hash = w.align(8);
  if ((spec.hash ?? "sysv") === "sysv") {
    // nbucket 1, nchain = symbol count, one bucket, the chains.
    w.u32(1);
    w.u32(symbols.length);
    w.u32(symbols.length > 1 ? 1 : 0);
    symbols.forEach((_s, i) => w.u32(i + 1 < symbols.length && i > 0 ? i + 1 : 0));
  } else {
    // GNU hash: nbuckets 1, symoffset 1, one bloom word, bucket → symbol 1, chain with the end bit last.
    w.u32(1);
    w.u32(1);
    w.u32(1);
    w.u32(0);
    word(0);
    w.u32(symbols.length > 1 ? 1 : 0);
    for (let i = 1; i < symbols.length; i++) w.u32(i === symbols.length - 1 ? 1 : 0);
  }
  const needs = spec.verneed ?? [];
  if (needs.length > 0) {
    at.verneed = w.align(4);
    needs.forEach((need, i) => {
      w.u16(1);
      w.u16(need.versions.length);
      w.u32(strings.get(need.file)!);
      w.u32(16);
      w.u32(i === needs.length - 1 ? 0 : 16 + need.versions.length * 16);
      need.versions.forEach((name, j) => {
        w.u32(0);
        w.u16(0);
        w.u16(j + 2);
        w.u32(strings.get(name)!);
        w.u32(j === need.versions.length - 1 ? 0 : 16);
      });
    });
  }
  if (spec.notes?.length) {
    at.notes = w.align(4);
    for (const note of spec.notes) {
      const name = text.encode(`${note.owner}\0`);
      w.u32(name.length);
      w.u32(note.desc.length);
      w.u32(note.type);
      w.raw(name);
      w.align(4);
      w.raw(note.desc);
      w.align(4);
    }
    sizes.set("notes", w.length - at.notes);
  }
  if (spec.armAttributes) {
    at.arm = w.length;
    w.raw(spec.armAttributes);
  }
  const dynamicEntry = new Map<number, number>();
  at.dynamic = w.align(8);
  const entries: [number, number][] = [
    ...(spec.needed ?? ["libc.so.6"]).map((n): [number, number] => [C.DT_NEEDED, strings.get(n)!]),
    ...(spec.soname ? [[C.DT_SONAME, strings.get(spec.soname)!] as [number, number]] : []),
    ...(spec.runpath ? [[C.DT_RUNPATH, strings.get(spec.runpath)!] as [number, number]] : []),
    [C.DT_STRTAB, at.dynstr],
    [C.DT_STRSZ, dynstr.length],
    [C.DT_SYMTAB, at.dynsym],
    [C.DT_SYMENT, C.SYM_SIZE[bits]],
    [(spec.hash ?? "sysv") === "sysv" ? C.DT_HASH : C.DT_GNU_HASH, at.hash],
    ...(needs.length > 0 ? [[C.DT_VERNEED, at.verneed] as [number, number], [C.DT_VERNEEDNUM, needs.length] as [number, number]] : []),
    [C.DT_NULL, 0],
  ];
  for (const [tag, value] of entries) {
    if (!dynamicEntry.has(tag)) dynamicEntry.set(tag, w.length);
    word(tag);
    word(value);
  }
  const dynamicSize = w.length - at.dynamic;

  // Section headers: null, .interp?, .dynstr, .dynsym, .hash, .gnu.version_r?, .note?, .ARM.attributes?, .dynamic, .shstrtab.
  const sectionHeader = new Map<string, number>();
  let shoff = 0;
  let shnum = 0;
  let shstrndx = 0;
  if (withSections) {
    type Row = { name: string; type: number; offset: number; size: number; link: number; info: number; align: number; entsize: number };
    const rows: Row[] = [{ name: "", type: C.SHT_NULL, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
    const add = (row: Row): number => rows.push(row) - 1;
    if (at.interp >= 0) add({ name: ".interp", type: 1, offset: at.interp, size: sizes.get("interp")!, link: 0, info: 0, align: 1, entsize: 0 });
    const dynstrIndex = add({ name: ".dynstr", type: C.SHT_STRTAB, offset: at.dynstr, size: dynstr.length, link: 0, info: 0, align: 1, entsize: 0 });
    add({ name: ".dynsym", type: C.SHT_DYNSYM, offset: at.dynsym, size: symbols.length * C.SYM_SIZE[bits], link: dynstrIndex, info: 1, align: 8, entsize: C.SYM_SIZE[bits] });
    if (needs.length > 0) add({ name: ".gnu.version_r", type: C.SHT_GNU_VERNEED, offset: at.verneed, size: needs.reduce((n, v) => n + 16 + 16 * v.versions.length, 0), link: dynstrIndex, info: needs.length, align: 4, entsize: 0 });
    if (at.notes >= 0) add({ name: ".note", type: C.SHT_NOTE, offset: at.notes, size: sizes.get("notes")!, link: 0, info: 0, align: 4, entsize: 0 });
    if (at.arm >= 0) add({ name: ".ARM.attributes", type: C.SHT_ARM_ATTRIBUTES, offset: at.arm, size: spec.armAttributes!.length, link: 0, info: 0, align: 1, entsize: 0 });
    add({ name: ".dynamic", type: C.SHT_DYNAMIC, offset: at.dynamic, size: dynamicSize, link: dynstrIndex, info: 0, align: 8, entsize: C.DYN_SIZE[bits] });
    const names: number[] = [0];
    const nameIndex = rows.map((r) => {
      if (r.name === "") return 0;
      const index = names.length;
      names.push(...text.encode(r.name), 0);
      return index;
    });
    const shstrtabName = names.length;
    names.push(...text.encode(".shstrtab"), 0);
    at.shstrtab = w.length;
    w.raw(Uint8Array.from(names));
    shstrndx = rows.length;
    rows.push({ name: ".shstrtab", type: C.SHT_STRTAB, offset: at.shstrtab, size: names.length, link: 0, info: 0, align: 1, entsize: 0 });
    nameIndex.push(shstrtabName);
    shoff = w.align(8);
    rows.forEach((r, i) => {
      sectionHeader.set(r.name, w.length);
      w.u32(nameIndex[i]!);
      w.u32(r.type);
      word(r.type === C.SHT_NULL || r.name === ".shstrtab" ? 0 : 2); // SHF_ALLOC
      word(r.name === ".shstrtab" ? 0 : r.offset); // address = offset
      word(r.offset);
      word(r.size);
      w.u32(r.link);
      w.u32(r.info);
      word(r.align);
      word(r.entsize);
    });
    shnum = rows.length;
  }
  const fileSize = w.length;

  // Program headers, then the ELF header, at the front.
  const end = w.length;
  w.length = ehsize;
  const segment = (type: number, offset: number, size: number, flags: number, align: number): void => {
    if (bits === 64) {
      w.u32(type);
      w.u32(flags);
      w.u64(offset);
      w.u64(offset);
      w.u64(offset);
      w.u64(size);
      w.u64(size);
      w.u64(align);
    } else {
      w.u32(type);
      w.u32(offset);
      w.u32(offset);
      w.u32(offset);
      w.u32(size);
      w.u32(size);
      w.u32(flags);
      w.u32(align);
    }
  };
  for (const type of segments) {
    if (type === C.PT_LOAD) segment(type, 0, fileSize, 5, 0x1000);
    if (type === C.PT_DYNAMIC) segment(type, at.dynamic, dynamicSize, 6, 8);
    if (type === C.PT_INTERP) segment(type, at.interp, sizes.get("interp")!, 4, 1);
    if (type === C.PT_NOTE) segment(type, at.notes, sizes.get("notes")!, 4, 4);
  }
  w.length = 0;
  w.raw(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, little ? 1 : 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  w.u16(spec.type ?? C.ET_DYN);
  w.u16(spec.machine ?? C.EM_X86_64);
  w.u32(1);
  word(0); // e_entry
  word(ehsize); // e_phoff
  word(shoff);
  w.u32(spec.flags ?? 0);
  w.u16(ehsize);
  w.u16(phentsize);
  w.u16(segments.length);
  w.u16(C.SHDR_SIZE[bits]);
  w.u16(shnum);
  w.u16(shstrndx);
  w.length = end;
  return { bytes: w.bytes.slice(0, fileSize), bits, little, phoff: ehsize, shoff, at, sectionHeader, dynamicEntry, strings };
}

/** Overwrites an unsigned field of `size` bytes (2, 4 or 8) at `offset`. */
export function setField(elf: BuiltElf, offset: number, size: 2 | 4 | 8, value: number): void {
  const view = new DataView(elf.bytes.buffer, elf.bytes.byteOffset, elf.bytes.byteLength);
  if (size === 2) view.setUint16(offset, value, elf.little);
  else if (size === 4) view.setUint32(offset, value >>> 0, elf.little);
  else {
    const lo = value % 0x1_0000_0000;
    const hi = Math.floor(value / 0x1_0000_0000);
    view.setUint32(elf.little ? offset : offset + 4, lo, elf.little);
    view.setUint32(elf.little ? offset + 4 : offset, hi, elf.little);
  }
}

/** Overwrites an address-sized field (u32 in ELFCLASS32, u64 in ELFCLASS64). */
export function setWord(elf: BuiltElf, offset: number, value: number): void {
  setField(elf, offset, elf.bits === 64 ? 8 : 4, value);
}

/** Offsets of header fields that move with the class. */
export function headerField(bits: 32 | 64, name: "e_phoff" | "e_shoff" | "e_phentsize" | "e_phnum" | "e_shentsize" | "e_shnum" | "e_shstrndx"): number {
  const w = bits === 64 ? 8 : 4;
  const at = 24 + 3 * w;
  return { e_phoff: 24 + w, e_shoff: 24 + 2 * w, e_phentsize: at + 6, e_phnum: at + 8, e_shentsize: at + 10, e_shnum: at + 12, e_shstrndx: at + 14 }[name];
}

/** The file offset of section header field `field` (sh_offset, sh_size, sh_link, sh_info, sh_entsize, sh_name). */
export function sectionField(elf: BuiltElf, section: string, field: "sh_name" | "sh_offset" | "sh_size" | "sh_link" | "sh_info" | "sh_entsize"): number {
  const base = elf.sectionHeader.get(section);
  if (base === undefined) throw new Error(`no section ${section}`);
  const w = elf.bits === 64 ? 8 : 4;
  return base + { sh_name: 0, sh_offset: 8 + 2 * w, sh_size: 8 + 3 * w, sh_link: 8 + 4 * w, sh_info: 12 + 4 * w, sh_entsize: 16 + 5 * w }[field];
}

/** The file offset of field `field` of program header `index`. */
export function segmentField(elf: BuiltElf, index: number, field: "p_offset" | "p_filesz" | "p_vaddr"): number {
  const base = elf.phoff + index * C.PHDR_SIZE[elf.bits];
  return base + (elf.bits === 64 ? { p_offset: 8, p_vaddr: 16, p_filesz: 32 } : { p_offset: 4, p_vaddr: 8, p_filesz: 16 })[field];
}
