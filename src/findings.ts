// The finding registry: every code retag can report, as data. Codes and names are stable: scripts,
// `--ignore` lists and the README's per-code sections depend on them. Never renumber; retire instead.
import type { Finding, Severity } from "./types.js";

export interface FindingDefinition {
  /** Short stable name, kebab-case, used in JSON output and the README. */
  name: string;
  severity: Severity;
  title: string;
}

export const FINDINGS = {
  // R0xx: the wheel as an archive and its metadata (PEP 427, binary distribution format spec).
  R001: { name: "bad-zip", severity: "error", title: "the file is not a readable zip archive" },
  R002: { name: "unsafe-path", severity: "error", title: "a member name is unsafe to extract" },
  R003: { name: "duplicate-member", severity: "error", title: "two members have the same name" },
  R004: { name: "dist-info", severity: "error", title: "the wheel has no single .dist-info folder" },
  R005: { name: "bad-wheel-metadata", severity: "error", title: "WHEEL is missing or cannot be parsed" },
  R006: { name: "bad-record", severity: "error", title: "RECORD is missing or cannot be parsed" },
  R007: { name: "record-mismatch", severity: "error", title: "a member's hash or size differs from RECORD" },
  R008: { name: "unrecorded-member", severity: "error", title: "a member has no RECORD row" },
  R009: { name: "missing-member", severity: "error", title: "a RECORD row names a member that is not in the wheel" },
  R010: { name: "bad-filename", severity: "error", title: "the wheel file name is not valid" },
  R011: { name: "wheel-tags-mismatch", severity: "error", title: "WHEEL Tag lines disagree with the file name" },
  R012: { name: "signature-dropped", severity: "warning", title: "RECORD.jws / RECORD.p7s no longer match and are dropped" },
  R013: { name: "bad-record-hash", severity: "error", title: "a RECORD hash uses a forbidden or unknown algorithm" },
  R014: { name: "unsupported-member", severity: "error", title: "a member cannot be read (encrypted, unknown compression, symlink, too large)" },

  // R1xx: the binaries.
  R101: { name: "corrupt-macho", severity: "error", title: "a Mach-O file is malformed" },
  R102: { name: "missing-pyinit", severity: "error", title: "an extension module slice does not export its PyInit function" },
  R103: { name: "no-version-info", severity: "warning", title: "a slice has no LC_BUILD_VERSION or LC_VERSION_MIN_* command" },
  R104: { name: "platform-mismatch", severity: "error", title: "a slice is built for another platform than macOS" },
  R105: { name: "arch-variant-only", severity: "warning", title: "an arm64e / x86_64h slice does not stand in for arm64 / x86_64" },
  R106: { name: "foreign-binary", severity: "error", title: "an ELF or PE binary is inside a macOS wheel" },
  R107: { name: "static-code", severity: "info", title: "an object file or static archive is shipped (not counted)" },
  R108: { name: "above-target", severity: "error", title: "a binary needs a newer macOS than the deployment target" },
  R109: { name: "missing-required-arch", severity: "error", title: "a binary lacks an architecture required by --require-archs" },

  // R2xx: the platform tags.
  R201: { name: "unsupported-arch", severity: "error", title: "the tag claims an architecture the binaries do not support" },
  R202: { name: "version-too-old", severity: "error", title: "the tag claims an older macOS than a binary needs" },
  R203: { name: "uninstallable-tag", severity: "error", title: "the tag has a form no installer accepts" },
  R204: { name: "version-rounded", severity: "warning", title: "the minimum macOS cannot be expressed exactly in a tag" },
  R205: { name: "narrower-than-binaries", severity: "info", title: "the tag is valid but narrower than the binaries allow" },
  R206: { name: "no-macho-binaries", severity: "warning", title: "a platform-tagged wheel has no native code" },
  R207: { name: "native-in-pure-wheel", severity: "error", title: "a wheel tagged 'any' contains native code" },
  R208: { name: "no-common-arch", severity: "error", title: "no architecture is supported by every binary" },
  R209: { name: "not-macos", severity: "info", title: "the wheel is not a macOS wheel; only generic checks apply" },

  // R3xx: python and abi tags against the extension modules.
  R301: { name: "abi-mismatch", severity: "error", title: "an extension suffix does not match the wheel's python / abi tags" },
} as const satisfies { [code: string]: FindingDefinition };

export type FindingCode = keyof typeof FINDINGS;

/** Builds a finding with the registry's severity. */
export function finding(
  code: FindingCode,
  message: string,
  extra: { member?: string; arch?: string; data?: Finding["data"] } = {},
): Finding {
  const def: FindingDefinition = FINDINGS[code];
  const f: Finding = { code, severity: def.severity, message, data: extra.data ?? {} };
  if (extra.member !== undefined) f.member = extra.member;
  if (extra.arch !== undefined) f.arch = extra.arch;
  return f;
}

/** `--ignore R2` ignores every R2xx code; `--ignore R201` only that one; names work too. */
export function isIgnored(code: string, ignore: readonly string[]): boolean {
  const name = (FINDINGS as { [c: string]: FindingDefinition })[code]?.name;
  return ignore.some((pattern) => code.startsWith(pattern.toUpperCase()) || pattern === name);
}
