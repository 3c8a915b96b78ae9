// What a file is (by magic) and what retag reports about each binary in a wheel.
import type { Container, Slice } from "./macho.js";

/** What the first bytes of a file say it is (DESIGN §3.1: by magic, never by extension). */
export type BinaryKind = "macho" | "fat" | "archive" | "elf" | "pe" | "none";

/**
 * A slice as reported: the parsed facts plus, for an extension module, whether it exports its init
 * function. The export list itself stays in the reader (thousands of names no report prints).
 */
export interface SliceReport extends Omit<Slice, "exports"> {
  /** null when the file is not an extension module. */
  pyinit: boolean | null;
}

/** One binary-looking file: a Mach-O / fat / archive (parsed), or an ELF / PE file (only recognised). */
export interface BinaryReport {
  /** Path inside the wheel; null for a plain file given to `retag show`. */
  member: string | null;
  kind: BinaryKind;
  container: Container | null;
  /** Why the file could not be read, when it could not. */
  error: string | null;
  /** `_x` for `_x.cpython-313-darwin.so`; null when the file is not named like an extension module. */
  module: string | null;
  /** The symbol an extension must export (`_PyInit__x`, or `_init_x` in a Python-2-only wheel). */
  initSymbol: string | null;
  /** For an ELF or PE file, its machine as platform tags name it (`x86_64`, `aarch64`, `win_amd64`). */
  foreignArch?: string | null;
  slices: SliceReport[];
}
