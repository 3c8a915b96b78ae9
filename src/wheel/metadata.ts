// The `.dist-info/WHEEL` file: RFC 822-style headers as Python's email.parser reads them (PEP 427).
// Every line is kept with its own line ending so that a rewrite changes only the `Tag:` lines.
import { WheelError } from "../model/errors.js";
import type { WheelMetadata, WheelMetadataLine } from "../model/wheel.js";
import { clip, QUOTE_LIMIT, quote } from "../text.js";

// email.feedparser's headerRE: a header name is printable ASCII except ':' (`[\041-\071\073-\176]`);
// a line starting with a space or tab continues the previous header.
const HEADER = /^([\x21-\x39\x3b-\x7e]+):(.*)$/s;
const CONTINUATION = /^[ \t]/;
const EOL = /(?:\r\n|\r|\n)$/;

/**
 * Parses WHEEL text. Throws WheelError("R005") when pip would refuse it: a line that is neither a
 * header nor a continuation before the blank line that ends the headers, a continuation with nothing
 * to continue, or no usable `Wheel-Version` (pip requires major version 1).
 */
export function parseWheelMetadata(text: string): WheelMetadata {
  const lines: WheelMetadataLine[] = [];
  const tags: string[] = [];
  let inHeaders = true;
  let current: { key: string; value: string } | null = null;
  const values = new Map<string, string>();

  const finish = () => {
    if (current === null) return;
    const key = current.key.toLowerCase();
    // email.message.Message.__getitem__ returns the first header of that name.
    if (!values.has(key)) values.set(key, current.value);
    if (key === "tag") tags.push(current.value.trim());
    current = null;
  };

  for (const raw of splitLines(text)) {
    const content = raw.replace(EOL, "");
    if (!inHeaders) {
      lines.push({ raw, key: null, value: null });
      continue;
    }
    if (content === "") {
      // The blank line that ends the headers; whatever follows is a body, kept verbatim.
      finish();
      inHeaders = false;
      lines.push({ raw, key: null, value: null });
      continue;
    }
    if (CONTINUATION.test(content)) {
      if (current === null) throw new WheelError("R005", `WHEEL: line ${lines.length + 1} continues no header`);
      current.value += " " + content.trim();
      lines.push({ raw, key: null, value: null });
      continue;
    }
    const match = HEADER.exec(content);
    if (match === null) {
      throw new WheelError("R005", `WHEEL: line ${lines.length + 1} is not a 'Name: value' header: ${quote(content)}`);
    }
    finish();
    const key = match[1] as string;
    // email's compat32 policy strips the spaces and tabs after the colon.
    const value = (match[2] as string).replace(/^[ \t]+/, "");
    current = { key, value };
    lines.push({ raw, key, value });
  }
  finish();

  const version = values.get("wheel-version");
  if (version === undefined) throw new WheelError("R005", "WHEEL has no Wheel-Version header");
  // pip: `tuple(map(int, version.strip().split(".")))`, and refuses a major version other than 1.
  const versionMatch = /^(\d+)(\.\d+)*$/.exec(version.trim());
  if (versionMatch === null) throw new WheelError("R005", `WHEEL: invalid Wheel-Version '${clip(version.trim(), QUOTE_LIMIT)}'`);
  if (Number(versionMatch[1]) !== 1) {
    throw new WheelError("R005", `WHEEL: Wheel-Version ${clip(version.trim(), QUOTE_LIMIT)} is not 1.x (installers refuse it)`);
  }

  // email.message.Message.get: the first Build header's value as the parser kept it (pypa/wheel's
  // `wheel tags` compares it with the file name's build tag as it is).
  return { lines, tags, build: values.get("build") ?? null, eol: dominantEol(lines) };
}

/** The WHEEL text, byte for byte what was parsed (or what replaceTags made). */
export function serializeWheelMetadata(meta: WheelMetadata): string {
  return meta.lines.map((line) => line.raw).join("");
}

/**
 * The metadata with its `Tag:` headers (and their continuation lines) replaced by one header per
 * entry of `tags`, in the given order, at the place of the first old Tag header, or after the last
 * header when there was none. Every other line is kept byte for byte. New lines use the file's dominant
 * line ending and the key spelling of the first old Tag header (`Tag` when there was none).
 */
export function replaceTags(meta: WheelMetadata, tags: readonly string[]): WheelMetadata {
  return { ...meta, lines: replaceHeader(meta, "Tag", tags), tags: [...tags] };
}

/**
 * The metadata with its `Build:` headers replaced by one saying `build`, or removed when it is null
 * (the binary distribution format spec: "Build is the build number and is omitted if there is no
 * build number"), the way replaceTags replaces the Tag lines.
 */
export function replaceBuild(meta: WheelMetadata, build: string | null): WheelMetadata {
  return { ...meta, lines: replaceHeader(meta, "Build", build === null ? [] : [build]), build };
}

/** The lines with every `key` header (any case) and its continuation lines replaced by one header per value. */
function replaceHeader(meta: WheelMetadata, name: string, values: readonly string[]): WheelMetadataLine[] {
  const headerEnd = headerLineCount(meta.lines);
  const matches: boolean[] = [];
  let inHeader = false;
  meta.lines.forEach((line, i) => {
    if (i >= headerEnd) inHeader = false;
    else if (line.key !== null) inHeader = line.key.toLowerCase() === name.toLowerCase();
    matches.push(inHeader);
  });
  const first = matches.indexOf(true);
  const key = first >= 0 ? (meta.lines[first]?.key ?? name) : name;
  const insertAt = first >= 0 ? first : headerEnd;

  const added = values.map((value): WheelMetadataLine => ({ raw: `${key}: ${value}${meta.eol}`, key, value }));
  const kept: WheelMetadataLine[] = [];
  meta.lines.forEach((line, i) => {
    if (i === insertAt) for (const a of added) kept.push(a);
    if (!matches[i]) kept.push(line);
  });
  if (insertAt >= meta.lines.length) for (const a of added) kept.push(a);

  // A file that ended without a line ending: an old line that is no longer last needs one to stay a
  // separate line, and when a new line ends the file it is written without one, so the file keeps
  // its shape. Old lines are otherwise never touched.
  const lastOld = meta.lines[meta.lines.length - 1];
  if (lastOld !== undefined && !EOL.test(lastOld.raw)) {
    const result = kept.map((line, i) => (i < kept.length - 1 && !EOL.test(line.raw) ? { ...line, raw: line.raw + meta.eol } : line));
    const last = result[result.length - 1];
    if (last !== undefined && added.includes(last)) {
      result[result.length - 1] = { ...last, raw: last.raw.replace(EOL, "") };
    }
    return result;
  }
  return kept;
}

/** How many lines belong to the header block (everything before the blank line, if any). */
function headerLineCount(lines: readonly WheelMetadataLine[]): number {
  const blank = lines.findIndex((line) => line.raw.replace(EOL, "") === "");
  return blank >= 0 ? blank : lines.length;
}

/** Lines with their endings; email.feedparser ends a line at `\r\n`, `\r` or `\n`. */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** The most used line ending (ties: the one seen first); `\n` for a file with none. */
function dominantEol(lines: readonly WheelMetadataLine[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const eol = EOL.exec(line.raw)?.[0];
    if (eol !== undefined) counts.set(eol, (counts.get(eol) ?? 0) + 1);
  }
  let best = "\n";
  let bestCount = 0;
  for (const [eol, count] of counts) {
    if (count > bestCount) [best, bestCount] = [eol, count];
  }
  return best;
}
