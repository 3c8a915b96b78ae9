// One file's bytes → a BinaryReport: what kind of binary it is, its images, and for an extension
// module whether each image exports the module's init function (DESIGN §3.1–§3.2). Every format is
// converted to the same image facts (arch, platform, minimum OS, loaded, init export) here; export
// lists stay in the readers: the report carries the answer, not the names.
import { exportsSymbol as elfExports, parseElf } from "../elf/index.js";
import { exportsSymbol as machoExports, parseMachO, sniffBinary } from "../macho/index.js";
import type { BinaryKind, BinaryReport, ImageReport, SliceReport } from "../model/binary.js";
import type { ElfFile } from "../model/elf.js";
import { FormatError } from "../model/errors.js";
import type { PeFile } from "../model/pe.js";
import type { WasmModule } from "../model/wasm.js";
import { elfLibc } from "../native/libc.js";
import { sniffNative } from "../native/sniff.js";
import { exportsSymbol as peExports, parsePe } from "../pe/index.js";
import { exportsSymbol as wasmExports, parseWasm } from "../wasm/index.js";
import { extensionModuleName, initSymbolName } from "../wheel/extension.js";

/** Mach-O files loaded at run time (DESIGN §3.1); objects and archives are not. */
const LOADED_MACHO: ReadonlySet<string> = new Set(["bundle", "dylib", "execute"]);

/**
 * Analyse one file. Returns null when the bytes are not a binary at all (by magic, never by
 * extension). A malformed binary gives a report with `error` set and no images.
 */
export function analyzeBinary(member: string | null, bytes: Uint8Array, options: { python2Only: boolean }): BinaryReport | null {
  const kind = sniffKind(bytes);
  if (kind === "none") return null;
  const mod = extensionModuleName(member ?? "");
  const machoSymbol = mod === null ? null : initSymbolName(mod, options.python2Only);
  // The C name of the init function: Mach-O symbols carry a leading underscore, ELF, PE and wasm
  // export names do not (`PyInit__m`).
  const initSymbol = machoSymbol === null || kind === "macho" || kind === "fat" || kind === "archive" ? machoSymbol : machoSymbol.slice(1);
  const format = kind === "fat" ? "macho" : kind === "archive" ? "ar" : kind;
  const report: BinaryReport = { member, kind, format, container: null, error: null, module: mod, initSymbol, slices: [], images: [] };
  try {
    if (kind === "elf") report.images = [elfImage(parseElf(bytes), initSymbol)];
    else if (kind === "pe") report.images = [peImage(parsePe(bytes), initSymbol)];
    else if (kind === "wasm") report.images = [wasmImage(parseWasm(bytes), initSymbol)];
    else {
      const file = parseMachO(bytes);
      if (file === null) return null; // e.g. a Java class file: 0xcafebabe with a large "slice count"
      report.container = file.container;
      // A fat file holding static archives is Mach-O; a thin `!<arch>` archive may hold any format.
      if (file.container !== "archive") report.format = "macho";
      report.slices = file.slices.map((slice): SliceReport => {
        const { exports: _names, ...facts } = slice;
        return { ...facts, pyinit: initSymbol === null || slice.filetype === "archive" ? null : machoExports(slice, initSymbol) };
      });
      report.images = report.slices.map(machoImage);
    }
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    report.error = error.message;
    report.images = [];
    report.slices = [];
  }
  return report;
}

/** Mach-O, fat and archives by sniffBinary; ELF, PE and core wasm by sniffNative (PE needs `PE\0\0`). */
function sniffKind(bytes: Uint8Array): BinaryKind {
  const native = sniffNative(bytes);
  if (native !== null) return native;
  const kind = sniffBinary(bytes);
  return kind === "elf" || kind === "pe" ? "none" : kind;
}

function machoImage(s: SliceReport): ImageReport {
  return { arch: s.arch, platform: s.platform, minos: s.minos, type: s.filetype, loaded: LOADED_MACHO.has(s.filetype), initExported: s.pyinit, libc: null, glibc: null, hybrid: null };
}

function elfImage(f: ElfFile, initSymbol: string | null): ImageReport {
  const libc = elfLibc(f);
  const loaded = f.type === "dyn" || f.type === "exec";
  return {
    arch: f.arch,
    platform: f.android !== null || libc === "bionic" ? "android" : "linux",
    minos: f.android === null ? null : String(f.android.apiLevel),
    type: f.type,
    loaded,
    initExported: initSymbol === null || !loaded ? null : elfExports(f, initSymbol),
    libc,
    glibc: f.maxGlibc === null ? null : `${f.maxGlibc.major}.${f.maxGlibc.minor}`,
    hybrid: null,
  };
}

function peImage(f: PeFile, initSymbol: string | null): ImageReport {
  return {
    arch: f.platform,
    platform: "windows",
    minos: null,
    type: f.isDll ? "dll" : "exe",
    loaded: true,
    initExported: initSymbol === null ? null : peExports(f, initSymbol),
    libc: null,
    glibc: null,
    hybrid: f.hybrid,
  };
}

function wasmImage(m: WasmModule, initSymbol: string | null): ImageReport {
  // memory64 (the `+memory64` / `=memory64` target feature) is wasm64; every other module is wasm32.
  const wasm64 = m.targetFeatures?.some((t) => t.name === "memory64" && t.prefix !== "-") ?? false;
  return {
    arch: wasm64 ? "wasm64" : "wasm32",
    platform: m.dylink === null ? null : "emscripten",
    minos: null,
    type: m.dylink === null ? "module" : "side-module",
    loaded: true,
    initExported: initSymbol === null ? null : wasmExports(m, initSymbol),
    libc: null,
    glibc: null,
    hybrid: null,
  };
}
