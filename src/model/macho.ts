// Mach-O facts as the reader (src/macho/) reports them: plain data, named as in <mach-o/loader.h>.

/** How the file holds its images: one image, a fat container (FAT_MAGIC / FAT_MAGIC_64), or a static archive. */
export type Container = "thin" | "fat" | "fat64" | "archive";

/**
 * `mach_header.filetype` (MH_OBJECT … MH_FILESET in <mach-o/loader.h>), lower-cased without the
 * `MH_` prefix; `archive` for a static-archive slice of a fat file; `unknown` for other values.
 */
export type MachOFileType =
  | "object"
  | "execute"
  | "fvmlib"
  | "core"
  | "preload"
  | "dylib"
  | "dylinker"
  | "bundle"
  | "dylib_stub"
  | "dsym"
  | "kext_bundle"
  | "fileset"
  | "archive"
  | "unknown";

/**
 * `LC_BUILD_VERSION.platform` (PLATFORM_* in <mach-o/loader.h>) by name; a version-min command
 * implies its platform. Unknown numbers are kept as `unknown(N)`.
 */
export type Platform =
  | "macos"
  | "ios"
  | "tvos"
  | "watchos"
  | "bridgeos"
  | "maccatalyst"
  | "iossimulator"
  | "tvossimulator"
  | "watchossimulator"
  | "driverkit"
  | "visionos"
  | "visionossimulator"
  | "firmware"
  | "sepos"
  | `unknown(${number})`;

export type VersionCommandName =
  | "LC_BUILD_VERSION"
  | "LC_VERSION_MIN_MACOSX"
  | "LC_VERSION_MIN_IPHONEOS"
  | "LC_VERSION_MIN_TVOS"
  | "LC_VERSION_MIN_WATCHOS";

/** One version load command of a slice. Versions are `X.Y`, or `X.Y.Z` when Z is not 0. */
export interface PlatformVersion {
  platform: Platform;
  minos: string;
  sdk: string;
  command: VersionCommandName;
}

/** One architecture image of a Mach-O file (the only one of a thin file). */
export interface Slice {
  /** `arm64`, `x86_64`, `arm64e`, …; `cpu(<type>,<subtype>)` when the pair has no known name. */
  arch: string;
  /** Raw `cputype` and `cpusubtype` (unsigned 32-bit, capability bits included). */
  cputype: number;
  cpusubtype: number;
  /** Byte range of the image within the file. */
  offset: number;
  size: number;
  /** 64 for MH_MAGIC_64 images, 32 for MH_MAGIC; null for an archive slice. */
  bits: 32 | 64 | null;
  filetype: MachOFileType;
  /** The slice's platform: the macOS version command when there is one, else the first; null when none. */
  platform: Platform | null;
  minos: string | null;
  sdk: string | null;
  versionCommand: VersionCommandName | null;
  /** Every version command, in load-command order (zippered binaries carry two). */
  versions: PlatformVersion[];
  /** LC_ID_DYLIB name, for dylibs. */
  installName: string | null;
  /** LC_LOAD_DYLIB / LC_LOAD_WEAK_DYLIB / LC_REEXPORT_DYLIB / LC_LAZY_LOAD_DYLIB names, in order. */
  loadDylibs: string[];
  rpaths: string[];
  /** Exported symbol names as the linker spells them (`_PyInit__x`), from the export trie or the symbol table. */
  exports: string[];
}

export interface MachOFile {
  container: Container;
  slices: Slice[];
}
