// Input quoted in messages: at most a short prefix. A message is for a person to read, and a hostile
// wheel controls every line, field and name in it: a 50 KB wheel whose WHEEL holds one 50 MB line
// printed a 50 MB message (issue 11, D10). The full value stays in the finding's `member` or data
// where a program needs it; what a person reads is the start of it and its length.

/** The most of a WHEEL line, a RECORD field or a hash a message quotes (UTF-16 code units). */
export const QUOTE_LIMIT = 80;
/** The most of a member or file name a message shows: longer than any path a person reads whole. */
export const NAME_LIMIT = 200;
/** The most values of a list a message names before "and N more". */
export const LIST_LIMIT = 10;

/** The first `max` code units of `text`, never ending in half a surrogate pair; null when `text` fits. */
function prefix(text: string, max: number): string | null {
  if (text.length <= max) return null;
  const code = text.charCodeAt(max - 1);
  // A high surrogate whose low half would be cut off: stop before it.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Characters a message never carries as they are: C0 and C1 controls and DEL (a newline in a member
 * name could start a line GitHub runs as a workflow command, ESC a terminal escape: issue 11, D3),
 * the line and paragraph separators, and the bidirectional overrides and isolates (text that reads
 * differently from what it is).
 */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ESCAPES: { [c: string]: string } = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every unshowable character written as an escape: `\n`, `\x1b`, `\u202e`. */
export function escapeControls(text: string): string {
  return text.replace(UNSHOWABLE, (c) => {
    const code = c.charCodeAt(0);
    return ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

/** Whether `text` has a character a message must escape (see escapeControls). */
export function hasControls(text: string): boolean {
  UNSHOWABLE.lastIndex = 0;
  const found = UNSHOWABLE.test(text);
  UNSHOWABLE.lastIndex = 0;
  return found;
}

/** `text` itself when it is at most `max` code units long, else its start, `…` and its length. For data, not messages. */
export function truncate(text: string, max = NAME_LIMIT): string {
  const start = prefix(text, max);
  return start === null ? text : `${start}… (${text.length} characters)`;
}

/** `text` for a message: truncated (see truncate) and with its control characters escaped. */
export function clip(text: string, max = NAME_LIMIT): string {
  return escapeControls(truncate(text, max));
}

/** `text` as a JSON string literal, of at most `max` code units of it: `"abc"… (5000000 characters)`. */
export function quote(text: string, max = QUOTE_LIMIT): string {
  const start = prefix(text, max);
  // JSON escapes C0 controls but not C1 controls or the separators and overrides.
  return escapeControls(start === null ? JSON.stringify(text) : `${JSON.stringify(start)}… (${text.length} characters)`);
}

/** Values joined with ", ", each clipped, at most `maxItems` of them and then how many more there are. */
export function clipList(values: readonly string[], maxItems = LIST_LIMIT, maxEach = NAME_LIMIT): string {
  const shown = values.slice(0, maxItems).map((v) => clip(v, maxEach));
  const more = values.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}
