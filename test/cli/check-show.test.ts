// `retag check` and `retag show` through the CLI entry point: output formats, exit codes, and that
// check writes nothing.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { fixturePath } from "../helpers/fixtures.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "retag-check-"));
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => void (stdout += `${s}\n`), stderr: (s) => void (stderr += `${s}\n`) }, env);
  return { code, stdout, stderr };
}

async function put(spec: WheelSpec): Promise<string> {
  const path = join(dir, spec.filename);
  writeFileSync(path, (await makeWheel(spec)).bytes);
  return path;
}

const wrong: WheelSpec = {
  filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "pkg/_ldap.cpython-313-darwin.so": { fixture: "ext_universal2_x86_64_noinit.so" } },
};
const right: WheelSpec = {
  filename: "ok-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: { "ok/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" } },
};

describe("retag check", () => {
  it("prints one line per wheel, then one per finding naming the member and arch; exit 1; writes nothing", async () => {
    const bad = await put(wrong);
    const good = await put(right);
    const { code, stdout } = await run(["check", dir]);
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines).toContain(`${bad}: macosx_10_9_universal2 → macosx_11_0_arm64`);
    expect(lines).toContain(`${good}: OK (macosx_10_9_universal2)`);
    const r110 = lines.find((l) => l.includes("R110"));
    expect(r110).toMatch(/x86_64 slice of pkg\/_ldap\.cpython-313-darwin\.so does not export _PyInit__ldap/);
    expect(lines.find((l) => l.includes("R201"))).toMatch(/promises x86_64/);
    expect(readdirSync(dir).sort()).toEqual([wrong.filename, right.filename].sort());
  });

  it("exits 0 when every wheel is fine, and --verbose adds the slice table", async () => {
    const good = await put(right);
    const { code, stdout } = await run(["check", "--verbose", good]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/x86_64\s+macos\s+10\.9\s+14\.0\s+bundle\s+yes/);
    expect(stdout).toMatch(/arm64\s+macos\s+11\.0\s+14\.0\s+bundle\s+yes/);
  });

  it("--format json gives the documented document", async () => {
    await put(wrong);
    const { code, stdout } = await run(["check", "--format", "json", dir]);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.version).toBe(1);
    const [r] = doc.results;
    expect(r.ok).toBe(false);
    expect(r.tags).toMatchObject({ current: ["macosx_10_9_universal2"], expected: ["macosx_11_0_arm64"] });
    expect(r.findings.map((f: { code: string }) => f.code).sort()).toEqual(["R110", "R201"]);
    expect(r.findings.find((f: { code: string }) => f.code === "R110")).toMatchObject({
      severity: "warning",
      member: "pkg/_ldap.cpython-313-darwin.so",
      arch: "x86_64",
    });
    // Version 1: fields are only added (format, images, module, initSymbol), so the old ones must match.
    expect(r.binaries).toMatchObject([
      {
        member: "pkg/_ldap.cpython-313-darwin.so",
        container: "fat",
        error: null,
        slices: [
          { arch: "x86_64", cputype: 16777223, cpusubtype: 3, filetype: "bundle", platform: "macos", minos: "10.9", sdk: "14.0", pyinit: false },
          { arch: "arm64", cputype: 16777228, cpusubtype: 0, filetype: "bundle", platform: "macos", minos: "11.0", sdk: "14.0", pyinit: true },
        ],
      },
    ]);
  });

  it("--format github prints one annotation for the wrong tag, then one per finding", async () => {
    const bad = await put(wrong);
    const { stdout } = await run(["check", "--format", "github", bad]);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error file=.*\.whl,title=retag%3A the platform tag should be macosx_11_0_arm64::.* it should be pkg-1\.0-cp313-cp313-macosx_11_0_arm64\.whl/);
    expect(lines.find((l) => l.includes("R201"))).toMatch(/^::error file=.*\.whl,title=R201 unsupported-arch::/);
    expect(lines.find((l) => l.startsWith("::warning "))).toMatch(/title=R110 slice-without-pyinit::/);
  });

  it("--ignore and --strict change what fails", async () => {
    const bad = await put(wrong);
    expect((await run(["check", "--ignore", "R2", bad])).code).toBe(0);
    expect((await run(["check", "--ignore", "R2", "--strict", bad])).code).toBe(1);
    expect((await run(["check", "--ignore", "R2,R110", "--strict", bad])).code).toBe(0);
  });

  it("reads MACOSX_DEPLOYMENT_TARGET, and --macos-target overrides it", async () => {
    const path = await put({ filename: "t-1.0-cp313-cp313-macosx_10_13_x86_64.whl", members: { "t/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.13.so" } } });
    const fromEnv = await run(["check", "--format", "json", path], { MACOSX_DEPLOYMENT_TARGET: "10.9" });
    expect(JSON.parse(fromEnv.stdout).results[0].findings.map((f: { code: string }) => f.code)).toContain("R108");
    expect(fromEnv.code).toBe(1);
    const flag = await run(["check", "--macos-target", "10.13", path], { MACOSX_DEPLOYMENT_TARGET: "10.9" });
    expect(flag.code).toBe(0);
    expect((await run(["check", "--macos-target", "banana", path])).code).toBe(2);
  });

  it("--require-archs universal2 fails a thin binary", async () => {
    const path = await put({ filename: "t-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "t/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } });
    expect((await run(["check", path])).code).toBe(0);
    const { code, stdout } = await run(["check", "--require-archs", "universal2", path]);
    expect(code).toBe(1);
    expect(stdout).toContain("R109");
  });

  it("goes on after an unreadable input and exits 2", async () => {
    const good = await put(right);
    const notZip = join(dir, "broken-1.0-py3-none-any.whl");
    writeFileSync(notZip, "this is not a zip");
    const { code, stdout, stderr } = await run(["check", join(dir, "nope.whl"), notZip, good]);
    expect(code).toBe(2);
    expect(stderr).toContain("no such file");
    expect(stdout).toContain("R001");
    expect(stdout).toContain(`${good}: OK`);
  });
});

describe("retag show", () => {
  it("lists a plain Mach-O file's slices as JSON", async () => {
    const { code, stdout } = await run(["show", "--format", "json", fixturePath("ext_arm64e_x86_64h.so")]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.version).toBe(1);
    const [file] = doc.files;
    expect(file.binaries).toHaveLength(1);
    expect(file.binaries[0].member).toBeNull();
    expect(file.binaries[0].container).toBe("fat");
    expect(file.binaries[0].slices.map((s: { arch: string; cpusubtype: number }) => [s.arch, s.cpusubtype])).toEqual([
      ["x86_64h", 8],
      ["arm64e", 0x80000002],
    ]);
    // Named like an extension module (`ext_arm64e_x86_64h`), and it exports no PyInit of that name.
    expect(file.binaries[0].slices.map((s: { pyinit: unknown }) => s.pyinit)).toEqual([false, false]);
    const dylib = JSON.parse((await run(["show", "--format", "json", fixturePath("lib_rpath_arm64.dylib")])).stdout);
    expect(dylib.files[0].binaries[0].slices[0]).toMatchObject({ arch: "arm64", filetype: "dylib", pyinit: null });
  });

  it("lists every Mach-O member of a wheel, with the PyInit export", async () => {
    const path = await put({
      filename: "s-1.0-cp313-cp313-macosx_11_0_arm64.whl",
      members: {
        "s/__init__.py": "",
        "s/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" },
        "s/.dylibs/libfoo.dylib": { fixture: "lib_rpath_arm64.dylib" },
        "s/libm.a": { fixture: "archive_arm64.a" },
      },
    });
    const { code, stdout } = await run(["show", path]);
    expect(code).toBe(0);
    expect(stdout).toContain("s/_m.cpython-313-darwin.so (thin)");
    expect(stdout).toMatch(/arm64\s+macos\s+11\.0\s+14\.0\s+bundle\s+NO/);
    expect(stdout).toContain("s/.dylibs/libfoo.dylib (thin)");
    expect(stdout).toContain("s/libm.a (archive)");
    expect(stdout).not.toContain("__init__.py");
  });

  it("reports a file that is neither Mach-O nor a wheel, and exits 2", async () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "hello");
    const { code, stderr } = await run(["show", path]);
    expect(code).toBe(2);
    expect(stderr).toContain("not a Mach-O file or a wheel");
  });
});

describe("--help and --version", () => {
  it.each([
    [["--help"], ["retag [fix] [options] WHEEL|GLOB|DIR", "retag check", "retag show"]],
    [["check", "--help"], ["retag check dist/*.whl", "--format", "--ignore", "--require-archs"]],
    [["fix", "--help"], ["retag -w wheelhouse {wheel}", "--wheel-dir", "--dry-run", "--force"]],
    [["show", "--help"], ["retag show --format json"]],
  ])("%j shows usage with examples", async (argv, wanted) => {
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    for (const w of wanted) expect(stdout).toContain(w);
  });

  it("prints the package version", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
