// One case per kind of malformation, in each class and byte order: each must throw FormatError("elf")
// saying what was wrong and where the reader gave up.

import { describe, it } from "vitest";
import * as C from "../../src/elf/constants.js";
import { parseElf } from "../../src/elf/index.js";
import { buildElf, headerField, sectionField, segmentField, setField, setWord, type BuiltElf, type ElfSpec } from "./builder.js";
import { expectFormatError } from "./expect-error.js";

interface Case {
  name: string;
  bytes: Uint8Array;
  offset: number;
  message: RegExp;
}

const verneed = { verneed: [{ file: "libc.so.6", versions: ["GLIBC_2.17", "GLIBC_2.28"] }] };
const noted = { notes: [{ owner: "GNU", type: C.NT_GNU_BUILD_ID, desc: Uint8Array.from([1, 2, 3, 4]) }] };
/**
 * `.ARM.attributes` with Tag_CPU_arch v7: 'A', one "aeabi" subsection (u32 length 22 at 1, vendor at
 * 5), one Tag_File block (tag at 11, u32 size 12 at 12) holding Tag_CPU_arch 10 (at 16),
 * Tag_CPU_arch_profile 'A' (at 18) and Tag_conformance "2" (at 20). Lengths are in file byte order.
 */
function armAttributes(little: boolean): Uint8Array {
  const u32 = (n: number): number[] => (little ? [n, 0, 0, 0] : [0, 0, 0, n]);
  return Uint8Array.from([0x41, ...u32(22), ...new TextEncoder().encode("aeabi\0"), 1, ...u32(12), 6, 10, 7, 0x41, 67, 0x32, 0]);
}

/** Builds an ELF, lets `patch` break it, and returns the bytes with the offset `patch` names. */
function broken(spec: ElfSpec, patch: (elf: BuiltElf) => number): { bytes: Uint8Array; offset: number } {
  const elf = buildElf(spec);
  const offset = patch(elf);
  return { bytes: elf.bytes, offset };
}

/** The value field of the first dynamic entry with `tag`. */
function dynValue(elf: BuiltElf, tag: number): number {
  return elf.dynamicEntry.get(tag)! + (elf.bits === 64 ? 8 : 4);
}

function cases(bits: 32 | 64, little: boolean): Case[] {
  const label = `ELF${bits} ${little ? "LSB" : "MSB"}`;
  const s = (spec: ElfSpec = {}): ElfSpec => ({ bits, little, ...spec });
  const stripped = (spec: ElfSpec = {}): ElfSpec => s({ sections: false, ...spec });
  const ehsize = C.EHDR_SIZE[bits];
  const arm = s({ machine: C.EM_ARM, armAttributes: armAttributes(little) });
  const rows: [string, ElfSpec, (e: BuiltElf) => number, RegExp][] = [
    ["EI_CLASS 3", s(), (e) => ((e.bytes[4] = 3), 4), /EI_CLASS 3 is neither/],
    ["EI_DATA 0", s(), (e) => ((e.bytes[5] = 0), 5), /EI_DATA 0 is neither/],
    ["EI_VERSION 2", s(), (e) => ((e.bytes[6] = 2), 6), /EI_VERSION 2 is not EV_CURRENT/],
    ["e_phentsize of another class", s(), (e) => (setField(e, headerField(bits, "e_phentsize"), 2, bits === 64 ? 32 : 56), headerField(bits, "e_phentsize")), /e_phentsize \d+ is not the \d+ of an Elf\d+_Phdr/],
    ["program headers past the end", s(), (e) => (setWord(e, headerField(bits, "e_phoff"), e.bytes.length - 8), e.bytes.length - 8), /program headers .* run past the end of the file/],
    ["a 0xfffe e_phnum", s(), (e) => (setField(e, headerField(bits, "e_phnum"), 2, 0xfffe), ehsize), /e_phnum 65534\): .* run past the end/],
    ["e_shentsize 0", s(), (e) => (setField(e, headerField(bits, "e_shentsize"), 2, 0), headerField(bits, "e_shentsize")), /e_shentsize 0 is not the/],
    ["section headers past the end", s(), (e) => (setWord(e, headerField(bits, "e_shoff"), e.bytes.length + 100), e.bytes.length), /section header 0 .* run past the end/],
    ["a section count of 2^32 - 1 (e_shnum 0, extended numbering)", s(), (e) => (setField(e, headerField(bits, "e_shnum"), 2, 0), setWord(e, sectionField(e, "", "sh_size"), 0xffffffff), e.shoff), /4294967295 sections\): .* run past the end/],
    ["e_shstrndx past the sections", s(), (e) => (setField(e, headerField(bits, "e_shstrndx"), 2, 99), headerField(bits, "e_shstrndx")), /e_shstrndx 99 is not a section/],
    ["a section name table that is not SHT_STRTAB", s(), (e) => (setField(e, sectionField(e, ".shstrtab", "sh_name") + 4, 4, C.SHT_DYNSYM), e.at.shstrtab), /section name table .* has type 11, not SHT_STRTAB/],
    ["a section name index outside the name table", s(), (e) => (setField(e, sectionField(e, ".dynsym", "sh_name"), 4, 5000), e.at.shstrtab), /section header \d name: name index 5000 is outside/],
    [
      "a section name table without its last NUL",
      s(),
      (e) => {
        const size = sectionField(e, ".shstrtab", "sh_size");
        const bytes = new DataView(e.bytes.buffer);
        const value = e.bits === 64 ? Number(bytes.getBigUint64(size, e.little)) : bytes.getUint32(size, e.little);
        setWord(e, size, value - 1);
        return e.at.shstrtab + value - ".shstrtab\0".length;
      },
      /name at 0x[0-9a-f]+ is not NUL-terminated inside the section name table/,
    ],
    ["PT_DYNAMIC past the end", s(), (e) => (setWord(e, segmentField(e, 1, "p_offset"), e.bytes.length + 64), e.bytes.length), /dynamic section \(PT_DYNAMIC\): .* run past the end/],
    ["a dynamic section without DT_NULL", s(), (e) => (setWord(e, segmentField(e, 1, "p_filesz"), C.DYN_SIZE[bits] * 2), e.at.dynamic), /PT_DYNAMIC, 2 entries .* has no DT_NULL/],
    ["DT_STRTAB in no PT_LOAD segment", s(), (e) => (setWord(e, dynValue(e, C.DT_STRTAB), 0x7fff0000), e.dynamicEntry.get(C.DT_STRTAB)!), /DT_STRTAB 0x7fff0000.*address 0x7fff0000 is in no PT_LOAD segment/],
    ["DT_STRSZ running past its segment", s(), (e) => (setWord(e, dynValue(e, C.DT_STRSZ), e.bytes.length), e.at.dynstr), /DT_STRSZ \d+\): \d+ bytes at address 0x[0-9a-f]+ run past the end of their PT_LOAD segment/],
    ["DT_STRTAB without DT_STRSZ", s(), (e) => (setWord(e, e.dynamicEntry.get(C.DT_STRSZ)!, 0x6ffffff0), e.dynamicEntry.get(C.DT_STRTAB)!), /DT_STRTAB without DT_STRSZ/],
    ["a DT_NEEDED name outside the string table", s(), (e) => (setWord(e, dynValue(e, C.DT_NEEDED), 4096), e.at.dynstr), /DT_NEEDED .*name index 4096 is outside the dynamic string table/],
    ["a string table cut inside its last string", s({ needed: ["libzzz.so"], soname: "libx.so" }), (e) => (setWord(e, dynValue(e, C.DT_STRSZ), e.strings.get("libx.so")! + 3), e.at.dynstr + e.strings.get("libx.so")!), /DT_SONAME .*not NUL-terminated inside the dynamic string table/],
    [".dynsym with the wrong sh_entsize", s(), (e) => (setWord(e, sectionField(e, ".dynsym", "sh_entsize"), 12), e.at.dynsym), /\.dynsym \(section \d\): sh_entsize 12 is not the \d+ of an Elf\d+_Sym/],
    [".dynsym linked to no section", s(), (e) => (setField(e, sectionField(e, ".dynsym", "sh_link"), 4, 77), e.at.dynsym), /sh_link 77 is not a section/],
    [".dynsym past the end", s(), (e) => (setWord(e, sectionField(e, ".dynsym", "sh_size"), C.SYM_SIZE[bits] * 1_000_000), e.at.dynsym), /\.dynsym \(section \d\): \d+ bytes at 0x[0-9a-f]+ run past the end/],
    ["a symbol name outside the string table", s(), (e) => (setField(e, e.at.dynsym + C.SYM_SIZE[bits], 4, 9999), e.at.dynstr), /dynamic symbol 1: name index 9999 is outside/],
    ["2^32 - 1 version needs (sh_info)", s(verneed), (e) => (setField(e, sectionField(e, ".gnu.version_r", "sh_info"), 4, 0xffffffff), e.at.verneed), /4294967295 entries cannot fit/],
    ["a version need with vn_version 2", s(verneed), (e) => (setField(e, e.at.verneed, 2, 2), e.at.verneed), /Elf_Verneed 0 has vn_version 2, not 1/],
    ["a vn_aux pointing outside the table", s(verneed), (e) => (setField(e, e.at.verneed + 8, 4, 0x10000), e.at.verneed + 8), /Elf_Vernaux 0 of Elf_Verneed 0 at 0x[0-9a-f]+ is outside/],
    ["a vn_cnt of 65535", s(verneed), (e) => (setField(e, e.at.verneed + 2, 2, 0xffff), e.at.verneed + 2), /more Elf_Vernaux entries than the table can hold/],
    ["a vna_next past the table", s(verneed), (e) => (setField(e, e.at.verneed + 16 + 12, 4, 0xfffffff0), e.at.verneed + 16 + 12), /Elf_Vernaux 1 of Elf_Verneed 0 at 0x[0-9a-f]+ is outside/],
    ["a vn_next past the table", s({ verneed: [...verneed.verneed, { file: "libm.so.6", versions: ["GLIBC_2.29"] }] }), (e) => (setField(e, e.at.verneed + 12, 4, 0x100000), e.at.verneed + 12), /Elf_Verneed 1 at 0x[0-9a-f]+ is outside/],
    ["no section headers: 2^32 - 1 symbols in DT_HASH", stripped(), (e) => (setField(e, e.at.hash + 4, 4, 0xffffffff), e.at.dynsym), /4294967295 symbols\): \d+ bytes at address 0x[0-9a-f]+ run past the end of their PT_LOAD segment/],
    ["no section headers: DT_HASH in no segment", stripped(), (e) => (setWord(e, dynValue(e, C.DT_HASH), 0x7fff0000), e.dynamicEntry.get(C.DT_HASH)!), /DT_HASH table at 0x7fff0000: address .* is in no PT_LOAD segment/],
    ["no section headers: DT_SYMTAB without a hash table", stripped(), (e) => (setWord(e, e.dynamicEntry.get(C.DT_HASH)!, 0x6ffffff0), e.dynamicEntry.get(C.DT_SYMTAB)!), /DT_SYMTAB without DT_HASH or DT_GNU_HASH/],
    ["no section headers: DT_GNU_HASH with 2^32 - 1 buckets", stripped({ hash: "gnu" }), (e) => (setField(e, e.at.hash, 4, 0xffffffff), e.at.hash), /DT_GNU_HASH table at 0x[0-9a-f]+: 4294967295 buckets: .* run past the end of their PT_LOAD segment/],
    ["no section headers: a GNU hash bucket below symoffset", stripped({ hash: "gnu" }), (e) => (setField(e, e.at.hash + 4, 4, 5), e.at.hash + 16 + bits / 8), /bucket value 1 is below symoffset 5/],
    ["no section headers: DT_VERNEED without DT_VERNEEDNUM", stripped(verneed), (e) => (setWord(e, e.dynamicEntry.get(C.DT_VERNEEDNUM)!, 0x6ffffff0), e.dynamicEntry.get(C.DT_VERNEED)!), /DT_VERNEED without DT_VERNEEDNUM/],
    ["no section headers: 2^32 - 1 version needs (DT_VERNEEDNUM)", stripped(verneed), (e) => (setWord(e, dynValue(e, C.DT_VERNEEDNUM), 0xffffffff), e.at.verneed), /4294967295 entries cannot fit/],
    ["a note whose namesz runs past the section", s(noted), (e) => (setField(e, e.at.notes, 4, 0x7fffffff), e.at.notes), /note section \d \(\.note\): the note at 0x[0-9a-f]+ \(namesz 2147483647/],
    ["a note whose descsz runs past the section", s(noted), (e) => (setField(e, e.at.notes + 4, 4, 0xfffffff0), e.at.notes), /descsz 4294967280\) runs past its end/],
    ["no section headers: a PT_NOTE cut inside a note header", stripped(noted), (e) => (setWord(e, segmentField(e, 2, "p_filesz"), 6), e.at.notes), /PT_NOTE segment 2: a note header at 0x[0-9a-f]+ is cut off/],
    ["PT_INTERP without its NUL", s({ interp: "/lib/ld.so" }), (e) => (setWord(e, segmentField(e, 2, "p_filesz"), 4), e.at.interp), /PT_INTERP \(program header 2\): the interpreter path at 0x[0-9a-f]+ is not NUL-terminated/],
    ["ARM attributes of format version 'B'", arm, (e) => ((e.bytes[e.at.arm] = 0x42), e.at.arm), /format version 66 is not 'A'/],
    ["an ARM attribute subsection longer than the section", arm, (e) => (setField(e, e.at.arm + 1, 4, 0x1000), e.at.arm + 1), /subsection at 0x[0-9a-f]+ has length 4096, outside the section/],
    ["an ARM vendor name without NUL", arm, (e) => (e.bytes.fill(0x61, e.at.arm + 5, e.at.arm + 23), e.at.arm + 5), /vendor name at 0x[0-9a-f]+ is not NUL-terminated/],
    ["an ARM attribute block larger than its subsection", arm, (e) => (setField(e, e.at.arm + 12, 4, 13), e.at.arm + 11), /attribute block at 0x[0-9a-f]+ has size 13, outside its subsection/],
    ["an ULEB128 that runs past its ARM attribute block", arm, (e) => (setField(e, e.at.arm + 12, 4, 8), e.bytes.fill(0x80, e.at.arm + 16, e.at.arm + 19), e.at.arm + 16), /ULEB128 at 0x[0-9a-f]+ runs past its block/],
    ["an ARM attribute value of 2^35", arm, (e) => (e.bytes.set([0x80, 0x80, 0x80, 0x80, 0x7f], e.at.arm + 17), e.at.arm + 17), /ULEB128 at 0x[0-9a-f]+ is too large/],
  ];
  const made: Case[] = rows.map(([name, spec, patch, message]) => ({ name: `${label}: ${name}`, ...broken(spec, patch), message }));
  // Truncated at every header boundary: inside e_ident, and inside the class's header.
  const whole = buildElf(s()).bytes;
  for (const length of [0, 3, 15]) made.push({ name: `${label}: ${length} bytes`, bytes: whole.subarray(0, length), offset: 0, message: /fewer than the 16 of e_ident|no ELF magic/ });
  made.push({ name: `${label}: cut inside the ELF header`, bytes: whole.subarray(0, ehsize - 1), offset: 0, message: new RegExp(`ELF${bits} header: ${ehsize} bytes at 0x0 run past the end`) });
  made.push({ name: `${label}: cut inside the program headers`, bytes: whole.subarray(0, ehsize + 10), offset: ehsize, message: /program headers .* run past the end/ });
  return made;
}

describe("parseElf on malformed files", () => {
  it.each([...cases(64, true), ...cases(64, false), ...cases(32, true), ...cases(32, false)])("$name", ({ bytes, offset, message }) => {
    expectFormatError(() => parseElf(bytes), "elf", offset, message);
  });

  it("rejects bytes that are not ELF at all", () => {
    expectFormatError(() => parseElf(new TextEncoder().encode("#!/bin/sh\necho hi\n")), "elf", 0, /no ELF magic/);
  });
});
