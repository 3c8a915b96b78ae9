// The `.dist-info/RECORD` file: CSV rows `path,hash,size` as Python's csv module writes and reads them
// with its default dialect (PEP 376, "Recording installed projects"; PEP 427). Each row keeps its exact
// text so that a rewrite changes only the rows it has to.
import { WheelError } from "../model/errors.js";
import type { RecordRow, WheelRecord } from "../model/wheel.js";

const EOL = /(?:\r\n|\r|\n)$/;

/**
 * The longest RECORD field retag reads, in UTF-16 code units. No member name can be longer: the zip
 * name length is a u16 (APPNOTE 4.4.10) and a name has at least as many UTF-8 bytes as code units.
 * Hashes and sizes are far shorter (a sha512 digest is 93 characters). A longer field names nothing
 * and is refused before it is built: one 130 MB field once cost 4 GB of heap (issue 11, D1).
 */
export const MAX_RECORD_FIELD = 0xffff;

type State = "startRecord" | "startField" | "inField" | "inQuoted" | "quoteInQuoted" | "eatCrNl";

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** The end-of-line marker the reader feeds after each line (not a character). */
const END = -1;

/**
 * Parses RECORD text the way `csv.reader` does (default excel dialect, strict=False): fields may be
 * quoted with `"` and contain doubled quotes and line breaks; rows end at `\r\n`, `\r` or `\n` outside
 * quotes. Throws WheelError("R006") where an installer's reader would fail or yield a row that is not
 * `path,hash,size`: an unterminated quote (csv.reader in non-strict mode would swallow the rest of the
 * file), a row without exactly three fields, a blank line between rows; and for a field longer than
 * MAX_RECORD_FIELD. Blank lines at the end are kept as `trailer`. Linear in the text: a field is cut
 * out of the text in runs, never built a character at a time.
 */
export function parseRecord(text: string): WheelRecord {
  const rows: RecordRow[] = [];
  const blank: { raw: string; line: number }[] = [];
  let state: State = "startRecord";
  let fields: string[] = [];
  // The current field: the runs of it already cut out, and the run being read (from runStart).
  let parts: string[] = [];
  let runStart = -1;
  let fieldLength = 0;
  let rowStart = 0;
  let rowLine = 1;
  /** Lines ended so far; the line being read is lineNumber + 1. */
  let lineNumber = 0;

  const flush = (at: number) => {
    if (runStart >= 0) parts.push(text.slice(runStart, at));
    runStart = -1;
  };
  const add = (at: number) => {
    if (runStart < 0) runStart = at;
    if (++fieldLength > MAX_RECORD_FIELD) {
      throw new WheelError("R006", `RECORD line ${lineNumber + 1}: a field is longer than ${MAX_RECORD_FIELD} characters (no member name can be)`);
    }
  };
  const save = (at: number) => {
    flush(at);
    fields.push(parts.length === 1 ? (parts[0] as string) : parts.join(""));
    parts = [];
    fieldLength = 0;
  };
  // One step of CPython's Modules/_csv.c parse_process_char for the character at `at` (`c` its code,
  // or END after each line).
  const step = (c: number, at: number) => {
    const lineBreak = c === CR || c === LF || c === END;
    if (state === "startRecord") {
      if (c === END) return;
      if (c === CR || c === LF) {
        state = "eatCrNl";
        return;
      }
      // A normal character starts the first field.
      state = "startField";
    }
    switch (state) {
      case "startField":
        if (lineBreak) {
          save(at);
          state = c === END ? "startRecord" : "eatCrNl";
        } else if (c === QUOTE) state = "inQuoted";
        else if (c === COMMA) save(at);
        else {
          add(at);
          state = "inField";
        }
        return;
      case "inField":
        if (lineBreak) {
          save(at);
          state = c === END ? "startRecord" : "eatCrNl";
        } else if (c === COMMA) {
          save(at);
          state = "startField";
        } else add(at);
        return;
      case "inQuoted":
        if (c === QUOTE) {
          flush(at);
          state = "quoteInQuoted";
        } else if (c !== END) add(at);
        return;
      case "quoteInQuoted":
        if (c === QUOTE) {
          // A doubled quote: the second one is the field's character.
          add(at);
          state = "inQuoted";
        } else if (c === COMMA) {
          save(at);
          state = "startField";
        } else if (lineBreak) {
          save(at);
          state = c === END ? "startRecord" : "eatCrNl";
        } else {
          // strict=False: text after a closing quote is kept (`"a"b` reads as `ab`).
          add(at);
          state = "inField";
        }
        return;
      case "eatCrNl":
        if (c === END) state = "startRecord";
        else if (c !== CR && c !== LF) {
          // Unreachable with lines split at \r and \n; kept so the machine matches the reader's.
          throw new WheelError("R006", `RECORD line ${lineNumber + 1}: new-line character seen in unquoted field`);
        }
        return;
    }
  };
  // A line ends after `\n`, after a `\r` not followed by `\n`, and at the end of the text
  // (email.feedparser and csv's line iteration agree on this).
  const endLine = (end: number) => {
    step(END, end);
    lineNumber++;
    if (state !== "startRecord") return;
    const raw = text.slice(rowStart, end);
    if (fields.length === 0) blank.push({ raw, line: rowLine });
    else {
      const first = blank[0];
      if (first !== undefined) throw new WheelError("R006", `RECORD line ${first.line} is blank`);
      if (fields.length !== 3) {
        throw new WheelError(
          "R006",
          `RECORD line ${rowLine} has ${fields.length} field${fields.length === 1 ? "" : "s"}, not 3 (path,hash,size)`,
        );
      }
      const [path, hash, size] = fields as [string, string, string];
      rows.push({ path, hash, size, raw });
    }
    fields = [];
    rowStart = end;
    rowLine = lineNumber + 1;
  };

  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    step(c, i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) endLine(i + 1);
  }
  const last = text.charCodeAt(n - 1);
  if (n > 0 && last !== CR && last !== LF) endLine(n);
  if (state !== "startRecord") throw new WheelError("R006", `RECORD line ${rowLine}: a quoted field is never closed`);

  return { rows, eol: lastEol(rows), trailer: blank.map((b) => b.raw).join("") };
}

/**
 * One RECORD row as csv.writer writes it (QUOTE_MINIMAL): a field is quoted when it contains `,`, `"`,
 * `\r` or `\n`, with inner quotes doubled. `eol` is appended as given (`\r\n` is csv.writer's default).
 */
export function serializeRecordRow(path: string, hash: string, size: number | string, eol: string): string {
  return [path, hash, String(size)].map(quoteField).join(",") + eol;
}

/**
 * The member a RECORD path names: pypa/installer reads `\` as `/` (src/installer/records.py
 * `parse_record_file`: "Convert Windows paths to use / for consistency"), as a RECORD written on
 * Windows may need; member names themselves never hold a backslash (R002).
 */
export function recordKey(path: string): string {
  return path.includes("\\") ? path.replaceAll("\\", "/") : path;
}

export type RecordChange = { hash: string; size: number | string } | null;

/**
 * The RECORD text with `changes` (by member name) applied: the rows of a changed member are written
 * anew, keeping each row's own path spelling (backslashes too) and line ending; `null` drops the rows
 * of that member; every other row is kept byte for byte. A changed member with no row is added at the
 * end with the record's line ending.
 */
export function replaceRows(record: WheelRecord, changes: ReadonlyMap<string, RecordChange>): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of record.rows) {
    const key = recordKey(row.path);
    if (!changes.has(key)) {
      out.push(row.raw);
      continue;
    }
    seen.add(key);
    const change = changes.get(key);
    if (change) out.push(serializeRecordRow(row.path, change.hash, change.size, EOL.exec(row.raw)?.[0] ?? ""));
  }
  for (const [path, change] of changes) {
    if (seen.has(path) || !change) continue;
    const last = out.length - 1;
    // The row that used to end the file without a line ending needs one now that a row follows it.
    if (last >= 0 && !EOL.test(out[last] as string)) out[last] += record.eol;
    out.push(serializeRecordRow(path, change.hash, change.size, record.eol));
  }
  return out.join("") + record.trailer;
}

function quoteField(value: string): string {
  return /[,"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The line ending of the last row that has one; csv.writer's `\r\n` when none has. */
function lastEol(rows: readonly RecordRow[]): string {
  for (let i = rows.length - 1; i >= 0; i--) {
    const eol = EOL.exec((rows[i] as RecordRow).raw)?.[0];
    if (eol !== undefined) return eol;
  }
  return "\r\n";
}
