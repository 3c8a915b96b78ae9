// The page in a real browser: Debian's Chromium (never a downloaded one), driven by playwright-core,
// against the page built fresh and served from 127.0.0.1. Each example wheel is dropped on the page;
// what it renders must be what `retag check --format json` says of the same wheel, and the fixed
// wheel it offers must be byte for byte what `retag -w` writes. Screenshots go to out/web-test/.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { exampleWheels } from "../remote/helpers.js";
import { serveFile, startServer, type TestServer } from "../remote/server.js";
import { requireBuiltCli, retag, ROOT } from "../remote/spawn.js";
// @ts-expect-error -- a checked JavaScript build script without declarations
import { buildWeb } from "../../web/build.mjs";

// The page's globals, for the functions this file runs inside it (page.evaluate): the file itself is
// compiled for Node, so they are declared here, in this module only, as far as they are used.
declare const document: {
  body: { dataset: { [key: string]: string | undefined } };
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): { length: number };
  getElementById(id: string): { dispatchEvent(event: unknown): boolean } | null;
};
declare class DataTransfer {
  readonly items: { add(file: unknown): void };
}
declare class DragEvent {
  constructor(type: string, init: { dataTransfer: DataTransfer; bubbles: boolean; cancelable: boolean });
}

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(ROOT, "out", "web-test");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES: { [ext: string]: string } = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };

interface CliFinding {
  code: string;
  severity: string;
  message: string;
  member: string | null;
  arch: string | null;
}
interface CliResult {
  wheel: string;
  ok: boolean;
  tags: { current: string[]; expected: string[] | null; widest: string[] };
  expectedFilename: string | null;
  findings: CliFinding[];
  binaries: Array<{ member: string | null; container: string | null; slices: Array<{ arch: string; platform: string | null; minos: string | null; sdk: string | null; filetype: string; pyinit: boolean | null }> }>;
}

let server: TestServer;
let context: BrowserContext;
let page: Page;
/** Uncaught errors of the page: there must be none. */
const pageErrors: string[] = [];
/** `retag check --format json` of each example wheel, by file name. */
const cli = new Map<string, CliResult>();
/** What `retag -w` wrote for each example wheel, by input file name. */
const written = new Map<string, { filename: string; bytes: Buffer }>();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  requireBuiltCli();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const site = join(OUT, "site");
  await buildWeb(site);

  const paths = exampleWheels.map((w) => join(ROOT, "examples", "wheels", w.filename));
  const checked = JSON.parse((await retag(["check", "--format", "json", ...paths])).stdout) as { results: CliResult[] };
  for (const r of checked.results) cli.set(r.wheel.slice(r.wheel.lastIndexOf("/") + 1), r);
  for (const [i, path] of paths.entries()) {
    const dir = join(OUT, `cli-${i}`);
    await retag(["-w", dir, path]);
    const [filename] = readdirSync(dir);
    written.set(exampleWheels[i]!.filename, { filename: filename!, bytes: readFileSync(join(dir, filename!)) });
  }

  server = await startServer();
  for (const name of readdirSync(site)) {
    const bytes = readFileSync(join(site, name));
    server.route(`/${name}`, (_req, res) => {
      res.writeHead(200, { "Content-Type": TYPES[extname(name)] ?? "application/octet-stream", "Content-Length": String(bytes.length) });
      res.end(bytes);
    });
  }
  server.route("/", (_req, res) => {
    res.writeHead(302, { Location: "/index.html", "Content-Length": "0" });
    res.end();
  });
  for (const w of exampleWheels) server.route(`/wheels/${w.filename}`, serveFile(w.bytes, { etag: `"${w.bytes.length}"` }));

  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "retag-chromium-")), {
    executablePath: CHROMIUM,
    args: FLAGS,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
  });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 120_000);

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
});

async function open(query = ""): Promise<void> {
  await page.goto(server.url(`/index.html${query}`));
  await page.waitForSelector("body[data-ready]");
}

/** Drops files on the drop zone as a user's drag and drop does (a DataTransfer of File objects). */
async function dropWheels(wheels: ReadonlyArray<{ filename: string; bytes: Uint8Array }>): Promise<void> {
  await page.evaluate(
    (files) => {
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(new File([new Uint8Array(f.bytes)], f.filename, { type: "application/zip" }));
      const zone = document.getElementById("drop")!;
      zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    wheels.map((w) => ({ filename: w.filename, bytes: Array.from(w.bytes) })),
  );
  await settled(wheels.length);
}

async function settled(cards: number): Promise<void> {
  await page.waitForFunction((n) => document.body.dataset["busy"] === undefined && document.querySelectorAll(".wheel:not(.pending)").length >= n, cards);
}

/** What a wheel's card shows, in the shape of the CLI's JSON. */
async function rendered(wheel: string) {
  return page.$eval(`.wheel[data-wheel="${wheel}"]`, (card) => {
    const text = (selector: string) => card.querySelector(selector)?.textContent ?? null;
    const tags = (selector: string) => {
      const node = card.querySelector(selector);
      return node === null || node.classList.contains("muted") ? null : (node.textContent ?? "").split(".");
    };
    return {
      status: text("[data-testid=status]"),
      current: tags(".current-tags"),
      expected: tags(".expected-tags"),
      widest: tags(".widest-tags"),
      expectedFilename: card.querySelector(".expected-filename[data-none]") ? null : text(".expected-filename"),
      findings: [...card.querySelectorAll(".finding")].map((f) => ({
        code: f.getAttribute("data-code"),
        severity: f.getAttribute("data-severity"),
        message: f.querySelector(".message")?.textContent ?? "",
        member: f.getAttribute("data-member"),
        arch: f.getAttribute("data-arch"),
      })),
      binaries: [...card.querySelectorAll(".binary")].map((b) => ({
        member: b.querySelector(".member")?.textContent ?? null,
        container: b.querySelector(".container")?.textContent ?? null,
        rows: [...b.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
      })),
      download: card.querySelector("[data-testid=download]")?.getAttribute("download") ?? null,
      unreadNote: card.querySelector(".note")?.textContent ?? null,
    };
  });
}

/** The CLI's result as the card renders it (the slice table as `retag show -v` prints it). */
function expectedView(r: CliResult) {
  return {
    current: r.tags.current,
    expected: r.tags.expected,
    widest: r.tags.widest,
    expectedFilename: r.expectedFilename,
    findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, member: f.member, arch: f.arch })),
    binaries: r.binaries.map((b) => ({
      member: b.member,
      container: b.container,
      rows: b.slices.map((s) => [s.arch, s.platform ?? "-", s.minos ?? "-", s.sdk ?? "-", s.filetype, s.pyinit === null ? "" : s.pyinit ? "yes" : "NO"]),
    })),
  };
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("a wheel dropped on the page", () => {
  it.each(exampleWheels.map((w) => [w.filename, w] as const))("%s: the page shows what retag check says, and offers what retag -w writes", async (filename, wheel) => {
    await open();
    await dropWheels([wheel]);
    const view = await rendered(filename);
    const expected = cli.get(filename)!;
    expect(view).toMatchObject(expectedView(expected));
    expect(view.status).toBe(expected.ok && expected.expectedFilename === null ? "OK" : "wrong tags");
    const output = written.get(filename)!;
    if (expected.expectedFilename === null) {
      // A correct wheel: retag -w copies it unchanged, and the page has nothing to offer.
      expect(view.download).toBeNull();
      expect(sha256(output.bytes)).toBe(sha256(wheel.bytes));
      return;
    }
    expect(view.download).toBe(output.filename);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`.wheel[data-wheel="${filename}"] [data-testid=download]`)]);
    expect(download.suggestedFilename()).toBe(output.filename);
    const saved = join(OUT, `browser-${output.filename}`);
    await download.saveAs(saved);
    expect(sha256(readFileSync(saved))).toBe(sha256(output.bytes));
  });

  it("several wheels at once get a card each, in order; screenshots in light, dark and on a phone", async () => {
    await open();
    await dropWheels(exampleWheels);
    const cards = await page.$$eval(".wheel", (nodes) => nodes.map((n) => n.getAttribute("data-wheel")));
    expect(cards).toEqual(exampleWheels.map((w) => w.filename));
    await page.screenshot({ path: join(OUT, "page-light.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(OUT, "page-dark.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(OUT, "page-phone-dark.png"), fullPage: true });
    // Nothing overflows a phone's width: long names and tables wrap or scroll inside their card.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("a finding's code links to its entry in the reference on the page", async () => {
    await open();
    await dropWheels([exampleWheels[0]!]);
    const code = cli.get(exampleWheels[0]!.filename)!.findings[0]!.code;
    await page.click(`.finding[data-code=${code}] a.code`);
    expect(await page.$eval(`details#${code}`, (d) => (d as unknown as { open: boolean }).open)).toBe(true);
  });
});

describe("a wheel named by URL", () => {
  it.each(exampleWheels.map((w) => [w.filename] as const))("%s: read by ranges, the same findings as the CLI's; the rest was not read", async (filename) => {
    await open();
    const before = server.hits(`/wheels/${filename}`).length;
    await page.fill("#url", server.url(`/wheels/${filename}`));
    await page.click("#remote button");
    await settled(1);
    const view = await rendered(server.url(`/wheels/${filename}`));
    const { binaries: _b, ...expected } = expectedView(cli.get(filename)!);
    expect(view).toMatchObject(expected);
    expect(view.unreadNote).toMatch(/other members? (was|were) not read/);
    // Every request was a range: nothing downloaded the whole file.
    expect(server.hits(`/wheels/${filename}`).slice(before).every((r) => r.range !== null)).toBe(true);
  });

  it("pypi:NAME==VERSION lists the release's wheels through the index's JSON API (?index= a mirror)", async () => {
    const wheel = exampleWheels[0]!;
    const body = JSON.stringify({
      info: { name: "Demo", version: "1.0" },
      urls: [{ filename: wheel.filename, url: server.url(`/wheels/${wheel.filename}`), packagetype: "bdist_wheel", size: wheel.bytes.length, digests: { sha256: sha256(wheel.bytes) }, yanked: false }],
    });
    server.route("/pypi/demo/1.0/json", (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) });
      res.end(body);
    });
    await open(`?index=${encodeURIComponent(server.url(""))}`);
    await page.fill("#url", "pypi:demo==1.0");
    await page.click("#remote button");
    await settled(1);
    const view = await rendered(wheel.filename);
    expect(view.findings).toEqual(expectedView(cli.get(wheel.filename)!).findings);
    expect(await page.textContent("#status")).toBe("pypi:demo==1.0: 1 wheel");
  });

  it("an unreachable URL is an error card, not a broken page", async () => {
    await open();
    await page.fill("#url", server.url("/wheels/missing.whl"));
    await page.click("#remote button");
    await settled(1);
    expect(await page.textContent(".wheel[data-error] .error-text")).toContain("HTTP 404");
  });
});
