// The parts of a wheel as the format leaves (src/wheel/) parse them: its name, WHEEL and RECORD.

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
