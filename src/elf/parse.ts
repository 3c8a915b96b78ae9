// parseElf: one ELF file (System V gABI, "Object Files"; <elf.h>), both classes and both byte
// orders: headers, the architecture, PT_INTERP, the dynamic section, symbol version needs, exported
// dynamic symbols, notes and, for EM_ARM, the build attributes. Bytes in, data out; bad input throws
// FormatError("elf", message, offset) and nothing else.

import type { ElfFile } from "../model/elf.js";
import { readArmAttributes } from "./arm.js";
import { elfArchName, armCpuArchName } from "./arch.js";
import * as C from "./constants.js";
import { readDynamic } from "./dynamic.js";
import { readHeader } from "./headers.js";
import { readNotes } from "./notes.js";
import { decode, fail, hex, need, type ElfBytes } from "./reader.js";
import { findDynamicSymbols, readExports } from "./symbols.js";
import { maxGlibc, readVersionNeeds } from "./versions.js";

export function parseElf(bytes: Uint8Array): ElfFile {
  const header = readHeader(bytes);
  const { f, segments, sections } = header;
  const dynamic = readDynamic(f, segments, sections);
  const symbols = findDynamicSymbols(f, segments, sections, dynamic);
  const exports = symbols === null ? { names: [], truncated: false } : readExports(f, symbols);
  const versionNeeds = readVersionNeeds(f, segments, sections, dynamic);
  const notes = readNotes(f, segments, sections);

  let arm: ElfFile["arm"] = null;
  if (header.machine === C.EM_ARM) {
    const index = sections.findIndex((s) => s.type === C.SHT_ARM_ATTRIBUTES);
    const attributes = index < 0 ? { cpuArch: null, profile: null } : readArmAttributes(f, sections[index]!, index);
    const float = header.flags & (C.EF_ARM_ABI_FLOAT_HARD | C.EF_ARM_ABI_FLOAT_SOFT);
    arm = {
      cpuArch: attributes.cpuArch,
      cpuArchName: attributes.cpuArch === null ? null : armCpuArchName(attributes.cpuArch),
      profile: attributes.profile,
      floatAbi: float === C.EF_ARM_ABI_FLOAT_HARD ? "hard" : float === C.EF_ARM_ABI_FLOAT_SOFT ? "soft" : null,
      eabiVersion: (header.flags & C.EF_ARM_EABIMASK) >>> 24,
    };
  }

  return {
    bits: f.bits,
    little: f.little,
    osAbi: header.osAbi,
    abiVersion: header.abiVersion,
    type: header.type,
    machine: header.machine,
    arch: elfArchName(header.machine, f.bits, f.little, arm?.profile === "M" ? null : (arm?.cpuArch ?? null)),
    flags: header.flags,
    entry: header.entry,
    arm,
    interpreter: readInterpreter(f, header.segments),
    hasSectionHeaders: sections.length > 0,
    sections,
    segments,
    dynamic: dynamic?.facts ?? null,
    versionNeeds,
    maxGlibc: maxGlibc(versionNeeds),
    exports: exports.names,
    exportsTruncated: exports.truncated,
    dynamicSymbolCount: symbols?.count ?? 0,
    ...notes,
  };
}

/** PT_INTERP: a NUL-terminated path filling the segment. */
function readInterpreter(f: ElfBytes, segments: ElfFile["segments"]): string | null {
  const index = segments.findIndex((s) => s.type === C.PT_INTERP);
  const segment = segments[index];
  if (segment === undefined) return null;
  const what = `PT_INTERP (program header ${index})`;
  need(f, segment.offset, segment.fileSize, what);
  const text = f.bytes.subarray(segment.offset, segment.offset + segment.fileSize);
  const nul = text.indexOf(0);
  if (nul < 0) fail(`${what}: the interpreter path at ${hex(segment.offset)} is not NUL-terminated`, segment.offset);
  return decode(text.subarray(0, nul));
}
