// One file's bytes → a BinaryReport: what kind of binary it is, its slices, and for an extension
// module whether each slice exports the module's init function (DESIGN §3.1–§3.2).
import { MachOError } from "./model/errors.js";
import { exportsSymbol, parseMachO, sniffBinary } from "./macho/index.js";
import { elfArch, peArch } from "./native/foreign.js";
import type { BinaryReport, SliceReport } from "./model/binary.js";

/**
 * The module name of a file named like an extension module: `<mod>.so` or `<mod>.<tag>.so`
 * (`_ldap.cpython-313-darwin.so` → `_ldap`, `_x.abi3.so` → `_x`). CPython's importer takes the part
 * before the first dot as the module name and calls `PyInit_<mod>` (PEP 489, importlib's
 * EXTENSION_SUFFIXES), so that is the symbol a slice must export.
 */
export function extensionModuleName(path: string): string | null {
  // delocate's vendoring folder holds libraries the extensions load, never modules Python imports
  // (some are named `libfoo.so`).
  if (/(^|\/)\.dylibs\//.test(path)) return null;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (!base.endsWith(".so")) return null;
  const mod = base.slice(0, base.indexOf("."));
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(mod) ? mod : null;
}

/**
 * The symbol the linker spells for the init function: `_PyInit_<mod>` (Python 3), or `_init<mod>`
 * when every python tag of the wheel is Python 2 (`cp27`, `py2`): Python 2 looked for `init<mod>`.
 */
export function initSymbolName(mod: string, python2Only: boolean): string {
  return python2Only ? `_init${mod}` : `_PyInit_${mod}`;
}

/** True when the python tags name only Python 2 (`cp27`, `py2`, `pp27`), so `init<mod>` is the export to look for. */
export function isPython2Only(pythonTags: readonly string[]): boolean {
  return pythonTags.length > 0 && pythonTags.every((t) => /^[a-z]+2\d*$/.test(t));
}

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
      (slice): SliceReport => ({
        ...slice,
        pyinit: initSymbol === null || slice.filetype === "archive" ? null : exportsSymbol(slice, initSymbol),
      }),
    );
  } catch (error) {
    if (!(error instanceof MachOError)) throw error;
    report.error = error.message;
  }
  return report;
}
