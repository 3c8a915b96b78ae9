// The `.dist-info/RECORD` file: CSV rows `path,hash,size` as Python's csv module writes and reads them
// with its default dialect (PEP 376, "Recording installed projects"; PEP 427). Each row keeps its exact
// text so that a rewrite changes only the rows it has to.
import { WheelError } from "../model/errors.js";
import type { RecordRow, WheelRecord } from "../model/wheel.js";
import { splitLines } from "./metadata.js";

const EOL = /(?:\r\n|\r|\n)$/;

type State = "startRecord" | "startField" | "inField" | "inQuoted" | "quoteInQuoted" | "eatCrNl";

/**
 * Parses RECORD text the way `csv.reader` does (default excel dialect, strict=False): fields may be
 * quoted with `"` and contain doubled quotes and line breaks; rows end at `\r\n`, `\r` or `\n` outside
 * quotes. Throws WheelError("R006") where an installer's reader would fail or yield a row that is not
 * `path,hash,size`: an unterminated quote (csv.reader in non-strict mode would swallow the rest of the
 * file), a row without exactly three fields, a blank line between rows. Blank lines at the end are kept
 * as `trailer`.
 */
export function parseRecord(text: string): WheelRecord {
  const rows: RecordRow[] = [];
  const blank: { raw: string; line: number }[] = [];
  let state: State = "startRecord";
  let fields: string[] = [];
  let field = "";
  let rowStart = 0;
  let rowLine = 1;
  let offset = 0;
  let lineNumber = 0;

  const save = () => {
    fields.push(field);
    field = "";
  };
  // One step of CPython's Modules/_csv.c parse_process_char; `null` is the end-of-line marker the reader
  // feeds after each line.
  const step = (c: string | null) => {
    const lineBreak = c === "\r" || c === "\n" || c === null;
    if (state === "startRecord") {
      if (c === null) return;
      if (c === "\r" || c === "\n") {
        state = "eatCrNl";
        return;
      }
      // A normal character starts the first field.
      state = "startField";
    }
    switch (state) {
      case "startField":
        if (lineBreak) {
          save();
          state = c === null ? "startRecord" : "eatCrNl";
        } else if (c === '"') state = "inQuoted";
        else if (c === ",") save();
        else {
          field += c;
          state = "inField";
        }
        return;
      case "inField":
        if (lineBreak) {
          save();
          state = c === null ? "startRecord" : "eatCrNl";
        } else if (c === ",") {
          save();
          state = "startField";
        } else field += c;
        return;
      case "inQuoted":
        if (c === '"') state = "quoteInQuoted";
        else if (c !== null) field += c;
        return;
      case "quoteInQuoted":
        if (c === '"') {
          field += '"';
          state = "inQuoted";
        } else if (c === ",") {
          save();
          state = "startField";
        } else if (lineBreak) {
          save();
          state = c === null ? "startRecord" : "eatCrNl";
        } else {
          // strict=False: text after a closing quote is kept (`"a"b` reads as `ab`).
          field += c;
          state = "inField";
        }
        return;
      case "eatCrNl":
        if (c === null) state = "startRecord";
        else if (c !== "\r" && c !== "\n") {
          // Unreachable with lines split at \r and \n; kept so the machine matches the reader's.
          throw new WheelError("R006", `RECORD line ${lineNumber}: new-line character seen in unquoted field`);
        }
        return;
    }
  };

  for (const line of splitLines(text)) {
    lineNumber++;
    for (const c of line) step(c);
    step(null);
    offset += line.length;
    if (state !== "startRecord") continue;
    const raw = text.slice(rowStart, offset);
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
    rowStart = offset;
    rowLine = lineNumber + 1;
  }
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

export type RecordChange = { hash: string; size: number | string } | null;

/**
 * The RECORD text with `changes` applied: the rows of a changed path are written anew (keeping each
 * row's own line ending), `null` drops the rows of that path, every other row is kept byte for byte.
 * A changed path with no row is added at the end with the record's line ending.
 */
export function replaceRows(record: WheelRecord, changes: ReadonlyMap<string, RecordChange>): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of record.rows) {
    if (!changes.has(row.path)) {
      out.push(row.raw);
      continue;
    }
    seen.add(row.path);
    const change = changes.get(row.path);
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
