// parsePe: one PE image (Microsoft "PE Format"): the MS-DOS stub's e_lfanew and the PE\0\0 signature
// (required: `MZ` alone is not a PE image), the COFF header, the optional header, the section table,
// and the export, import, delay-import and load-config directories. Bytes in, data out; bad input
// throws FormatError("pe", message, offset) and nothing else.

import type { PeFile } from "../model/pe.js";
import * as C from "./constants.js";
import { readDelayImports, readExports, readImports, readLoadConfig } from "./directories.js";
import { readHeaders } from "./headers.js";
import { peBytes } from "./reader.js";

/** Machine → the Windows platform tag of code for it (packaging.tags / sysconfig.get_platform). */
const PLATFORMS: Record<number, string> = {
  [C.IMAGE_FILE_MACHINE_AMD64]: "win_amd64",
  [C.IMAGE_FILE_MACHINE_I386]: "win32",
  [C.IMAGE_FILE_MACHINE_ARM64]: "win_arm64",
  [C.IMAGE_FILE_MACHINE_ARMNT]: "win_arm32",
};

export function parsePe(bytes: Uint8Array): PeFile {
  const f = peBytes(bytes);
  const headers = readHeaders(f);
  // Where each data directory entry is, for messages about the RVA it holds.
  const lfanew = f.view.getUint32(C.E_LFANEW, true);
  const dirsAt = lfanew + 4 + C.COFF_HEADER_SIZE + (headers.magic === "PE32+" ? 112 : 96);
  const field = (index: number): number => dirsAt + 8 * index;

  const exports = readExports(f, headers, field);
  const { loadConfig, chpe } = readLoadConfig(f, headers, field);
  // Hybrid images (Microsoft, "Arm64X PE files" and "ARM64EC ABI"; LLVM's COFFObjectFile::getMachine):
  // an ARM64EC image keeps Machine AMD64 so x64 processes load it, an ARM64X image keeps Machine
  // ARM64 for its native view; both carry CHPE metadata, which plain AMD64 / ARM64 images never do.
  const hybrid =
    chpe === null ? null : headers.machine === C.IMAGE_FILE_MACHINE_AMD64 ? "arm64ec" : headers.machine === C.IMAGE_FILE_MACHINE_ARM64 ? "arm64x" : null;
  return {
    machine: headers.machine,
    platform: PLATFORMS[headers.machine] ?? `machine(0x${headers.machine.toString(16)})`,
    hybrid,
    characteristics: headers.characteristics,
    isDll: (headers.characteristics & C.IMAGE_FILE_DLL) !== 0,
    timeDateStamp: headers.timeDateStamp,
    magic: headers.magic,
    subsystem: headers.subsystem,
    dllCharacteristics: headers.dllCharacteristics,
    imageBase: headers.imageBase,
    entryPoint: headers.entryPoint,
    sections: headers.sections,
    dataDirectories: headers.dataDirectories,
    exportName: exports.name,
    exports: exports.names,
    exportsTruncated: exports.truncated,
    imports: readImports(f, headers, field),
    delayImports: readDelayImports(f, headers, field),
    loadConfig,
    chpe,
  };
}
