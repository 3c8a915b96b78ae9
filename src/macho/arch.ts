// cputype / cpusubtype → the architecture name used by lipo, packaging and wheel tags.
// Numbers from <mach/machine.h>.

import {
  CPU_SUBTYPE_ARM64E,
  CPU_SUBTYPE_ARM64_32_V8,
  CPU_SUBTYPE_ARM64_ALL,
  CPU_SUBTYPE_ARM64_V8,
  CPU_SUBTYPE_I386_ALL,
  CPU_SUBTYPE_MASK,
  CPU_SUBTYPE_X86_64_ALL,
  CPU_SUBTYPE_X86_64_H,
  CPU_TYPE_ARM,
  CPU_TYPE_ARM64,
  CPU_TYPE_ARM64_32,
  CPU_TYPE_I386,
  CPU_TYPE_POWERPC,
  CPU_TYPE_POWERPC64,
  CPU_TYPE_X86_64,
} from "./constants.js";

/** CPU_SUBTYPE_ARM_* → lipo's names. */
const ARM_SUBTYPES: ReadonlyMap<number, string> = new Map([
  [0, "arm"],
  [5, "armv4t"],
  [6, "armv6"],
  [7, "armv5"],
  [8, "xscale"],
  [9, "armv7"],
  [10, "armv7f"],
  [11, "armv7s"],
  [12, "armv7k"],
  [13, "armv8"],
  [14, "armv6m"],
  [15, "armv7m"],
  [16, "armv7em"],
  [17, "armv8m"],
]);

/**
 * The architecture name of a cputype / cpusubtype pair (raw values; the capability bits in the
 * high byte of cpusubtype, CPU_SUBTYPE_MASK, are ignored: arm64e is 0x80000002, x86_64
 * executables carry CPU_SUBTYPE_LIB64).
 *
 * Every PowerPC subtype is named `ppc` / `ppc64` (GCC wrote ppc7400 / ppc970 subtypes for
 * -mcpu=G4/G5): wheel tags and packaging only know `ppc` and `ppc64`, and those images run on the
 * PowerPC Macs the tags describe. Subtypes that are a different ABI keep their own name
 * (`x86_64h`, `arm64e`, `armv7s`, …) because they cannot stand in for the plain arch.
 * An unknown pair is `cpu(<cputype>,<cpusubtype without capability bits>)`, in decimal.
 */
export function archName(cputype: number, cpusubtype: number): string {
  const type = cputype >>> 0;
  const sub = (cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0;
  switch (type) {
    case CPU_TYPE_X86_64:
      if (sub === CPU_SUBTYPE_X86_64_ALL) return "x86_64";
      if (sub === CPU_SUBTYPE_X86_64_H) return "x86_64h";
      break;
    case CPU_TYPE_I386:
      if (sub === CPU_SUBTYPE_I386_ALL) return "i386";
      break;
    case CPU_TYPE_ARM64:
      if (sub === CPU_SUBTYPE_ARM64_ALL) return "arm64";
      if (sub === CPU_SUBTYPE_ARM64E) return "arm64e";
      if (sub === CPU_SUBTYPE_ARM64_V8) return "arm64v8";
      break;
    case CPU_TYPE_ARM64_32:
      if (sub === 0 || sub === CPU_SUBTYPE_ARM64_32_V8) return "arm64_32";
      break;
    case CPU_TYPE_ARM: {
      const name = ARM_SUBTYPES.get(sub);
      if (name !== undefined) return name;
      break;
    }
    case CPU_TYPE_POWERPC:
      return "ppc";
    case CPU_TYPE_POWERPC64:
      return "ppc64";
  }
  return `cpu(${type},${sub})`;
}
