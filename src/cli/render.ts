// Reports as text for people, a versioned JSON document for scripts, and GitHub Actions annotations.
// Renderers return strings; main.ts prints them.
import { FINDINGS } from "../model/findings.js";
import type { BinaryReport } from "../model/binary.js";
import type { CheckResult } from "../model/results.js";
import type { Finding } from "../model/findings.js";
import type { RetagResult } from "../flow/fix.js";
import { paintLabel, PLAIN, type Style } from "./style.js";

export type Format = "text" | "json" | "github";

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

export function findingJson(f: Finding): object {
  return { code: f.code, name: FINDINGS[f.code as keyof typeof FINDINGS]?.name ?? null, severity: f.severity, message: f.message, member: f.member ?? null, arch: f.arch ?? null, data: f.data };
}

export function showJson(files: Array<{ path: string; binaries: BinaryReport[]; error?: string }>): string {
  return JSON.stringify(
    { version: 1, files: files.map((f) => ({ path: f.path, error: f.error ?? null, binaries: shownBinaries(f.binaries).map(binaryJson) })) },
    null,
    2,
  );
}

export function showText(path: string, binaries: BinaryReport[]): string {
  const lines = [path];
  const shown = shownBinaries(binaries);
  if (shown.length === 0) lines.push("  no binaries");
  for (const b of shown) lines.push(...binaryTable(b, "  "));
  return lines.join("\n");
}

const FORMAT_TITLES: { [format: string]: string } = { elf: "ELF", pe: "PE", wasm: "wasm", ar: "archive" };

function binaryTable(b: BinaryReport, indent: string): string[] {
  const what = b.format === "macho" ? (b.container ?? "unreadable") : `${FORMAT_TITLES[b.format] ?? b.format}${b.error === null ? "" : ", unreadable"}`;
  const title = `${indent}${b.member ?? "(file)"} (${what})`;
  if (b.error !== null) return [title, `${indent}  error: ${b.error}`];
  if (b.images.length === 0) return [title, `${indent}  (no slices)`];
  const init = b.initSymbol === null ? "" : `exports ${b.initSymbol}`;
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

/** Messages name the member and arch themselves, so the line reads as one sentence. */
function findingLine(f: Finding, style: Style, label: string = f.severity): string {
  const name = FINDINGS[f.code as keyof typeof FINDINGS]?.name ?? "";
  return `  ${paintLabel(style, label)} ${f.code} ${name}: ${f.message}`;
}

export function checkText(r: CheckResult, verbose: boolean, style: Style = PLAIN): string {
  const current = r.tags.current.join(".");
  const expected = r.tags.expected?.join(".");
  let head: string;
  if (r.ok && !r.needsRewrite) head = `${r.wheel}: ${style.ok("OK")} (${current})`;
  else if (expected !== undefined && expected !== current) head = `${r.wheel}: ${current} → ${style.bold(expected)}`;
  else if (r.needsRewrite) head = `${r.wheel}: ${current} (WHEEL must be rewritten)`;
  else head = `${r.wheel}: ${style.error("FAILED")}`;
  const lines = [head, ...r.findings.map((f) => findingLine(f, style))];
  if (verbose) for (const b of shownBinaries(r.binaries)) lines.push(...binaryTable(b, "    "));
  return lines.join("\n");
}

export function checkJson(results: CheckResult[]): string {
  return JSON.stringify({ version: 1, results: results.map(checkResultJson) }, null, 2);
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
  };
}

/** GitHub Actions workflow commands: one annotation per finding (info findings become notices). */
export function githubAnnotations(wheel: string, findings: Finding[]): string {
  return findings
    .map((f) => {
      const level = f.severity === "info" ? "notice" : f.severity;
      const name = FINDINGS[f.code as keyof typeof FINDINGS]?.name ?? "";
      const where = f.member === undefined || f.member === "" ? "" : `${f.member}${f.arch === undefined ? "" : ` [${f.arch}]`}: `;
      return `::${level} file=${escapeProperty(wheel)},title=${escapeProperty(`${f.code} ${name}`)}::${escapeData(where + f.message)}`;
    })
    .join("\n");
}

// The escaping rules of GitHub's workflow commands (toolkit's command.ts).
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface FixOutcome {
  input: string;
  output: string | null;
  result: RetagResult | null;
  error: string | null;
}

export function fixText(o: FixOutcome, verbose: boolean, style: Style = PLAIN): string {
  if (o.result === null) return `${o.input}: error: ${o.error}`;
  const r = o.result;
  const lines: string[] = [];
  if (o.error !== null) lines.push(`${o.input}: not written: ${o.error}`);
  else if (r.action === "unchanged") lines.push(`${o.input}: unchanged${o.output !== null && o.output !== o.input ? ` (copied to ${o.output})` : ""}`);
  else if (r.action === "refused") lines.push(`${o.input}: not rewritten`);
  else lines.push(`${o.input} → ${style.bold(o.output ?? r.filename)}`);
  if (r.action === "rewritten") lines.push(...r.reasons.map((f) => findingLine(f, style, "fixed")));
  lines.push(...r.remaining.map((f) => findingLine(f, style)));
  if (verbose) for (const b of shownBinaries(r.check.binaries)) lines.push(...binaryTable(b, "    "));
  return lines.join("\n");
}

export function fixJson(outcomes: FixOutcome[]): string {
  return JSON.stringify(
    {
      version: 1,
      results: outcomes.map((o) => ({
        ...(o.result === null ? {} : checkResultJson(o.result.check)),
        wheel: o.input,
        output: o.output,
        action: o.result?.action ?? "error",
        error: o.error,
        ok: o.error === null && (o.result?.ok ?? false),
        fixed: o.result?.action === "rewritten" ? o.result.reasons.map(findingJson) : [],
        remaining: (o.result?.remaining ?? []).map(findingJson),
        dropped: o.result?.dropped ?? [],
      })),
    },
    null,
    2,
  );
}
