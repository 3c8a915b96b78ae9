// `--jobs 1` keeps a run on one core (DESIGN §7): the host then inflates and reads large data on the
// calling thread instead of libuv's pool. Both paths must give the same bytes and errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { runTasks } from "../../src/cli/pool.js";
import { nodeCodecs } from "../../src/node/codecs.js";
import { openInput } from "../../src/node/file-source.js";
import { allowThreadPool, threadPoolAllowed } from "../../src/node/thread-pool-use.js";

afterEach(() => allowThreadPool(true));

// 2 MiB of data that deflates well but not trivially: above both pool thresholds (256 KiB, 1 MiB).
const data = Uint8Array.from({ length: 2 * 2 ** 20 }, (_, i) => (i * 2654435761) >>> 24 & 0x3f);
const compressed = deflateRawSync(data);

describe.each([
  { pool: true, label: "in the thread pool" },
  { pool: false, label: "on the calling thread" },
])("large data $label", ({ pool }) => {
  it("inflates to the same bytes", async () => {
    allowThreadPool(pool);
    expect(Buffer.from(await nodeCodecs.inflateRaw(compressed, data.length)).equals(Buffer.from(data))).toBe(true);
  });
  it("refuses data that inflates past its declared size", async () => {
    allowThreadPool(pool);
    await expect(nodeCodecs.inflateRaw(compressed, data.length - 1)).rejects.toMatchObject({ kind: "too-large" });
  });
  it("reads the same bytes from a file", async () => {
    allowThreadPool(pool);
    const dir = mkdtempSync(join(tmpdir(), "retag-pool-"));
    try {
      writeFileSync(join(dir, "f"), data);
      const input = openInput(join(dir, "f"));
      const bytes = await input.read(1, data.length - 1);
      input.close();
      expect(Buffer.from(bytes).equals(Buffer.from(data.subarray(1)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("runTasks decides from the cores the run may use", () => {
  it.each([
    { cores: 1, allowed: false },
    { cores: 2, allowed: true },
    { cores: undefined, allowed: false }, // jobs 1 and no cores given: one core
  ])("cores $cores → thread pool allowed: $allowed", async ({ cores, allowed }) => {
    await runTasks([], { jobs: 1, ...(cores === undefined ? {} : { cores }) });
    expect(threadPoolAllowed()).toBe(allowed);
  });
});

// Workers that fill the cores do not also use the pool (it would only compete with the other
// workers for the same cores); with cores to spare they may.
describe("runTasks tells its workers whether they may use the thread pool", () => {
  const task = (path: string) => ({ kind: "check", path, checkOptions: {} }) as unknown as Parameters<typeof runTasks>[0][number];
  it.each([
    { jobs: 2, cores: 2, threadPool: false },
    { jobs: 2, cores: 4, threadPool: true },
    { jobs: 3, cores: 2, threadPool: false },
  ])("$jobs workers on $cores cores → threadPool $threadPool", async ({ jobs, cores, threadPool }) => {
    const outcomes = await runTasks([task("a.whl"), task("b.whl"), task("c.whl")], { jobs, cores, workerUrl: new URL("./setup-worker.mjs", import.meta.url) });
    for (const outcome of outcomes) expect(JSON.parse((outcome as { error: string }).error)).toEqual({ threadPool });
  });
});
