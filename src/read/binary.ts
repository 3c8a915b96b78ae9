// One file's bytes → a BinaryReport: what kind of binary it is, its slices, and for an extension
// module whether each slice exports the module's init function (DESIGN §3.1–§3.2). Export lists stay
// here: the report carries the answer, not the names.
import { exportsSymbol, parseMachO, sniffBinary } from "../macho/index.js";
import type { BinaryReport, SliceReport } from "../model/binary.js";
import { MachOError } from "../model/errors.js";
import { elfArch, peArch } from "../native/foreign.js";
import { extensionModuleName, initSymbolName } from "../wheel/extension.js";

/**
 * Analyse one file. Returns null when the bytes are not a binary at all (by magic, never by
 * extension). A malformed Mach-O gives a report with `error` set and no slices.
 */
export function analyzeBinary(
  member: string | null,
  bytes: Uint8Array,
  options: { python2Only: boolean },
): BinaryReport | null {
  const kind = sniffBinary(bytes);
  if (kind === "none") return null;
  const name = member ?? "";
  const mod = extensionModuleName(name);
  const initSymbol = mod === null ? null : initSymbolName(mod, options.python2Only);
  const report: BinaryReport = { member, kind, container: null, error: null, module: mod, initSymbol, slices: [] };
  if (kind === "elf" || kind === "pe") return { ...report, foreignArch: kind === "elf" ? elfArch(bytes) : peArch(bytes) };
  try {
    const file = parseMachO(bytes);
    if (file === null) return null; // e.g. a Java class file: 0xcafebabe with a large "slice count"
    report.container = file.container;
    report.slices = file.slices.map(
      (slice): SliceReport => {
        const { exports: _names, ...facts } = slice;
        return { ...facts, pyinit: initSymbol === null || slice.filetype === "archive" ? null : exportsSymbol(slice, initSymbol) };
      },
    );
  } catch (error) {
    if (!(error instanceof MachOError)) throw error;
    report.error = error.message;
  }
  return report;
}
