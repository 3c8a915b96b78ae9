// A remote wheel read through HTTP ranges must give the same bytes as the local file, ask only for
// what it needs, and turn every misbehaving server into one clear RemoteError.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetagError } from "../../src/model/errors.js";
import { RemoteError, type RemoteOptions } from "../../src/model/remote.js";
import { openHttpSource } from "../../src/remote/http-source.js";
import { bigWheel, BIG_MEMBERS, exampleWheels, EXTENSION, patterned, realPorts } from "./helpers.js";
import { askedRange, serveFile, startServer, type TestServer } from "./server.js";
import { memorySource, peekZip } from "./zip-peek.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

let paths = 0;
/** A fresh path for each test's route, so logs never mix. */
function serve(handler: Parameters<TestServer["route"]>[1]): { path: string; url: string } {
  const path = `/f${++paths}/x.whl`;
  server.route(path, handler);
  return { path, url: server.url(path) };
}

async function open(url: string, options: RemoteOptions = {}, slept: number[] = []) {
  return openHttpSource(url, realPorts(slept), options);
}

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe("reading through ranges gives the file's bytes", () => {
  it.each([
    ["a 2.2 MB wheel", bigWheel.bytes],
    ...exampleWheels.map((w) => [w.filename, w.bytes] as [string, Uint8Array]),
    ["a file shorter than the tail request", patterned(1000)],
    ["a file of exactly the tail request", patterned(128 * 1024)],
  ])("%s, read in uneven pieces, equals the file", async (_, bytes) => {
    const { path, url } = serve(serveFile(bytes, { etag: '"v1"' }));
    const source = await open(url, { tailBytes: 128 * 1024 });
    expect(source.mode).toBe("ranges");
    expect(source.size).toBe(bytes.length);
    const pieces: Uint8Array[] = [];
    // Pieces of growing size that straddle the tail's start and each other's ends.
    for (let offset = 0, step = 1; offset < bytes.length; offset += step, step = step * 3 + 1) {
      pieces.push((await source.read(offset, Math.min(step, bytes.length - offset))).slice());
    }
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
    // Every request carried a Range: none fetched the whole file by accident.
    expect(server.hits(path).every((r) => r.range !== null)).toBe(true);
    expect(server.hits(path).every((r) => r.acceptEncoding === "identity")).toBe(true);
  });

  it.each(exampleWheels.map((w) => [w.filename, w.bytes] as const))("%s: directory and members equal the local file's", async (_, bytes) => {
    const { url } = serve(serveFile(bytes));
    const local = await peekZip(memorySource(bytes), []);
    const names = local.entries.map((e) => e.name);
    const remote = await peekZip(await open(url), names);
    expect(remote).toEqual(await peekZip(memorySource(bytes), names));
  });

  it("the first request brings the tail: the directory of a small wheel costs no second request", async () => {
    const { path, url } = serve(serveFile(bigWheel.bytes));
    const source = await open(url);
    const tailStart = bigWheel.bytes.length - 128 * 1024;
    await peekZip(source, ["pkg-1.0.dist-info/WHEEL", "pkg-1.0.dist-info/RECORD"]);
    expect(server.hits(path).map((r) => r.range)).toEqual(["bytes=-131072"]);
    expect(source.stats).toMatchObject({ requests: 1, bytesFetched: 128 * 1024, ranges: [{ offset: tailStart, length: 128 * 1024 }] });
  });
});

describe("only the needed bytes are fetched", () => {
  const size = bigWheel.bytes.length;

  it.each([
    ["read by read", false],
    ["after prefetch", true],
  ])("reading the extension %s touches neither data member", async (_, usePrefetch) => {
    const { path, url } = serve(serveFile(bigWheel.bytes));
    const source = await open(url);
    const local = await peekZip(memorySource(bigWheel.bytes), [EXTENSION]);
    const remote = await peekZip(source, [EXTENSION], usePrefetch);
    expect(remote.members[0]!.data).toEqual(local.members[0]!.data);

    const span = remote.members[0]!.span;
    const forbidden = remote.entries.filter((e) => BIG_MEMBERS.includes(e.name));
    const asked = server.hits(path).slice(1).map((r) => askedRange(r, size)!);
    for (const [start, end] of asked) {
      // Each later request lies inside the extension's local header and data.
      expect(start).toBeGreaterThanOrEqual(span[0]);
      expect(end).toBeLessThanOrEqual(span[1]);
      for (const member of forbidden) expect(end <= member.localOffset || start >= member.localOffset + member.compressedSize).toBe(true);
    }
    // With prefetch the header and the data come in one request.
    if (usePrefetch) expect(asked).toHaveLength(1);
    expect(source.stats.bytesFetched).toBeLessThan(size * 0.1);
    expect(source.stats.bytesFetched).toBe(server.hits(path).reduce((sum, r) => sum + (askedRange(r, size)![1] - askedRange(r, size)![0]), 0));
  });

  // Two ranges 100 bytes long, `gap` bytes apart, prefetched together with a 16 KiB threshold.
  it.each([
    [0, 1],
    [1000, 1],
    [16 * 1024, 1],
    [16 * 1024 + 1, 2],
    [200_000, 2],
  ])("prefetching two ranges %i bytes apart sends %i request(s)", async (gap, requests) => {
    const bytes = patterned(1_000_000);
    const { path, url } = serve(serveFile(bytes));
    const source = await open(url, { tailBytes: 1024 });
    const ranges = [
      { offset: 5000, length: 100 },
      { offset: 5100 + gap, length: 100 },
    ];
    await source.prefetch!(ranges);
    expect(server.hits(path)).toHaveLength(1 + requests);
    for (const r of ranges) expect(await source.read(r.offset, r.length)).toEqual(bytes.subarray(r.offset, r.offset + r.length));
    expect(server.hits(path)).toHaveLength(1 + requests);
  });

  it("a range read twice, or read at once by two callers, is fetched once", async () => {
    const bytes = patterned(500_000);
    const { path, url } = serve(serveFile(bytes));
    const source = await open(url, { tailBytes: 1024 });
    const [a, b] = await Promise.all([source.read(1000, 5000), source.read(2000, 1000)]);
    expect(a).toEqual(bytes.subarray(1000, 6000));
    expect(b).toEqual(bytes.subarray(2000, 3000));
    expect(await source.read(1000, 5000)).toEqual(bytes.subarray(1000, 6000));
    expect(server.hits(path).map((r) => r.range)).toEqual(["bytes=-1024", "bytes=1000-5999"]);
  });

  it("a read across held ranges fetches only the gaps between them", async () => {
    const bytes = patterned(500_000);
    const { path, url } = serve(serveFile(bytes));
    const source = await open(url, { tailBytes: 1024 });
    await source.read(10_000, 100);
    await source.read(20_000, 100);
    expect(await source.read(9_000, 491_000)).toEqual(bytes.subarray(9_000));
    expect(server.hits(path).map((r) => r.range)).toEqual([
      "bytes=-1024",
      "bytes=10000-10099",
      "bytes=20000-20099",
      "bytes=9000-9999",
      "bytes=10100-19999",
      "bytes=20100-498975",
    ]);
  });

  it("ranges past the cache size are dropped, least recently used first, and fetched again when read", async () => {
    const bytes = patterned(100_000);
    const { path, url } = serve(serveFile(bytes));
    const source = await open(url, { tailBytes: 1000, cacheBytes: 2500 });
    await source.read(0, 1000); // held: tail, [0,1000) = 2000 bytes
    await source.read(2000, 1000); // 3000 > 2500: the tail (least recently used) goes
    await source.read(0, 1000); // still held
    expect(server.hits(path)).toHaveLength(3);
    await source.read(99_000, 1000); // the tail again
    expect(server.hits(path).map((r) => r.range)).toEqual(["bytes=-1000", "bytes=0-999", "bytes=2000-2999", "bytes=99000-99999"]);
  });

  it("reports progress as bytes arrive, against the file's size", async () => {
    const { url } = serve(serveFile(bigWheel.bytes));
    const seen: Array<{ fetched: number; size: number | null }> = [];
    const source = await open(url, { onProgress: (p) => seen.push({ ...p }) });
    await source.read(0, 300_000);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p, i) => i === 0 || p.fetched > seen[i - 1]!.fetched)).toBe(true);
    expect(seen.at(-1)).toEqual({ fetched: 128 * 1024 + 300_000, size: bigWheel.bytes.length });
  });
});

describe("a server without Range support", () => {
  it.each(exampleWheels.map((w) => [w.filename, w.bytes] as const))("%s is downloaded once, whole, and reads the same", async (_, bytes) => {
    const { path, url } = serve(serveFile(bytes, { ranges: false }));
    const source = await open(url);
    expect(source.mode).toBe("full");
    const names = (await peekZip(memorySource(bytes), [])).entries.map((e) => e.name);
    expect(await peekZip(source, names, true)).toEqual(await peekZip(memorySource(bytes), names));
    expect(server.hits(path)).toHaveLength(1);
    expect(source.stats).toMatchObject({ requests: 1, bytesFetched: bytes.length, ranges: [{ offset: 0, length: bytes.length }] });
  });

  it.each([
    ["with a Content-Length", true],
    ["without one (chunked)", false],
  ])("is refused past the size limit, %s", async (_, withLength) => {
    const bytes = patterned(300_000);
    const { url } = serve((req, res) => {
      res.writeHead(200, withLength ? { "Content-Length": String(bytes.length) } : {});
      res.end(bytes);
    });
    const error = await failure(open(url, { maxBytes: 100_000 }));
    expect(error.kind).toBe("too-large");
    expect(error.message).toContain(url);
    if (withLength) expect(error.message).toBe(`${url}: the server does not do range requests, and the whole file (293 KiB) is more than the limit of 97.7 KiB`);
  });
});

describe("responses that break the rules of ranges", () => {
  const bytes = patterned(200_000);

  it.each([
    ["a shifted range for the tail", 0, "bytes 10-1033/200000", "asked for the last 1024 bytes, the server sent 10-1033 of 200000"],
    ["a tail whose size is unknown", 0, "bytes 198976-199999/*", 'HTTP 206 with an unusable Content-Range "bytes 198976-199999/*"'],
    ["a tail with no Content-Range", 0, null, "HTTP 206 without a Content-Range"],
    ["a shifted later range", 1, "bytes 1-100/200000", "asked for bytes 0-99, the server sent 1-100"],
    ["a later range that claims another size", 1, "bytes 0-99/200001", "the file changed on the server while it was read: its size went from 200000 to 200001 bytes"],
  ])("%s is an error", async (_, lieAt, contentRange, detail) => {
    const { url } = serve((req, res, hit) => {
      const [start, end] = [hit === 0 ? bytes.length - 1024 : 0, hit === 0 ? bytes.length : 100];
      if (hit !== lieAt) {
        res.writeHead(206, { "Content-Range": `bytes ${start}-${end - 1}/${bytes.length}`, "Content-Length": String(end - start) });
      } else {
        res.writeHead(206, { ...(contentRange === null ? {} : { "Content-Range": contentRange }), "Content-Length": String(end - start) });
      }
      res.end(bytes.subarray(start, end));
    });
    const error = await failure(open(url, { tailBytes: 1024 }).then((s) => s.read(0, 100)));
    expect(error.message.startsWith(`${url}: ${detail}`)).toBe(true);
    expect(["protocol", "changed"]).toContain(error.kind);
  });

  it.each([
    // A complete response with fewer bytes than its Content-Range: chunked, so nothing is cut.
    ["short", "truncated", "server sent 812 bytes for a 1024-byte range (after 3 retries)"],
    // The connection drops mid-body, after Content-Length promised more.
    ["cut", "network", "connection closed after 812 of 1024 bytes"],
    ["long", "protocol", "server sent more than the 1 KiB asked for"],
  ])("a %s body is a %s error", async (how, kind, detail) => {
    const { path, url } = serve((req, res, hit) => {
      if (hit === 0) return serveFile(bytes)(req, res, hit);
      res.writeHead(206, {
        "Content-Range": "bytes 0-1023/200000",
        ...(how === "cut" ? { "Content-Length": "1024" } : {}),
      });
      if (how === "cut") {
        res.write(bytes.subarray(0, 812));
        setTimeout(() => res.socket?.destroy(), 20);
      } else res.end(how === "long" ? bytes.subarray(0, 2000) : bytes.subarray(0, 812));
    });
    const slept: number[] = [];
    const source = await open(url, {}, slept);
    const error = await failure(source.read(0, 1024));
    expect(error.kind).toBe(kind);
    expect(error.message).toContain(`${url}: ${detail}`);
    // Short and cut bodies may be a passing fault: retried with back-off; a long one is not.
    const retried = kind === "protocol" ? 0 : 3;
    expect(slept).toEqual([500, 1000, 2000].slice(0, retried));
    expect(server.hits(path)).toHaveLength(2 + retried);
  });

  it("a range served compressed is an error", async () => {
    const { url } = serve((req, res, hit) => {
      if (hit === 0) return serveFile(bytes)(req, res, hit);
      res.writeHead(206, { "Content-Range": "bytes 0-99/200000", "Content-Length": "100", "Content-Encoding": "br" });
      res.end(bytes.subarray(0, 100));
    });
    const error = await failure((await open(url)).read(0, 100));
    expect(error).toMatchObject({ kind: "protocol", message: `${url}: the server sent a range with Content-Encoding: br` });
  });
});

describe("retries", () => {
  it.each([
    [500, 1, true],
    [503, 3, true],
    [502, 4, false],
    [500, 0, true],
  ])("HTTP %i for the first %i request(s): success is %s, with back-off between", async (status, failures, succeeds) => {
    const bytes = patterned(5000);
    const { path, url } = serve((req, res, hit) => {
      if (hit < failures) {
        res.writeHead(status, { "Content-Length": "0" });
        res.end();
      } else serveFile(bytes)(req, res, hit);
    });
    const slept: number[] = [];
    const result = await open(url, {}, slept).then(
      async (s) => ({ bytes: await s.read(0, bytes.length), retries: s.stats.retries }),
      (e: unknown) => e as RemoteError,
    );
    const retried = Math.min(failures, 3);
    expect(slept).toEqual([500, 1000, 2000].slice(0, retried));
    expect(server.hits(path)).toHaveLength(succeeds ? failures + 1 : 4);
    if (succeeds) expect(result).toEqual({ bytes, retries: retried });
    else expect(result).toMatchObject({ kind: "http", status, message: `${url}: HTTP ${status} Bad Gateway (after 3 retries)` });
  });

  it.each([
    [404, "Not Found"],
    [403, "Forbidden"],
    [410, "Gone"],
    [501, "Not Implemented"],
  ])("HTTP %i is not retried", async (status, reason) => {
    const { path, url } = serve((req, res) => {
      res.writeHead(status, { "Content-Length": "0" });
      res.end();
    });
    const slept: number[] = [];
    const error = await failure(open(url, {}, slept));
    expect(error).toMatchObject({ kind: "http", status, message: `${url}: HTTP ${status} ${reason}` });
    expect(error).toBeInstanceOf(RetagError); // exit code 2 in the CLI
    expect(server.hits(path)).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it.each([
    ["2", [2000], true],
    ["0", [0], true],
    ["3600", [], false],
    [new Date(Date.now() + 3_600_000).toUTCString(), [], false],
  ])("429 with Retry-After %s waits for it, or gives up when it is too long", async (retryAfter, waits, succeeds) => {
    const bytes = patterned(3000);
    const { url } = serve((req, res, hit) => {
      if (hit === 0) {
        res.writeHead(429, { "Retry-After": retryAfter, "Content-Length": "0" });
        res.end();
      } else serveFile(bytes)(req, res, hit);
    });
    const slept: number[] = [];
    const result = await open(url, {}, slept).then(
      () => "opened",
      (e: unknown) => e as RemoteError,
    );
    expect(slept).toEqual(waits);
    if (succeeds) expect(result).toBe("opened");
    else expect((result as RemoteError).message).toMatch(/HTTP 429 Too Many Requests \(the server asks to retry after 3[56][0-9]{2}(\.[0-9])? s\)$/);
  });

  it("a refused connection is retried, then reported", async () => {
    const closed = await startServer();
    const url = closed.url("/x.whl");
    await closed.close();
    const slept: number[] = [];
    const error = await failure(open(url, { retries: 2 }, slept));
    expect(error.kind).toBe("network");
    expect(error.message).toMatch(new RegExp(`^${url.replace(/[.]/g, "\\.")}: connection failed: .*ECONNREFUSED.* \\(after 2 retries\\)$`));
    expect(slept).toEqual([500, 1000]);
  });
});

describe("timeouts", () => {
  it.each([
    ["before the headers", "headers"],
    ["in the middle of the body", "body"],
  ])("a server that stalls %s times out, without retries", async (_, where) => {
    const bytes = patterned(5000);
    const timers: NodeJS.Timeout[] = [];
    const { path, url } = serve((req, res) => {
      if (where === "body") {
        res.writeHead(206, { "Content-Range": `bytes 0-4999/5000`, "Content-Length": "5000" });
        res.write(bytes.subarray(0, 100));
      }
      timers.push(setTimeout(() => res.destroy(), 5000));
    });
    const error = await failure(open(url, { timeoutMs: 200 }));
    for (const t of timers) clearTimeout(t);
    expect(error).toMatchObject({ kind: "timeout", message: `${url}: timed out after 200 ms with no data` });
    expect(server.hits(path)).toHaveLength(1);
  });

  it("a slow body that keeps arriving does not time out", async () => {
    const bytes = patterned(8000);
    const { url } = serve((req, res) => {
      res.writeHead(206, { "Content-Range": "bytes 0-7999/8000", "Content-Length": "8000" });
      let sent = 0;
      const tick = setInterval(() => {
        res.write(bytes.subarray(sent, sent + 1000));
        sent += 1000;
        if (sent >= 8000) {
          clearInterval(tick);
          res.end();
        }
      }, 150);
    });
    // 8 × 150 ms is longer than the 1 s timeout, but no gap is.
    const source = await open(url, { timeoutMs: 1000 });
    expect(await source.read(0, 8000)).toEqual(bytes);
  });

  it("an abort by the caller stops the request at once", async () => {
    const controller = new AbortController();
    const { url } = serve(() => setTimeout(() => controller.abort(), 10));
    const error = await failure(open(url, { signal: controller.signal, timeoutMs: 10_000 }));
    expect(error).toMatchObject({ kind: "aborted", message: `${url}: aborted` });
  });
});

describe("redirects", () => {
  function redirect(to: string, status = 302): Parameters<TestServer["route"]>[1] {
    return (req, res) => {
      res.writeHead(status, { Location: to, "Content-Length": "0" });
      res.end();
    };
  }

  it("are followed (relative ones too), and later ranges go straight to where they led", async () => {
    const bytes = patterned(300_000);
    server.route("/r1/final.whl", serveFile(bytes));
    server.route("/r1/hop.whl", redirect("/r1/final.whl", 301));
    server.route("/r1/start.whl", redirect("hop.whl", 307));
    const source = await open(server.url("/r1/start.whl"), { tailBytes: 1024 });
    expect(source.url).toBe(server.url("/r1/final.whl"));
    expect(await source.read(0, 1000)).toEqual(bytes.subarray(0, 1000));
    expect(server.hits("/r1/start.whl")).toHaveLength(1);
    expect(server.hits("/r1/hop.whl")).toHaveLength(1);
    expect(server.hits("/r1/final.whl").map((r) => r.range)).toEqual(["bytes=-1024", "bytes=0-999"]);
  });

  it.each([
    ["a loop", "/r2/a.whl", "redirect loop: {server}/r2/start.whl → {server}/r2/a.whl → {server}/r2/b.whl → {server}/r2/a.whl"],
    ["a redirect to file:", "file:///etc/passwd", "redirected to file:///etc/passwd, not an http(s) URL"],
    ["a redirect to ftp:", "ftp://127.0.0.1/x.whl", "redirected to ftp://127.0.0.1/x.whl, not an http(s) URL"],
  ])("%s is an error", async (_, target, detail) => {
    server.route("/r2/start.whl", redirect(target));
    server.route("/r2/a.whl", redirect("/r2/b.whl"));
    server.route("/r2/b.whl", redirect("/r2/a.whl"));
    const error = await failure(open(server.url("/r2/start.whl")));
    expect(error.kind).toBe("redirect");
    expect(error.message).toBe(`${server.url("/r2/start.whl")}: ${detail.replaceAll("{server}", server.url(""))}`);
  });

  it("more than the allowed number of redirects is an error", async () => {
    for (let i = 0; i < 5; i++) server.route(`/r3/${i}.whl`, redirect(`/r3/${i + 1}.whl`));
    const error = await failure(open(server.url("/r3/0.whl"), { maxRedirects: 3 }));
    expect(error.message).toBe(`${server.url("/r3/0.whl")}: more than 3 redirects (the last to ${server.url("/r3/4.whl")})`);
    expect(server.hits("/r3/4.whl")).toHaveLength(0);
  });

  it("a redirect without a Location is an error", async () => {
    const { url } = serve((req, res) => {
      res.writeHead(302, { "Content-Length": "0" });
      res.end();
    });
    expect(await failure(open(url))).toMatchObject({ kind: "protocol", message: `${url}: HTTP 302 Found without a Location` });
  });
});

describe("a file that changes while it is read", () => {
  const v1 = patterned(100_000);
  const v2 = v1.map((b) => b ^ 0xff);

  it.each<[string, { etag?: string; lastModified?: string }, { etag?: string; lastModified?: string }, boolean, string]>([
    ["ETag, with If-Range honoured", { etag: '"v1"' }, { etag: '"v2"' }, true, "it no longer matches \"v1\""],
    ["ETag, with If-Range ignored", { etag: '"v1"' }, { etag: '"v2"' }, false, 'ETag "v1" became "v2"'],
    [
      "Last-Modified, with If-Range ignored",
      { lastModified: "Mon, 01 Jan 2024 00:00:00 GMT" },
      { lastModified: "Tue, 02 Jan 2024 00:00:00 GMT" },
      false,
      "Last-Modified Mon, 01 Jan 2024 00:00:00 GMT became Tue, 02 Jan 2024 00:00:00 GMT",
    ],
  ])("is noticed by its %s", async (_, before, after, ifRange, detail) => {
    let version = 1;
    const { path, url } = serve((req, res, hit) =>
      serveFile(version === 1 ? v1 : v2, { ...(version === 1 ? before : after), ifRange })(req, res, hit),
    );
    const source = await open(url, { tailBytes: 1000 });
    expect(await source.read(0, 10)).toEqual(v1.subarray(0, 10));
    version = 2;
    const error = await failure(source.read(50_000, 10));
    expect(error).toMatchObject({ kind: "changed", message: `${url}: the file changed on the server while it was read: ${detail}` });
    // The If-Range value sent was the first response's validator.
    expect(server.hits(path)[1]!.ifRange).toBe(before.etag ?? before.lastModified);
  });

  it("is noticed by its size when it has no validators", async () => {
    let body = v1;
    const { url } = serve((req, res, hit) => serveFile(body)(req, res, hit));
    const source = await open(url, { tailBytes: 1000 });
    body = v1.subarray(0, 90_000);
    expect(await failure(source.read(0, 10))).toMatchObject({ kind: "changed", message: `${url}: the file changed on the server while it was read: its size went from 100000 to 90000 bytes` });
  });

  it("is noticed when a range is no longer in it (416)", async () => {
    let body = v1;
    const { url } = serve((req, res, hit) => serveFile(body)(req, res, hit));
    const source = await open(url, { tailBytes: 1000 });
    body = v1.subarray(0, 1000);
    expect(await failure(source.read(50_000, 10))).toMatchObject({ kind: "changed" });
  });
});

describe("inputs and limits", () => {
  it.each([
    ["ftp://127.0.0.1/x.whl", "only http and https URLs can be read, not ftp:"],
    ["file:///tmp/x.whl", "only http and https URLs can be read, not file:"],
    ["not a url", "not a valid URL"],
  ])("%s is refused before any request", async (url, detail) => {
    const before = server.log.length;
    expect(await failure(open(url))).toMatchObject({ kind: "bad-url", message: `${url}: ${detail}` });
    expect(server.log.length).toBe(before);
  });

  it("an empty file (416 to the tail request) is a source of size 0", async () => {
    const { url } = serve(serveFile(new Uint8Array(0)));
    const source = await open(url);
    expect(source.size).toBe(0);
    expect(await source.read(0, 0)).toEqual(new Uint8Array(0));
  });

  it("reads that would pass the size limit are refused before they are sent", async () => {
    const bytes = patterned(500_000);
    const { path, url } = serve(serveFile(bytes));
    const source = await open(url, { tailBytes: 1000, maxBytes: 100_000 });
    await source.read(0, 50_000);
    const error = await failure(source.read(100_000, 60_000));
    expect(error).toMatchObject({ kind: "too-large", message: `${url}: reading 58.6 KiB more would pass the limit of 97.7 KiB read per wheel` });
    expect(server.hits(path)).toHaveLength(2);
  });

  it("a read outside the file is a programming error, not a request", async () => {
    const { url } = serve(serveFile(patterned(1000)));
    const source = await open(url);
    await expect(source.read(900, 101)).rejects.toThrow(RangeError);
  });

  it.each([
    [{ timeoutMs: 0 }, "timeoutMs"],
    [{ retries: -1 }, "retries"],
    [{ tailBytes: 10 }, "tailBytes"],
    [{ concurrency: 1.5 }, "concurrency"],
  ])("an option out of bounds (%o) is refused", async (options, name) => {
    await expect(open("http://127.0.0.1:1/x.whl", options)).rejects.toThrow(new RegExp(`remote option ${name} must be`));
  });
});
