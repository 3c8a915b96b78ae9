// What a file is (by magic) and what retag reports about each binary in a wheel: per file its
// format and one image per architecture it holds, with the same facts for every format (DESIGN
// §3.1–§3.2), and for Mach-O the full slice facts as before (JSON version 1: fields only added).
import type { Container, Slice } from "./macho.js";

/** What the first bytes of a file say it is (DESIGN §3.1: by magic, never by extension). */
export type BinaryKind = "macho" | "fat" | "archive" | "elf" | "pe" | "wasm" | "none";

/**
 * The binary format: Mach-O (thin or fat), ELF, PE, a WebAssembly core module, or a thin static
 * archive (`!<arch>`, which holds objects of any format and is never loaded).
 */
export type BinaryFormat = "macho" | "elf" | "pe" | "wasm" | "ar";

/**
 * A slice as reported: the parsed facts plus, for an extension module, whether it exports its init
 * function. The export list itself stays in the reader (thousands of names no report prints).
 */
export interface SliceReport extends Omit<Slice, "exports"> {
  /** null when the file is not an extension module. */
  pyinit: boolean | null;
}

/** The C library an ELF file links against, told by its DT_NEEDED entries (and symbol versions). */
export type ElfLibc = "glibc" | "musl" | "bionic";

/**
 * One image of a binary, with the facts every platform family's rules read, whatever the format:
 * a Mach-O slice, an ELF file, a PE image, a wasm module.
 */
export interface ImageReport {
  /**
   * The architecture as the platform tags spell it: a Mach-O arch (`arm64`, `x86_64`, `arm64e`), an
   * ELF `uname -m` name (`x86_64`, `aarch64`, `armv7l`, `arm` when an ARM file does not say which),
   * the Windows tag of a PE machine (`win_amd64`, `win32`, `win_arm64`, `win_arm32`), `wasm32`.
   */
  arch: string;
  /**
   * What the image is built for: the Mach-O platform (`macos`, `ios`, `iossimulator`, …, null when no
   * version command says); `android` or `linux` for ELF (android when it carries the NDK's
   * `.note.android.ident` or links bionic); `windows` for PE; `emscripten` for a wasm side module
   * (`dylink.0`), null for a plain wasm module.
   */
  platform: string | null;
  /** The minimum OS: the Mach-O `minos`, the Android API level (`24`); null when the image does not say. */
  minos: string | null;
  /** Mach-O filetype (`bundle`, `dylib`, …), ELF e_type (`dyn`, `exec`, `rel`), `dll` / `exe`, wasm `side-module` / `module`. */
  type: string;
  /** True when the image is loaded at run time (counts toward the tag); false for objects and archives. */
  loaded: boolean;
  /** For an extension module, whether the image exports its init function; null for other files. */
  initExported: boolean | null;
  /** ELF: the C library it links (glibc `libc.so.6`, musl `libc.musl-*.so.1`, bionic `libc.so`); null when none or not ELF. */
  libc: ElfLibc | null;
  /** ELF: the highest `GLIBC_2.N` it needs, as `2.N` (manylinux compares 2.N only); null when none. */
  glibc: string | null;
  /** PE: an ARM64EC or ARM64X hybrid image (CHPE metadata); null otherwise. */
  hybrid: "arm64ec" | "arm64x" | null;
}

/** One binary-looking file: its format, its images, and for Mach-O its container and slices. */
export interface BinaryReport {
  /** Path inside the wheel; null for a plain file given to `retag show`. */
  member: string | null;
  kind: BinaryKind;
  format: BinaryFormat;
  /** Mach-O only (`thin`, `fat`, `fat64`, `archive`); null for other formats and unreadable files. */
  container: Container | null;
  /** Why the file could not be read, when it could not (then it has no images). */
  error: string | null;
  /** `_x` for `_x.cpython-313-darwin.so` or `_x.cp313-win_amd64.pyd`; null when not named like an extension module. */
  module: string | null;
  /** The symbol an extension must export: `_PyInit__x` in Mach-O, `PyInit__x` elsewhere (`init_x` for Python 2 only). */
  initSymbol: string | null;
  /** Mach-O slices with every fact the reader gives; empty for other formats. */
  slices: SliceReport[];
  /** One per Mach-O slice, or the one image of an ELF, PE or wasm file. */
  images: ImageReport[];
}
