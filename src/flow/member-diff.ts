// How two versions of a member differ, in one line a user can act on: the first differing line of a
// text file (the usual case: a `_version.py` with a build hash, a generated config), else the sizes.

/** Text files larger than this are not compared line by line (the message only needs the first difference). */
export const MAX_DIFF_BYTES = 2 ** 20;
/** Lines are cut to this many characters in a message. */
const MAX_LINE = 80;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text, or null when they are not UTF-8 text (a NUL byte, invalid UTF-8). */
function asText(bytes: Uint8Array): string | null {
  if (bytes.length > MAX_DIFF_BYTES || bytes.includes(0)) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function quoteLine(line: string | undefined): string {
  if (line === undefined) return "(no such line)";
  return JSON.stringify(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
}

/**
 * The first line where `a` and `b` differ (1-based) with both versions of it, or null when either is
 * not text or they are equal. Lines end at `\n` (a `\r` before it is part of the line, so a change of
 * line endings shows).
 */
export function firstDifferingLine(a: Uint8Array, b: Uint8Array): { line: number; a: string | undefined; b: string | undefined } | null {
  const x = asText(a);
  const y = asText(b);
  if (x === null || y === null || x === y) return null;
  const xs = x.split("\n");
  const ys = y.split("\n");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    if (xs[i] !== ys[i]) return { line: i + 1, a: xs[i], b: ys[i] };
  }
  return null;
}

/** "line 3: "x = 1" in a.whl, "x = 2" in b.whl", or the sizes when the files are not text. */
export function describeDifference(a: { label: string; bytes: Uint8Array | null; size: number }, b: { label: string; bytes: Uint8Array | null; size: number }): string {
  const line = a.bytes !== null && b.bytes !== null ? firstDifferingLine(a.bytes, b.bytes) : null;
  if (line !== null) return `line ${line.line}: ${quoteLine(line.a)} in ${a.label}, ${quoteLine(line.b)} in ${b.label}`;
  return a.size === b.size ? `same size (${a.size} bytes), different bytes` : `${a.size} bytes in ${a.label}, ${b.size} in ${b.label}`;
}
