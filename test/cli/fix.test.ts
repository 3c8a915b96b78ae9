// Fix mode end to end through the CLI entry point: what lands where, what is left alone, and what
// an independent reader (Python's zipfile) sees in the output.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { fixturePath } from "../helpers/fixtures.js";
import { retagBytes } from "../helpers/core.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";
import { hasPython, pythonListing, pythonVerifyRecord, pythonWheel } from "../helpers/python-zip.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "retag-fix-"));
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`) }, {});
  return { code, stdout, stderr };
}

async function put(spec: WheelSpec, folder = dir): Promise<string> {
  const path = join(folder, spec.filename);
  writeFileSync(path, (await makeWheel(spec)).bytes);
  return path;
}

const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

const wrong: WheelSpec = {
  filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "pkg/__init__.py": "", "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } },
};
const right: WheelSpec = {
  filename: "ok-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "ok/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" } },
};
const fixedName = "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";

describe("retag fix, in place", () => {
  it("replaces a wrong wheel by exactly one renamed wheel and leaves a correct one untouched", async () => {
    const bad = await put(wrong);
    const good = await put(right);
    const before = { sha: sha(good), mtime: statSync(good).mtimeMs };
    const { code, stdout } = await run(bad, good);
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([fixedName, right.filename].sort());
    expect(stdout).toContain(`→ ${join(dir, fixedName)}`);
    expect(stdout).toContain("unchanged");
    expect({ sha: sha(good), mtime: statSync(good).mtimeMs }).toEqual(before);
    const again = await run("check", join(dir, fixedName));
    expect(again.code).toBe(0);
  });

  it("rewrites WHEEL under the same name when only its Tag lines disagree with the file name", async () => {
    const path = await put({ ...right, tags: ["cp313-cp313-macosx_11_0_arm64"] });
    const { code } = await run(path);
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([right.filename]);
    expect((await run("check", path)).code).toBe(0);
  });

  it("is a no-op when run twice", async () => {
    await put(wrong);
    await run(dir);
    const first = sha(join(dir, fixedName));
    const { code, stdout } = await run(dir);
    expect(code).toBe(0);
    expect(stdout).toContain("unchanged");
    expect(sha(join(dir, fixedName))).toBe(first);
  });
});

describe("retag fix -w DIR (cibuildwheel's repair-wheel-command)", () => {
  it("writes exactly one wheel per input and leaves the inputs alone", async () => {
    const bad = await put(wrong);
    const good = await put(right);
    const before = [sha(bad), sha(good)];
    const out = join(dir, "wheelhouse");
    const { code } = await run("-w", out, bad, good);
    expect(code).toBe(0);
    expect([sha(bad), sha(good)]).toEqual(before);
    expect(readdirSync(out).sort()).toEqual([fixedName, right.filename].sort());
    expect(sha(join(out, right.filename))).toBe(before[1]); // copied as is
  });

  it("never overwrites a different existing file without --force", async () => {
    const bad = await put(wrong);
    const out = join(dir, "wheelhouse");
    await run("-w", out, bad);
    writeFileSync(join(out, fixedName), "something else");
    const refused = await run("-w", out, bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`retag: ${bad}: not written: ${join(out, fixedName)} already exists (use --force to replace it)`);
    expect(readFileSync(join(out, fixedName), "utf8")).toBe("something else");
    expect(readdirSync(out)).toEqual([fixedName]); // no temporary left behind
    const forced = await run("-w", out, "--force", bad);
    expect(forced.code).toBe(0);
    expect((await run("check", join(out, fixedName))).code).toBe(0);
  });

  it("writes nothing with --dry-run", async () => {
    const bad = await put(wrong);
    const { code, stdout } = await run("--dry-run", "-w", join(dir, "out"), bad);
    expect(code).toBe(0);
    expect(stdout).toContain(fixedName);
    expect(readdirSync(dir)).toEqual([wrong.filename]);
  });
});

describe("refusals leave the input byte-identical and write nothing", () => {
  const cases: Array<[string, WheelSpec, string[]]> = [
    [
      "a RECORD hash that does not match",
      { ...wrong, record: (rows) => rows.map((r) => (r[0] === "pkg/__init__.py" ? [r[0], "sha256=AAAA", r[2] ?? ""] : r)) },
      [],
    ],
    ["a corrupt Mach-O", { ...wrong, members: { "pkg/_m.cpython-313-darwin.so": new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 1, 2]) } }, []],
    ["an extension for another Python", { ...wrong, members: { "pkg/_m.cpython-312-darwin.so": { fixture: "ext_arm64_11.0.so" } } }, []],
  ];
  it.each(cases)("%s", async (_label, spec) => {
    const path = await put(spec);
    const before = sha(path);
    for (const args of [[path], ["-w", join(dir, "out"), path]]) {
      const { code, stdout } = await run(...args);
      expect(code).toBe(1);
      expect(stdout).toContain("error");
      expect(sha(path)).toBe(before);
      expect(readdirSync(dir).filter((n) => n !== "out")).toEqual([spec.filename]);
    }
    expect(readdirSync(dir).includes("out") ? readdirSync(join(dir, "out")) : []).toEqual([]);
  });

  it("--rehash rewrites a wrong RECORD instead of refusing", async () => {
    const path = await put({ ...wrong, record: (rows) => rows.map((r) => (r[0] === "pkg/__init__.py" ? [r[0], "sha256=AAAA", "0"] : r)) });
    const { code } = await run("--rehash", path);
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([fixedName]);
    expect((await run("check", join(dir, fixedName))).code).toBe(0);
  });
});

describe("the output as Python's zipfile reads it", () => {
  it.skipIf(!hasPython)("keeps every other member's bytes, name, order, timestamp and permissions", async () => {
    const input = join(dir, "native-2.0-1-cp313-cp313-macosx_10_9_universal2.whl");
    pythonWheel(input, "native-2.0-1-cp313-cp313-macosx_10_9_universal2.whl", {
      "native/_ldap.cpython-313-darwin.so": fixturePath("ext_universal2_x86_64_noinit.so"),
      "native/_m.cpython-313-darwin.so": fixturePath("ext_arm64_12.0.so"),
    });
    const out = join(dir, "out");
    const { code, stdout } = await run("-w", out, input);
    expect(stdout).toContain("macosx_12_0_arm64");
    expect(code).toBe(0);
    const output = join(out, "native-2.0-1-cp313-cp313-macosx_12_0_arm64.whl");
    const before = pythonListing(input);
    const after = pythonListing(output);
    expect(after.map((m) => m.name)).toEqual(before.map((m) => m.name));
    for (const [i, m] of after.entries()) {
      const o = before[i]!;
      expect({ ...m, sha256: "", size: 0 }).toEqual({ ...o, sha256: "", size: 0 });
      if (!m.name.endsWith("/WHEEL") && !m.name.endsWith("/RECORD")) expect(m.sha256).toBe(o.sha256);
    }
    expect(pythonVerifyRecord(output)).toEqual([]);
  });
});

describe("exit codes and output formats", () => {
  it("exits 2 for a missing file and a glob that matches nothing, and then writes nothing at all", async () => {
    const bad = await put(wrong);
    const { code, stderr } = await run(join(dir, "missing.whl"), join(dir, "*.nothing"), bad);
    expect(code).toBe(2);
    expect(stderr).toContain(`retag: ${join(dir, "missing.whl")}: no such file`);
    expect(stderr).toContain(`retag: ${join(dir, "*.nothing")}: no file matches this pattern`);
    expect(stderr).toContain("nothing was written");
    expect(readdirSync(dir)).toEqual([wrong.filename]);
  });

  it("prints a JSON document with the output path of each wheel", async () => {
    const bad = await put(wrong);
    const { code, stdout } = await run("--format", "json", bad);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { version: number; results: Array<{ action: string; output: string; tags: { expected: string[] }; fixed: Array<{ code: string }> }> };
    expect(doc.version).toBe(1);
    expect(doc.results[0]?.action).toBe("rewritten");
    expect(doc.results[0]?.output).toBe(join(dir, fixedName));
    expect(doc.results[0]?.tags.expected).toEqual(["macosx_11_0_arm64"]);
    expect(doc.results[0]?.fixed.map((f) => f.code)).toEqual(["R201"]);
  });

  it("exits 2 with a message, not a stack trace, for a usage error", async () => {
    const { code, stderr } = await run("check", "--format", "yaml", "x.whl");
    expect(code).toBe(2);
    expect(stderr).toMatch(/^retag: [\s\S]*format/i);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a large rewrite copies the input's prefix in the kernel", () => {
  // 6 MiB of incompressible data before the .dist-info: the output's first part is a range of the
  // input above the kernel-copy threshold (src/node/write.ts), so it is copied by copyFile and cut.
  const large: WheelSpec = {
    filename: "big-1.0-cp313-cp313-macosx_10_9_universal2.whl",
    members: {
      "big/data.bin": new Uint8Array(randomBytes(6 * 1024 * 1024)),
      "big/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" },
    },
  };

  it.each([["-w", true], ["in place", false]])("%s: the same bytes as the rewrite in memory, with the mode a fresh file gets", async (_how, toFolder) => {
    const wheel = await makeWheel(large);
    const input = await put(large);
    const expected = await retagBytes(large.filename, wheel.bytes);
    const out = join(dir, "out");
    const r = toFolder ? await run("fix", "-w", out, input) : await run("fix", input);
    expect(r.code, r.stderr).toBe(0);
    const written = join(toFolder ? out : dir, "big-1.0-cp313-cp313-macosx_11_0_arm64.whl");
    expect(sha(written)).toBe(createHash("sha256").update(expected.bytes!).digest("hex"));
    // A fresh file's mode (0644 under the usual umask), not the input's.
    const fresh = join(dir, "fresh");
    writeFileSync(fresh, "");
    expect(statSync(written).mode & 0o777).toBe(statSync(fresh).mode & 0o777);
  });
});

describe("fix -w into an existing folder copies a large input there while checking it", () => {
  // src/node/early-copy.ts: the copy is the writer's start when it is used, and removed when not.
  const large: WheelSpec = {
    filename: "big-1.0-cp313-cp313-macosx_10_9_universal2.whl",
    members: {
      "big/data.bin": new Uint8Array(randomBytes(6 * 1024 * 1024)),
      "big/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" },
    },
  };
  const correct: WheelSpec = { ...large, filename: "big-1.0-cp313-cp313-macosx_11_0_arm64.whl" };
  // RECORD's digest of data.bin is wrong: an error fix does not repair (without --rehash), so nothing is written.
  const broken: WheelSpec = {
    ...large,
    record: (rows) => rows.map((r) => (r[0] === "big/data.bin" ? [r[0], "sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", r[2] ?? ""] : r)),
  };
  const fixedName = "big-1.0-cp313-cp313-macosx_11_0_arm64.whl";

  it.each([
    ["a rewrite", large, 0, (bytes: Uint8Array) => retagBytes(large.filename, bytes).then((r) => r.bytes!)],
    ["a correct wheel (copied unchanged)", correct, 0, (bytes: Uint8Array) => Promise.resolve(bytes)],
  ] as const)("%s: the bytes expected, the mode a fresh file gets, no temporary left", async (_label, spec, expectedCode, expected) => {
    const wheel = await makeWheel(spec);
    const input = await put(spec);
    const out = join(dir, "out");
    mkdirSync(out);
    const r = await run("fix", "-w", out, input);
    expect(r.code, r.stderr).toBe(expectedCode);
    expect(readdirSync(out)).toEqual([fixedName]);
    expect(sha(join(out, fixedName))).toBe(createHash("sha256").update(await expected(wheel.bytes)).digest("hex"));
    const fresh = join(dir, "fresh");
    writeFileSync(fresh, "");
    expect(statSync(join(out, fixedName)).mode & 0o777).toBe(statSync(fresh).mode & 0o777);
    expect(sha(input)).toBe(createHash("sha256").update(wheel.bytes).digest("hex"));
  });

  it.each([
    ["a refused wheel", broken, [] as string[], 1],
    ["--dry-run", large, [] as string[], 0],
    ["a different file already at the target (no --force)", large, ["keep me"], 1],
  ] as const)("%s: the folder holds what it held before, and no temporary", async (label, spec, before, code) => {
    const input = await put(spec);
    const out = join(dir, "out");
    mkdirSync(out);
    for (const text of before) writeFileSync(join(out, fixedName), text);
    const r = label === "--dry-run" ? await run("fix", "--dry-run", "-w", out, input) : await run("fix", "-w", out, input);
    expect(r.code, r.stderr).toBe(code);
    expect(readdirSync(out)).toEqual(before.length === 0 ? [] : [fixedName]);
    for (const text of before) expect(readFileSync(join(out, fixedName), "utf8")).toBe(text);
  });
});
