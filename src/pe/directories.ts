// The data directories retag reads (PE Format, "Special Sections"): the export directory (.edata),
// the import and delay-load import directories (.idata), and the load configuration with the
// ARM64EC / ARM64X hybrid metadata it points to. Every RVA goes through rvaToOffset; every table is
// bounded by the bytes that hold it.

import type { PeCodeRange, PeFile } from "../model/pe.js";
import * as C from "./constants.js";
import { rvaToOffset, stringAtRva, type PeHeaders } from "./headers.js";
import { decode, fail, hex, u32, type PeBytes } from "./reader.js";

/** At most this many export names are collected per image. */
export const MAX_EXPORT_NAMES = 1_000_000;

function directory(headers: PeHeaders, index: number): { rva: number; size: number } | null {
  const entry = headers.dataDirectories[index];
  return entry === undefined || entry.rva === 0 ? null : entry;
}

/** File offset of data directory `index` in the optional header, for messages (set by parse.ts). */
export type DirectoryField = (index: number) => number;

/**
 * IMAGE_EXPORT_DIRECTORY: the DLL name and the export name pointer table (NumberOfNames RVAs of
 * NUL-terminated names, sorted). Exports by ordinal only have no name and are not listed.
 */
export function readExports(f: PeBytes, headers: PeHeaders, field: DirectoryField): { name: string | null; names: string[]; truncated: boolean } {
  const dir = directory(headers, C.IMAGE_DIRECTORY_ENTRY_EXPORT);
  if (dir === null) return { name: null, names: [], truncated: false };
  const what = "export directory";
  const at = rvaToOffset(f, headers, dir.rva, C.EXPORT_DIRECTORY_SIZE, what, field(C.IMAGE_DIRECTORY_ENTRY_EXPORT));
  const nameRva = u32(f, at + 12, what);
  const name = nameRva === 0 ? null : decode(stringAtRva(f, headers, nameRva, `${what}: Name`, at + 12));
  const count = u32(f, at + 24, what);
  if (count === 0) return { name, names: [], truncated: false };
  const table = rvaToOffset(f, headers, u32(f, at + 32, what), count * 4, `${what}: ${count} export names (AddressOfNames)`, at + 32);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (names.length >= MAX_EXPORT_NAMES) return { name, names, truncated: true };
    names.push(decode(stringAtRva(f, headers, u32(f, table + 4 * i, what), `${what}: export name ${i}`, table + 4 * i)));
  }
  return { name, names, truncated: false };
}

/**
 * The DLL names of a descriptor array ended by an all-zero descriptor: the import directory
 * (IMAGE_IMPORT_DESCRIPTOR, 20 bytes, Name at 12) or the delay-load one (32 bytes, DllNameRVA at 4).
 * Each descriptor must map; the walk stops at the zero one, so it is bounded by the section size.
 */
function readDescriptorNames(f: PeBytes, headers: PeHeaders, index: number, size: number, nameAt: number, what: string, field: DirectoryField, nameIsVa: (at: number) => boolean): string[] {
  const dir = directory(headers, index);
  if (dir === null) return [];
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const rva = dir.rva + i * size;
    const at = rvaToOffset(f, headers, rva, size, `${what} descriptor ${i}`, i === 0 ? field(index) : rva - size);
    let zero = true;
    for (let o = 0; o < size; o += 4) if (u32(f, at + o, what) !== 0) zero = false;
    if (zero) return names;
    const name = u32(f, at + nameAt, what);
    names.push(decode(stringAtRva(f, headers, nameIsVa(at) ? name - headers.imageBase : name, `${what} descriptor ${i}: Name`, at + nameAt)));
  }
}

export function readImports(f: PeBytes, headers: PeHeaders, field: DirectoryField): string[] {
  return readDescriptorNames(f, headers, C.IMAGE_DIRECTORY_ENTRY_IMPORT, C.IMPORT_DESCRIPTOR_SIZE, 12, "import directory", field, () => false);
}

export function readDelayImports(f: PeBytes, headers: PeHeaders, field: DirectoryField): string[] {
  // Attributes bit 0 clear: the old (Visual C++ 6) layout, whose pointers are VAs, not RVAs.
  return readDescriptorNames(f, headers, C.IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT, C.DELAY_IMPORT_DESCRIPTOR_SIZE, 4, "delay-load import directory", field, (at) => (u32(f, at, "delay-load attributes") & 1) === 0);
}

const CODE_KINDS: PeCodeRange["kind"][] = ["arm64", "arm64ec", "amd64", "unknown"];

/**
 * IMAGE_LOAD_CONFIG_DIRECTORY: its Size (the structure has grown with Windows releases; fields past
 * Size are absent) and CHPEMetadataPointer, then for PE32+ the hybrid metadata it points to
 * (IMAGE_ARM64EC_METADATA: Version, CodeMap RVA, CodeMapCount; each code map entry an RVA whose low
 * two bits say ARM64 (0), ARM64EC (1) or AMD64 (2) code, and a length). The pointer is a VA.
 */
export function readLoadConfig(f: PeBytes, headers: PeHeaders, field: DirectoryField): Pick<PeFile, "loadConfig" | "chpe"> {
  const dir = directory(headers, C.IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG);
  if (dir === null) return { loadConfig: null, chpe: null };
  const what = "load configuration";
  const at = rvaToOffset(f, headers, dir.rva, 4, what, field(C.IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG));
  const size = u32(f, at, what);
  const pointerAt = C.CHPE_POINTER_OFFSET[headers.magic];
  const pointerSize = headers.magic === "PE32+" ? 8 : 4;
  let pointer = 0;
  if (size >= pointerAt + pointerSize) {
    const base = rvaToOffset(f, headers, dir.rva, pointerAt + pointerSize, `${what} (Size ${hex(size)})`, at);
    pointer = pointerSize === 8 ? f.view.getUint32(base + pointerAt + 4, true) * 0x1_0000_0000 + f.view.getUint32(base + pointerAt, true) : f.view.getUint32(base + pointerAt, true);
  }
  const loadConfig = { size, chpeMetadataPointer: pointer };
  if (pointer === 0 || headers.magic !== "PE32+") return { loadConfig, chpe: null };

  const from = at + pointerAt;
  const rva = pointer - headers.imageBase;
  if (!(rva > 0 && rva < 2 ** 32)) fail(`${what}: CHPEMetadataPointer ${hex(pointer)} is not inside the image (ImageBase ${hex(headers.imageBase)})`, from);
  const meta = rvaToOffset(f, headers, rva, 12, "CHPE metadata", from);
  const version = u32(f, meta, "CHPE metadata");
  const count = u32(f, meta + 8, "CHPE metadata");
  const codeMap: PeCodeRange[] = [];
  if (count > 0) {
    const map = rvaToOffset(f, headers, u32(f, meta + 4, "CHPE metadata"), count * 8, `CHPE metadata: ${count} code map entries`, meta + 4);
    for (let i = 0; i < count; i++) {
      const start = u32(f, map + 8 * i, "CHPE code map");
      codeMap.push({ start: (start & ~3) >>> 0, length: u32(f, map + 8 * i + 4, "CHPE code map"), kind: CODE_KINDS[start & 3]! });
    }
  }
  return { loadConfig, chpe: { version, codeMap } };
}
