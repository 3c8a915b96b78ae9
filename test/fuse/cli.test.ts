// `retag fuse` and `retag split` through the real CLI: spawned `node bin/retag.js` (the built dist/)
// and in-process main(). Written atomically, never over a different file without --force, never over
// an input, inputs untouched, --dry-run writes nothing, text and JSON reports, exit codes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, requireFreshBuild } from "../cli/spawn.js";
import { main } from "../../src/cli/main.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { ARM64_WHEEL, EXTENSION, FUSED_WHEEL, fuseBytes, thinBuild, thinPair, X86_64_WHEEL } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "retag-fuse-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// bin/ runs the build: one older than src/ would test old code.
beforeAll(requireFreshBuild);

let dirs = 0;
/** A fresh folder holding the two thin wheels. */
async function workspace(wheels?: Array<{ filename: string; bytes: Uint8Array }>): Promise<{ dir: string; paths: string[] }> {
  const dir = join(tmp, `w${dirs++}`);
  mkdirSync(dir, { recursive: true });
  const paths = [];
  for (const w of wheels ?? (await thinPair())) {
    writeFileSync(join(dir, w.filename), w.bytes);
    paths.push(join(dir, w.filename));
  }
  return { dir, paths };
}

function retag(args: string[], cwd = tmp) {
  const env = { ...process.env };
  delete env.MACOSX_DEPLOYMENT_TARGET;
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8" });
}

async function inProcess(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { stdout: (s) => stdout.push(s), stderr: (s) => stderr.push(s) }, {});
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** Every input's bytes and modification time, to show nothing touched them. */
function snapshot(paths: string[]) {
  return paths.map((p) => ({ bytes: readFileSync(p), mtime: statSync(p).mtimeMs }));
}

describe("retag fuse", () => {
  it("writes the fused wheel into -w DIR, the flow's bytes, and leaves the inputs and no temporaries", async () => {
    const { dir, paths } = await workspace();
    const before = snapshot(paths);
    const out = join(dir, "out");
    const run = retag(["fuse", "-w", out, ...paths]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`→ ${join(out, FUSED_WHEEL)}`);
    expect(run.stdout).toContain(`fused ${EXTENSION} (x86_64, arm64)`);
    expect(readdirSync(out)).toEqual([FUSED_WHEEL]);
    const expected = await fuseBytes(paths.map((p, i) => ({ filename: p, bytes: new Uint8Array(before[i]!.bytes) })));
    expect(readFileSync(join(out, FUSED_WHEEL)).equals(Buffer.from(expected.bytes!))).toBe(true);
    expect(snapshot(paths)).toEqual(before);
    // Again: the same bytes are there, so nothing is written.
    const again = retag(["fuse", "-w", out, ...paths]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("already there:");
    const check = retag(["check", join(out, FUSED_WHEEL)]);
    expect(check.status, check.stdout).toBe(0);
  });

  it("writes next to the first input by default", async () => {
    const { dir, paths } = await workspace();
    const run = retag(["fuse", ...paths]);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([FUSED_WHEEL, ARM64_WHEEL, X86_64_WHEEL].sort());
  });

  it("never replaces a different file without --force", async () => {
    const { dir, paths } = await workspace();
    const target = join(dir, FUSED_WHEEL);
    writeFileSync(target, "something else");
    const refused = retag(["fuse", ...paths]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/already exists \(use --force to replace it\)/);
    expect(readFileSync(target, "utf8")).toBe("something else");
    const forced = retag(["fuse", "--force", ...paths]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(target).subarray(0, 2).toString()).toBe("PK");
    expect(readdirSync(dir).filter((n) => n.startsWith(".retag-tmp-"))).toEqual([]);
  });

  it("--dry-run says what it would write and writes nothing", async () => {
    const { dir, paths } = await workspace();
    const run = retag(["fuse", "--dry-run", "-w", join(dir, "out"), ...paths]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`would write ${join(dir, "out", FUSED_WHEEL)}`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("--format json reports the inputs, the output and every fused binary", async () => {
    const { dir, paths } = await workspace();
    const run = retag(["fuse", "--format", "json", "-w", join(dir, "out"), ...paths]);
    expect(run.status, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      version: 1,
      action: "fused",
      ok: true,
      written: true,
      output: join(dir, "out", FUSED_WHEEL),
      tags: ["macosx_10_9_universal2"],
      copied: 3,
      error: null,
    });
    expect(doc.inputs.map((i: { wheel: string; ok: boolean }) => [i.wheel, i.ok])).toEqual(paths.map((p) => [p, true]));
    expect(doc.fused.map((f: { member: string; archs: string[]; container: string }) => [f.member, f.archs, f.container])).toEqual([
      [EXTENSION, ["x86_64", "arm64"], "fat"],
      ["pkg/.dylibs/libfoo.dylib", ["x86_64", "arm64"], "fat"],
    ]);
  });

  it("inputs that differ: exit 2, every difference named (text on stderr, JSON on stdout)", async () => {
    const a = await makeWheel({ filename: ARM64_WHEEL, members: thinBuild("arm64", { "pkg/_version.py": "commit = 'abc'\n" }).members });
    const b = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64", { "pkg/_version.py": "commit = 'def'\n" }).members });
    const { dir, paths } = await workspace([a, b]);
    const text = retag(["fuse", ...paths]);
    expect(text.status).toBe(2);
    expect(text.stderr).toContain(`pkg/_version.py: line 1: "commit = 'abc'" in ${ARM64_WHEEL}, "commit = 'def'" in ${X86_64_WHEEL}`);
    const json = JSON.parse(retag(["fuse", "--format", "json", ...paths]).stdout);
    expect(json.action).toBe("error");
    expect(json.error.problem).toBe("members");
    expect(json.error.members.map((m: { member: string }) => m.member)).toEqual(["pkg/_version.py"]);
    const preferred = retag(["fuse", "--prefer", "x86_64", ...paths]);
    expect(preferred.status, preferred.stderr).toBe(0);
    expect(preferred.stdout).toContain(`took pkg/_version.py from ${X86_64_WHEEL} (--prefer)`);
    expect(readdirSync(dir)).toContain(FUSED_WHEEL);
  });

  it("an input with errors: exit 1, nothing written, its findings shown", async () => {
    const broken = await makeWheel({ filename: X86_64_WHEEL, members: thinBuild("x86_64").members, record: (rows) => rows.map((r) => (r[0] === "pkg/__init__.py" ? [r[0]!, r[1]!, "1"] : r)) });
    const { dir, paths } = await workspace([(await thinPair())[0]!, broken]);
    const run = retag(["fuse", ...paths]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/not fused/);
    expect(run.stdout).toMatch(/error R007 record-mismatch/);
    expect(readdirSync(dir).sort()).toEqual([ARM64_WHEEL, X86_64_WHEEL].sort());
  });

  it("in-process main() gives the same exit codes and reports", async () => {
    const { dir, paths } = await workspace();
    const ok = await inProcess(["fuse", "-w", join(dir, "out"), ...paths]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`→ ${join(dir, "out", FUSED_WHEEL)}`);
    const one = await inProcess(["fuse", paths[0]!]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/fuse needs two or more wheels/);
    const missing = await inProcess(["fuse", paths[0]!, join(dir, "nope.whl")]);
    expect(missing.code).toBe(2);
    const help = await inProcess(["--help"]);
    expect(help.stdout).toMatch(/retag fuse <wheels\.\.>/);
    expect(help.stdout).toMatch(/retag split <wheels\.\.>/);
  });
});

describe("retag split", () => {
  it("writes one thin wheel per arch into -w DIR", async () => {
    const { dir, paths } = await workspace();
    const fused = join(dir, "fused");
    expect(retag(["fuse", "-w", fused, ...paths]).status).toBe(0);
    const out = join(dir, "split");
    const run = retag(["split", "-w", out, join(fused, FUSED_WHEEL)]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`arm64: → ${join(out, ARM64_WHEEL)}`);
    expect(readdirSync(out).sort()).toEqual([ARM64_WHEEL, X86_64_WHEEL].sort());
    const json = JSON.parse(retag(["split", "--format", "json", "--dry-run", "-w", out, join(fused, FUSED_WHEEL)]).stdout);
    expect(json.results[0].outputs.map((o: { arch: string; filename: string; written: boolean }) => [o.arch, o.filename, o.written])).toEqual([
      ["arm64", ARM64_WHEEL, false],
      ["x86_64", X86_64_WHEEL, false],
    ]);
  });

  it("an arch with no valid wheel: exit 1, the others written, the reason shown", async () => {
    const wheel = await makeWheel({ filename: FUSED_WHEEL, members: { "pkg/_ldap.cpython-313-darwin.so": { fixture: "ext_universal2_x86_64_noinit.so" } } });
    const { dir, paths } = await workspace([wheel]);
    const run = retag(["split", "-w", join(dir, "out"), ...paths]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/x86_64: no valid wheel/);
    expect(run.stdout).toMatch(/R102 missing-pyinit/);
    expect(readdirSync(join(dir, "out"))).toEqual([ARM64_WHEEL]);
  });

  it("never writes over its input: a thin wheel split into its own folder is already there", async () => {
    const thin = (await thinPair())[0]!;
    const { paths } = await workspace([thin]);
    const before = snapshot(paths);
    const run = retag(["split", ...paths]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`arm64: already there: ${paths[0]}`);
    expect(snapshot(paths)).toEqual(before);
  });

  it("a misspelt --arch is a usage error", async () => {
    const { paths } = await workspace();
    const run = retag(["split", "--arch", "amd64", paths[0]!]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/"amd64" is not a macOS architecture/);
  });
});
