// The network layer through hand-made ports: time driven by the test (no real waiting), a fetch
// that behaves as a browser's does, and the proof that src/remote/ needs no host types at all.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RemoteError, type FetchInit, type FetchLike, type FetchResponse, type RemotePorts } from "../../src/model/remote.js";
import { openHttpSource } from "../../src/remote/http-source.js";
import { patterned } from "./helpers.js";

/** setTimeout / clearTimeout on a clock that moves only when the test says. */
function fakeTime() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    setTimeout(fn: () => void, ms: number): unknown {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id: unknown): void {
      timers.delete(id as number);
    },
    /** Moves the clock `ms` forward, firing each timer that falls due, in order. */
    async advance(ms: number): Promise<void> {
      const target = now + ms;
      await flush();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await flush();
      }
      now = target;
      await flush();
    },
    get pending() {
      return timers.size;
    },
  };
}

function ports(fetch: FetchLike, time = fakeTime()): RemotePorts & { time: ReturnType<typeof fakeTime> } {
  return {
    fetch,
    setTimeout: (fn, ms) => time.setTimeout(fn, ms),
    clearTimeout: (id) => time.clearTimeout(id),
    newAbortController: () => new AbortController(),
    resolveUrl: (ref, base) => new URL(ref, base).href,
    decodeUtf8: (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes),
    now: () => 0,
    time,
  };
}

/** A response; `chunks` arrive one per read, and a `"hang"` chunk waits until the request is aborted. */
function response(
  init: FetchInit,
  status: number,
  headers: Record<string, string>,
  chunks: Array<Uint8Array | "hang"> | null,
  extra: { url?: string; type?: string; whole?: Uint8Array } = {},
): FetchResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let i = 0;
  return {
    status,
    statusText: "",
    url: extra.url ?? "",
    ...(extra.type ? { type: extra.type } : {}),
    headers: { get: (name) => lower.get(name.toLowerCase()) ?? null },
    body:
      chunks === null
        ? null
        : {
            getReader: () => ({
              read: () => {
                const chunk = chunks[i++];
                if (chunk === undefined) return Promise.resolve({ done: true });
                if (chunk === "hang") return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new Error("The operation was aborted"))));
                return Promise.resolve({ done: false, value: chunk });
              },
              cancel: async () => undefined,
            }),
          },
    arrayBuffer: async () => (extra.whole ?? new Uint8Array(0)).slice().buffer,
  };
}

const URL_ = "https://files.example/pkg-1.0-py3-none-any.whl";
const bytes = patterned(3000);
const tail = (init: FetchInit, chunks: Array<Uint8Array | "hang"> | null = [bytes], extra = {}) =>
  response(init, 206, { "Content-Range": "bytes 0-2999/3000" }, chunks, extra);

describe("time driven by the test", () => {
  it("a request with no answer fails exactly at the timeout, leaving no timer behind", async () => {
    const p = ports((url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted")))));
    let settled: unknown = "pending";
    void openHttpSource(URL_, p, { timeoutMs: 30_000 }).then(
      () => (settled = "opened"),
      (e: unknown) => (settled = e),
    );
    await p.time.advance(29_999);
    expect(settled).toBe("pending");
    await p.time.advance(1);
    expect(settled).toBeInstanceOf(RemoteError);
    expect(settled).toMatchObject({ kind: "timeout", message: `${URL_}: timed out after 30 s with no data` });
    expect(p.time.pending).toBe(0);
  });

  it("the timeout counts from the last bytes received, not from the start", async () => {
    const p = ports(async (url, init) => tail(init, [bytes.subarray(0, 1000), "hang"]));
    let settled: unknown = "pending";
    void openHttpSource(URL_, p, { timeoutMs: 10_000 }).then(
      () => (settled = "opened"),
      (e: unknown) => (settled = e),
    );
    await p.time.advance(9_999);
    expect(settled).toBe("pending");
    await p.time.advance(1);
    expect(settled).toMatchObject({ kind: "timeout" });
  });

  it("the back-off waits on the host's timers when no sleep is given", async () => {
    const calls: number[] = [];
    const p = ports(async (url, init) => {
      calls.push(calls.length);
      return calls.length === 1 ? response(init, 500, {}, []) : tail(init);
    });
    const opening = openHttpSource(URL_, p, { backoffMs: 500 });
    await p.time.advance(499);
    expect(calls).toHaveLength(1);
    await p.time.advance(1);
    const source = await opening;
    expect(calls).toHaveLength(2);
    expect(await source.read(0, 3000)).toEqual(bytes);
  });
});

describe("a fetch as browsers have it", () => {
  it("in follow mode, fetch follows redirects and the source reads from where it ended", async () => {
    const seen: Array<[string, FetchInit["redirect"]]> = [];
    const final = "https://cdn.example/x.whl";
    const p = ports(async (url, init) => {
      seen.push([url, init.redirect]);
      return response(init, 206, { "Content-Range": `bytes ${seen.length === 1 ? "1000-2999" : "0-9"}/3000` }, [seen.length === 1 ? bytes.subarray(1000) : bytes.subarray(0, 10)], { url: final });
    });
    const source = await openHttpSource(URL_, p, { redirects: "follow", tailBytes: 2000 });
    expect(source.url).toBe(final);
    expect(await source.read(0, 10)).toEqual(bytes.subarray(0, 10));
    expect(seen).toEqual([
      [URL_, "follow"],
      [final, "follow"],
    ]);
  });

  it("an opaque redirect (manual mode in a browser) says to use follow mode", async () => {
    const p = ports(async (url, init) => response(init, 0, {}, null, { type: "opaqueredirect" }));
    await expect(openHttpSource(URL_, p)).rejects.toThrow(`${URL_}: the response is a redirect that fetch hides in "manual" mode (a browser host sets redirects: "follow")`);
  });

  it("a response without a stream is read whole, with the same length check", async () => {
    const ok = ports(async (url, init) => tail(init, null, { whole: bytes }));
    expect(await (await openHttpSource(URL_, ok)).read(0, 3000)).toEqual(bytes);
    const short = ports(async (url, init) => tail(init, null, { whole: bytes.subarray(0, 2000) }));
    await expect(openHttpSource(URL_, short, { retries: 0 })).rejects.toMatchObject({ kind: "truncated", message: `${URL_}: server sent 2000 bytes for a 3000-byte file` });
  });

  it("a 206 whose Content-Range the browser hid names the likely cause", async () => {
    const p = ports(async (url, init) => response(init, 206, {}, [bytes]));
    await expect(openHttpSource(URL_, p)).rejects.toThrow("HTTP 206 without a Content-Range (a browser hides it unless the server exposes it to CORS)");
  });
});

describe("policies that a local http server cannot show", () => {
  it("a redirect from https down to http is refused", async () => {
    const p = ports(async (url, init) => response(init, 302, { Location: "http://files.example/x.whl" }, []));
    await expect(openHttpSource(URL_, p)).rejects.toMatchObject({ kind: "redirect", message: `${URL_}: redirected from https down to http://files.example/x.whl` });
  });

  it.each([1, 3])("prefetch of far-apart ranges keeps at most %i request(s) in flight", async (concurrency) => {
    const big = patterned(1_000_000);
    let active = 0;
    let peak = 0;
    const p = ports(async (url, init) => {
      const range = /bytes=(\d*)-(\d*)/.exec(init.headers["Range"]!)!;
      const [start, end] = range[1] === "" ? [big.length - Number(range[2]), big.length] : [Number(range[1]), Number(range[2]) + 1];
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return response(init, 206, { "Content-Range": `bytes ${start}-${end - 1}/${big.length}` }, [big.subarray(start, end)]);
    });
    const source = await openHttpSource(URL_, p, { concurrency, tailBytes: 100 });
    const ranges = Array.from({ length: 8 }, (_, i) => ({ offset: i * 100_000, length: 10 }));
    await source.prefetch!(ranges);
    expect(peak).toBe(concurrency);
    expect(source.stats.requests).toBe(1 + 8);
    for (const r of ranges) expect(await source.read(r.offset, r.length)).toEqual(big.subarray(r.offset, r.offset + r.length));
    expect(source.stats.requests).toBe(1 + 8);
  });
});

describe("host neutrality", () => {
  it('src/remote/ compiles with "types": [] and no DOM (no host type used)', () => {
    const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
    const project = fileURLToPath(new URL("./tsconfig.core.json", import.meta.url));
    expect(() => execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });

  it("src/remote/ imports nothing from node: and names no host global", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = fileURLToPath(new URL("../../src/remote/", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(dir + file, "utf8").replace(/\/\/.*$/gm, "");
      expect(text, file).not.toMatch(/from "node:|\bBuffer\b|\bprocess\.|globalThis|\bwindow\b/);
    }
  });
});
