// Names of load commands and file types for messages and for `Slice.filetype`.

import type { MachOFileType } from "../model/macho.js";
import * as C from "./constants.js";
import { hex } from "./reader.js";

const LOAD_COMMANDS: ReadonlyMap<number, string> = new Map(
  Object.entries(C)
    .filter(([name, value]) => name.startsWith("LC_") && name !== "LC_REQ_DYLD" && typeof value === "number")
    .map(([name, value]) => [value as number, name]),
);

/** `LC_SEGMENT_64` for 0x19; the number in hex for commands <mach-o/loader.h> does not name. */
export function loadCommandName(cmd: number): string {
  return LOAD_COMMANDS.get(cmd >>> 0) ?? hex(cmd >>> 0);
}

/** mach_header.filetype values MH_OBJECT (1) … MH_FILESET (12), in order. */
const FILE_TYPES: readonly MachOFileType[] = [
  "object",
  "execute",
  "fvmlib",
  "core",
  "preload",
  "dylib",
  "dylinker",
  "bundle",
  "dylib_stub",
  "dsym",
  "kext_bundle",
  "fileset",
];

export function fileTypeName(filetype: number): MachOFileType {
  return FILE_TYPES[filetype - 1] ?? "unknown";
}
