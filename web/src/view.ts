// One wheel's report as the page shows it: what `retag check` says (status, current and expected
// tags, the fixed file name, the findings with their codes linked to their docs) and what
// `retag show -v` lists (every Mach-O file with its slices), then the fixed wheel to download.
import type { RetagResult } from "../../src/flow/fix.js";
import type { BinaryReport } from "../../src/model/binary.js";
import { FINDINGS, type Finding, type FindingDefinition } from "../../src/model/findings.js";
import type { CheckResult } from "../../src/model/results.js";
import { append, bytes, el, withCode } from "./dom.js";

/** Where a wheel came from, for the card's subtitle. */
export interface Provenance {
  kind: "file" | "url";
  size: number;
  /** For a URL: what was fetched, and how. */
  fetched?: { bytes: number; requests: number; mode: "ranges" | "full"; note: string | null };
  /** The URL or the index the wheel came from. */
  href?: string;
}

/** What fix mode can offer for a wheel, as the card's last part. */
export type FixOffer =
  | { kind: "download"; filename: string; blob: Blob }
  | { kind: "nothing"; reason: string }
  | { kind: "refused"; reason: string; findings: Finding[] }
  /** A wheel read by ranges: the fix needs every member, so the wheel is downloaded first. */
  | { kind: "fetch-first"; run: () => Promise<FixOffer> };

function definition(code: string): FindingDefinition | undefined {
  return (FINDINGS as { [code: string]: FindingDefinition })[code];
}

/** Mach-O reports only, as `retag show` lists them (ELF / PE files are findings, not tables). */
function machoOnly(binaries: BinaryReport[]): BinaryReport[] {
  return binaries.filter((b) => b.kind === "macho" || b.kind === "fat" || b.kind === "archive");
}

/** The one-line verdict, worded as `retag check` words its first line. */
function verdict(r: CheckResult): { text: string; tone: "ok" | "fix" | "fail" } {
  const current = r.tags.current.join(".");
  const expected = r.tags.expected?.join(".");
  if (r.ok && !r.needsRewrite) return { text: "OK", tone: "ok" };
  if (expected !== undefined && expected !== current) return { text: "wrong tags", tone: "fix" };
  if (r.needsRewrite) return { text: "WHEEL must be rewritten", tone: "fix" };
  return { text: "FAILED", tone: "fail" };
}

function tagList(tags: string[] | null, className: string): HTMLElement {
  if (tags === null) return el("span", { class: `${className} muted` }, "cannot be computed");
  if (tags.length === 0) return el("span", { class: `${className} muted` }, "none");
  return el("code", { class: className }, tags.join("."));
}

export function findingItem(f: Finding): HTMLElement {
  const d = definition(f.code);
  return el(
    "li",
    { class: `finding sev-${f.severity}`, "data-code": f.code, "data-severity": f.severity, "data-member": f.member ?? null, "data-arch": f.arch ?? null },
    el("span", { class: "sev" }, f.severity),
    el("a", { class: "code", href: `#${f.code}`, title: d?.title ?? "" }, f.code),
    el("span", { class: "fname" }, d?.name ?? ""),
    el("p", { class: "message" }, f.message),
  );
}

function sliceTable(b: BinaryReport): HTMLElement {
  const title = el("h4", {}, el("code", { class: "member" }, b.member ?? "(file)"), " ", el("span", { class: "container" }, b.container ?? "unreadable"));
  if (b.error !== null) return el("div", { class: "binary" }, title, el("p", { class: "error-text" }, `error: ${b.error}`));
  if (b.slices.length === 0) return el("div", { class: "binary" }, title, el("p", { class: "muted" }, "(no slices)"));
  const head = ["arch", "platform", "minos", "sdk", "type", b.initSymbol === null ? "" : `exports ${b.initSymbol}`];
  const rows = b.slices.map((s) => [s.arch, s.platform ?? "-", s.minos ?? "-", s.sdk ?? "-", s.filetype, s.pyinit === null ? "" : s.pyinit ? "yes" : "NO"]);
  const table = el(
    "table",
    { class: "slices" },
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((cell, i) => el("td", i === 5 && cell === "NO" ? { class: "bad" } : {}, cell))))),
  );
  return el("div", { class: "binary" }, title, el("div", { class: "scroll" }, table));
}

function provenanceLine(p: Provenance): HTMLElement {
  const parts: Array<Node | string> = [];
  if (p.kind === "file") parts.push(`local file · ${bytes(p.size)} · read in this browser`);
  else {
    if (p.href !== undefined) parts.push(el("a", { href: p.href, rel: "noreferrer" }, "remote file"), " · ");
    parts.push(bytes(p.size));
    if (p.fetched !== undefined) {
      const share = p.size === 0 ? 100 : (100 * p.fetched.bytes) / p.size;
      parts.push(` · fetched ${bytes(p.fetched.bytes)} (${share.toFixed(share < 10 ? 1 : 0)}%) in ${p.fetched.requests} request${p.fetched.requests === 1 ? "" : "s"}`);
      if (p.fetched.note !== null) parts.push(` · ${p.fetched.note}`);
    }
  }
  return el("p", { class: "source muted" }, ...parts);
}

function fixPart(offer: FixOffer): HTMLElement {
  const box = el("div", { class: "fix" });
  const show = (o: FixOffer): void => {
    box.replaceChildren();
    if (o.kind === "download") {
      const url = URL.createObjectURL(o.blob);
      append(
        box,
        el("a", { class: "button", href: url, download: o.filename, "data-testid": "download" }, `Download ${o.filename}`),
        el("span", { class: "muted" }, ` ${bytes(o.blob.size)}, rewritten here by retag's own fix code (WHEEL, RECORD and the name; every other member copied byte for byte).`),
      );
    } else if (o.kind === "fetch-first") {
      const button = el("button", { type: "button", class: "button secondary" }, "Download the whole wheel and fix it");
      button.addEventListener("click", () => {
        button.disabled = true;
        button.textContent = "Downloading…";
        o.run().then(show, (error: unknown) => show({ kind: "nothing", reason: error instanceof Error ? error.message : String(error) }));
      });
      append(box, button, el("span", { class: "muted" }, " A fix verifies every RECORD hash first, so it needs every member."));
    } else {
      append(box, el("p", { class: o.kind === "refused" ? "error-text" : "muted" }, o.reason));
    }
  };
  show(offer);
  return box;
}

/** The card of one checked wheel. */
export function wheelCard(result: CheckResult, provenance: Provenance, fix: FixOffer): HTMLElement {
  const v = verdict(result);
  const shown = machoOnly(result.binaries);
  const card = el(
    "article",
    { class: `wheel card tone-${v.tone}`, "data-wheel": result.wheel },
    el("header", {}, el("h2", { class: "filename" }, result.wheel), el("span", { class: `status status-${v.tone}`, "data-testid": "status" }, v.text)),
    provenanceLine(provenance),
    el(
      "dl",
      { class: "tags" },
      el("dt", {}, "Current tags"),
      el("dd", {}, tagList(result.tags.current, "current-tags")),
      el("dt", {}, "Expected tags"),
      el("dd", {}, tagList(result.tags.expected, "expected-tags")),
      el("dt", {}, "Widest the binaries allow"),
      el("dd", {}, tagList(result.tags.widest, "widest-tags")),
      el("dt", {}, "Fixed file name"),
      el("dd", {}, result.expectedFilename === null ? el("span", { class: "expected-filename muted", "data-none": "" }, "— (the name stays)") : el("code", { class: "expected-filename" }, result.expectedFilename)),
    ),
    fixPart(fix),
    el("h3", {}, `Findings `, el("span", { class: "count" }, String(result.findings.length))),
    result.findings.length === 0 ? el("p", { class: "muted none" }, "None: the tags tell the truth.") : el("ul", { class: "findings" }, ...result.findings.map(findingItem)),
    result.unread.length > 0
      ? el("p", { class: "note" }, `${result.unread.length} other member${result.unread.length === 1 ? " was" : "s were"} not read (only WHEEL, RECORD and the binaries of a remote wheel are fetched), so their RECORD hashes were not verified.`)
      : null,
    el("h3", {}, "Mach-O files ", el("span", { class: "count" }, String(shown.length))),
    shown.length === 0 ? el("p", { class: "muted" }, "No Mach-O files.") : el("div", { class: "binaries" }, ...shown.map(sliceTable)),
  );
  return card;
}

/** A card for an input that could not be read at all. */
export function errorCard(title: string, message: string): HTMLElement {
  return el("article", { class: "wheel card tone-fail", "data-error": "" }, el("header", {}, el("h2", { class: "filename" }, title), el("span", { class: "status status-fail" }, "error")), el("p", { class: "error-text" }, message));
}

/** A card that shows progress until the wheel's report replaces it. */
export function pendingCard(title: string): { card: HTMLElement; progress(fetched: number, size: number | null): void } {
  const bar = el("progress", { max: 1 });
  const label = el("span", { class: "muted" }, "reading…");
  const card = el("article", { class: "wheel card pending" }, el("header", {}, el("h2", { class: "filename" }, title)), el("p", {}, bar, " ", label));
  return {
    card,
    progress(fetched, size) {
      if (size !== null && size > 0) {
        bar.max = size;
        bar.value = Math.min(fetched, size);
      }
      label.textContent = size === null ? `${bytes(fetched)} read` : `${bytes(fetched)} of ${bytes(size)}`;
    },
  };
}

/** The reference of every finding code, each with its meaning, cause and fix (the README's sections). */
export function codeReference(): HTMLElement[] {
  return Object.entries(FINDINGS as { [code: string]: FindingDefinition }).map(([code, d]) =>
    el(
      "details",
      { id: code, class: `code-doc sev-${d.severity}` },
      el("summary", {}, el("code", {}, code), " ", el("strong", {}, d.name), " ", el("span", { class: "sev" }, d.severity), el("span", { class: "title" }, ` — ${d.title}`)),
      el("p", {}, ...withCode(d.meaning)),
      el("p", {}, el("strong", {}, "Usual cause: "), ...withCode(d.cause)),
      el("p", {}, el("strong", {}, "Fix: "), ...withCode(d.fix)),
      d.fixedBy === undefined ? null : el("p", { class: "muted" }, d.fixedBy === "rewrite" ? "retag fix repairs it." : "retag fix --rehash repairs it."),
    ),
  );
}

export type { RetagResult };
