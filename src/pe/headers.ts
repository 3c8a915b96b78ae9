// The MS-DOS stub's e_lfanew, the PE signature, the COFF file header, the optional header and the
// section table (PE Format, "MS-DOS Stub", "Signature", "COFF File Header", "Optional Header",
// "Section Table"), and the RVA → file offset mapping every directory read goes through.

import type { PeSection } from "../model/pe.js";
import * as C from "./constants.js";
import { decode, fail, hex, inFile, need, u16, u32, u64, type PeBytes } from "./reader.js";

export interface PeHeaders {
  machine: number;
  timeDateStamp: number;
  characteristics: number;
  magic: "PE32" | "PE32+";
  entryPoint: number;
  imageBase: number;
  sizeOfHeaders: number;
  subsystem: number;
  dllCharacteristics: number;
  dataDirectories: { rva: number; size: number }[];
  sections: PeSection[];
}

export function readHeaders(f: PeBytes): PeHeaders {
  if (f.bytes.length < 0x40) fail(`MS-DOS header: the file has ${f.bytes.length} bytes, fewer than the 64 of the MS-DOS header`, 0);
  if (u16(f, 0, "e_magic") !== C.IMAGE_DOS_SIGNATURE) fail("MS-DOS header: no MZ signature", 0);
  const lfanew = u32(f, C.E_LFANEW, "e_lfanew");
  if (lfanew < 0x40 || lfanew > f.bytes.length - 4) fail(`e_lfanew ${hex(lfanew)} does not point inside the file (size ${hex(f.bytes.length)}) past the MS-DOS header`, C.E_LFANEW);
  if (u32(f, lfanew, "PE signature") !== C.IMAGE_NT_SIGNATURE) fail(`no PE\\0\\0 signature at e_lfanew ${hex(lfanew)}`, lfanew);

  const coff = lfanew + 4;
  need(f, coff, C.COFF_HEADER_SIZE, "COFF file header");
  const machine = u16(f, coff, "Machine");
  const numberOfSections = u16(f, coff + 2, "NumberOfSections");
  const timeDateStamp = u32(f, coff + 4, "TimeDateStamp");
  const sizeOfOptionalHeader = u16(f, coff + 16, "SizeOfOptionalHeader");
  const characteristics = u16(f, coff + 18, "Characteristics");

  const opt = coff + C.COFF_HEADER_SIZE;
  need(f, opt, sizeOfOptionalHeader, `optional header (SizeOfOptionalHeader ${sizeOfOptionalHeader})`);
  if (sizeOfOptionalHeader < 2) fail(`SizeOfOptionalHeader ${sizeOfOptionalHeader} leaves no room for the optional header magic`, coff + 16);
  const magicValue = u16(f, opt, "optional header Magic");
  if (magicValue !== C.IMAGE_NT_OPTIONAL_HDR32_MAGIC && magicValue !== C.IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
    fail(`optional header Magic ${hex(magicValue)} is neither PE32 (0x10b) nor PE32+ (0x20b)`, opt);
  }
  const magic = magicValue === C.IMAGE_NT_OPTIONAL_HDR64_MAGIC ? "PE32+" : "PE32";
  // PE32+ widens ImageBase and the four stack / heap sizes to 8 bytes and drops BaseOfData.
  const plus = magic === "PE32+";
  const dirsAt = plus ? 112 : 96;
  if (sizeOfOptionalHeader < dirsAt) fail(`SizeOfOptionalHeader ${sizeOfOptionalHeader} is smaller than the ${dirsAt} bytes of a ${magic} optional header`, coff + 16);
  const field = (o: number, what: string): number => u32(f, opt + o, what);
  const numberOfRvaAndSizes = field(dirsAt - 4, "NumberOfRvaAndSizes");
  if (numberOfRvaAndSizes > (sizeOfOptionalHeader - dirsAt) / 8) {
    fail(`NumberOfRvaAndSizes ${numberOfRvaAndSizes} data directories do not fit in SizeOfOptionalHeader ${sizeOfOptionalHeader}`, opt + dirsAt - 4);
  }
  const dataDirectories: { rva: number; size: number }[] = [];
  for (let i = 0; i < Math.min(numberOfRvaAndSizes, 16); i++) {
    dataDirectories.push({ rva: field(dirsAt + 8 * i, `data directory ${i}`), size: field(dirsAt + 8 * i + 4, `data directory ${i}`) });
  }

  const table = opt + sizeOfOptionalHeader;
  need(f, table, numberOfSections * C.SECTION_HEADER_SIZE, `section table (${numberOfSections} sections at ${hex(table)})`);
  const sections: PeSection[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const s = table + i * C.SECTION_HEADER_SIZE;
    const raw = f.bytes.subarray(s, s + 8);
    const nul = raw.indexOf(0);
    const what = `section header ${i}`;
    sections.push({
      name: decode(nul < 0 ? raw : raw.subarray(0, nul)),
      virtualSize: u32(f, s + 8, what),
      virtualAddress: u32(f, s + 12, what),
      sizeOfRawData: u32(f, s + 16, what),
      pointerToRawData: u32(f, s + 20, what),
      characteristics: u32(f, s + 36, what),
    });
  }

  return {
    machine,
    timeDateStamp,
    characteristics,
    magic,
    entryPoint: field(16, "AddressOfEntryPoint"),
    imageBase: plus ? u64(f, opt + 24, "ImageBase") : field(28, "ImageBase"),
    sizeOfHeaders: field(60, "SizeOfHeaders"),
    subsystem: u16(f, opt + 68, "Subsystem"),
    dllCharacteristics: u16(f, opt + 70, "DllCharacteristics"),
    dataDirectories,
    sections,
  };
}

/**
 * Where `rva` is in the file, and how many bytes from there belong to the same mapping: the raw data
 * of the section whose virtual range holds it (the loader maps SizeOfRawData bytes from
 * PointerToRawData), or the headers, which are mapped at RVA 0. `from` is the file offset of the
 * field that gave the RVA (where a failure is reported).
 */
function locate(f: PeBytes, headers: PeHeaders, rva: number, what: string, from: number): { offset: number; available: number; where: string } {
  for (const s of headers.sections) {
    if (rva < s.virtualAddress || rva - s.virtualAddress >= Math.max(s.virtualSize, s.sizeOfRawData)) continue;
    const delta = rva - s.virtualAddress;
    const where = `section ${s.name || "(unnamed)"}`;
    if (delta >= s.sizeOfRawData) fail(`${what}: RVA ${hex(rva)} is in the uninitialised part of ${where}`, inFile(f, from));
    const offset = s.pointerToRawData + delta;
    const available = Math.min(s.sizeOfRawData - delta, Math.max(0, f.bytes.length - offset));
    if (offset >= f.bytes.length) fail(`${what}: RVA ${hex(rva)} is at file offset ${hex(offset)}, past the end of the file (${hex(f.bytes.length)})`, inFile(f, from));
    return { offset, available, where };
  }
  if (rva >= 0 && rva < headers.sizeOfHeaders && rva < f.bytes.length) return { offset: rva, available: Math.min(headers.sizeOfHeaders, f.bytes.length) - rva, where: "the headers" };
  return fail(`${what}: RVA ${hex(rva)} is outside every section`, inFile(f, from));
}

/** The file offset of `length` bytes at `rva`, which must all come from one mapping (see locate). */
export function rvaToOffset(f: PeBytes, headers: PeHeaders, rva: number, length: number, what: string, from: number): number {
  const { offset, available, where } = locate(f, headers, rva, what, from);
  if (length > available) fail(`${what}: ${length} bytes at RVA ${hex(rva)} run past the end of ${where} in the file`, inFile(f, from));
  return offset;
}

/** A longer name is treated as corruption (DLL and export names stay far below this). */
export const MAX_NAME_LENGTH = 64 * 1024;

/** The bytes of the NUL-terminated string at `rva`, which must end inside the mapping that holds it. */
export function stringAtRva(f: PeBytes, headers: PeHeaders, rva: number, what: string, from: number): Uint8Array {
  const { offset, available } = locate(f, headers, rva, what, from);
  const nul = f.bytes.subarray(offset, offset + Math.min(available, MAX_NAME_LENGTH + 1)).indexOf(0);
  if (nul < 0) fail(`${what}: the string at RVA ${hex(rva)} is not NUL-terminated`, offset);
  return f.bytes.subarray(offset, offset + nul);
}
