// `retag audit`, `retag check DIR` and `retag show DIR` through the CLI entry point, over pip / uv
// caches and an environment holding the example wheels: the reports for an x86_64 and an arm64 host,
// the eviction commands, the exit codes, and that nothing in the trees changed.
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { buildTrees, exampleBytes, fifo, removeTemporaries, snapshot, temporary, type Trees, unpack, WHEELS } from "./trees.js";

afterAll(removeTemporaries);

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`) }, env);
  return { code, stdout, stderr };
}

interface JsonEntry {
  path: string;
  form: string;
  origin: { kind: string };
  name: string;
  ok: boolean;
  hosts: Array<{ host: string; verdict: string; acceptedBy: string | null; reasons: Array<{ member: string; arch: string; problem: string }> }>;
  remedy: { action: string; command: string } | null;
}

async function auditJson(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const { code, stdout } = await run(["audit", "--format", "json", ...argv], env);
  return { code, doc: JSON.parse(stdout) as { version: number; summary: { distributions: number; failing: { [h: string]: number } }; distributions: JsonEntry[]; problems: unknown[] } };
}

let t: Trees;
beforeAll(async () => {
  t = await buildTrees();
});

describe("retag audit --host macosx_14_0_x86_64", () => {
  it("finds every distribution that would fail, with the binary, the arch, the reason and the command that evicts it", async () => {
    const env = { UV_CACHE_DIR: t.uv, PIP_CACHE_DIR: t.pip };
    const { code, doc } = await auditJson([t.root, "--host", "macosx_14_0_x86_64"], env);
    expect(code).toBe(1);
    expect(doc.version).toBe(1);
    expect(doc.summary).toMatchObject({ distributions: 9, failing: { macosx_14_0_x86_64: 7 } });
    const failing = doc.distributions
      .filter((d) => d.hosts.some((h) => h.verdict === "fails"))
      .map((d) => [d.path.slice(t.root.length + 1), d.hosts[0]?.reasons.map((r) => `${r.member} ${r.arch} ${r.problem}`), d.remedy?.command]);
    const body = t.at.pipBody;
    expect(failing).toEqual([
      [body.slice(t.root.length + 1), ["emptyslice/_ldap.cpython-313-darwin.so x86_64 no-pyinit"], `rm ${body.replace(/\.body$/, "")} ${body}`],
      [t.at.pipWheel.slice(t.root.length + 1), ["arm64only/_m.cpython-313-darwin.so x86_64 no-slice"], "pip cache remove arm64only"],
      ["uv/archive-v0/0gH-_fwv8tdJ7JwwjJsUc", ["emptyslice/_ldap.cpython-313-darwin.so x86_64 no-pyinit"], "uv cache clean emptyslice"],
      ["uv/archive-v0/x2BqY4mN7vL0pQ9rS3tUw", ["arm64only/_m.cpython-313-darwin.so x86_64 no-slice"], "uv cache clean arm64only"],
      [t.at.uvBuiltWheel.slice(t.root.length + 1), ["arm64only/_m.cpython-313-darwin.so x86_64 no-slice"], "uv cache clean arm64only"],
      ["venv/lib/python3.13/site-packages/arm64only-1.0.dist-info", ["arm64only/_m.cpython-313-darwin.so x86_64 no-slice"], "pip uninstall arm64only"],
      ["venv/lib/python3.13/site-packages/emptyslice-1.0.dist-info", ["emptyslice/_ldap.cpython-313-darwin.so x86_64 no-pyinit"], "pip uninstall emptyslice"],
    ]);
    // The correct wheel loads wherever it was found, and is named by the tag that let it in.
    const correct = doc.distributions.filter((d) => d.name === "correct");
    expect(correct.map((d) => [d.form, d.hosts[0]?.verdict, d.hosts[0]?.acceptedBy, d.remedy])).toEqual([
      ["unpacked", "loads", "macosx_10_9_universal2", null],
      ["installed", "loads", "macosx_10_9_universal2", null],
    ]);
  });

  it("says it in text, ending with the summary line", async () => {
    const { code, stdout } = await run(["audit", t.uv, "--host", "macosx_14_0_x86_64"], { UV_CACHE_DIR: t.uv });
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("4 distributions, 3 would fail on x86_64; 3 have tags that do not tell the truth");
    expect(lines).toContain(`FAILS ${t.at.uvArchive.emptyslice} (emptyslice 1.0, macosx_10_9_universal2) on x86_64`);
    expect(lines).toContain("  on x86_64: the x86_64 slice of emptyslice/_ldap.cpython-313-darwin.so does not export _PyInit__ldap: the import fails on x86_64");
    expect(lines).toContain("  evict: uv cache clean emptyslice");
    expect(lines).toContain(`  reached from ${t.at.uvLink}`);
    expect(lines).toContain("  on x86_64: arm64only/_m.cpython-313-darwin.so has no x86_64 code (its slices: arm64)");
  });

  it("a wheel file outside any cache: the fix is retag's own", async () => {
    const dir = temporary("retag-dist-");
    const wheel = join(dir, WHEELS.arm64only);
    writeFileSync(wheel, exampleBytes("arm64only"));
    const { code, stdout } = await run(["audit", dir, "--host", "macosx_14_0_x86_64"]);
    expect(code).toBe(1);
    expect(stdout).toContain(`  fix: retag fix ${wheel} (rewrites the wheel's tags to what its binaries support)`);
  });

  it("names the cache folder when it is not the one the tool would use", async () => {
    const { doc } = await auditJson([t.uv, t.pip, "--host", "macosx_14_0_x86_64"], {});
    const commands = doc.distributions.map((d) => d.remedy?.command).filter((c) => c !== undefined && !c.startsWith("rm "));
    expect(commands.sort()).toEqual(
      [`pip cache remove --cache-dir ${t.pip} arm64only`, `uv cache clean --cache-dir ${t.uv} arm64only`, `uv cache clean --cache-dir ${t.uv} arm64only`, `uv cache clean --cache-dir ${t.uv} emptyslice`].sort(),
    );
  });
});

describe("retag audit --host macosx_14_0_arm64", () => {
  it("nothing fails on arm64: exit 0 with the tags' lies still reported", async () => {
    const { code, stdout } = await run(["audit", t.root, "--host", "macosx_14_0_arm64"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("9 distributions, 0 would fail on arm64; 7 have tags that do not tell the truth");
    expect(lines.filter((l) => l.startsWith("FAILS"))).toEqual([]);
    expect(lines).toContain(`${t.at.uvArchive.emptyslice}: macosx_10_9_universal2 → macosx_11_0_arm64`);
  });

  it("both hosts at once", async () => {
    const { doc } = await auditJson([t.root, "--host", "macosx_14_0_arm64", "--host", "macosx_14_0_x86_64"]);
    expect(doc.summary.failing).toEqual({ macosx_14_0_arm64: 0, macosx_14_0_x86_64: 7 });
    const { stdout } = await run(["audit", t.root, "--host", "macosx_14_0_arm64,macosx_14_0_x86_64"]);
    expect(stdout.trim().split("\n").at(-1)).toBe("9 distributions, 0 would fail on arm64, 7 on x86_64; 7 have tags that do not tell the truth");
  });
});

describe("escapes and problems in a tree", () => {
  it("reports symlinks out of the tree and FIFOs, goes on, and exit code says what was judged", async () => {
    const trees = await buildTrees();
    const other = await buildTrees();
    symlinkSync(other.uv, join(trees.uv, "archive-v0", "elsewhere"));
    fifo(join(trees.pip, "wheels", "blocked-1.0-py3-none-any.whl"));
    const { code, stdout, stderr } = await run(["audit", trees.uv, trees.pip, "--host", "macosx_14_0_arm64"]);
    expect(code).toBe(0);
    expect(stderr).toContain(`retag: ${join(trees.uv, "archive-v0", "elsewhere")} is a symlink out of ${trees.uv}`);
    expect(stderr).toContain(`retag: ${join(trees.pip, "wheels", "blocked-1.0-py3-none-any.whl")} is not a regular file`);
    expect(stdout.trim().split("\n").at(-1)).toBe("6 distributions, 0 would fail on arm64; 5 have tags that do not tell the truth; 2 problems");
  });

  it("a path that does not exist: exit 2", async () => {
    const { code, stderr } = await run(["audit", join(t.root, "nope"), "--host", "macosx_14_0_arm64"]);
    expect(code).toBe(2);
    expect(stderr).toContain("no such file");
  });

  it.each([
    [["--host", "macosx_14_0_universal2"], /one arch/],
    [["--host", "all"], /this is not a Mac/],
  ])("%j is a usage error (exit 2)", async (flags, message) => {
    const { code, stderr } = await run(["audit", t.root, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("with no host off a Mac, judges only the tags and says how to ask for a host", async () => {
    const { code, stdout } = await run(["audit", t.sitePackages]);
    expect(code).toBe(1);
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^3 distributions; 2 have tags that do not tell the truth \(no host .*--host macosx_14_0_arm64\)$/);
  });
});

describe("read-only", () => {
  it("nothing in the trees changes: every file's bytes, size, mode and time, every link, before and after", async () => {
    const trees = await buildTrees();
    symlinkSync(t.uv, join(trees.root, "link-out"));
    const before = snapshot(trees.root);
    expect(before.size).toBeGreaterThan(60);
    await run(["audit", trees.root, "--host", "macosx_14_0_x86_64"]);
    await run(["audit", trees.root, "--host", "macosx_14_0_arm64", "--format", "json"]);
    await run(["check", trees.at.uvArchive.emptyslice]);
    await run(["show", trees.sitePackages]);
    expect(snapshot(trees.root)).toEqual(before);
  });
});

describe("retag check DIR / retag show DIR", () => {
  it("an unpacked wheel is checked as one distribution, tags from WHEEL", async () => {
    const { code, stdout } = await run(["check", t.at.uvArchive.emptyslice]);
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe(`${t.at.uvArchive.emptyslice}: macosx_10_9_universal2 → macosx_11_0_arm64`);
    expect(lines.some((l) => l.includes("R110"))).toBe(true);
    expect(lines.some((l) => /R01[05]/.test(l))).toBe(false);
  });

  it("a site-packages: each installed distribution, scripts outside it reported as R016", async () => {
    const { code, stdout } = await run(["check", "--format", "json", t.sitePackages]);
    expect(code).toBe(1);
    const results = (JSON.parse(stdout) as { results: Array<{ wheel: string; ok: boolean; findings: Array<{ code: string }> }> }).results;
    expect(results.map((r) => [r.wheel.slice(t.sitePackages.length + 1), r.ok])).toEqual([
      ["arm64only-1.0.dist-info", false],
      ["correct-1.0.dist-info", true],
      ["emptyslice-1.0.dist-info", false],
    ]);
    expect(results[1]?.findings.map((f) => f.code)).toEqual(["R016"]);
  });

  it("show lists the binaries of an unpacked wheel", async () => {
    const { code, stdout } = await run(["show", t.at.uvArchive.emptyslice]);
    expect(code).toBe(0);
    expect(stdout).toContain("emptyslice/_ldap.cpython-313-darwin.so (fat)");
    expect(stdout).toMatch(/x86_64\s+macos\s+10\.9\s+\S+\s+bundle\s+NO/);
  });

  it("a folder of wheel files stays a batch", async () => {
    const dir = temporary("retag-batch-");
    await unpack("correct", join(dir, "not-at-the-top"));
    const { code, stderr } = await run(["check", dir]);
    expect(code).toBe(2);
    expect(stderr).toContain("no *.whl file in this directory");
    const { code: ok, stdout } = await run(["check", join(t.pip, "wheels", ...t.at.pipWheel.slice(join(t.pip, "wheels").length + 1).split("/").slice(0, 4))]);
    expect(ok).toBe(1);
    expect(stdout).toContain(WHEELS.arm64only);
  });
});
