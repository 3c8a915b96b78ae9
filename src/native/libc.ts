// Which C library an ELF file links against, from what the dynamic linker is asked to load
// (DT_NEEDED) and the symbol versions it needs from it (DT_VERNEED). A fact, not a policy: the rules
// decide which library a platform tag allows (DESIGN §3.7).
import type { ElfFile } from "../model/elf.js";
import type { ElfLibc } from "../model/binary.js";

/** musl as Alpine installs it (`/lib/ld-musl-x86_64.so.1`, linked as `libc.musl-x86_64.so.1`). */
const MUSL = /^(?:libc\.musl-[A-Za-z0-9_]+\.so\.1|ld-musl-[A-Za-z0-9_]+\.so\.1)$/;

/**
 * - glibc: DT_NEEDED `libc.so.6`, or any `GLIBC_*` version need (glibc's soname on every arch that
 *   manylinux covers; its symbols are versioned `GLIBC_2.N`).
 * - musl: `libc.musl-<arch>.so.1` (Alpine), or plain `libc.so` with no sign of bionic: musl's own
 *   soname is `libc.so`, and musl has no symbol versions.
 * - bionic: `libc.so` in a file with the NDK's `.note.android.ident`, or whose symbols from
 *   `libc.so` are versioned `LIBC*` (bionic's version script: LIBC, LIBC_N, LIBC_O, …).
 * - null: the file links no C library (a module that calls nothing, a static executable).
 */
export function elfLibc(file: ElfFile): ElfLibc | null {
  const needed = file.dynamic?.needed ?? [];
  if (needed.includes("libc.so.6") || file.versionNeeds.some((n) => n.versions.some((v) => v.startsWith("GLIBC_")))) return "glibc";
  if (needed.some((n) => MUSL.test(n))) return "musl";
  if (needed.includes("libc.so")) {
    const bionicVersions = file.versionNeeds.some((n) => n.file === "libc.so" && n.versions.some((v) => /^LIBC(?:_|$)/.test(v)));
    return file.android !== null || bionicVersions ? "bionic" : "musl";
  }
  return null;
}
