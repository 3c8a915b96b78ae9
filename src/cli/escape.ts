// Names from a wheel (member names, file names, anything a message quotes) are untrusted text. Every
// such string printed as text goes through escapeText, and every one in a GitHub Actions workflow
// command through the functions below, so a hostile name can neither drive the terminal (ESC
// sequences) nor start a line that GitHub's runner executes (`::add-mask::…`, `::error::…`).

/** C0 and C1 control characters, DEL, and the Unicode format characters that reorder or hide text. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const SHORT: { [c: string]: string } = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  const short = SHORT[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * One untrusted string, safe to print on a line of text: control characters become `\n`, `\x1b`,
 * `\u202e`, and a leading `::` (GitHub's runner treats a line starting with it, after spaces, as a
 * workflow command) becomes `\x3a:`. Printable text, backslashes included, is left as it is.
 */
export function escapeText(s: string): string {
  const escaped = s.replace(UNSAFE, escapeChar);
  return /^\s*::/.test(escaped) ? escaped.replace(":", "\\x3a") : escaped;
}

// GitHub's workflow commands (actions/toolkit packages/core/src/command.ts): in the message, `%`, CR
// and LF are escaped as %25, %0D, %0A; in a property value also `:` and `,` (%3A, %2C). Control
// characters are made visible first (escapeText), so the log shows no escape sequence either.

function workflowData(s: string): string {
  return escapeText(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function workflowProperty(s: string): string {
  return workflowData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type AnnotationLevel = "error" | "warning" | "notice";

/**
 * One GitHub Actions annotation line, `::error file=…,title=…::message`, with every property value
 * and the message escaped. Every annotation retag prints is made here.
 */
export function workflowCommand(level: AnnotationLevel, properties: { [key: string]: string | undefined }, message: string): string {
  const props = Object.entries(properties)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${workflowProperty(v)}`)
    .join(",");
  return `::${level}${props === "" ? "" : ` ${props}`}::${workflowData(message)}`;
}

/** A table cell of the Markdown step summary: escaped text, no `|`, no HTML. */
export function markdownCell(s: string): string {
  return escapeText(s).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/`/g, "\\`");
}
