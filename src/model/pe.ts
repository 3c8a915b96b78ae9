// What the PE reader (src/pe/) says about one image: plain data, no behaviour. Field names follow
// Microsoft's "PE Format" specification (IMAGE_FILE_HEADER, IMAGE_OPTIONAL_HEADER, …).

export interface PeFile {
  /** IMAGE_FILE_HEADER.Machine (IMAGE_FILE_MACHINE_*), as written. */
  machine: number;
  /**
   * The Windows platform tag of code for this machine: `win_amd64` (AMD64, 0x8664), `win32` (I386,
   * 0x14c), `win_arm64` (ARM64, 0xaa64), `win_arm32` (ARMNT, 0x1c4); `machine(0x…)` for another.
   * An ARM64EC image says win_amd64 here: x64 processes load it (see `hybrid`).
   */
  platform: string;
  /**
   * Hybrid images, told apart from plain ones by the CHPE metadata their load configuration points
   * to: `arm64ec` (Machine AMD64 with CHPE metadata), `arm64x` (Machine ARM64 with CHPE metadata);
   * null for every other image.
   */
  hybrid: "arm64ec" | "arm64x" | null;
  /** IMAGE_FILE_HEADER.Characteristics (IMAGE_FILE_DLL = 0x2000, IMAGE_FILE_EXECUTABLE_IMAGE = 2, …). */
  characteristics: number;
  isDll: boolean;
  timeDateStamp: number;
  /** Optional header magic: 0x10b (PE32) or 0x20b (PE32+). */
  magic: "PE32" | "PE32+";
  /** IMAGE_SUBSYSTEM_*: 2 Windows GUI, 3 Windows console (CUI), … */
  subsystem: number;
  dllCharacteristics: number;
  imageBase: number;
  /** AddressOfEntryPoint (an RVA; 0 for a DLL linked without an entry point). */
  entryPoint: number;
  sections: PeSection[];
  /** The data directories (IMAGE_DATA_DIRECTORY), index 0 export … 15 reserved; as many as the image has. */
  dataDirectories: { rva: number; size: number }[];
  /** The export directory's DLL name (`_m.cp313-win_amd64.pyd`), or null when there is no export directory. */
  exportName: string | null;
  /** Names exported by name, in the export name table's order; collection stops at MAX_EXPORT_NAMES. */
  exports: string[];
  exportsTruncated: boolean;
  /** DLL names of the import directory, in order (`python313.dll`, `KERNEL32.dll`). */
  imports: string[];
  /** DLL names of the delay-load import directory. */
  delayImports: string[];
  /** From IMAGE_LOAD_CONFIG_DIRECTORY: its Size and CHPEMetadataPointer (a VA, 0 when absent). */
  loadConfig: { size: number; chpeMetadataPointer: number } | null;
  /** The ARM64EC / ARM64X hybrid metadata (IMAGE_ARM64EC_METADATA), for PE32+ images that have it. */
  chpe: { version: number; codeMap: PeCodeRange[] } | null;
}

export interface PeSection {
  /** The 8-byte name, without NUL padding. */
  name: string;
  virtualSize: number;
  virtualAddress: number;
  sizeOfRawData: number;
  pointerToRawData: number;
  characteristics: number;
}

/** One CHPE code map entry: an RVA range and the code it holds. */
export interface PeCodeRange {
  start: number;
  length: number;
  kind: "arm64" | "arm64ec" | "amd64" | "unknown";
}
