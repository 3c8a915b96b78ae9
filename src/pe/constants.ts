// PE/COFF constants, with the names of Microsoft's "PE Format" specification.

export const IMAGE_DOS_SIGNATURE = 0x5a4d; // "MZ"
/** Offset of e_lfanew in the MS-DOS stub header. */
export const E_LFANEW = 0x3c;
export const IMAGE_NT_SIGNATURE = 0x00004550; // "PE\0\0"
export const COFF_HEADER_SIZE = 20;
export const SECTION_HEADER_SIZE = 40;

export const IMAGE_NT_OPTIONAL_HDR32_MAGIC = 0x10b;
export const IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20b;

export const IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
export const IMAGE_FILE_DLL = 0x2000;

export const IMAGE_FILE_MACHINE_I386 = 0x14c;
export const IMAGE_FILE_MACHINE_ARMNT = 0x1c4;
export const IMAGE_FILE_MACHINE_AMD64 = 0x8664;
export const IMAGE_FILE_MACHINE_ARM64 = 0xaa64;
/** The values llvm-readobj prints for hybrid images; never written in an image's Machine field. */
export const IMAGE_FILE_MACHINE_ARM64EC = 0xa641;
export const IMAGE_FILE_MACHINE_ARM64X = 0xa64e;

export const IMAGE_SUBSYSTEM_WINDOWS_GUI = 2;
export const IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;

/** Data directory indexes (optional header data directories). */
export const IMAGE_DIRECTORY_ENTRY_EXPORT = 0;
export const IMAGE_DIRECTORY_ENTRY_IMPORT = 1;
export const IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG = 10;
export const IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT = 13;

export const EXPORT_DIRECTORY_SIZE = 40;
export const IMPORT_DESCRIPTOR_SIZE = 20;
export const DELAY_IMPORT_DESCRIPTOR_SIZE = 32;

/** Offset of CHPEMetadataPointer in IMAGE_LOAD_CONFIG_DIRECTORY32 / 64. */
export const CHPE_POINTER_OFFSET = { PE32: 0x7c, "PE32+": 0xc8 } as const;
