// The architecture of an ELF or PE file, for the checks DESIGN §3.7 gives Linux and Windows wheels:
// only the header's machine field, no policy. Names are the ones platform tags use.

/** ELF `e_machine` (System V ABI, elf.h EM_*) → the arch part of `manylinux_*_<arch>` / `linux_<arch>`. */
const ELF_MACHINES: { [machine: number]: string | ((little: boolean, is64: boolean) => string) } = {
  3: "i686", // EM_386
  62: "x86_64", // EM_X86_64
  183: "aarch64", // EM_AARCH64
  40: "armv7l", // EM_ARM
  21: (little) => (little ? "ppc64le" : "ppc64"), // EM_PPC64
  22: "s390x", // EM_S390
  243: (_little, is64) => (is64 ? "riscv64" : "riscv32"), // EM_RISCV
  258: "loongarch64", // EM_LOONGARCH
};

/** PE COFF `Machine` (IMAGE_FILE_MACHINE_*) → the Windows platform tag that selects it. */
const PE_MACHINES: { [machine: number]: string } = {
  0x8664: "win_amd64",
  0xaa64: "win_arm64",
  0x14c: "win32",
};

/** `x86_64` for a 64-bit x86-64 ELF; `machine(N)` for an unknown one; null when the header is short. */
export function elfArch(bytes: Uint8Array): string | null {
  if (bytes.length < 20) return null;
  const is64 = bytes[4] === 2; // EI_CLASS: ELFCLASS64
  const little = bytes[5] !== 2; // EI_DATA: ELFDATA2MSB is big-endian
  const machine = little ? bytes[18]! | (bytes[19]! << 8) : (bytes[18]! << 8) | bytes[19]!;
  const name = ELF_MACHINES[machine];
  if (name === undefined) return `machine(${machine})`;
  return typeof name === "string" ? name : name(little, is64);
}

/** `win_amd64` for an x64 PE; `machine(N)` for an unknown one; null when the header is short. */
export function peArch(bytes: Uint8Array): string | null {
  if (bytes.length < 0x40) return null;
  const lfanew = (bytes[0x3c]! | (bytes[0x3d]! << 8) | (bytes[0x3e]! << 16) | (bytes[0x3f]! << 24)) >>> 0;
  if (lfanew + 6 > bytes.length) return null;
  const machine = bytes[lfanew + 4]! | (bytes[lfanew + 5]! << 8);
  return PE_MACHINES[machine] ?? `machine(${machine})`;
}

/**
 * The archs a Linux / Windows platform tag names: `manylinux_2_17_x86_64`, `manylinux2014_aarch64`,
 * `musllinux_1_2_armv7l`, `linux_x86_64` → the arch after the policy; `win_amd64` → itself. Null for
 * any other tag.
 */
export function tagArch(tag: string): { system: "linux" | "windows"; arch: string } | null {
  const linux = /^(?:manylinux_\d+_\d+|manylinux1|manylinux2010|manylinux2014|musllinux_\d+_\d+|linux)_(.+)$/.exec(tag);
  if (linux !== null) return { system: "linux", arch: linux[1]! };
  if (tag === "win_amd64" || tag === "win_arm64" || tag === "win32") return { system: "windows", arch: tag };
  return null;
}
