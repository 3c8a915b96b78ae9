// Architecture names of ELF files, spelled as `uname -m` and Python platform tags spell them
// (`linux_<arch>`, `manylinux_2_17_<arch>`, `musllinux_1_2_<arch>`). A name, not a policy: the rules
// decide what a name may stand in for.

import * as C from "./constants.js";

/**
 * `Tag_CPU_arch` values (ARM "Addenda to, and Errata in, the ABI for the Arm Architecture",
 * Tag_CPU_arch) → the architecture name there, and the `uname -m` name a Linux kernel running that
 * architecture reports (arch/arm/mm/proc-*.S arch names plus the endianness letter). M- and R-profile
 * cores run no Linux user space, so they have no such name.
 */
const ARM_CPU_ARCHS: readonly (readonly [string, string | null])[] = [
  ["Pre-v4", null],
  ["v4", "armv4"],
  ["v4T", "armv4t"],
  ["v5T", "armv5t"],
  ["v5TE", "armv5te"],
  ["v5TEJ", "armv5tej"],
  ["v6", "armv6"],
  ["v6KZ", "armv6"],
  ["v6T2", "armv6"],
  ["v6K", "armv6"],
  ["v7", "armv7"],
  ["v6-M", null],
  ["v6S-M", null],
  ["v7E-M", null],
  ["v8-A", "armv8"],
  ["v8-R", null],
  ["v8-M.baseline", null],
  ["v8-M.mainline", null],
  ["v8.1-A", "armv8"],
  ["v8.2-A", "armv8"],
  ["v8.3-A", "armv8"],
  ["v8.1-M.mainline", null],
  ["v9-A", "armv8"],
];

/** The ABI addenda's name of a Tag_CPU_arch value (`v7`), or null for one it does not define. */
export function armCpuArchName(cpuArch: number): string | null {
  return ARM_CPU_ARCHS[cpuArch]?.[0] ?? null;
}

/**
 * `armv7l` for Tag_CPU_arch v7 in a little-endian file (`armv7b` big-endian), `armv6l` for the v6
 * family, …; `arm` when the tag is unknown (no attributes, an M-profile core): then the file does not
 * say which ARM it needs. (A 32-bit ARMv8 kernel reports `armv8l`; 32-bit code for v8 says so.)
 */
export function armArchName(cpuArch: number | null, little: boolean): string {
  const base = cpuArch === null ? null : (ARM_CPU_ARCHS[cpuArch]?.[1] ?? null);
  return base === null ? "arm" : `${base}${little ? "l" : "b"}`;
}

/**
 * The arch name of a file with this e_machine, class and byte order. EM_ARM needs the attributes
 * (`armCpuArch`). Names follow the kernel's `uname -m`: i686 for EM_386 (the platform tag CPython
 * uses, though the kernel may say i386), ppc64le / ppc64 by byte order (one e_machine), mips64 / mips
 * by class (`uname -m` does not tell MIPS byte orders apart either).
 */
export function elfArchName(machine: number, bits: 32 | 64, little: boolean, armCpuArch: number | null): string {
  switch (machine) {
    case C.EM_386:
      return "i686";
    case C.EM_X86_64:
      return "x86_64";
    case C.EM_AARCH64:
      return little ? "aarch64" : "aarch64_be";
    case C.EM_ARM:
      return armArchName(armCpuArch, little);
    case C.EM_PPC64:
      return little ? "ppc64le" : "ppc64";
    case C.EM_PPC:
      return little ? "ppcle" : "ppc";
    case C.EM_S390:
      return bits === 64 ? "s390x" : "s390";
    case C.EM_RISCV:
      return bits === 64 ? "riscv64" : "riscv32";
    case C.EM_LOONGARCH:
      return bits === 64 ? "loongarch64" : "loongarch32";
    case C.EM_MIPS:
      return bits === 64 ? "mips64" : "mips";
    case C.EM_SPARCV9:
      return "sparc64";
    case C.EM_SPARC:
      return "sparc";
    case C.EM_IA_64:
      return "ia64";
    case C.EM_PARISC:
      return "parisc";
    case C.EM_68K:
      return "m68k";
    case C.EM_SH:
      return "sh4";
    case C.EM_ALPHA:
      return "alpha";
    default:
      return `machine(${machine})`;
  }
}
