// The finding registry: every code retag can report, as data. Codes and names are stable: scripts,
// `--ignore` lists and the README's per-code sections depend on them. Never renumber; retire instead.
import { clip } from "../text.js";

export type Severity = "error" | "warning" | "info";

/** One problem or remark about a wheel. `code` is stable (R0xx wheel, R1xx binaries, R2xx tags, R3xx python/abi). */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** Member path inside the wheel, when the finding is about one. */
  member?: string;
  arch?: string;
  data: { [key: string]: unknown };
}

export interface FindingDefinition {
  /** Short stable name, kebab-case, used in JSON output and the README. */
  name: string;
  severity: Severity;
  title: string;
  /** README text: what the finding means, its usual cause, and the fix. */
  meaning: string;
  cause: string;
  fix: string;
  /**
   * The step of fix mode that makes the finding go away: "rewrite" (new tags, WHEEL made to agree
   * with the name), "rehash" (RECORD written anew, only with --rehash). Absent: fix mode cannot.
   */
  fixedBy?: "rewrite" | "rehash";
}

export const FINDINGS = {
  // R0xx: the wheel as an archive and its metadata (PEP 427, binary distribution format spec).
  R001: { name: "bad-zip", severity: "error", title: "the file is not a readable zip archive",
    meaning: "The file is truncated, is not a zip archive, or its central directory is inconsistent (sizes, offsets or counts that point outside the file, overlapping members).",
    cause: "A partial download or upload, a file renamed to `.whl`, or a tool that wrote the zip wrongly.",
    fix: "Rebuild the wheel; check that the file was copied completely.",
  },
  R002: { name: "unsafe-path", severity: "error", title: "a member name is unsafe to extract",
    meaning: "A member name contains `..`, is absolute, uses backslashes, NUL or invalid UTF-8; installers refuse such names because extracting them could write outside the target folder. A name with a control character (a newline, an escape) is refused too: printed, it can forge CI annotations or terminal output.",
    cause: "A build script that added files with absolute or Windows paths, or a hostile wheel.",
    fix: "Rebuild the wheel with relative, forward-slash member names.",
  },
  R003: { name: "duplicate-member", severity: "error", title: "two members have the same name",
    meaning: "Two zip members have the same name. Installers extract both, the second silently replacing the first, so what is installed is not what RECORD describes.",
    cause: "A tool that appended to an existing wheel instead of rewriting it.",
    fix: "Rebuild the wheel from scratch.",
  },
  R004: { name: "dist-info", severity: "error", title: "the wheel has no single .dist-info folder",
    meaning: "A wheel has exactly one top-level `{name}-{version}.dist-info` folder holding `WHEEL` and `RECORD` (PEP 427). This one has none, or several.",
    cause: "A hand-made or merged wheel.",
    fix: "Rebuild the wheel with a standard build backend.",
  },
  R005: { name: "bad-wheel-metadata", severity: "error", title: "WHEEL is missing or cannot be parsed",
    meaning: "`.dist-info/WHEEL` is missing or is not an RFC 822-style header block.",
    cause: "A hand-edited or truncated WHEEL file.",
    fix: "Rebuild the wheel; WHEEL needs `Wheel-Version`, `Root-Is-Purelib` and one `Tag:` line per tag.",
  },
  R006: { name: "bad-record", severity: "error", title: "RECORD is missing or cannot be parsed",
    meaning: "`.dist-info/RECORD` is missing or is not CSV with three fields per row, lists a path twice, or breaks the recording spec in a way pypa/installer refuses: RECORD's own row with a hash or size (RECORD cannot hold its own hash), or a row for `RECORD.jws` / `RECORD.p7s` (they sign RECORD and are not listed in it).",
    cause: "A hand-edited or truncated RECORD.",
    fix: "Rebuild the wheel, or run `retag --rehash` to write RECORD anew.",
  },
  R007: { name: "record-mismatch", severity: "error", title: "a member's hash or size differs from RECORD",
    meaning: "A member's sha256 or size differs from its RECORD row (or the row has no hash). pip and uv refuse to install such a wheel.",
    cause: "A file was changed after the wheel was built (a manual `zip -u`, an `install_name_tool` run on an unpacked wheel that was zipped again without updating RECORD).",
    fix: "Rebuild the wheel, or let retag write RECORD anew with `--rehash` if the changed files are what you want to ship.",
    fixedBy: "rehash",
  },
  R008: { name: "unrecorded-member", severity: "error", title: "a member has no RECORD row",
    meaning: "A member is in the archive but RECORD has no row for it (only RECORD itself and `RECORD.jws` / `RECORD.p7s` may lack one).",
    cause: "A file added to the wheel after it was built.",
    fix: "Rebuild the wheel, or use `--rehash`.",
    fixedBy: "rehash",
  },
  R009: { name: "missing-member", severity: "error", title: "a RECORD row names a member that is not in the wheel",
    meaning: "RECORD lists a file that is not in the archive.",
    cause: "A file removed from the wheel after it was built.",
    fix: "Rebuild the wheel, or use `--rehash`.",
    fixedBy: "rehash",
  },
  R010: { name: "bad-filename", severity: "error", title: "the wheel file name is not valid",
    meaning: "The file name is not `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` as the binary distribution format spec defines it, or some installer refuses it: a build tag with anything but ASCII letters, digits, `_` and `.` (uv), an interpreter tag that is not an identifier such as `2` or `py3.2` (packaging 26.3), a tag with characters no installer's tags have.",
    cause: "A wheel renamed by hand.",
    fix: "Rename the wheel to the form its WHEEL tags describe.",
  },
  R011: { name: "wheel-tags-mismatch", severity: "error", title: "WHEEL Tag lines disagree with the file name",
    meaning: "The `Tag:` lines of WHEEL are not the product of the file name's python, abi and platform tags.",
    cause: "A wheel renamed without updating WHEEL (or the reverse).",
    fix: "`retag` rewrites WHEEL to match the (repaired) file name.",
    fixedBy: "rewrite",
  },
  R012: { name: "signature-dropped", severity: "warning", title: "RECORD.jws / RECORD.p7s no longer match and are dropped",
    meaning: "`RECORD.jws` / `RECORD.p7s` sign the old RECORD; after a rewrite they no longer match and retag drops them.",
    cause: "A signed wheel that needed a tag fix.",
    fix: "Sign the rewritten wheel again.",
  },
  R013: { name: "bad-record-hash", severity: "error", title: "a RECORD hash uses a forbidden or unknown algorithm",
    meaning: "A RECORD hash uses an algorithm that is forbidden (`md5`, `sha1`) or unknown, or is not `algorithm=urlsafe-base64-digest`.",
    cause: "An old or hand-written RECORD.",
    fix: "Rebuild the wheel, or use `--rehash` (retag writes sha256).",
    fixedBy: "rehash",
  },
  R014: { name: "unsupported-member", severity: "error", title: "a member cannot be read (encrypted, unknown compression, symlink, too large)",
    meaning: "A member cannot be read safely: encrypted, an unsupported compression method, a symlink, or larger than retag will inflate (a zip bomb).",
    cause: "A wheel made by a general-purpose zip tool with unusual settings, or a hostile file.",
    fix: "Rebuild the wheel with a standard build backend (stored or deflated members, regular files).",
  },

  R015: { name: "unsorted-tag-set", severity: "info", title: "a compressed tag set in the file name is not sorted",
    meaning: "A compressed tag set (`manylinux_2_17_x86_64.manylinux2014_x86_64`) is not in sorted order. pip and uv install the wheel, and it is the order auditwheel and maturin write (the newer name first), so most manylinux wheels on PyPI have it; only `packaging.utils.parse_wheel_filename(..., validate_order=True)` rejects the name.",
    cause: "auditwheel's and maturin's standard order, or a hand-renamed wheel.",
    fix: "Nothing to do. retag keeps the name as it is when it repairs WHEEL only, and writes sorted sets when it changes the platform tags.",
  },

  R016: { name: "outside-folder", severity: "info", title: "an installed distribution's RECORD lists a file outside its folder (not read)",
    meaning: "An installed distribution's RECORD lists a file outside the folder retag was given, by a path that climbs out of it (`../../../bin/tool`) or an absolute one. pip and uv write such rows for scripts and data files installed beside `site-packages`. retag never follows a path out of the folder, so that file is neither read nor verified.",
    cause: "Console scripts, `.data/scripts` and `.data/data` files of a distribution installed into an environment.",
    fix: "Nothing to do; audit the environment's `bin/` yourself if you need those files checked.",
  },

  R017: { name: "wheel-build-mismatch", severity: "warning", title: "WHEEL's Build disagrees with the file name's build tag",
    meaning: "The `Build:` header of WHEEL is not the file name's build tag (or one of them is missing). The binary distribution format spec has the two say the same; pypa/wheel's `wheel tags` refuses such a wheel. pip, uv and installer do not read `Build:`, so they install it.",
    cause: "A wheel renamed to add or change a build tag without updating WHEEL (or the reverse).",
    fix: "`retag` rewrites WHEEL's `Build:` to the file name's build tag.",
    fixedBy: "rewrite",
  },

  R018: { name: "dist-info-name-mismatch", severity: "error", title: "the .dist-info folder is not named for the file name's distribution",
    meaning: "The `.dist-info` folder's name, normalized as the specs say (`canonicalize_name`), is not the file name's distribution followed by a version. pypa/installer compares the part before the version, uv the part before the last `-`, and pip requires the folder to start with the name; each refuses the wheel when its check fails.",
    cause: "A wheel renamed by hand, or a project renamed without rebuilding.",
    fix: "Rebuild the wheel, or rename the file to the distribution its .dist-info folder names.",
  },

  R019: { name: "dist-info-version-mismatch", severity: "warning", title: "the .dist-info folder names another version than the file name",
    meaning: "The version in the `.dist-info` folder's name is not the file name's version once both are normalized (PEP 440: `1.0` is `1.0.0`, `1.0-1` is `1.0.post1`). uv warns and installs it; pip and installer do not look.",
    cause: "A wheel renamed to another version without rebuilding it.",
    fix: "Rebuild the wheel; a version lives in the file name, the .dist-info folder and METADATA.",
  },

  R020: { name: "record-backslash", severity: "warning", title: "a RECORD path uses backslashes",
    meaning: "A RECORD row writes its path with `\\` separators, as a RECORD made on Windows may. pypa/installer reads `\\` as `/`, and so does retag; a rewrite keeps the row's spelling.",
    cause: "A wheel built with a tool that wrote Windows paths into RECORD.",
    fix: "Rebuild the wheel with forward-slash paths in RECORD (or use `--rehash` with a tool that writes them).",
  },

  R021: { name: "compressed-wheel-tag", severity: "warning", title: "a WHEEL Tag line holds a compressed tag set",
    meaning: "A `Tag:` line of WHEEL holds a compressed tag set (`Tag: py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64`) instead of one line per tag. Installers accept it, but the binary distribution format spec asks for the expanded tags, one per line, and tools that read WHEEL literally see a tag no interpreter has.",
    cause: "Some build backends (published uv_build wheels) and hand-written WHEEL files.",
    fix: "`retag` writes one `Tag:` line per tag; the file name stays as it is.",
    fixedBy: "rewrite",
  },

  R022: { name: "case-collision", severity: "warning", title: "two member paths are one path where case is ignored",
    meaning: "Two members' paths differ only in case or in Unicode normalization (`pkg/Data.txt` and `pkg/data.txt`), or a file has the path of another member's folder. On a case-insensitive file system, the default on macOS (APFS) and Windows (NTFS), installing the wheel writes one over the other, or fails, and RECORD no longer describes what is on disk. Linux file systems keep both.",
    cause: "Files generated with different capitalisation, a package renamed by case only, or a hostile wheel.",
    fix: "Rename the files so that their paths differ by more than case.",
  },

  // R1xx: the binaries.
  R101: { name: "corrupt-macho", severity: "error", title: "a Mach-O file is malformed",
    meaning: "A Mach-O file is malformed: truncated, a load command outside the header, slices overlapping or past the end of the file. No tag can be computed for the wheel.",
    cause: "A truncated copy, or a post-processing tool that damaged the file.",
    fix: "Rebuild the binary; `llvm-objdump --macho --private-headers` shows what the loader would see.",
  },
  R102: { name: "missing-pyinit", severity: "error", title: "an extension module does not export its PyInit function",
    meaning: "An extension module exports its init function (`PyInit_<mod>`, spelled `_PyInit_<mod>` in Mach-O; `init<mod>` for Python 2) from no image: Python cannot import it anywhere (`ImportError: dynamic module does not define module export function`). ELF counts a defined global or weak symbol of default or protected visibility in `.dynsym` (a hidden one is not exported), PE a name in the export directory, wasm a function export, Mach-O the export trie or symbol table of every slice.",
    cause: "The module was linked from no objects, under another module name than its file name, or with the init function hidden (`-fvisibility=hidden` without `PyMODINIT_FUNC`).",
    fix: "Check the extension's sources and its name in setup.py / the build config.",
  },
  R103: { name: "no-version-info", severity: "warning", title: "a binary does not say which OS version it needs",
    meaning: "A Mach-O slice has no `LC_BUILD_VERSION` or `LC_VERSION_MIN_*` load command, so its minimum macOS or iOS (and on iOS, device or simulator) is unknown; or an Android ELF file has no `.note.android.ident` note, so its minimum API level is unknown. It still counts, and is ignored for the version.",
    cause: "Very old toolchains, hand-assembled binaries, or an Android library linked without the NDK's crtbegin objects (which write the note).",
    fix: "Rebuild with a current toolchain and a deployment target (`MACOSX_DEPLOYMENT_TARGET`, `-mios-version-min`, the NDK's clang for the API level).",
  },
  R104: { name: "platform-mismatch", severity: "error", title: "a slice is built for another Apple platform than the tag's",
    meaning: "A Mach-O slice is built for another Apple platform than the wheel's tags name: an iOS, simulator or Mac Catalyst slice in a macOS wheel; a macOS, Mac Catalyst, tvOS or watchOS slice in an iOS wheel. The tagged platform's Python cannot load it.",
    cause: "A build that picked the wrong SDK or target triple.",
    fix: "Rebuild for the tagged platform (`-target arm64-apple-macos11`, `-target arm64-apple-ios13.0`).",
  },
  R105: { name: "arch-variant-only", severity: "warning", title: "an arm64e / x86_64h slice does not stand in for arm64 / x86_64",
    meaning: "A binary has an `arm64e` or `x86_64h` slice but no plain `arm64` / `x86_64` slice. CPython is built for the plain arch and does not load the variant.",
    cause: "`-arch arm64e` / `-arch x86_64h` in the build flags.",
    fix: "Build the plain arch too (or instead).",
  },
  R106: { name: "foreign-binary", severity: "error", title: "a binary of another platform's format is in the wheel",
    meaning: "A binary in another platform's format is in the wheel: an ELF (Linux, Android), PE (Windows) or WebAssembly file in a macOS or iOS wheel; a Mach-O, PE or wasm file in a Linux or Android wheel; a Mach-O, ELF or wasm file in a Windows wheel; a native (Mach-O, ELF, PE) file in a Pyodide / Emscripten wheel. The platform the wheel installs on cannot load it.",
    cause: "Build artefacts from another platform copied into the package folder.",
    fix: "Clean the build folder and exclude foreign binaries from the package data.",
  },
  R107: { name: "static-code", severity: "info", title: "an object file or static archive is shipped (not counted)",
    meaning: "An object file or static archive is shipped. It is never loaded at run time, so it does not count toward the tag.",
    cause: "Build intermediates included in package data.",
    fix: "Usually harmless; exclude them to make the wheel smaller.",
  },
  R108: { name: "above-target", severity: "error", title: "a binary needs a newer macOS than the deployment target",
    meaning: "A binary needs a newer macOS than the deployment target given with `--macos-target` or `MACOSX_DEPLOYMENT_TARGET`.",
    cause: "A dependency (often a vendored dylib from Homebrew) built for a newer macOS than the project's target.",
    fix: "Rebuild the dependency with the same `MACOSX_DEPLOYMENT_TARGET`, or raise the target.",
  },
  R109: { name: "missing-required-arch", severity: "error", title: "a binary lacks an architecture required by --require-archs",
    meaning: "A counted binary has no usable slice for an arch that `--require-archs` requires.",
    cause: "A dependency available for one arch only, or ARCHFLAGS limited to one arch.",
    fix: "Build every binary for every required arch (`ARCHFLAGS='-arch arm64 -arch x86_64'`, `CIBW_ARCHS_MACOS=universal2`).",
  },
  R110: { name: "slice-without-pyinit", severity: "warning", title: "one slice of an extension module does not export its PyInit function",
    meaning: "One slice of an extension module does not export its init function, so the import fails on that arch; the slice does not count, and the tag must not promise that arch.",
    cause: "The build for that arch linked no objects (the python-ldap case: an empty x86_64 slice in a universal2 build).",
    fix: "Let `retag` narrow the tag, then fix the build for that arch.",
  },
  R111: { name: "corrupt-binary", severity: "error", title: "an ELF, PE or WebAssembly file is malformed",
    meaning: "A file that starts like an ELF (`\\x7fELF`), PE (`MZ` with `PE\\0\\0` at `e_lfanew`) or WebAssembly (`\\0asm`, version 1) binary is malformed: truncated, or a header, table or section that points outside the file. No tag can be computed for the wheel.",
    cause: "A truncated copy, or a post-processing tool (a strip, a patchelf run) that damaged the file.",
    fix: "Rebuild the binary; `llvm-readelf -a`, `llvm-readobj --file-headers` or `llvm-objdump -h` show what a loader would see.",
  },
  R112: { name: "wrong-libc", severity: "error", title: "an ELF file links another C library than the tag's platform has",
    meaning: "An ELF file's `DT_NEEDED` names a C library the tagged platform does not provide: glibc (`libc.so.6`) or musl (`libc.musl-<arch>.so.1`) in an Android wheel (Android's C library is bionic, `libc.so`), musl or bionic in a `manylinux` wheel, glibc or bionic in a `musllinux` wheel. The dynamic linker cannot load it there.",
    cause: "A build with the host's compiler instead of the Android NDK or the manylinux / musllinux image, or a build cache shared between them.",
    fix: "Build with the platform's toolchain: the Android NDK, or a manylinux / musllinux container (as cibuildwheel does).",
  },
  R113: { name: "ios-dylib", severity: "error", title: "an iOS binary is, or loads, a plain dynamic library",
    meaning: "iOS apps load dynamic code from frameworks only: a Mach-O dylib in an iOS wheel, or a binary that loads a `.dylib` from outside the system (`/usr/lib`, `/System`) and outside a `.framework`, cannot be loaded in an app. CPython's iOS build moves each extension module into a framework of its own; no other library is moved (the Pillow 11.3.0 case: `Library not loaded: …/libjpeg.62.dylib`).",
    cause: "A dependency linked dynamically because the build found a `.dylib` of it (pypa/cibuildwheel#2493).",
    fix: "Link third-party libraries statically into the extension module.",
  },
  R114: { name: "not-side-module", severity: "error", title: "a WebAssembly extension is not an Emscripten side module",
    meaning: "A wasm extension module has no `dylink.0` section: it was linked as a standalone module, not as a side module, and Emscripten's dynamic loader (which Pyodide imports extensions with) refuses it.",
    cause: "An extension built without the side-module flags (`-sSIDE_MODULE=1`, `wasm-ld -shared`).",
    fix: "Build the wheel with pyodide-build, or link with `emcc -sSIDE_MODULE=1`.",
  },

  // R2xx: the platform tags.
  R201: { name: "unsupported-arch", severity: "error", title: "the tag claims an architecture the binaries do not support",
    meaning: "The platform tag promises an arch (for iOS an arch and SDK: device or simulator) that some counted binary has no usable slice for. pip and uv would install the wheel on such a host and the import would fail.",
    cause: "The build backend named the wheel after a universal2 interpreter while building one arch only; an iOS simulator build tagged `iphoneos`.",
    fix: "`retag` rewrites the tag to what the binaries support, without widening the claim.",
    fixedBy: "rewrite",
  },
  R202: { name: "version-too-old", severity: "error", title: "the tag claims an older OS than a binary needs",
    meaning: "The platform tag promises an older OS than a binary needs: its macOS or iOS `minos` (on iOS the minor counts: a 13.4 binary under `ios_13_0`), or its Android API level (the NDK's `.note.android.ident`) above the tag's. An installer would install the wheel where loading fails.",
    cause: "A vendored library or dependency built with a newer deployment target or API level.",
    fix: "`retag` raises the version (the API level); or rebuild the dependency for the older target.",
    fixedBy: "rewrite",
  },
  R203: { name: "uninstallable-tag", severity: "error", title: "the tag has a form no installer accepts",
    meaning: "The tag has a form no installer accepts: a macOS minor version from 11 on (`macosx_12_3_arm64`), a major that has no macOS (`macosx_110_0_arm64`), `arm64` below 11, `x86_64` below 10.4 (`macosx_16_0` … `macosx_25_0` are accepted: every macOS 26+ host takes them); an iOS version below 12.0 or an arch/SDK pair PEP 730 does not name (`ios_13_0_x86_64_iphoneos`); an Android API level below 16 or an ABI PEP 738 does not name (`android_21_armeabi`).",
    cause: "A tool that copied the full version into the tag, or a hand-written tag.",
    fix: "`retag` writes an installable tag from the binaries.",
    fixedBy: "rewrite",
  },
  R204: { name: "version-rounded", severity: "warning", title: "the minimum OS cannot be expressed exactly in a tag",
    meaning: "A binary needs an OS release that no tag can express: a macOS minor release such as 12.3 (from macOS 11 on only `X_0` exists), an iOS patch release such as 13.4.1 (iOS tags are `X_Y`). retag tags `12_0` / `13_4` (as delocate and wheel do), which may install on a release where loading fails.",
    cause: "A dependency built with a minor (or patch) deployment target.",
    fix: "Build with `MACOSX_DEPLOYMENT_TARGET=12.0` (or an X.Y iOS target), or use `--round up` for the next release.",
  },
  R205: { name: "narrower-than-binaries", severity: "info", title: "the tag is valid but narrower than the binaries allow",
    meaning: "The tag is valid but narrower or more conservative than the binaries allow (an x86_64 wheel whose binaries are fat; `12_0` where `10_9` would do; `ios_15_0` where `ios_13_0` would). retag keeps it. Not reported when the binaries carry no version facts (no widest version can be said).",
    cause: "A deliberate choice, or a conservative deployment target.",
    fix: "Nothing to do; rename by hand if you want the wider tag.",
  },
  R206: { name: "no-native-binaries", severity: "warning", title: "a platform-tagged wheel has no native code",
    meaning: "The wheel has a platform tag but no binary of its platform's format that is loaded at run time (Mach-O for macOS and iOS, ELF for Linux and Android, PE for Windows, WebAssembly for Pyodide / Emscripten).",
    cause: "A pure-Python project built with a platform-specific backend setting.",
    fix: "Build a `py3-none-any` wheel instead.",
  },
  R207: { name: "native-in-pure-wheel", severity: "error", title: "a wheel tagged 'any' contains native code",
    meaning: "The wheel is tagged `any` but contains native code that Python loads: a Mach-O file loaded at run time, or a binary of any format named like an extension module (`.so`, `.pyd`, a wasm `.so`). pip would install it on every platform.",
    cause: "Native files included as package data in a pure wheel.",
    fix: "Build a platform wheel (a binary extension, or `has_ext_modules` in setup.py).",
  },
  R208: { name: "no-common-arch", severity: "error", title: "no architecture is supported by every binary",
    meaning: "No arch (for iOS, no arch/SDK pair) has a usable slice in every counted binary, so no tag fits.",
    cause: "Binaries built for different archs (an arm64 extension next to an x86_64-only dylib), or device and simulator builds mixed.",
    fix: "Rebuild the binaries so they share an arch.",
  },
  R209: { name: "unknown-platform", severity: "info", title: "no platform family's rules apply; only the common checks ran",
    meaning: "The platform tags name no platform retag has rules for (`freebsd_14_0_amd64`, `cygwin_3_5_x86_64`), or platforms of several families in one wheel (`macosx_11_0_arm64.win_amd64`), so only the common checks ran: the archive, WHEEL, RECORD, the file name and the extension suffixes.",
    cause: "A platform retag does not model, or a hand-made tag set.",
    fix: "Nothing to do for a platform retag does not model; split a wheel tagged for several platforms.",
  },
  R210: { name: "no-installable-tag", severity: "error", title: "no installable tag describes the binaries",
    meaning: "The tags are wrong, and what every binary supports cannot be written as a tag pip or uv would install: an arch with no macOS or iOS tag (arm64_32, arm64e-only, an unknown cputype), or a version no host of that arch ever ran (ppc needing 10.9). retag does not rewrite the wheel.",
    cause: "Binaries built for a watch or an old PowerPC target, or damaged cputype / minos fields.",
    fix: "Rebuild the binaries for an arch the platform's tags name (x86_64 and / or arm64).",
  },

  R211: { name: "wrong-native-arch", severity: "error", title: "a binary's architecture is not one the tag names",
    meaning: "In a Linux, Android or Windows wheel, an ELF or PE binary's architecture is not one the platform tags name: an `aarch64` extension in a `manylinux_2_17_x86_64` wheel, ARMv7 code (its `Tag_CPU_arch` build attribute) in a `linux_armv6l` wheel, an x86 library under `android_21_arm64_v8a`, an x64 DLL in a `win32` wheel, an ARM64EC DLL in a `win_amd64` wheel (ARM64 code that loads only into x64 processes on ARM64 Windows, never on an x64 machine). The ELF class and byte order are part of the arch (`ppc64` vs `ppc64le`). Any `armv*l` tag fits 32-bit ARM code that needs no newer ARM than it names.",
    cause: "A cross-compile that picked the wrong target, or a build cache shared between architectures.",
    fix: "When every binary is of one other arch, `retag` rewrites the arch (ABI) part of an Android, Windows or `linux_<arch>` tag; it never rewrites a `manylinux` / `musllinux` tag, whose policy only auditwheel can establish. Otherwise rebuild for the tagged arch.",
    fixedBy: "rewrite",
  },
  R212: { name: "glibc-too-new", severity: "error", title: "a binary needs a newer glibc than the manylinux tag promises",
    meaning: "An ELF file needs a `GLIBC_2.N` symbol version above the glibc its `manylinux` tag names (`manylinux_2_17` and `manylinux2014` are glibc 2.17): a binary needing `GLIBC_2.28` in a `manylinux_2_17` wheel fails to load on the hosts that tag admits (`version 'GLIBC_2.28' not found`). Only glibc's own versions are compared (2.N); the rest of the manylinux policy, which libraries a wheel may link and their symbol versions, is auditwheel's.",
    cause: "A build on a newer distribution than the manylinux image, or a library vendored from one.",
    fix: "Build in the manylinux container of the tag (cibuildwheel does), or let `auditwheel repair` compute the tag the binaries allow; retag never raises a manylinux tag.",
  },

  // R3xx: python and abi tags against the extension modules.
  R301: { name: "abi-mismatch", severity: "error", title: "an extension suffix does not match the wheel's python / abi tags",
    meaning: "An extension's suffix (`.cpython-312-darwin.so`, `.cp312-win_amd64.pyd`) names a Python or ABI that the wheel's python / abi tags do not (`cp313`); the module would not be found, or not load, where pip installs the wheel.",
    cause: "A build cache reused across Python versions, or a wheel re-tagged by hand.",
    fix: "Rebuild the wheel for the Python it is tagged for.",
  },
  R302: { name: "abi3-in-version-specific-wheel", severity: "warning", title: "an .abi3.so extension is in a wheel not tagged abi3",
    meaning: "An `.abi3.so` extension is in a wheel not tagged `abi3`. It loads, but the wheel could be tagged for every later Python too.",
    cause: "A limited-API build without `py_limited_api` in bdist_wheel.",
    fix: "Set `py_limited_api` so the wheel is tagged `cp3X-abi3`.",
  },
  R303: { name: "suffix-platform-mismatch", severity: "error", title: "an extension suffix names another platform than the wheel's tag",
    meaning: "An extension's suffix names a platform the wheel is not tagged for: `.cpython-313-x86_64-linux-gnu.so` in an `aarch64` or a `musllinux` wheel, `-iphonesimulator.so` in an `iphoneos` wheel, `-aarch64-linux-android.so` under `android_21_x86_64`, `.cp313-win32.pyd` in a `win_amd64` wheel, a `.pyd` outside a Windows wheel or a `.so` inside one, `-darwin.so` outside macOS. The interpreter looks only for its own suffixes (`importlib.machinery.EXTENSION_SUFFIXES`), so the module is never found.",
    cause: "A build cache reused across targets, or files copied between platforms' builds.",
    fix: "Rebuild the extension for the tagged platform.",
  },
} as const satisfies { [code: string]: FindingDefinition };

export type FindingCode = keyof typeof FINDINGS;

/** No data beyond the message, member and arch. */
type NoData = { [key: string]: never };

/**
 * The `data` each code carries (JSON output, version 1: fields are only ever added). Typed here so
 * that every place that reports a code gives it the same shape. Any code may also come once as the
 * summary of its findings past MAX_FINDINGS_PER_CODE, with `{ suppressed: number }` (capFindings).
 */
export interface FindingData {
  R001: NoData;
  R002: { problem: string };
  R003: { problem: string };
  R004: { folders: string[] };
  R005: NoData;
  R006: NoData | { size: string };
  R007: NoData | { size: number; recorded: string };
  R008: NoData;
  R009: NoData;
  R010: { filename: string };
  R011: { wheel: string[]; filename: string[] };
  R012: NoData;
  R013: { hash: string };
  R014: NoData | { problem: string } | { limit: number };
  R015: { filename: string };
  R016: { path: string; problem: "climbs" | "absolute" };
  R017: { wheel: string | null; filename: string | null };
  R018: { folder: string; distribution: string };
  R019: { folder: string; version: string };
  R020: NoData;
  R021: { lines: string[] };
  R022: { problem: string };
  R101: NoData;
  R102: { symbol: string | null };
  R103: NoData;
  R104: { platform: string };
  R105: NoData;
  R106: NoData;
  R107: NoData;
  R108: { minos: string | null; target: string | null };
  R109: NoData;
  R110: { symbol: string | null };
  R111: { format: string };
  R112: { libc: string; expected: string[] };
  R113: { library: string };
  R114: NoData;
  R201: { tag: string; members: string[] };
  R202: { tag: string; needs: string; tagVersion: string; target?: string | null };
  R203: { tag: string };
  R204: { tag?: string; needs: string; tagged: string };
  R205: { widest: string[] };
  R206: NoData;
  R207: NoData;
  R208: { [member: string]: string[] };
  R209: { tags: string[] };
  R210: { archs: string[] };
  R211: { tags: string[] };
  R212: { tag: string; needs: string; tagVersion: string };
  R301: { suffixAbi: string; pythonTags: string[]; abiTags: string[] };
  R302: { abiTags: string[] };
  R303: { suffix: string; tags: string[] };
}

/**
 * The longest message a finding carries. Messages quote input clipped (src/text.ts); this is the
 * backstop, so no rule can print a line, field or name a hostile wheel makes as long as it likes.
 */
export const MAX_MESSAGE = 1000;

/** Builds a finding with the registry's severity and the code's data shape. */
export function finding<C extends FindingCode>(
  code: C,
  message: string,
  extra: { member?: string; arch?: string; data?: FindingData[C] } = {},
): Finding {
  const def: FindingDefinition = FINDINGS[code];
  const f: Finding = { code, severity: def.severity, message: clip(message, MAX_MESSAGE), data: extra.data ?? {} };
  if (extra.member !== undefined) f.member = extra.member;
  if (extra.arch !== undefined) f.arch = extra.arch;
  return f;
}

/**
 * The most findings of one code a wheel lists. A hostile RECORD of 130,000 rows naming no member
 * gave 130,000 R009 findings, and spreading them into one array overflowed the stack (issue 11, D2).
 * A hundred show any pattern a person has to act on; the rest are counted, not listed.
 */
export const MAX_FINDINGS_PER_CODE = 100;

/** How many findings of its code a finding stands for that were not listed (set on the one summary finding of a code). */
export function suppressedCount(f: Finding): number {
  const n = f.data["suppressed"];
  return typeof n === "number" ? n : 0;
}

/**
 * At most `max` findings of each code, in their order; a code with more gets one more finding, right
 * after its last listed one, that says how many were left out (`data.suppressed`). Capping a capped
 * list again gives the same list: earlier summaries are merged into the new one.
 */
export function capFindings(findings: readonly Finding[], max = MAX_FINDINGS_PER_CODE): Finding[] {
  const total = new Map<FindingCode, number>();
  for (const f of findings) total.set(f.code, (total.get(f.code) ?? 0) + (suppressedCount(f) > 0 ? suppressedCount(f) : 1));
  const listed = new Map<FindingCode, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (suppressedCount(f) > 0) continue;
    const n = (listed.get(f.code) ?? 0) + 1;
    listed.set(f.code, n);
    if (n > max) continue;
    out.push(f);
    const all = total.get(f.code) ?? 0;
    if (n === max && all > max) out.push(suppressedFinding(f.code, all - max, max));
  }
  // A summary whose code no longer has `max` findings listed (a list capped more tightly before) still counts.
  for (const [code, all] of total) {
    const shown = Math.min(listed.get(code) ?? 0, max);
    if (shown < max && all > shown) out.push(suppressedFinding(code, all - shown, max));
  }
  return out;
}

/**
 * A function that appends findings to `list` as they are reported, keeping at most `max` of each
 * code and counting the rest in one summary finding (finished by capFindings): a wheel that makes
 * 200,000 findings of a code costs 100 of them in memory, not 200,000.
 */
export function cappedReporter(list: Finding[], max = MAX_FINDINGS_PER_CODE): (f: Finding) => void {
  const counts = new Map<FindingCode, number>();
  const summaries = new Map<FindingCode, Finding>();
  return (f) => {
    // A summary from a list capped before counts all the findings it stands for.
    const stands = suppressedCount(f);
    const n = (counts.get(f.code) ?? 0) + 1;
    if (stands === 0) counts.set(f.code, n);
    if (stands === 0 && n <= max) {
      list.push(f);
      return;
    }
    const summary = summaries.get(f.code);
    if (summary === undefined) {
      const created = suppressedFinding(f.code, Math.max(stands, 1), max);
      summaries.set(f.code, created);
      list.push(created);
    } else summary.data["suppressed"] = suppressedCount(summary) + Math.max(stands, 1);
  };
}

function suppressedFinding(code: FindingCode, count: number, max: number): Finding {
  const def: FindingDefinition = FINDINGS[code];
  return {
    code,
    severity: def.severity,
    message: `${count} more ${code} findings are not listed (retag lists at most ${max} of each code)`,
    data: { suppressed: count },
  };
}

/** `--ignore R2` ignores every R2xx code; `--ignore R201` only that one; names work too. */
export function isIgnored(code: string, ignore: readonly string[]): boolean {
  const name = (FINDINGS as { [c: string]: FindingDefinition })[code]?.name;
  return ignore.some((pattern) => code.startsWith(pattern.toUpperCase()) || pattern === name);
}

/** The step of fix mode that repairs a finding of this code, if any (the registry's `fixedBy`). */
export function fixedBy(code: string): "rewrite" | "rehash" | undefined {
  return (FINDINGS as { [c: string]: FindingDefinition })[code]?.fixedBy;
}

/** Whether a finding fails the run: every error, and with `strict` every warning too (DESIGN §5). */
export function fails(f: Finding, strict: boolean): boolean {
  return f.severity === "error" || (strict && f.severity === "warning");
}

/** A wheel is fine when none of its findings fails. */
export function isOk(findings: readonly Finding[], strict: boolean): boolean {
  return !findings.some((f) => fails(f, strict));
}
