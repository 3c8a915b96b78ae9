// Linux platform tags: `manylinux_X_Y_<arch>` (PEP 600), its legacy aliases `manylinux1` (PEP 513,
// glibc 2.5), `manylinux2010` (PEP 571, 2.12) and `manylinux2014` (PEP 599, 2.17), `musllinux_X_Y_<arch>`
// (PEP 656) and `linux_<arch>` (PEP 425: `sysconfig.get_platform()` with `-` and `.` as `_`, the arch
// being `uname -m`). Parse, and which ELF architectures a tag's arch stands for (DESIGN §3.7).

export interface LinuxTag {
  tag: string;
  /** `manylinux` (any spelling), `musllinux`, or `linux` (a local build: no policy). */
  policy: "manylinux" | "musllinux" | "linux";
  /** The C library the tag promises: glibc for manylinux, musl for musllinux, null for `linux_`. */
  libc: "glibc" | "musl" | null;
  /** The library's version floor (`manylinux2014` is glibc 2.17); null for `linux_`. */
  version: { major: number; minor: number } | null;
  /** The arch as `uname -m` spells it (`x86_64`, `armv7l`, `ppc64le`). */
  arch: string;
}

const LEGACY: { [alias: string]: { major: number; minor: number } } = {
  manylinux1: { major: 2, minor: 5 },
  manylinux2010: { major: 2, minor: 12 },
  manylinux2014: { major: 2, minor: 17 },
};

const TAG = /^(?:(manylinux|musllinux)_(\d+)_(\d+)|(manylinux1|manylinux2010|manylinux2014)|(linux))_([a-z0-9_]+)$/;

/** A Linux platform tag, or null for any other tag. */
export function parseLinuxTag(tag: string): LinuxTag | null {
  const m = TAG.exec(tag);
  if (m === null) return null;
  const arch = m[6]!;
  if (m[5] !== undefined) return { tag, policy: "linux", libc: null, version: null, arch };
  if (m[4] !== undefined) return { tag, policy: "manylinux", libc: "glibc", version: LEGACY[m[4]]!, arch };
  const policy = m[1] as "manylinux" | "musllinux";
  return { tag, policy, libc: policy === "manylinux" ? "glibc" : "musl", version: { major: Number(m[2]), minor: Number(m[3]) }, arch };
}

export function formatLinuxTag(tag: LinuxTag, arch: string): string {
  return tag.tag.slice(0, tag.tag.length - tag.arch.length) + arch;
}

/** `armv7l` → {version 7, little}; `armv5tel` → {5, little}; null for anything that is not a 32-bit ARM name. */
export function armLevel(arch: string): { level: number; little: boolean } | null {
  const m = /^armv(\d+)[a-z]*?([lb])$/.exec(arch);
  return m === null ? null : { level: Number(m[1]), little: m[2] === "l" };
}

/** What 32-bit x86 kernels report as `uname -m`: CPython's tag says i686, older builds i386…i586. */
const X86_32 = new Set(["i386", "i486", "i586", "i686"]);

/**
 * Does an ELF file of this arch (as src/elf/ names it) run where the tag's arch is `uname -m`?
 * - 32-bit ARM: any `armv*l` tag fits, unless the file's build attributes (`Tag_CPU_arch`) say it
 *   needs a newer ARM than the tag names (`armv7l` code under `linux_armv6l`); a file that does not
 *   say (`arm`: no attributes, stripped) fits every one. `armv8l` hosts run v7 code (packaging's
 *   `_linux_platforms` gives them armv7l too), and v6 code runs on v7.
 * - i686 fits `i386`…`i686` (all 32-bit x86 kernels).
 * - Every other arch must be the tag's: the ELF class and byte order are part of the name (`ppc64`
 *   vs `ppc64le`, `mips` vs `mips64`), so `e_machine` alone never decides.
 */
export function elfArchFits(fileArch: string, tagArch: string): boolean {
  if (fileArch === tagArch) return true;
  const tagArm = armLevel(tagArch);
  if (tagArm !== null) {
    if (fileArch === "arm") return true;
    const fileArm = armLevel(fileArch);
    return fileArm !== null && fileArm.little === tagArm.little && fileArm.level <= tagArm.level;
  }
  return fileArch === "i686" && X86_32.has(tagArch);
}

/**
 * The one tag arch every file fits and that names exactly what they need, or null when they do not
 * agree (or none says: 32-bit ARM files without attributes could be any armv*l). ARM files agree on
 * the newest level any of them needs.
 */
export function agreedElfArch(fileArchs: readonly string[]): string | null {
  const known = fileArchs.filter((a) => a !== "arm");
  if (known.length === 0) return null;
  const arm = known.map(armLevel);
  if (arm.every((a) => a !== null)) {
    const little = arm[0]!.little;
    if (!arm.every((a) => a!.little === little)) return null;
    if (known.length !== fileArchs.length && !little) return null;
    return `armv${Math.max(...arm.map((a) => a!.level))}${little ? "l" : "b"}`;
  }
  return fileArchs.every((a) => a === known[0]) ? known[0]! : null;
}
