// The bounded fuzz run CI does (issue 6): a fixed seed and a fixed number of cases, a few seconds.
// `npm run fuzz -- --time 600` runs the same harness longer, with a random seed, against dist/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCase, checkCli, failureSignature, hasZipfile, loadSeedPool, makeCase, runCases, zipfileProblems, type FuzzApi, type Outcome } from "../../fuzz/harness.mjs";
import { main } from "../../src/cli/main.js";
import { MachOError } from "../../src/model/errors.js";
import type { CheckResult } from "../../src/model/results.js";
import { api } from "./api.js";
import { knownBug } from "./known.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pool = loadSeedPool(ROOT);
const SEED = 0x5eed0006;
const CASES = 1500;

describe("fuzz: retag's guarantees on mutated wheels and Mach-O files", () => {
  it(`holds on ${CASES} cases of seed ${SEED}`, async () => {
    const broken: string[] = [];
    const rewrites: Array<{ key: string; bytes: Uint8Array }> = [];
    const summary = await runCases(api, pool, {
      runSeed: SEED,
      count: CASES,
      onRewrite: (fuzzCase, output) => rewrites.push({ key: `case ${fuzzCase.index} (${fuzzCase.filename} → ${output.filename})`, bytes: output.bytes }),
      onFailure: async (fuzzCase, outcome) => {
        if (await knownBug(api, fuzzCase) !== null) return;
        for (const f of outcome.failures) {
          broken.push(`case ${fuzzCase.index} (${fuzzCase.filename}): ${f.guarantee} in ${f.where}: ${f.message}${f.detail ? ` (${f.detail})` : ""}\n${f.stack ?? ""}`);
        }
      },
    });
    expect(broken).toEqual([]);
    // Every rewrite opens in Python's zipfile, the reader pip installs with, and reads back (issue 11, D11).
    expect(rewrites.length).toBe(summary.actions["rewritten"]);
    if (hasZipfile()) expect(Object.fromEntries(zipfileProblems(rewrites))).toEqual({});
    // The sample goes deep, not only into the zip reader: wheels are rewritten and refused, and most
    // finding codes (zip, RECORD, Mach-O, tags, python/abi) come up.
    expect(summary.actions["rewritten"]).toBeGreaterThan(50);
    expect(summary.actions["refused"]).toBeGreaterThan(50);
    expect(Object.keys(summary.codes).length).toBeGreaterThanOrEqual(30);
    // A loaded machine (2 shared cores) needs more than the default 30 s for 1500 cases and one python3 run.
  }, 180_000);

  it("the CLI agrees with the API (exit code, -w DIR, no temporaries left) on a sample", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "retag-fuzz-test-"));
    try {
      const broken: string[] = [];
      for (let index = 0; index < 300; index += 15) {
        const fuzzCase = await makeCase(api, pool, SEED, index);
        if ((await knownBug(api, fuzzCase)) !== null) continue;
        for (const f of await checkCli(main, api, fuzzCase, tmp)) broken.push(`case ${index}: ${f.where}: ${f.message} ${f.detail ?? ""}`);
      }
      expect(broken).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("makes every hostile shape of issue 11 among the cases of the fixed run", async () => {
    const shapes = new Map<string, number>();
    for (let index = 0; index < CASES; index++) {
      const note = (await makeCase(api, pool, SEED, index)).notes.find((n) => n.startsWith("hostile:"));
      if (note !== undefined) shapes.set(note, (shapes.get(note) ?? 0) + 1);
    }
    expect([...shapes.keys()].sort()).toEqual(
      ["macho:many-slices", "names:case", "names:control", "record:ghosts", "record:huge-field", "wheel:long-line", "zip:eocd-in-comment"].map((s) => `hostile:${s}`),
    );
    expect(Math.min(...shapes.values())).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("makes the same case from the same seed and index", async () => {
    for (const index of [0, 1, 77, 1234]) {
      const a = await makeCase(api, pool, SEED, index);
      const b = await makeCase(api, pool, SEED, index);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
      expect(a.filename).toBe(b.filename);
      expect(a.options).toEqual(b.options);
    }
    expect(Buffer.from((await makeCase(api, pool, SEED, 1)).bytes).equals(Buffer.from((await makeCase(api, pool, SEED + 1, 1)).bytes))).toBe(false);
  });
});

/** A case that retag rewrites, to check that the harness notices a broken rewrite. */
async function rewrittenCase() {
  for (let index = 0; ; index++) {
    const fuzzCase = await makeCase(api, pool, SEED, index);
    const retag = (await api.retagWheel(fuzzCase.bytes, { ...fuzzCase.options, filename: fuzzCase.filename })) as { action: string; check: CheckResult };
    if (retag.action === "rewritten" && (await knownBug(api, fuzzCase)) === null && (retag.check.tags.expected ?? []).length > 0) return fuzzCase;
  }
}

async function guaranteesBroken(sabotaged: FuzzApi, fuzzCase?: Awaited<ReturnType<typeof rewrittenCase>>): Promise<Outcome["failures"]> {
  return (await checkCase(sabotaged, fuzzCase ?? (await rewrittenCase()))).failures;
}

describe("fuzz: the harness notices a broken guarantee", () => {
  it.runIf(hasZipfile())("a rewrite Python's zipfile cannot open or read back is reported, by its key", async () => {
    const good = (await makeCase(api, pool, SEED, 0)).bytes;
    const eocd = good.length - 22;
    const gap = new Uint8Array([...good.subarray(0, eocd), 0x4a, 0x55, 0x4e, 0x4b, ...good.subarray(eocd)]);
    const problems = zipfileProblems([
      { key: "good", bytes: good },
      { key: "junk before the end record", bytes: gap },
      { key: "not a zip", bytes: new TextEncoder().encode("<html>") },
    ]);
    expect([...problems.keys()]).toEqual(["junk before the end record", "not a zip"]);
    expect(problems.get("not a zip")).toMatch(/^BadZipFile/);
  });

  it("an exception that is not a typed error is an internal error", async () => {
    const failures = await guaranteesBroken({
      ...api,
      checkWheel: () => {
        throw new TypeError("Cannot read properties of undefined");
      },
    });
    expect(failures.map((f) => `${f.guarantee} ${f.where}`)).toContain("internal-error checkWheel");
  });

  it("a typed error is allowed", async () => {
    const failures = await guaranteesBroken({
      ...api,
      parseMachO: () => {
        throw new MachOError("bad", 0);
      },
    });
    expect(failures.filter((f) => f.where.startsWith("parseMachO"))).toEqual([]);
  });

  it("a rewrite that changes an untouched member, or breaks RECORD, is caught", async () => {
    const corrupt = (edit: (bytes: Uint8Array) => void): FuzzApi => ({
      ...api,
      retagWheel: async (bytes, options) => {
        const result = (await api.retagWheel(bytes, options)) as { bytes: Uint8Array | null };
        if (result.bytes !== null) {
          const copy = result.bytes.slice();
          edit(copy);
          return { ...result, bytes: copy };
        }
        return result;
      },
    });
    // The first member's last data byte (and so its CRC, and its RECORD hash).
    const flipFirstMember = (bytes: Uint8Array): void => {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
      bytes[dataStart + view.getUint32(18, true) - 1]! ^= 1;
    };
    const failures = await guaranteesBroken(corrupt(flipFirstMember));
    expect(failures.some((f) => f.guarantee === "bad-rewrite")).toBe(true);
  });

  it("a rewrite that is not stable (retag would rewrite its own output) is caught", async () => {
    const fuzzCase = await rewrittenCase();
    const failures = await guaranteesBroken(
      {
        ...api,
        retagWheel: async (bytes, options) => {
          const result = (await api.retagWheel(bytes, options)) as { action: string };
          return bytes === fuzzCase.bytes ? result : { ...result, action: "rewritten" };
        },
      },
      fuzzCase,
    );
    expect(failures.map((f) => f.guarantee)).toEqual(["unstable-rewrite"]);
  });

  it("groups failures by what broke, not by the particular input", () => {
    const a = failureSignature({ guarantee: "internal-error", where: "parseMachO(pkg/_a.so)", message: "TypeError: offset 12 is out of range" });
    const b = failureSignature({ guarantee: "internal-error", where: "parseMachO(pkg/_b.so)", message: "TypeError: offset 9000 is out of range" });
    expect(a).toBe(b);
    expect(failureSignature({ guarantee: "bad-rewrite", where: "x", message: "findings R011" })).not.toBe(
      failureSignature({ guarantee: "bad-rewrite", where: "x", message: "findings R007" }),
    );
  });
});
