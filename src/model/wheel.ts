// The parts of a wheel as the format leaves (src/wheel/) parse them: its name, WHEEL and RECORD.
import type { BinaryReport } from "./binary.js";
import type { Finding } from "./findings.js";

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
  /** The first `Build:` header's value as email.message.Message.get returns it, or null when there is none. */
  build: string | null;
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

/** One file member of a wheel as the read stage saw it (directories are not listed). */
export interface MemberFacts {
  name: string;
  /** Position in the central directory (tells apart members that share a name). */
  index: number;
  size: number;
  crc32: number;
  /** False when the member could not be read (a finding says why) or was not chosen (WheelFacts.unread); nothing below is then known. */
  read: boolean;
  /** The member's sha256 (raw digest) when the read was asked to keep it (a rehash); else null. */
  sha256: Uint8Array | null;
  /** Whether the member's RECORD row holds: ok, exempt (RECORD and its signatures), or not. */
  record: "ok" | "exempt" | "wrong" | "unchecked";
}

/**
 * What the read stage learned about a wheel: its parts and facts, and the structural findings
 * (R0xx) met on the way. The rules (src/platforms/) work from this alone.
 */
export interface WheelFacts {
  /** The wheel's size in bytes. */
  size: number;
  /** False when the bytes are not a zip a reader can trust (R001); nothing else is then known. */
  readable: boolean;
  members: MemberFacts[];
  /** `pkg-1.0.dist-info`, or null when there is not exactly one. */
  distInfo: string | null;
  metadata: WheelMetadata | null;
  record: WheelRecord | null;
  /** True when every RECORD hash and size matched and every member had a row. */
  recordOk: boolean;
  binaries: BinaryReport[];
  findings: Finding[];
  /**
   * Members not read because the read was told to read only some (a remote check reads WHEEL, RECORD
   * and the binaries: DESIGN §10); their RECORD hashes were not verified. Empty when all were read.
   */
  unread: string[];
}
