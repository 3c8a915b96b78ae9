// One case per kind of malformation, for PE32 and PE32+: each must throw FormatError("pe") saying
// what was wrong and where the reader gave up.

import { describe, it } from "vitest";
import { parsePe } from "../../src/pe/index.js";
import { expectFormatError } from "../elf/expect-error.js";
import { buildPe, getU32, setU16, setU32, type BuiltPe, type PeSpec } from "./builder.js";

interface Case {
  name: string;
  bytes: Uint8Array;
  offset: number;
  message: RegExp;
}

function broken(spec: PeSpec, patch: (pe: BuiltPe) => number): { bytes: Uint8Array; offset: number } {
  const pe = buildPe(spec);
  const offset = patch(pe);
  return { bytes: pe.bytes, offset };
}

/** The file offset of data directory `index`'s RVA field. */
const dir = (pe: BuiltPe, index: number): number => pe.directories + 8 * index;
/** The end of .rdata as an RVA (its raw data is the rest of the file). */
const sectionEndRva = (pe: BuiltPe): number => 0x1000 + pe.bytes.length - 0x200;

function cases(plus: boolean): Case[] {
  const label = plus ? "PE32+" : "PE32";
  const s = (spec: PeSpec = {}): PeSpec => ({ plus, ...spec });
  const dirsAt = plus ? 112 : 96;
  const rows: [string, PeSpec, (pe: BuiltPe) => number, RegExp][] = [
    ["no MZ", s(), (pe) => (setU16(pe, 0, 0x4c45), 0), /no MZ signature/],
    ["e_lfanew past the end", s(), (pe) => (setU32(pe, 0x3c, pe.bytes.length + 8), 0x3c), /e_lfanew 0x[0-9a-f]+ does not point inside the file/],
    ["e_lfanew inside the MS-DOS header", s(), (pe) => (setU32(pe, 0x3c, 0x10), 0x3c), /e_lfanew 0x10 does not point inside the file .* past the MS-DOS header/],
    ["MZ without the PE signature", s(), (pe) => (setU32(pe, pe.lfanew, 0x00004e45), pe.lfanew), /no PE\\0\\0 signature at e_lfanew 0x40/],
    ["a SizeOfOptionalHeader past the end", s(), (pe) => (setU16(pe, pe.coff + 16, 0xffff), pe.optional), /optional header \(SizeOfOptionalHeader 65535\): .* run past the end/],
    ["a SizeOfOptionalHeader of 0", s(), (pe) => (setU16(pe, pe.coff + 16, 0), pe.coff + 16), /SizeOfOptionalHeader 0 leaves no room/],
    ["an optional header magic of 0x107 (ROM)", s(), (pe) => (setU16(pe, pe.optional, 0x107), pe.optional), /Magic 0x107 is neither PE32/],
    ["a SizeOfOptionalHeader smaller than the optional header", s(), (pe) => (setU16(pe, pe.coff + 16, 64), pe.coff + 16), new RegExp(`SizeOfOptionalHeader 64 is smaller than the ${dirsAt} bytes`)],
    ["2^32 - 1 data directories", s(), (pe) => (setU32(pe, pe.optional + dirsAt - 4, 0xffffffff), pe.optional + dirsAt - 4), /NumberOfRvaAndSizes 4294967295 data directories do not fit/],
    ["65535 sections", s(), (pe) => (setU16(pe, pe.coff + 2, 0xffff), pe.sectionTable), /section table \(65535 sections at 0x[0-9a-f]+\): .* run past the end/],
    ["an export directory outside every section", s(), (pe) => (setU32(pe, dir(pe, 0), 0x9000), dir(pe, 0)), /export directory: RVA 0x9000 is outside every section/],
    ["an export directory in the uninitialised part of a section", s(), (pe) => (setU32(pe, pe.sectionTable + 8, 0x8000), setU32(pe, dir(pe, 0), 0x6000), dir(pe, 0)), /RVA 0x6000 is in the uninitialised part of section \.rdata/],
    ["a section whose raw data is past the end", s(), (pe) => (setU32(pe, pe.sectionTable + 20, 0x100000), dir(pe, 0)), /RVA 0x1000 is at file offset 0x100000, past the end of the file/],
    ["an export directory cut by the end of its section", s(), (pe) => (setU32(pe, dir(pe, 0), sectionEndRva(pe) - 8), dir(pe, 0)), /export directory: 40 bytes at RVA 0x[0-9a-f]+ run past the end of section \.rdata/],
    ["2^32 - 1 export names", s(), (pe) => (setU32(pe, pe.at.exportDir + 24, 0xffffffff), pe.at.exportDir + 32), /4294967295 export names \(AddressOfNames\): 17179869180 bytes at RVA/],
    ["an export name outside every section", s(), (pe) => (setU32(pe, pe.at.names, 0x7fff0000), pe.at.names), /export name 0: RVA 0x7fff0000 is outside every section/],
    ["an export DLL name outside every section", s(), (pe) => (setU32(pe, pe.at.exportDir + 12, 0x9000), pe.at.exportDir + 12), /export directory: Name: RVA 0x9000 is outside every section/],
    [
      "an export name without NUL before the end of its section",
      s({ imports: [] }),
      (pe) => {
        const start = getU32(pe, pe.at.names) - 0x1000 + 0x200;
        pe.bytes.fill(0x41, start);
        return start;
      },
      /export name 0: the string at RVA 0x[0-9a-f]+ is not NUL-terminated/,
    ],
    ["an imported DLL name outside every section", s(), (pe) => (setU32(pe, pe.at.imports + 12, 0xfffffff0), pe.at.imports + 12), /import directory descriptor 0: Name: RVA 0xfffffff0 is outside every section/],
    ["import descriptors that run off their section", s(), (pe) => (setU32(pe, dir(pe, 1), sectionEndRva(pe) - 10), dir(pe, 1)), /import directory descriptor 0: 20 bytes at RVA 0x[0-9a-f]+ run past the end of section \.rdata/],
    ["an old-style (VA) delay-load descriptor holding an RVA", s({ delayImports: ["python3.dll"] }), (pe) => (setU32(pe, pe.at.delayImports, 0), pe.at.delayImports + 4), /delay-load import directory descriptor 0: Name: RVA -0x[0-9a-f]+ is outside every section/],
    ["a load configuration outside every section", s({ loadConfig: true }), (pe) => (setU32(pe, dir(pe, 10), 0x50000), dir(pe, 10)), /load configuration: RVA 0x50000 is outside every section/],
    ["a load configuration Size larger than its section holds", s({ loadConfig: true }), (pe) => (setU32(pe, dir(pe, 10), sectionEndRva(pe) - 8), setU32(pe, pe.bytes.length - 8, 0x140), pe.bytes.length - 8), /load configuration \(Size 0x140\): \d+ bytes at RVA 0x[0-9a-f]+ run past the end of section/],
  ];
  if (plus) {
    rows.push(
      ["a CHPEMetadataPointer below ImageBase", s({ chpe: [{ start: 0x1000, length: 8, kind: 1 }] }), (pe) => (setU32(pe, pe.at.loadConfig + 0xc8, 0x1000), setU32(pe, pe.at.loadConfig + 0xcc, 0), pe.at.loadConfig + 0xc8), /CHPEMetadataPointer 0x1000 is not inside the image/],
      ["a CHPEMetadataPointer outside every section", s({ chpe: [{ start: 0x1000, length: 8, kind: 1 }] }), (pe) => (setU32(pe, pe.at.loadConfig + 0xc8, getU32(pe, pe.at.loadConfig + 0xc8) + 0x100000), pe.at.loadConfig + 0xc8), /CHPE metadata: RVA 0x[0-9a-f]+ is outside every section/],
      ["2^32 - 1 CHPE code map entries", s({ chpe: [{ start: 0x1000, length: 8, kind: 1 }] }), (pe) => (setU32(pe, pe.at.chpe + 8, 0xffffffff), pe.at.chpe + 4), /CHPE metadata: 4294967295 code map entries: .* run past the end of section/],
    );
  }
  const made: Case[] = rows.map(([name, spec, patch, message]) => ({ name: `${label}: ${name}`, ...broken(spec, patch), message }));
  // Truncated at every header boundary.
  const whole = buildPe(s());
  made.push({ name: `${label}: 63 bytes`, bytes: whole.bytes.subarray(0, 63), offset: 0, message: /fewer than the 64 of the MS-DOS header/ });
  made.push({ name: `${label}: cut inside the PE signature`, bytes: whole.bytes.subarray(0, whole.lfanew + 3), offset: 0x3c, message: /e_lfanew 0x40 does not point inside the file/ });
  made.push({ name: `${label}: cut inside the COFF header`, bytes: whole.bytes.subarray(0, whole.coff + 10), offset: whole.coff, message: /COFF file header: 20 bytes at 0x44 run past the end/ });
  made.push({ name: `${label}: cut inside the optional header`, bytes: whole.bytes.subarray(0, whole.optional + 50), offset: whole.optional, message: /optional header \(SizeOfOptionalHeader \d+\): .* run past the end/ });
  made.push({ name: `${label}: cut inside the section table`, bytes: whole.bytes.subarray(0, whole.sectionTable + 20), offset: whole.sectionTable, message: /section table \(1 sections at 0x[0-9a-f]+\): 40 bytes .* run past the end/ });
  made.push({ name: `${label}: cut inside the section's raw data`, bytes: whole.bytes.subarray(0, 0x210), offset: dir(whole, 0), message: /export directory: 40 bytes at RVA 0x1000 run past the end of section \.rdata in the file/ });
  return made;
}

describe("parsePe on malformed files", () => {
  it.each([...cases(true), ...cases(false)])("$name", ({ bytes, offset, message }) => {
    expectFormatError(() => parsePe(bytes), "pe", offset, message);
  });
});
