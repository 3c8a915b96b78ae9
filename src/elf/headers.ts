// The ELF header, program headers and section headers (System V gABI, "ELF Header", "Program
// Header", "Sections"), including extended numbering (PN_XNUM, SHN_XINDEX, e_shnum 0).

import type { ElfFileType, ElfSection, ElfSegment } from "../model/elf.js";
import * as C from "./constants.js";
import { elfBytes, fail, hex, inFile, need, u16, u32, u8, word, type ElfBytes, type StringTable, stringAt } from "./reader.js";

export interface ElfHeader {
  f: ElfBytes;
  osAbi: number;
  abiVersion: number;
  type: ElfFileType;
  machine: number;
  flags: number;
  entry: number;
  segments: ElfSegment[];
  sections: ElfSection[];
}

const TYPES: Record<number, ElfFileType> = { 0: "none", 1: "rel", 2: "exec", 3: "dyn", 4: "core" };

export function readHeader(bytes: Uint8Array): ElfHeader {
  if (bytes.length < 16) fail(`e_ident: the file has ${bytes.length} bytes, fewer than the 16 of e_ident`, 0);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) fail("e_ident: no ELF magic (\\x7fELF)", 0);
  const elfClass = bytes[4];
  const data = bytes[5];
  if (elfClass !== C.ELFCLASS32 && elfClass !== C.ELFCLASS64) fail(`e_ident: EI_CLASS ${elfClass} is neither ELFCLASS32 nor ELFCLASS64`, 4);
  if (data !== C.ELFDATA2LSB && data !== C.ELFDATA2MSB) fail(`e_ident: EI_DATA ${data} is neither ELFDATA2LSB nor ELFDATA2MSB`, 5);
  if (bytes[6] !== C.EV_CURRENT) fail(`e_ident: EI_VERSION ${bytes[6]} is not EV_CURRENT (1)`, 6);
  const bits = elfClass === C.ELFCLASS64 ? 64 : 32;
  const f = elfBytes(bytes, data === C.ELFDATA2LSB, bits);
  const ehsize = C.EHDR_SIZE[bits];
  need(f, 0, ehsize, `ELF${bits} header`);

  // Offsets of the fields after e_entry differ by class (<elf.h> Elf32_Ehdr / Elf64_Ehdr).
  const w = bits === 64 ? 8 : 4;
  const type = u16(f, 16, "e_type");
  const machine = u16(f, 18, "e_machine");
  const entry = word(f, 24, "e_entry");
  const phoff = word(f, 24 + w, "e_phoff");
  const shoff = word(f, 24 + 2 * w, "e_shoff");
  const at = 24 + 3 * w;
  const flags = u32(f, at, "e_flags");
  const phentsize = u16(f, at + 6, "e_phentsize");
  let phnum = u16(f, at + 8, "e_phnum");
  const shentsize = u16(f, at + 10, "e_shentsize");
  let shnum = u16(f, at + 12, "e_shnum");
  let shstrndx = u16(f, at + 14, "e_shstrndx");

  // Section 0 holds the real counts when they do not fit in the header (extended numbering).
  const section0 = (field: number, size: 4 | 8, what: string): number => {
    if (shentsize !== C.SHDR_SIZE[bits]) fail(`e_shentsize ${shentsize} is not the ${C.SHDR_SIZE[bits]} of an Elf${bits}_Shdr`, at + 10);
    need(f, shoff, shentsize, `section header 0 (e_shoff ${hex(shoff)})`);
    return size === 8 ? word(f, shoff + field, what) : u32(f, shoff + field, what);
  };
  if (phnum === C.PN_XNUM) {
    if (shoff === 0) fail("e_phnum is PN_XNUM but there is no section 0 to hold the count", at + 8);
    phnum = section0(bits === 64 ? 44 : 28, 4, "section 0 sh_info (the segment count)");
  }
  const segments = readSegments(f, phoff, phnum, phentsize, at + 6);
  if (shoff !== 0) {
    if (shnum === 0) shnum = section0(bits === 64 ? 32 : 20, bits === 64 ? 8 : 4, "section 0 sh_size (the section count)");
    if (shstrndx === C.SHN_XINDEX) shstrndx = section0(bits === 64 ? 40 : 24, 4, "section 0 sh_link (the string table index)");
    section0(0, 4, "section header 0");
  } else {
    shnum = 0;
  }
  const sections = readSections(f, shoff, shnum, shstrndx, at + 14);
  return { f, osAbi: u8(f, 7, "EI_OSABI"), abiVersion: u8(f, 8, "EI_ABIVERSION"), type: TYPES[type] ?? `type(${type})`, machine, flags, entry, segments, sections };
}

function readSegments(f: ElfBytes, phoff: number, phnum: number, phentsize: number, fieldAt: number): ElfSegment[] {
  if (phnum === 0) return [];
  const size = C.PHDR_SIZE[f.bits];
  if (phentsize !== size) fail(`e_phentsize ${phentsize} is not the ${size} of an Elf${f.bits}_Phdr`, fieldAt);
  need(f, phoff, phnum * size, `program headers (e_phoff ${hex(phoff)}, e_phnum ${phnum})`);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * size;
    const what = `program header ${i}`;
    // Elf64_Phdr moves p_flags up next to p_type.
    segments.push(
      f.bits === 64
        ? {
            type: u32(f, p, what),
            flags: u32(f, p + 4, what),
            offset: word(f, p + 8, what),
            virtualAddress: word(f, p + 16, what),
            fileSize: word(f, p + 32, what),
            memorySize: word(f, p + 40, what),
            align: word(f, p + 48, what),
          }
        : {
            type: u32(f, p, what),
            offset: u32(f, p + 4, what),
            virtualAddress: u32(f, p + 8, what),
            fileSize: u32(f, p + 16, what),
            memorySize: u32(f, p + 20, what),
            flags: u32(f, p + 24, what),
            align: u32(f, p + 28, what),
          },
    );
  }
  return segments;
}

function readSections(f: ElfBytes, shoff: number, shnum: number, shstrndx: number, fieldAt: number): ElfSection[] {
  if (shnum === 0) return [];
  const size = C.SHDR_SIZE[f.bits];
  need(f, shoff, shnum * size, `section headers (e_shoff ${hex(shoff)}, ${shnum} sections)`);
  const sections: (ElfSection & { nameIndex: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = shoff + i * size;
    const what = `section header ${i}`;
    const w = f.bits === 64 ? 8 : 4;
    // Elf32_Shdr and Elf64_Shdr have the same fields; flags, addr, offset, size, addralign and entsize are words.
    sections.push({
      name: "",
      nameIndex: u32(f, s, what),
      type: u32(f, s + 4, what),
      flags: word(f, s + 8, what),
      address: word(f, s + 8 + w, what),
      offset: word(f, s + 8 + 2 * w, what),
      size: word(f, s + 8 + 3 * w, what),
      link: u32(f, s + 8 + 4 * w, what),
      info: u32(f, s + 12 + 4 * w, what),
      align: word(f, s + 16 + 4 * w, what),
      entrySize: word(f, s + 16 + 5 * w, what),
    });
  }
  if (shstrndx !== C.SHN_UNDEF) {
    const names = sections[shstrndx];
    if (names === undefined) fail(`e_shstrndx ${shstrndx} is not a section (there are ${shnum})`, fieldAt);
    const table = sectionStrings(f, names, `the section name table (section ${shstrndx})`);
    for (const [i, section] of sections.entries()) section.name = stringAt(f, table, section.nameIndex, `section header ${i} name`);
  }
  return sections.map(({ nameIndex: _nameIndex, ...section }) => section);
}

/** The contents of a section as a string table, checked to lie inside the file. */
export function sectionStrings(f: ElfBytes, section: ElfSection, what: string): StringTable {
  if (section.type !== C.SHT_STRTAB) fail(`${what} has type ${section.type}, not SHT_STRTAB`, inFile(f, section.offset));
  need(f, section.offset, section.size, what);
  return { offset: section.offset, size: section.size, what };
}

/**
 * The file offset of virtual address `address`, through the PT_LOAD segment that maps it from the
 * file (as the loader would); `length` bytes from there must come from the same segment. `from` is
 * the file offset of the field that gave the address (where a failure is reported).
 */
export function addressToOffset(f: ElfBytes, segments: readonly ElfSegment[], address: number, length: number, what: string, from: number): number {
  for (const s of segments) {
    if (s.type !== C.PT_LOAD || address < s.virtualAddress || address - s.virtualAddress >= s.fileSize) continue;
    const offset = s.offset + (address - s.virtualAddress);
    if (length > s.fileSize - (address - s.virtualAddress)) {
      fail(`${what}: ${length} bytes at address ${hex(address)} run past the end of their PT_LOAD segment`, inFile(f, offset));
    }
    need(f, offset, length, what);
    return offset;
  }
  return fail(`${what}: address ${hex(address)} is in no PT_LOAD segment`, from);
}
