// What the ELF reader (src/elf/) says about one file: plain data, no behaviour. Field names follow
// the System V gABI and <elf.h> where a reader would look them up there.

/** `e_type`: ET_REL, ET_EXEC, ET_DYN (shared objects and PIE executables), ET_CORE. */
export type ElfFileType = "none" | "rel" | "exec" | "dyn" | "core" | `type(${number})`;

export interface ElfFile {
  /** EI_CLASS: ELFCLASS32 or ELFCLASS64. */
  bits: 32 | 64;
  /** EI_DATA: ELFDATA2LSB (true) or ELFDATA2MSB. */
  little: boolean;
  /** EI_OSABI (0 System V, 3 GNU/Linux, 9 FreeBSD, …) and EI_ABIVERSION. */
  osAbi: number;
  abiVersion: number;
  type: ElfFileType;
  /** `e_machine` (EM_*). */
  machine: number;
  /**
   * The architecture as `uname -m` and platform tags spell it: x86_64, i686, aarch64, armv7l, armv6l,
   * ppc64le, ppc64, s390x, riscv64, mips64, mips, loongarch64, …; `arm` for an EM_ARM file whose
   * `.ARM.attributes` do not say which ARM (stripped, or an M-profile core); `machine(N)` when
   * e_machine is not one retag knows.
   */
  arch: string;
  /** `e_flags`, as written (its meaning depends on e_machine). */
  flags: number;
  /** `e_entry`: 0 for most shared objects. */
  entry: number;
  /** For EM_ARM only (null otherwise). */
  arm: ElfArmInfo | null;
  /** PT_INTERP: the program interpreter (`/lib64/ld-linux-x86-64.so.2`), for executables. */
  interpreter: string | null;
  /** False when the file has no section headers (sstripped): the facts below then come from PT_DYNAMIC / PT_NOTE. */
  hasSectionHeaders: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
  /** From the dynamic section (PT_DYNAMIC); null when there is none (static executables, objects). */
  dynamic: ElfDynamic | null;
  /** `.gnu.version_r` (DT_VERNEED): per needed file, the symbol versions used from it. */
  versionNeeds: ElfVersionNeed[];
  /**
   * The highest `GLIBC_2.N` in versionNeeds (from any file), or null when none is needed. `name` is
   * the version as written (`GLIBC_2.2.5` is major 2, minor 2: manylinux policies compare 2.N only).
   */
  maxGlibc: { major: number; minor: number; name: string } | null;
  /**
   * Names of the defined global and weak symbols of `.dynsym` (what dlsym can find), in table order.
   * Collection stops at MAX_EXPORT_NAMES names (see `exportsTruncated`).
   */
  exports: string[];
  exportsTruncated: boolean;
  /** Number of `.dynsym` entries (including the null entry 0), or 0 when there is no dynamic symbol table. */
  dynamicSymbolCount: number;
  notes: ElfNote[];
  /** `.note.android.ident` (NT_ANDROID_TYPE_IDENT in an "Android" note), as the NDK's crtbegin writes it. */
  android: ElfAndroidIdent | null;
  /** `.note.ABI-tag` (NT_GNU_ABI_TAG): the OS and the oldest kernel the file runs on. */
  abiTag: { os: number; kernel: string } | null;
  /** `.note.gnu.property` feature bits: `IBT`, `SHSTK` (x86), `BTI`, `PAC`, `GCS` (AArch64). */
  gnuProperties: string[];
  /** NT_GNU_BUILD_ID as lowercase hex, or null. */
  buildId: string | null;
}

export interface ElfArmInfo {
  /** `Tag_CPU_arch` from the `aeabi` file attributes of `.ARM.attributes` (10 = v7), or null. */
  cpuArch: number | null;
  /** Its name as the ARM ABI addenda spell it (`v7`, `v6KZ`, `v8-A`), or null. */
  cpuArchName: string | null;
  /** `Tag_CPU_arch_profile` as a letter (`A`, `R`, `M`, `S`), or null. */
  profile: string | null;
  /** EABI float ABI from e_flags: EF_ARM_ABI_FLOAT_HARD / EF_ARM_ABI_FLOAT_SOFT, else null. */
  floatAbi: "hard" | "soft" | null;
  /** EABI version (e_flags >> 24), 5 for every current toolchain. */
  eabiVersion: number;
}

export interface ElfSection {
  name: string;
  /** `sh_type` (SHT_*). */
  type: number;
  flags: number;
  address: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entrySize: number;
}

export interface ElfSegment {
  /** `p_type` (PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, …). */
  type: number;
  flags: number;
  offset: number;
  virtualAddress: number;
  fileSize: number;
  memorySize: number;
  align: number;
}

export interface ElfDynamic {
  /** DT_NEEDED, in order. */
  needed: string[];
  soname: string | null;
  /** DT_RPATH and DT_RUNPATH strings as written (each may hold several `:`-separated paths). */
  rpath: string[];
  runpath: string[];
  /** DT_FLAGS_1 (DF_1_*), 0 when absent. */
  flags1: number;
}

export interface ElfVersionNeed {
  /** The needed file (`vn_file`): `libc.so.6`. */
  file: string;
  /** Version names (`vna_name`): `GLIBC_2.17`, `GLIBC_2.28`. */
  versions: string[];
}

export interface ElfNote {
  /** Note name (owner): `GNU`, `Android`. */
  owner: string;
  type: number;
  descriptionSize: number;
  /** File offset of the note header. */
  offset: number;
}

export interface ElfAndroidIdent {
  /** The API level the code was built for (minSdkVersion). */
  apiLevel: number;
  /** `r27c`, or null when the descriptor has only the API level (NDKs before r14). */
  ndkVersion: string | null;
  ndkBuildNumber: string | null;
}
