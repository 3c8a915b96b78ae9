// The fuse / split fuzz cases (fuzz/fuse-cases.mjs) against the sources: mutated pairs of thin wheels
// give usage errors or valid fused wheels, and split(fuse(a, b)) gives the inputs' binaries back.
// `npm run fuzz` runs the same cases (every FUSE_EVERY-th wheel case carries one) against dist/.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFuseCase, loadSeedPool, makeFuseCase, runFuseCases, type FuzzApi } from "../../fuzz/harness.mjs";
import { api } from "../fuzz/api.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pool = loadSeedPool(ROOT);
const SEED = 0x5eed0017;
const CASES = 250;

describe("fuzz: fuse and split on mutated pairs", () => {
  it(`holds on ${CASES} cases of seed ${SEED}`, { timeout: 240_000 }, async () => {
    const broken: string[] = [];
    const summary = await runFuseCases(api, pool, {
      runSeed: SEED,
      count: CASES,
      onFailure: (fuseCase, outcome) => {
        for (const f of outcome.failures) broken.push(`case ${fuseCase.index} (${fuseCase.notes.join(",")}): ${f.guarantee} in ${f.where}: ${f.message} ${f.detail ?? ""}\n${f.stack ?? ""}`);
      },
    });
    expect(broken).toEqual([]);
    // The sample reaches every outcome: fused wheels, refused inputs, and usage errors of each kind.
    expect(summary.actions["fused"]).toBeGreaterThan(CASES / 4);
    expect(summary.actions["refused"]).toBeGreaterThan(5);
    expect(summary.actions["threw"]).toBeGreaterThan(10);
    expect(Object.keys(summary.typedErrors).sort()).toEqual(expect.arrayContaining(["fuseWheels:FuseError"]));
  });

  it("makes the same case from the same seed and index", async () => {
    const a = await makeFuseCase(api, pool, SEED, 7);
    const b = await makeFuseCase(api, pool, SEED, 7);
    expect(a.wheels.map((w) => [w.filename, Buffer.from(w.bytes).toString("base64")])).toEqual(b.wheels.map((w) => [w.filename, Buffer.from(w.bytes).toString("base64")]));
  });

  /** The first case of the seed that fuses, to sabotage. */
  async function fusedCase() {
    for (let index = 0; ; index++) {
      const fuseCase = await makeFuseCase(api, pool, SEED, index);
      const result = (await api.fuseWheels!(fuseCase.wheels, fuseCase.options).catch(() => null)) as { action: string } | null;
      if (result?.action === "fused") return fuseCase;
    }
  }

  it.each([
    ["an exception that is not a usage error", "internal-error", (): FuzzApi => ({ ...api, fuseWheels: () => Promise.reject(new TypeError("x is undefined")) })],
    [
      "a fused wheel with a broken member",
      "bad-output",
      (): FuzzApi => ({
        ...api,
        fuseWheels: async (wheels, options) => {
          const result = (await api.fuseWheels!(wheels, options)) as { bytes: Uint8Array | null };
          const bytes = result.bytes!.slice();
          bytes[60]! ^= 0xff; // inside the first member's data
          return { ...result, bytes };
        },
      }),
    ],
    [
      "a split that loses a slice",
      "bad-output",
      (): FuzzApi => ({
        ...api,
        splitWheel: async (bytes, options) => {
          const result = (await api.splitWheel!(bytes, options)) as { wheels: Array<{ arch: string; bytes: Uint8Array; filename: string }> };
          return { ...result, wheels: result.wheels.map((w) => ({ ...w, arch: w.arch === "arm64" ? "x86_64" : "arm64" })) };
        },
      }),
    ],
  ])("notices %s", async (_label, guarantee, sabotage) => {
    const outcome = await checkFuseCase(sabotage(), await fusedCase());
    expect(outcome.failures.map((f) => f.guarantee)).toContain(guarantee);
  });
});
