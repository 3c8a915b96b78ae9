// `retag check URL`, `retag check pypi:…` and `retag show URL` through the real CLI (node
// bin/retag.js, as users run it, against dist/): the same results as the local file, only the bytes
// a check needs, and every network failure one wheel's error (exit 2) while the batch goes on.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openZip } from "../../src/zip/index.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { bigWheel, BIG_MEMBERS, exampleWheels } from "./helpers.js";
import { askedRange, serveFile, startServer, type Handler, type TestServer } from "./server.js";
import { requireBuiltCli, retag, type Run } from "./spawn.js";

type JsonResult = { wheel: string; unread?: string[]; findings: Array<{ code: string }>; [key: string]: unknown };

/** The wheels that were read (the JSON also has a result with an `error` for each input that could not be). */
function results(run: Run): JsonResult[] {
  return (JSON.parse(run.stdout) as { results: Array<JsonResult & { error?: string | null }> }).results.filter((r) => (r.error ?? null) === null);
}

/** A result without what names where it came from, and without what only a partial read has. */
function comparable(r: JsonResult): object {
  const { wheel: _wheel, unread: _unread, ...rest } = r;
  return rest;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A wheel whose RECORD is wrong about a member that is not a binary (a local check refuses it). */
const staleRecord = await makeWheel({
  filename: "stale-1.0-cp313-cp313-macosx_11_0_arm64.whl",
  members: { "stale/__init__.py": "x = 1\n", "stale/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } },
  record: (rows) => rows.map((r) => (r[0] === "stale/__init__.py" ? [r[0], "sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", r[2]!] : r)),
});

const served = [...exampleWheels, bigWheel, staleRecord];
let server: TestServer;
let dir: string;

beforeAll(async () => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), "retag-remote-cli-"));
  server = await startServer();
  for (const w of served) {
    writeFileSync(join(dir, w.filename), w.bytes);
    server.route(`/ranges/${w.filename}`, serveFile(w.bytes, { etag: `"${sha256(w.bytes).slice(0, 16)}"` }));
    server.route(`/plain/${w.filename}`, serveFile(w.bytes, { ranges: false }));
  }
});
afterAll(async () => {
  await server?.close();
});

const local = (filename: string): string => join(dir, filename);

describe("a wheel URL reads as the local file", () => {
  // The local checks, once: one run over every local file.
  const localCheck = new Map<string, JsonResult>();
  const localShow = new Map<string, unknown>();
  beforeAll(async () => {
    for (const r of results(await retag(["check", "--format", "json", ...served.map((w) => local(w.filename))]))) localCheck.set(r.wheel, r);
    const shown = JSON.parse((await retag(["show", "--format", "json", ...exampleWheels.map((w) => local(w.filename))])).stdout) as { files: Array<{ path: string }> };
    for (const f of shown.files) localShow.set(f.path, { ...f, path: null });
  });
  /** The exit code of a check of this one wheel: 1 when it fails. */
  const codeOf = (r: JsonResult): number => (r["ok"] === true ? 0 : 1);

  it.each(served.map((w) => [w.filename] as const))("%s: check over ranges equals the local check", async (filename) => {
    const url = server.url(`/ranges/${filename}`);
    const remote = await retag(["check", "--format", "json", url]);
    const [r] = results(remote);
    const l = localCheck.get(local(filename))!;
    expect(r!.wheel).toBe(url);
    expect(l.unread).toEqual([]);
    if (filename === staleRecord.filename) {
      // The one difference a partial read makes: the member it did not read is not verified.
      expect(l.findings.map((f) => f.code)).toEqual(["R007"]);
      expect(r!.findings).toEqual([]);
      expect(r!.unread).toEqual(["stale/__init__.py", "stale-1.0.dist-info/METADATA"]);
      expect(remote.code).toBe(0);
    } else {
      expect(comparable(r!)).toEqual(comparable(l));
      expect(remote.code).toBe(codeOf(l));
    }
  });

  it.each(served.map((w) => [w.filename] as const))("%s: check --verify all downloads it once and equals the local check exactly", async (filename) => {
    const path = `/ranges/${filename}`;
    const before = server.hits(path).length;
    const remote = await retag(["check", "--verify", "all", "--format", "json", server.url(path)]);
    const l = localCheck.get(local(filename))!;
    expect(results(remote)[0]).toEqual({ ...l, wheel: server.url(path) });
    expect(remote.code).toBe(codeOf(l));
    expect(server.hits(path).slice(before).map((r) => r.range)).toEqual([null]);
  });

  it.each(exampleWheels.map((w) => [w.filename] as const))("%s: a server that ignores Range gives the same result, and -v says so", async (filename) => {
    const url = server.url(`/plain/${filename}`);
    const remote = await retag(["check", "-v", "--format", "json", url]);
    // The whole file is here, so every member is read.
    expect(results(remote)[0]).toEqual({ ...localCheck.get(local(filename)), wheel: url });
    expect(remote.stderr).toContain(`retag: note: ${url}: the server ignored Range: the whole file was downloaded`);
  });

  it("show over ranges lists the local binaries", async () => {
    const urls = exampleWheels.map((w) => server.url(`/ranges/${w.filename}`));
    const remote = await retag(["show", "--format", "json", ...urls]);
    expect(remote.code).toBe(0);
    const files = (JSON.parse(remote.stdout) as { files: Array<{ path: string }> }).files;
    expect(files.map((f) => f.path)).toEqual(urls);
    expect(files.map((f) => ({ ...f, path: null }))).toEqual(exampleWheels.map((w) => localShow.get(local(w.filename))));
  });
});

describe("only the bytes a check needs are fetched", () => {
  it("a remote check reads the tail, the headers and the binaries: not the large data members", async () => {
    const path = `/ranges/${bigWheel.filename}`;
    const before = server.hits(path).length;
    const run = await retag(["check", "-v", "--format", "json", server.url(path)]);
    expect(run.code).toBe(1);
    const asked = server.hits(path).slice(before).map((r) => askedRange(r, bigWheel.bytes.length)!);
    expect(asked[0]).toEqual([bigWheel.bytes.length - 128 * 1024, bigWheel.bytes.length]);
    const archive = await openZip(bigWheel.bytes);
    for (const name of BIG_MEMBERS) {
      const m = archive.members.find((x) => x.name === name)!;
      const place = archive.layout[m.index]!;
      // After the tail, at most the first KiB of each (its local header and the bytes sniffed).
      const touched = asked.slice(1).reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, place.dataEnd) - Math.max(a, place.dataOffset)), 0);
      expect(touched, name).toBeLessThanOrEqual(1024);
    }
    const fetched = asked.reduce((sum, [a, b]) => sum + (b - a), 0);
    expect(fetched / bigWheel.bytes.length).toBeLessThan(0.12);
    expect(results(run)[0]!.unread).toEqual(["pkg/__init__.py", ...BIG_MEMBERS, "pkg-1.0.dist-info/METADATA"]);
    expect(run.stderr).toMatch(new RegExp(`read [0-9.]+ KiB of 2\\.1 MiB \\([0-9.]+%\\) in ${asked.length} requests`));
  });
});

describe("pypi:NAME[==VERSION] through the index's JSON API", () => {
  // The example wheels as builds 1–3 of one release (the examples share their tags), plus a Linux
  // wheel and an sdist.
  const release = exampleWheels.map((w, i) => ({ ...w, filename: w.filename.replace(/^[a-z0-9]+-1\.0/, `demo-1.0-${i + 1}`) }));
  const linux = { filename: "demo-1.0-cp313-cp313-manylinux_2_17_x86_64.whl", bytes: bigWheel.bytes };

  function json(body: unknown): Handler {
    return (_req, res) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) });
      res.end(text);
    };
  }

  beforeAll(() => {
    const files = [...release, linux];
    const document = {
      info: { name: "Demo", version: "1.0" },
      urls: [
        ...files.map((w, i) => ({
          filename: w.filename,
          url: server.url(`/files/${w.filename}`),
          packagetype: "bdist_wheel",
          size: w.bytes.length,
          digests: { sha256: sha256(w.bytes) },
          yanked: i === 1,
          yanked_reason: i === 1 ? "broken build" : null,
        })),
        { filename: "demo-1.0.tar.gz", url: server.url("/files/demo-1.0.tar.gz"), packagetype: "sdist", size: 1, digests: {} },
      ],
    };
    server.route("/pypi/demo/1.0/json", json(document));
    server.route("/pypi/demo/json", json(document));
    for (const w of files) server.route(`/files/${w.filename}`, serveFile(w.bytes));
  });

  it("checks every wheel of the release, each as its local file; --platform narrows them; a yanked one is flagged", async () => {
    const run = await retag(["check", "--format", "json", "--index-url", server.url(""), "--platform", "macos", "pypi:Demo==1.0"]);
    const got = results(run);
    expect(got.map((r) => r.wheel)).toEqual(release.map((w) => w.filename));
    for (const w of release) {
      // The same bytes as a local file of the same name (renamed, the examples are findings of their
      // own: another build tag and .dist-info than WHEEL says): the same results.
      writeFileSync(local(w.filename), w.bytes);
      const here = results(await retag(["check", "--format", "json", local(w.filename)]))[0]!;
      expect(comparable(got[release.indexOf(w)]!)).toEqual(comparable(here));
    }
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`retag: note: ${release[1]!.filename} is yanked from Demo 1.0: broken build`);
    expect(server.hits("/pypi/demo/1.0/json")).toHaveLength(1);
    expect(server.hits(`/files/${linux.filename}`)).toEqual([]);
  });

  it.each([
    ["pypi:demo", ["--platform", "*manylinux*"], [linux.filename]],
    ["pypi:demo==1.0", ["--platform", "linux,macos"], [...release.map((w) => w.filename), linux.filename]],
  ])("%s %j checks %j", async (spec, flags, expected) => {
    const run = await retag(["check", "--format", "json", "--index-url", server.url(""), ...flags, spec]);
    expect(results(run).map((r) => r.wheel)).toEqual(expected);
  });

  it.each([
    ["pypi:demo==2.0", [], 'no release 2.0 of "demo" on this index'],
    ["pypi:demo", ["--platform", "windows"], "none of the 4 wheels of Demo 1.0 matches --platform windows"],
    ["pypi:demo>=1", [], "one exact version, not a range"],
  ])("%s %j: exit 2, and the other inputs are still checked", async (spec, flags, message) => {
    const good = exampleWheels[1]!;
    const run = await retag(["check", "--format", "json", "--index-url", server.url(""), ...flags, spec, server.url(`/ranges/${good.filename}`)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(results(run).map((r) => r.wheel)).toEqual([server.url(`/ranges/${good.filename}`)]);
  });
});

describe("a network failure is one wheel's error: exit 2, and the batch goes on", () => {
  beforeAll(() => {
    server.route("/fail/500.whl", (_req, res) => {
      res.writeHead(500, { "Content-Length": "0" });
      res.end();
    });
    server.route("/fail/slow.whl", () => {
      // Never answers: the request times out (and a timeout is not retried).
    });
    server.route("/fail/truncated.whl", (_req, res) => {
      // A complete (chunked) response with fewer bytes than its Content-Range promises.
      res.writeHead(206, { "Content-Range": "bytes 0-1023/1024" });
      res.end(new Uint8Array(100));
    });
    server.route("/fail/loop-a.whl", (_req, res) => {
      res.writeHead(302, { Location: "/fail/loop-b.whl", "Content-Length": "0" });
      res.end();
    });
    server.route("/fail/loop-b.whl", (_req, res) => {
      res.writeHead(302, { Location: "/fail/loop-a.whl", "Content-Length": "0" });
      res.end();
    });
    server.route("/fail/not-a-zip.whl", serveFile(new TextEncoder().encode("<html>not a wheel</html>")));
  });

  it.each([
    ["/fail/500.whl", "HTTP 500 Internal Server Error (after 3 retries)"],
    ["/fail/slow.whl", "timed out after 1 s with no data"],
    ["/fail/truncated.whl", "server sent 100 bytes for a 1024-byte file (after 3 retries)"],
    ["/fail/loop-a.whl", "redirect loop"],
    ["/fail/missing.whl", "HTTP 404 Not Found"],
    ["ftp://127.0.0.1/x.whl", "only http and https URLs can be read"],
  ])("%s", async (path, message) => {
    const url = path.startsWith("/") ? server.url(path) : path;
    const good = exampleWheels[1]!;
    const run = await retag(["check", "--timeout", "1", "--format", "json", url, server.url(`/ranges/${good.filename}`)]);
    expect(run.code).toBe(2);
    const line = run.stderr.split("\n").find((l) => l.startsWith(`retag: ${url}: `));
    expect(line, run.stderr).toContain(message);
    expect(results(run).map((r) => r.wheel)).toEqual([server.url(`/ranges/${good.filename}`)]);
  }, 60_000);

  it("a file that is not a zip is a finding (R001), as a local one is", async () => {
    const run = await retag(["check", "--format", "json", server.url("/fail/not-a-zip.whl")]);
    expect(run.code).toBe(1);
    expect(results(run)[0]!.findings.map((f) => f.code)).toContain("R001");
  });

  it("fix mode refuses a URL as a usage error", async () => {
    const run = await retag(["-w", dir, server.url(`/ranges/${exampleWheels[0]!.filename}`)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("fix mode takes local wheels");
  });
});
