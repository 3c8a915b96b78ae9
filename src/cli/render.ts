// Reports as text for people and a versioned JSON document for scripts (GitHub Actions annotations
// are in github.ts). Renderers return strings; the runners print them. Every name that came from a
// wheel or the file system goes through escapeText in text, and through JSON.stringify in JSON.
import { FINDINGS, fails, fixedBy } from "../model/findings.js";
import type { BinaryReport } from "../model/binary.js";
import type { CheckResult } from "../model/results.js";
import type { Finding } from "../model/findings.js";
import type { Skipped } from "../node/inputs.js";
import { escapeText } from "./escape.js";
import { paintLabel, PLAIN, type Style } from "./style.js";
import type { CheckOutcome, FixOutcome } from "./tasks.js";

export type Format = "text" | "json" | "github";

/** The one shape of every error line: `retag: <path>: <what is wrong>` (DESIGN §2.1). */
export function errorLine(path: string | null, message: string): string {
  return path === null ? `retag: ${escapeText(message)}` : `retag: ${escapeText(path)}: ${escapeText(message)}`;
}

/** The `binaries` entries of the JSON documents (the `retag show` shape, version 1; `format` and `images` added for every format). */
export function binaryJson(b: BinaryReport): object {
  return {
    member: b.member,
    format: b.format,
    container: b.container,
    error: b.error,
    module: b.module,
    initSymbol: b.initSymbol,
    slices: b.slices.map((s) => ({
      arch: s.arch,
      cputype: s.cputype,
      cpusubtype: s.cpusubtype,
      filetype: s.filetype,
      platform: s.platform,
      minos: s.minos,
      sdk: s.sdk,
      pyinit: s.pyinit,
    })),
    images: b.images.map((i) => ({
      arch: i.arch,
      platform: i.platform,
      minos: i.minos,
      type: i.type,
      loaded: i.loaded,
      initExported: i.initExported,
      libc: i.libc,
      glibc: i.glibc,
      hybrid: i.hybrid,
    })),
  };
}

/** Every binary of every format (Mach-O, ELF, PE, wasm, archives) is a row of the tables. */
function shownBinaries(binaries: BinaryReport[]): BinaryReport[] {
  return binaries;
}

export function findingName(code: string): string {
  return (FINDINGS as { [c: string]: { name: string } | undefined })[code]?.name ?? "";
}

export function findingJson(f: Finding): object {
  return { code: f.code, name: findingName(f.code) || null, severity: f.severity, message: f.message, member: f.member ?? null, arch: f.arch ?? null, data: f.data };
}

// ───────────────────────────── show ─────────────────────────────

export interface ShownFile {
  path: string;
  binaries: BinaryReport[];
  error?: string;
}

export function showJson(files: ShownFile[]): string {
  return JSON.stringify(
    { version: 1, files: files.map((f) => ({ path: f.path, error: f.error ?? null, binaries: shownBinaries(f.binaries).map(binaryJson) })) },
    null,
    2,
  );
}

export function showText(path: string, binaries: BinaryReport[]): string {
  const lines = [escapeText(path)];
  const shown = shownBinaries(binaries);
  if (shown.length === 0) lines.push("  no binaries");
  for (const b of shown) lines.push(...binaryTable(b, "  "));
  return lines.join("\n");
}

const FORMAT_TITLES: { [format: string]: string } = { elf: "ELF", pe: "PE", wasm: "wasm", ar: "archive" };

function binaryTable(b: BinaryReport, indent: string): string[] {
  const what = b.format === "macho" ? (b.container ?? "unreadable") : `${FORMAT_TITLES[b.format] ?? b.format}${b.error === null ? "" : ", unreadable"}`;
  const title = `${indent}${escapeText(b.member ?? "(file)")} (${what})`;
  if (b.error !== null) return [title, `${indent}  error: ${escapeText(b.error)}`];
  if (b.images.length === 0) return [title, `${indent}  (no slices)`];
  const init = b.initSymbol === null ? "" : `exports ${escapeText(b.initSymbol)}`;
  const yesNo = (v: boolean | null): string => (v === null ? "" : v ? "yes" : "NO");
  if (b.format === "macho") {
    const header = ["arch", "platform", "minos", "sdk", "type", init];
    const rows = b.slices.map((s) => [s.arch, s.platform ?? "-", s.minos ?? "-", s.sdk ?? "-", s.filetype, yesNo(s.pyinit)]);
    return [title, ...table([header, ...rows]).map((l) => `${indent}  ${l}`)];
  }
  // ELF: the C library and glibc floor; Android: the API level; PE: the hybrid kind; wasm: side module or not.
  const header = ["arch", "platform", b.format === "elf" ? "minos/api" : "minos", b.format === "elf" ? "libc" : b.format === "pe" ? "hybrid" : "", "type", init];
  const rows = b.images.map((i) => [
    i.arch,
    i.platform ?? "-",
    i.minos ?? "-",
    b.format === "elf" ? `${i.libc ?? "-"}${i.glibc === null ? "" : ` ${i.glibc}`}` : b.format === "pe" ? (i.hybrid ?? "-") : "",
    i.type,
    yesNo(i.initExported),
  ]);
  return [title, ...table([header, ...rows]).map((l) => `${indent}  ${l}`)];
}

function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd());
}

// ───────────────────────────── check ─────────────────────────────

/** Messages name the member and arch themselves, so the line reads as one sentence. */
function findingLine(f: Finding, style: Style, label: string = f.severity): string {
  return `  ${paintLabel(style, label)} ${f.code} ${findingName(f.code)}: ${escapeText(f.message)}`;
}

export function checkText(r: CheckResult, verbose: boolean, style: Style = PLAIN): string {
  const current = escapeText(r.tags.current.join("."));
  const expected = r.tags.expected === null ? undefined : escapeText(r.tags.expected.join("."));
  const wheel = escapeText(r.wheel);
  let head: string;
  if (r.ok && !r.needsRewrite) head = `${wheel}: ${style.ok("OK")} (${current})`;
  else if (expected !== undefined && expected !== current) head = `${wheel}: ${current} → ${style.bold(expected)}`;
  else if (r.needsRewrite) head = `${wheel}: ${current} (WHEEL must be rewritten)`;
  else head = `${wheel}: ${style.error("FAILED")}`;
  const lines = [head, ...r.findings.map((f) => findingLine(f, style))];
  // issue 18 (h/web): a remote check reads WHEEL, RECORD and the binaries only (DESIGN §10).
  if (r.unread.length > 0) lines.push(`  note: ${r.unread.length} other member${r.unread.length === 1 ? " was" : "s were"} not read, so their RECORD hashes were not verified (--verify all reads every member)`);
  if (verbose) for (const b of shownBinaries(r.binaries)) lines.push(...binaryTable(b, "    "));
  return lines.join("\n");
}

/** Whether fix mode would make this wheel fine: it needs a rewrite, and only the rewrite's findings fail. */
export function isFixable(r: CheckResult, strict: boolean): boolean {
  return !r.ok && r.needsRewrite && r.tags.expected !== null && r.findings.every((f) => !fails(f, strict) || fixedBy(f.code) === "rewrite");
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The last line of a text check: `3 wheels: 1 ok, 2 wrong (2 fixable: run retag dist/*.whl)`.
 * `fixCommand` is the command that fixes the fixable ones.
 */
export function checkSummary(outcomes: readonly CheckOutcome[], strict: boolean, fixCommand: string): string {
  const checked = outcomes.flatMap((o) => (o.result === null ? [] : [o.result]));
  const ok = checked.filter((r) => r.ok).length;
  const wrong = checked.length - ok;
  const fixable = checked.filter((r) => isFixable(r, strict)).length;
  const internal = outcomes.filter((o) => o.internal).length;
  const unreadable = outcomes.length - checked.length - internal;
  let line = `${plural(outcomes.length, "wheel")}: ${ok} ok, ${wrong} wrong`;
  if (fixable > 0) line += ` (${fixable} fixable: run ${fixCommand})`;
  if (unreadable > 0) line += `, ${unreadable} could not be read`;
  if (internal > 0) line += `, ${plural(internal, "internal error")}`;
  return line;
}

/** A wheel that could not be read has a result too, with its error and nothing else known. */
const UNREAD = { ok: false, tags: null, needsRewrite: false, expectedFilename: null, findings: [], binaries: [] };

export function checkJson(outcomes: readonly CheckOutcome[], skipped: readonly Skipped[]): string {
  const results = outcomes.map((o) => (o.result === null ? { wheel: o.path, ...UNREAD, error: o.error } : { ...checkResultJson(o.result), error: null }));
  return JSON.stringify({ version: 1, results, skipped: skipped.map((s) => ({ path: s.path, reason: s.reason })) }, null, 2);
}

function checkResultJson(r: CheckResult): object {
  return {
    wheel: r.wheel,
    ok: r.ok,
    tags: { current: r.tags.current, expected: r.tags.expected, widest: r.tags.widest },
    needsRewrite: r.needsRewrite,
    expectedFilename: r.expectedFilename,
    findings: r.findings.map(findingJson),
    binaries: shownBinaries(r.binaries).map(binaryJson),
    unread: r.unread, // issue 18 (h/web): members a remote check did not read (DESIGN §10)
  };
}

// ───────────────────────────── fix ─────────────────────────────

export interface FixRender {
  dryRun: boolean;
  inPlace: boolean;
  verbose: boolean;
  style: Style;
}

/** Whether the wheel ended well: fixed, left alone, copied. */
export function succeeded(o: FixOutcome): boolean {
  return (o.status === "rewritten" || o.status === "unchanged") && o.error === null;
}

/** The head line of one wheel's fix (null for an error: that is an error line on stderr). */
function fixHead(o: FixOutcome, r: FixRender): string | null {
  const input = escapeText(o.input);
  const target = escapeText(o.target ?? "");
  const note = o.note === null ? "" : ` (${escapeText(o.note)})`;
  if (o.status === "error") return null;
  if (o.status === "refused") return `${input}: ${r.inPlace ? "not rewritten" : "not copied"}: errors remain`;
  if (o.status === "unchanged") {
    if (o.target === null || o.target === o.input) return `${input}: unchanged`;
    if (o.note === "already there") return `${input}: unchanged (already in ${target})`;
    return `${input}: unchanged (${r.dryRun ? "would copy" : "copied"} to ${target}${o.note === null ? "" : `; ${escapeText(o.note)}`})`;
  }
  const sameName = o.target === o.input;
  if (r.dryRun) {
    if (sameName) return `would rewrite ${input} in place${note}`;
    return `${r.inPlace ? "would rename" : "would write"} ${input} → ${r.style.bold(target)}${note}`;
  }
  if (sameName) return `${input}: rewritten in place${note}`;
  return `${input} → ${r.style.bold(target)}${note}`;
}

/** One wheel's lines on stdout; an error is `errorLine` on stderr instead (see fixErrorLine). */
export function fixText(o: FixOutcome, r: FixRender): string | null {
  const head = fixHead(o, r);
  if (head === null || o.result === null) return null;
  const lines = [head];
  if (o.status === "rewritten") lines.push(...o.result.reasons.map((f) => findingLine(f, r.style, r.dryRun ? "would fix" : "fixed")));
  lines.push(...o.result.remaining.map((f) => findingLine(f, r.style)));
  if (r.verbose) for (const b of shownBinaries(o.result.check.binaries)) lines.push(...binaryTable(b, "    "));
  return lines.join("\n");
}

export function fixErrorLine(o: FixOutcome): string | null {
  return o.status === "error" ? errorLine(o.input, o.error ?? "failed") : null;
}

/** The last line of a text fix: `2 rewritten, 1 unchanged, 0 failed` (a dry run says "would be"). */
export function fixSummary(outcomes: readonly FixOutcome[], dryRun: boolean): string {
  const rewritten = outcomes.filter((o) => succeeded(o) && o.status === "rewritten").length;
  const unchanged = outcomes.filter((o) => succeeded(o) && o.status === "unchanged").length;
  const failed = outcomes.length - rewritten - unchanged;
  return `${rewritten} ${dryRun ? "would be rewritten" : "rewritten"}, ${unchanged} unchanged, ${failed} failed`;
}

export function fixJson(outcomes: readonly FixOutcome[], options: { dryRun: boolean }, skipped: readonly Skipped[]): string {
  const results = outcomes.map((o) => {
    const action = options.dryRun && o.status === "rewritten" ? "would-rewrite" : o.status;
    const written = !options.dryRun && o.target !== null && o.status !== "refused";
    return {
      ...(o.result === null ? { ...UNREAD } : checkResultJson(o.result.check)),
      wheel: o.input,
      output: written ? o.target : null,
      target: o.target,
      action,
      error: o.error,
      note: o.note,
      ok: succeeded(o),
      fixed: o.status === "rewritten" && o.result !== null ? o.result.reasons.map(findingJson) : [],
      remaining: (o.result?.remaining ?? []).map(findingJson),
      dropped: o.result?.dropped ?? [],
    };
  });
  return JSON.stringify({ version: 1, dryRun: options.dryRun, results, skipped: skipped.map((s) => ({ path: s.path, reason: s.reason })) }, null, 2);
}
