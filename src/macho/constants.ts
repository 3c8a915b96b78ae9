// Apple's names and numbers, spelled as in <mach-o/loader.h>, <mach-o/fat.h>, <mach-o/nlist.h>,
// <mach/machine.h> and <ar.h> so they can be looked up there.

// ── Magic numbers (<mach-o/loader.h>, <mach-o/fat.h>) ──
export const MH_MAGIC = 0xfeedface;
export const MH_CIGAM = 0xcefaedfe;
export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_CIGAM_64 = 0xcffaedfe;
/** Fat headers are always big-endian on disk. */
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;
/** `!<arch>\n` (<ar.h> ARMAG), the start of a static archive. */
export const ARMAG = "!<arch>\n";

// ── Structure sizes ──
export const MACH_HEADER_SIZE = 28;
export const MACH_HEADER_64_SIZE = 32;
export const FAT_HEADER_SIZE = 8;
export const FAT_ARCH_SIZE = 20;
export const FAT_ARCH_64_SIZE = 32;
export const LOAD_COMMAND_SIZE = 8;
export const NLIST_SIZE = 12;
export const NLIST_64_SIZE = 16;
export const SECTION_SIZE = 68;
export const SECTION_64_SIZE = 80;

// ── mach_header.filetype ──
export const MH_OBJECT = 0x1;
export const MH_EXECUTE = 0x2;
export const MH_FVMLIB = 0x3;
export const MH_CORE = 0x4;
export const MH_PRELOAD = 0x5;
export const MH_DYLIB = 0x6;
export const MH_DYLINKER = 0x7;
export const MH_BUNDLE = 0x8;
export const MH_DYLIB_STUB = 0x9;
export const MH_DSYM = 0xa;
export const MH_KEXT_BUNDLE = 0xb;
export const MH_FILESET = 0xc;

// ── Load commands ──
/** Set on commands dyld must understand to load the image. */
export const LC_REQ_DYLD = 0x80000000;
export const LC_SEGMENT = 0x1;
export const LC_SYMTAB = 0x2;
export const LC_SYMSEG = 0x3;
export const LC_THREAD = 0x4;
export const LC_UNIXTHREAD = 0x5;
export const LC_LOADFVMLIB = 0x6;
export const LC_IDFVMLIB = 0x7;
export const LC_IDENT = 0x8;
export const LC_FVMFILE = 0x9;
export const LC_PREPAGE = 0xa;
export const LC_DYSYMTAB = 0xb;
export const LC_LOAD_DYLIB = 0xc;
export const LC_ID_DYLIB = 0xd;
export const LC_LOAD_DYLINKER = 0xe;
export const LC_ID_DYLINKER = 0xf;
export const LC_PREBOUND_DYLIB = 0x10;
export const LC_ROUTINES = 0x11;
export const LC_SUB_FRAMEWORK = 0x12;
export const LC_SUB_UMBRELLA = 0x13;
export const LC_SUB_CLIENT = 0x14;
export const LC_SUB_LIBRARY = 0x15;
export const LC_TWOLEVEL_HINTS = 0x16;
export const LC_PREBIND_CKSUM = 0x17;
export const LC_LOAD_WEAK_DYLIB = (0x18 | LC_REQ_DYLD) >>> 0;
export const LC_SEGMENT_64 = 0x19;
export const LC_ROUTINES_64 = 0x1a;
export const LC_UUID = 0x1b;
export const LC_RPATH = (0x1c | LC_REQ_DYLD) >>> 0;
export const LC_CODE_SIGNATURE = 0x1d;
export const LC_SEGMENT_SPLIT_INFO = 0x1e;
export const LC_REEXPORT_DYLIB = (0x1f | LC_REQ_DYLD) >>> 0;
export const LC_LAZY_LOAD_DYLIB = 0x20;
export const LC_ENCRYPTION_INFO = 0x21;
export const LC_DYLD_INFO = 0x22;
export const LC_DYLD_INFO_ONLY = (0x22 | LC_REQ_DYLD) >>> 0;
export const LC_LOAD_UPWARD_DYLIB = (0x23 | LC_REQ_DYLD) >>> 0;
export const LC_VERSION_MIN_MACOSX = 0x24;
export const LC_VERSION_MIN_IPHONEOS = 0x25;
export const LC_FUNCTION_STARTS = 0x26;
export const LC_DYLD_ENVIRONMENT = 0x27;
export const LC_MAIN = (0x28 | LC_REQ_DYLD) >>> 0;
export const LC_DATA_IN_CODE = 0x29;
export const LC_SOURCE_VERSION = 0x2a;
export const LC_DYLIB_CODE_SIGN_DRS = 0x2b;
export const LC_ENCRYPTION_INFO_64 = 0x2c;
export const LC_LINKER_OPTION = 0x2d;
export const LC_LINKER_OPTIMIZATION_HINT = 0x2e;
export const LC_VERSION_MIN_TVOS = 0x2f;
export const LC_VERSION_MIN_WATCHOS = 0x30;
export const LC_NOTE = 0x31;
export const LC_BUILD_VERSION = 0x32;
export const LC_DYLD_EXPORTS_TRIE = (0x33 | LC_REQ_DYLD) >>> 0;
export const LC_DYLD_CHAINED_FIXUPS = (0x34 | LC_REQ_DYLD) >>> 0;
export const LC_FILESET_ENTRY = (0x35 | LC_REQ_DYLD) >>> 0;
export const LC_ATOM_INFO = 0x36;

// ── Load command structure sizes (the fixed part, before any lc_str / trailing array) ──
export const SEGMENT_COMMAND_SIZE = 56;
export const SEGMENT_COMMAND_64_SIZE = 72;
export const SYMTAB_COMMAND_SIZE = 24;
export const DYLIB_COMMAND_SIZE = 24;
export const DYLINKER_COMMAND_SIZE = 12;
export const RPATH_COMMAND_SIZE = 12;
export const VERSION_MIN_COMMAND_SIZE = 16;
export const BUILD_VERSION_COMMAND_SIZE = 24;
export const DYLD_INFO_COMMAND_SIZE = 48;
export const LINKEDIT_DATA_COMMAND_SIZE = 16;

// ── LC_BUILD_VERSION.platform ──
export const PLATFORM_MACOS = 1;
export const PLATFORM_IOS = 2;
export const PLATFORM_TVOS = 3;
export const PLATFORM_WATCHOS = 4;
export const PLATFORM_BRIDGEOS = 5;
export const PLATFORM_MACCATALYST = 6;
export const PLATFORM_IOSSIMULATOR = 7;
export const PLATFORM_TVOSSIMULATOR = 8;
export const PLATFORM_WATCHOSSIMULATOR = 9;
export const PLATFORM_DRIVERKIT = 10;
export const PLATFORM_VISIONOS = 11;
export const PLATFORM_VISIONOSSIMULATOR = 12;
export const PLATFORM_FIRMWARE = 13;
export const PLATFORM_SEPOS = 14;

// ── <mach/machine.h> ──
export const CPU_ARCH_ABI64 = 0x01000000;
export const CPU_ARCH_ABI64_32 = 0x02000000;
/** High byte of cpusubtype: capability bits (e.g. CPU_SUBTYPE_LIB64, arm64e's PtrAuth ABI version). */
export const CPU_SUBTYPE_MASK = 0xff000000;

export const CPU_TYPE_VAX = 1;
export const CPU_TYPE_MC680x0 = 6;
export const CPU_TYPE_X86 = 7;
export const CPU_TYPE_I386 = CPU_TYPE_X86;
export const CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
export const CPU_TYPE_MC98000 = 10;
export const CPU_TYPE_HPPA = 11;
export const CPU_TYPE_ARM = 12;
export const CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
export const CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
export const CPU_TYPE_MC88000 = 13;
export const CPU_TYPE_SPARC = 14;
export const CPU_TYPE_I860 = 15;
export const CPU_TYPE_POWERPC = 18;
export const CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

export const CPU_SUBTYPE_I386_ALL = 3;
export const CPU_SUBTYPE_X86_64_ALL = 3;
export const CPU_SUBTYPE_X86_64_H = 8;

export const CPU_SUBTYPE_ARM_ALL = 0;
export const CPU_SUBTYPE_ARM_V4T = 5;
export const CPU_SUBTYPE_ARM_V6 = 6;
export const CPU_SUBTYPE_ARM_V5TEJ = 7;
export const CPU_SUBTYPE_ARM_XSCALE = 8;
export const CPU_SUBTYPE_ARM_V7 = 9;
export const CPU_SUBTYPE_ARM_V7F = 10;
export const CPU_SUBTYPE_ARM_V7S = 11;
export const CPU_SUBTYPE_ARM_V7K = 12;
export const CPU_SUBTYPE_ARM_V8 = 13;
export const CPU_SUBTYPE_ARM_V6M = 14;
export const CPU_SUBTYPE_ARM_V7M = 15;
export const CPU_SUBTYPE_ARM_V7EM = 16;
export const CPU_SUBTYPE_ARM_V8M = 17;

export const CPU_SUBTYPE_ARM64_ALL = 0;
export const CPU_SUBTYPE_ARM64_V8 = 1;
export const CPU_SUBTYPE_ARM64E = 2;
export const CPU_SUBTYPE_ARM64_32_V8 = 1;

export const CPU_SUBTYPE_POWERPC_ALL = 0;
export const CPU_SUBTYPE_POWERPC_7400 = 10;
export const CPU_SUBTYPE_POWERPC_970 = 100;

// ── <mach-o/nlist.h> n_type bits ──
export const N_STAB = 0xe0;
export const N_PEXT = 0x10;
export const N_TYPE = 0x0e;
export const N_EXT = 0x01;
export const N_UNDF = 0x0;
export const N_ABS = 0x2;
export const N_SECT = 0xe;
export const N_PBUD = 0xc;
export const N_INDR = 0xa;
