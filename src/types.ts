// The data that flows between retag's modules. Plain data only: no classes, no functions.
// Sections are owned by the module that produces the data; add a type in the section it belongs to.

// ───────────────────────────── Mach-O (src/macho/) ─────────────────────────────

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

/** What the first bytes of a file say it is (DESIGN §3.1: by magic, never by extension). */
export type BinaryKind = "macho" | "fat" | "archive" | "elf" | "pe" | "none";

// ───────────────────────────── Wheels (src/wheel/) ─────────────────────────────

/** A wheel file name split per the binary distribution format spec (PEP 427). Spelling kept as written. */
export interface WheelName {
  filename: string;
  distribution: string;
  version: string;
  build: string | null;
  /** Each compressed tag set split on `.`, in the order written. */
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

/** One line of the `WHEEL` file, kept exactly (line ending included) for a byte-for-byte rewrite. */
export interface WheelMetadataLine {
  raw: string;
  /** Header name and value when the line is `Name: value`; null for blank or continuation lines. */
  key: string | null;
  value: string | null;
}

export interface WheelMetadata {
  lines: WheelMetadataLine[];
  /** Values of the `Tag:` lines, in order. */
  tags: string[];
  /** The line ending used by most lines (`\n` or `\r\n`), for lines retag writes. */
  eol: string;
}

/** One RECORD row (CSV as Python's csv module writes it). `raw` is the row's exact text with its line ending. */
export interface RecordRow {
  path: string;
  /** `sha256=<urlsafe-b64-nopad>` or empty. */
  hash: string;
  size: string;
  raw: string;
}

export interface WheelRecord {
  rows: RecordRow[];
  /** The line ending of the last row (`\n` or `\r\n`), for rows retag writes. */
  eol: string;
  /** Blank lines after the last row, kept verbatim (csv.reader yields them as empty rows). */
  trailer: string;
}

/** One member of a zip archive, from its central directory entry. */
export interface ArchiveMember {
  name: string;
  /** Zip compression method (0 stored, 8 deflate). */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  isDirectory: boolean;
  /** Unix mode from the external attributes when the entry was made on Unix, else null. */
  unixMode: number | null;
  /** Position in the central directory; tells apart members that share a name. */
  index: number;
  /** The name exactly as stored (kept for the rewrite and for encoding checks). */
  nameBytes: Uint8Array;
  /** General purpose bit flag: bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8 name. */
  flags: number;
  /** The DOS date/time fields, read as UTC (as jszip and retag's writer write them). */
  modified: Date;
  /** External attributes as stored (`unixMode` is their high 16 bits for Unix entries). */
  externalAttributes: number;
}

/**
 * Random access to an archive's bytes, so the zip layer reads only the records and members it needs
 * instead of holding the whole wheel (DESIGN §7: memory bounded by the wheel's size). The bytes in
 * memory (a view, no copy) or a file read range by range (src/node.ts): the core does no I/O itself.
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset`; callers keep `offset + length ≤ size`. The result may be a view: do not modify it. */
  read(offset: number, length: number): Uint8Array;
}

// ───────────────────────────── Tags (src/tags/) ─────────────────────────────

/** A macOS version: `10.9` is {10, 9, 0}. Minos values and tag versions use the same shape. */
export interface MacVersion {
  major: number;
  minor: number;
  patch: number;
}

/** What the binaries support: for each arch every counted binary has a usable macOS slice for, the minimum macOS (max over those slices' minos, floors applied). */
export type Support = Map<string, MacVersion>;

export interface TagOptions {
  /** How a minimum a tag cannot express (12.3, 10.9.5) becomes one: 12_0 / 10_9 (down) or 13_0 / 10_10 (up). */
  round: "down" | "up";
  /** A floor for every arch's minimum (`--macos-target`). */
  macosTarget: MacVersion | null;
}

/** Whether pip / uv can ever accept a macOS tag (DESIGN §3.4). */
export type MacTagForm = "ok" | "malformed" | "uninstallable" | "unknown-format";

/** A parsed `macosx_X_Y_FORMAT` platform tag. */
export interface MacTag {
  tag: string;
  version: MacVersion;
  format: string;
  /** The archs the format selects on a host (§3.4); null for an unknown format. */
  archs: string[] | null;
  form: MacTagForm;
  /** Why the form is not "ok"; null when it is. */
  reason: string | null;
}

/** A tag's promise checked against the support (§3.4). */
export interface TagEvaluation {
  tag: string;
  /** True when the form is "ok", every arch is supported and no arch needs a newer macOS than the tag says. */
  valid: boolean;
  form: MacTagForm | "not-macos";
  missingArchs: string[];
  tooOld: Array<{ arch: string; needs: MacVersion; tagVersion: MacVersion }>;
  /** Archs whose minimum the tag cannot say exactly (12.1 under `12_0`): accepted when rounding down, and worth a warning. */
  inexact: Array<{ arch: string; needs: MacVersion; tagVersion: MacVersion }>;
}

/** The computed tag set for a claim (§3.5). */
export interface TagRepair {
  /** Sorted; empty when nothing is supported. */
  tags: string[];
  /** The archs the tags cover, sorted. */
  archs: string[];
  /** Minimums no tag can say exactly, and the version written instead. */
  rounded: Array<{ arch: string; from: MacVersion; to: MacVersion }>;
}

/** A parsed iOS platform tag `ios_X_Y_<arch>_<sdk>` (PEP 730). */
export interface IosTag {
  tag: string;
  /** The minor is significant on iOS (`ios_13_2_…` is not `ios_13_0_…`). */
  version: MacVersion;
  arch: string;
  sdk: "iphoneos" | "iphonesimulator";
}

// ───────────────────────────── Findings (src/findings.ts) ─────────────────────────────

export type Severity = "error" | "warning" | "info";

/** One problem or remark about a wheel. `code` is stable (R0xx wheel, R1xx binaries, R2xx tags, R3xx python/abi). */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  /** Member path inside the wheel, when the finding is about one. */
  member?: string;
  arch?: string;
  data: { [key: string]: unknown };
}

// ───────────────────────────── Analysis and results (src/analyze.ts, src/check.ts, src/retag.ts) ─────────────────────────────

/** A slice as reported: the parsed facts plus, for an extension module, whether it exports its init function. */
export interface SliceReport extends Slice {
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

export interface CheckOptions {
  /** Finding codes or prefixes to drop (`R2`, `R205`, or a finding name). */
  ignore: string[];
  /** Warnings count as failures. */
  strict: boolean;
  /** A floor for the computed macOS version (`--macos-target` / MACOSX_DEPLOYMENT_TARGET), e.g. "10.13". */
  macosTarget: string | null;
  /** Archs every counted binary must have (`arm64,x86_64`, `universal2`, `intel`), already expanded. */
  requireArchs: string[];
  /** How a minimum such as 12.3 becomes a tag: 12_0 (down, default) or 13_0 (up). */
  round: "down" | "up";
  /** Verify and keep RECORD; with rehash, a wrong RECORD is rewritten instead of refused. */
  rehash: boolean;
}

export interface CheckResult {
  /** The path or file name the wheel was given as. */
  wheel: string;
  ok: boolean;
  /** The parsed file name; null when it is not a valid wheel name. */
  name: WheelName | null;
  tags: {
    /** Platform tags of the file name. */
    current: string[];
    /** What fix mode writes: the current tags when valid, else the repair; null when it cannot be computed. */
    expected: string[] | null;
    /** The widest tag set the binaries allow (information). */
    widest: string[];
  };
  /** True when fix mode must rewrite the wheel (a tag is invalid or WHEEL disagrees with the name). */
  needsRewrite: boolean;
  /** The file name fix mode writes (the current one when only WHEEL changes); null when nothing can be written. */
  expectedFilename: string | null;
  findings: Finding[];
  binaries: BinaryReport[];
}
