// Issue 10, "say what is wrong and what to do", through the real CLI: validated --ignore values,
// the summary lines, quiet mode, GitHub annotations and the job summary (escaped against injection),
// findings that name the binary and the requirement's origin, one shape for errors, `retag explain`,
// skipped non-wheels, where [tool.retag] is found, and help without yargs noise.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FINDINGS } from "../../src/model/findings.js";
import { BROKEN, putWheel, repoRoot, requireFreshBuild, retag, RIGHT, tempDir, WRONG, WRONG_FIXED } from "./spawn.js";

beforeAll(requireFreshBuild);

async function dist(...specs: Array<typeof WRONG>): Promise<string> {
  const dir = tempDir("msg");
  for (const s of specs) await putWheel(dir, s);
  return dir;
}

/** Two extension modules for x86_64 at different minimums, in a wheel tagged for 10.9. */
const TOO_OLD = {
  filename: "t-1.0-cp313-cp313-macosx_10_9_x86_64.whl",
  members: { "t/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.9.so" }, "t/sub/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.14.so" } },
};

describe("--ignore accepts codes, prefixes and names only", () => {
  it.each([
    ["R2O1", `retag: --ignore: "R2O1" is not a finding code, prefix or name — did you mean R201? (retag explain lists the codes)`],
    ["unsuported-arch", `retag: --ignore: "unsuported-arch" is not a finding code, prefix or name — did you mean unsupported-arch? (retag explain lists the codes)`],
    ["R", `retag: --ignore: "R" would ignore every finding: a prefix needs a digit (R0, R1, R2, R3) (retag explain lists the codes)`],
    ["R9", `retag: --ignore: "R9" is not a finding code, prefix or name (retag explain lists the codes)`],
    ["R2,.whl", `retag: --ignore: ".whl" is not a finding code, prefix or name (retag explain lists the codes)`],
  ])("--ignore %s is exit 2", async (value, message) => {
    const dir = await dist(WRONG);
    const r = retag(["check", "--ignore", value, dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(message);
  });

  it.each(["R2", "r2", "R201", "unsupported-arch", "R20,R1"])("--ignore %s is taken", async (value) => {
    const dir = await dist(WRONG);
    expect(retag(["check", "--ignore", value, dir]).status).toBe(0);
  });

  it("[tool.retag] ignore is held to the same rule, naming the file", async () => {
    const dir = await dist(WRONG);
    writeFileSync(join(dir, "pyproject.toml"), '[tool.retag]\nignore = ["R2O1"]\n');
    const r = retag(["check", "."], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`retag: ${join(dir, "pyproject.toml")} [tool.retag] ignore: "R2O1" is not a finding code, prefix or name — did you mean R201?`);
  });
});

describe("the summary line, and quiet mode", () => {
  it("check ends with `N wheels: A ok, B wrong (C fixable: run …)`, naming the shell's dist/*.whl back", async () => {
    const dir = await dist(WRONG, RIGHT, { ...WRONG, filename: "two-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: { "two/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } });
    mkdirSync(join(dir, "p"));
    const r = retag(["check", ...["ok", "pkg", "two"].map((n) => join(dir, `${n}-1.0-cp313-cp313-macosx_10_9_universal2.whl`))]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(`3 wheels: 1 ok, 2 wrong (2 fixable: run retag ${dir}/*.whl)`);
    const flagged = retag(["check", "--macos-target", "11.0", join(dir, WRONG.filename)]);
    expect(flagged.stdout.trimEnd().split("\n").at(-1)).toBe(`1 wheel: 0 ok, 1 wrong (1 fixable: run retag --macos-target 11.0 ${join(dir, WRONG.filename)})`);
  });

  it("an error fix mode cannot repair is wrong but not fixable, and an unreadable input is counted", async () => {
    const dir = await dist(BROKEN, RIGHT);
    const r = retag(["check", join(dir, BROKEN.filename), join(dir, RIGHT.filename), join(dir, "gone-1.0-py3-none-any.whl")]);
    expect(r.status).toBe(2);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("3 wheels: 1 ok, 1 wrong, 1 could not be read");
  });

  it("fix ends with `N rewritten, N unchanged, N failed`; -q prints only problems", async () => {
    const dir = await dist(WRONG, RIGHT, BROKEN);
    const r = retag([dir]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 rewritten, 1 unchanged, 1 failed");
    const again = await dist(WRONG, RIGHT, BROKEN);
    const quiet = retag(["-q", again]);
    const [head, ...rest] = quiet.stdout.trimEnd().split("\n");
    expect(head).toBe(`${join(again, BROKEN.filename)}: not rewritten: errors remain`);
    expect(rest.length).toBeGreaterThan(0);
    for (const line of rest) expect(line).toMatch(/^ {2}error R/); // its findings, nothing about the others, no summary
    const clean = await dist(WRONG, RIGHT);
    const silent = retag(["-q", clean]);
    expect([silent.status, silent.stdout, silent.stderr]).toEqual([0, "", ""]);
  });
});

describe("--format github", () => {
  it("check: the expected tag and file name for each wrong wheel, a Markdown job summary", async () => {
    const dir = await dist(WRONG, RIGHT);
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const r = retag(["check", "--format", "github", join(dir, WRONG.filename), join(dir, RIGHT.filename)], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    const [first] = r.stdout.split("\n");
    expect(first).toBe(
      `::error file=${join(dir, WRONG.filename)},title=retag%3A the platform tag should be macosx_11_0_arm64::${join(dir, WRONG.filename)} is tagged macosx_10_9_universal2; its binaries support macosx_11_0_arm64: it should be ${WRONG_FIXED} (run retag ${join(dir, WRONG.filename)})`,
    );
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("earlier step\n")).toBe(true);
    expect(md).toContain("| wheel | current tag | expected tag | findings |\n|---|---|---|---|\n");
    expect(md).toContain(`| ${join(dir, WRONG.filename)} | macosx_10_9_universal2 | macosx_11_0_arm64 | R201 |`);
    expect(md).toContain(`| ${join(dir, RIGHT.filename)} | macosx_10_9_universal2 | macosx_10_9_universal2 (unchanged) | none |`);
    expect(md).toContain("2 wheels: 1 ok, 1 wrong (1 fixable:");
  });

  it("fix: each rename is a ::notice; a wheel not written is an ::error", async () => {
    const dir = await dist(WRONG, RIGHT);
    const r = retag(["--format", "github", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      `::notice file=${join(dir, WRONG.filename)},title=retag%3A retagged::${join(dir, WRONG.filename)} → ${join(dir, WRONG_FIXED)} (macosx_10_9_universal2 → macosx_11_0_arm64)`,
    ]);
  });

  // A member named to inject workflow commands (the repro inject-member-name.whl, built here).
  const hostile = "pkg/x\n::error::injected\n::add-mask::retag\n\u001b]0;pwned\u0007\u001b[2K";
  const HOSTILE = { filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", members: { [`${hostile}/_m.cpython-313-darwin.so`]: { fixture: "ext_arm64_11.0.so" } } };

  it.each([
    ["check --format github", ["check", "--format", "github"], true],
    ["fix --format github", ["--format", "github", "-n"], false], // a rename notice names no member
    ["check (text)", ["check", "-v"], true],
    ["fix (text)", ["-n", "-v"], true],
    ["show", ["show"], true],
  ])("%s: a hostile member name starts no workflow command and no escape sequence", async (_label, argv, named) => {
    const dir = await dist(HOSTILE);
    const r = retag([...argv, join(dir, HOSTILE.filename)]);
    const lines = (r.stdout + r.stderr).split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      if (/^\s*::/.test(line)) expect(line).toMatch(/^::(error|warning|notice) file=[^:]*,title=[^:]*::/);
      expect(line).not.toMatch(/^\s*::(add-mask|error)::/);
    }
    if (named) expect(r.stdout + r.stderr).toMatch(/x\\n::error::injected\\n::add-mask::retag\\n\\x1b\]0;pwned\\x07\\x1b\[2K/);
  });
});

describe("findings that say where", () => {
  it("R202 names the binary that sets the version; R108 and R109 say where the requirement came from", async () => {
    const dir = await dist(TOO_OLD);
    const path = join(dir, TOO_OLD.filename);
    const check = JSON.parse(retag(["check", "--format", "json", path]).stdout) as { results: Array<{ findings: Array<{ code: string; member: string | null; message: string }> }> };
    const r202 = check.results[0]?.findings.find((f) => f.code === "R202");
    expect(r202).toMatchObject({ member: "t/sub/_m.cpython-313-darwin.so" });
    expect(r202?.message).toBe("macosx_10_9_x86_64 promises macOS 10.9 on x86_64, but t/sub/_m.cpython-313-darwin.so needs 10.14");
    const fromEnv = retag(["check", path], { env: { MACOSX_DEPLOYMENT_TARGET: "10.13" } });
    expect(fromEnv.stdout).toContain("R108 above-target: x86_64 slice of t/sub/_m.cpython-313-darwin.so needs macOS 10.14, above the deployment target 10.13 (MACOSX_DEPLOYMENT_TARGET)");
    expect(retag(["check", "--require-archs", "arm64", path]).stdout).toContain("has no usable arm64 slice (required by --require-archs)");
    writeFileSync(join(dir, "pyproject.toml"), '[tool.retag]\nrequire-archs = "universal2"\nmacos-target = "10.13"\n');
    const fromFile = retag(["check", TOO_OLD.filename], { cwd: dir });
    expect(fromFile.stdout).toContain(`has no usable arm64 slice (required by ${join(dir, "pyproject.toml")} [tool.retag] require-archs)`);
    expect(fromFile.stdout).toContain(`above the deployment target 10.13 (${join(dir, "pyproject.toml")} [tool.retag] macos-target)`);
  });
});

describe("one shape for every error", () => {
  it("`retag: <path>: <what is wrong>` with the path once, and JSON check has a result for it", async () => {
    const dir = await dist(RIGHT);
    mkdirSync(join(dir, "empty"));
    const missing = join(dir, "missing-1.0-py3-none-any.whl");
    const r = retag(["check", "--format", "json", missing, join(dir, "empty"), join(dir, RIGHT.filename)]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([`retag: ${missing}: no such file`, `retag: ${join(dir, "empty")}: no *.whl file in this directory`]);
    const doc = JSON.parse(r.stdout) as { results: Array<{ wheel: string; ok: boolean; error: string | null; tags: unknown }> };
    expect(doc.results.map((x) => [x.wheel, x.ok, x.error])).toEqual([
      [missing, false, "no such file"],
      [join(dir, "empty"), false, "no *.whl file in this directory"],
      [join(dir, RIGHT.filename), true, null],
    ]);
  });

  it("files given explicitly that are not wheels are skipped with one line; a .whl that is no zip is R001", async () => {
    const dir = await dist(RIGHT);
    writeFileSync(join(dir, "pkg-1.0.tar.gz"), "an sdist");
    writeFileSync(join(dir, "fake-1.0-py3-none-any.whl"), "not a zip");
    const r = retag(["check", join(dir, "pkg-1.0.tar.gz"), join(dir, RIGHT.filename)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${join(dir, "pkg-1.0.tar.gz")}: not a wheel, skipped\n`);
    const fake = retag(["check", join(dir, "fake-1.0-py3-none-any.whl")]);
    expect(fake.status).toBe(1);
    expect(fake.stdout).toContain("error R001 bad-zip");
    const only = retag(["check", join(dir, "pkg-1.0.tar.gz")]);
    expect(only.status).toBe(2);
    expect(only.stderr).toContain("retag: no wheel to process");
  });
});

describe("retag explain", () => {
  // The finding reference moved from the README to docs/findings.md (generated from the registry).
  const readme = readFileSync(join(repoRoot, "docs", "findings.md"), "utf8");

  it.each(["R201", "r201", "unsupported-arch", "R008"])("retag explain %s prints the reference's section for the code", (word) => {
    const r = retag(["explain", word]);
    expect(r.status).toBe(0);
    const heading = r.stdout.split("\n")[0] ?? "";
    expect(heading).toMatch(/^### R\d{3} [a-z0-9-]+ \((error|warning|info)\)$/);
    const section = readme.slice(readme.indexOf(heading)).split("\n### ")[0]?.trim();
    expect(r.stdout.trim()).toBe(section);
  });

  it("lists every code without an argument, and names the nearest for a wrong one", () => {
    const all = retag(["explain"]);
    expect(all.stdout.split("\n").filter((l) => /^R\d{3} /.test(l)).map((l) => l.slice(0, 4))).toEqual(Object.keys(FINDINGS));
    const wrong = retag(["explain", "R2O1"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toBe(`retag: no finding code or name "R2O1" — did you mean R201? (retag explain lists them)`);
  });
});

describe("[tool.retag] is found as ruff finds its own", () => {
  /** outer/pyproject.toml (ignores R202), outer/repo/.git, outer/repo/packages/native/<wheel>. */
  async function project(): Promise<{ outer: string; root: string; sub: string; wheel: string }> {
    const outer = tempDir("config");
    writeFileSync(join(outer, "pyproject.toml"), '[tool.retag]\nignore = ["R202"]\n');
    const root = join(outer, "repo");
    mkdirSync(join(root, ".git"), { recursive: true });
    const sub = join(root, "packages", "native");
    mkdirSync(sub, { recursive: true });
    const wheel = await putWheel(sub, TOO_OLD);
    return { outer, root, sub, wheel };
  }

  it("the nearest pyproject.toml with [tool.retag], upwards; one without it is passed over; -v says which", async () => {
    const { root, sub, wheel } = await project();
    writeFileSync(join(root, "pyproject.toml"), '[tool.retag]\nignore = ["R202"]\n');
    writeFileSync(join(sub, "pyproject.toml"), '[project]\nname = "native"\n');
    const r = retag(["check", "-v", wheel], { cwd: sub });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`retag: ${join(sub, "pyproject.toml")}: no [tool.retag]: passed over`);
    expect(r.stderr).toContain(`retag: [tool.retag] from ${join(root, "pyproject.toml")}`);
  });

  it("stops at the repository root: a pyproject.toml above it is not the project's", async () => {
    const { outer, root, sub, wheel } = await project();
    const r = retag(["check", "-v", wheel], { cwd: sub });
    expect(r.stderr).toContain("retag: no [tool.retag] configuration is used");
    expect(r.status).toBe(1);
    rmSync(join(root, ".git"), { recursive: true });
    const beyond = retag(["check", "-v", wheel], { cwd: sub });
    expect(beyond.stderr).toContain(`retag: [tool.retag] from ${join(outer, "pyproject.toml")}`);
    expect(beyond.status).toBe(0);
  });

  it("a pyproject.toml that is not TOML is an error only when it is about retag", async () => {
    const { sub, wheel } = await project();
    // A text that never says "retag" cannot hold [tool.retag]: passed over without being parsed.
    writeFileSync(join(sub, "pyproject.toml"), "[project\nname = 1\n");
    const unread = retag(["check", "-v", wheel], { cwd: sub });
    expect(unread.status).toBe(1); // checked, without a config
    expect(unread.stderr).toContain(`retag: ${join(sub, "pyproject.toml")}: no [tool.retag]: passed over`);
    writeFileSync(join(sub, "pyproject.toml"), "[project\nname = 1 # checked by retag\n");
    const other = retag(["check", "-v", wheel], { cwd: sub });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain(`retag: ${join(sub, "pyproject.toml")}: not valid TOML, and no [tool.retag] in it: passed over`);
    writeFileSync(join(sub, "pyproject.toml"), "[tool.retag]\nignore = [\n");
    const ours = retag(["check", wheel], { cwd: sub });
    expect(ours.status).toBe(2);
    expect(ours.stderr).toMatch(new RegExp(`^retag: ${join(sub, "pyproject.toml").replace(/\./g, "\\.")}: not valid TOML: `));
  });
});

describe("help", () => {
  it.each([[["--help"]], [["check", "--help"]], [["fix", "--help"]], [["show", "--help"]], [["explain", "--help"]]])("%j has no yargs noise and says the exit codes and explain", (argv) => {
    const r = retag(argv);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\[(array|string|boolean|number)\]|\[default:|\[choices:/);
    expect(r.stdout).toContain("Exit codes: 0");
    expect(r.stdout).toContain("retag explain CODE");
  });

  it("lists --rehash, --force, --dry-run only for fix, where they do something", () => {
    expect(retag(["fix", "--help"]).stdout).toMatch(/--rehash[\s\S]*/);
    for (const flag of ["--rehash", "--force", "--dry-run", "--wheel-dir"]) expect(retag(["check", "--help"]).stdout).not.toContain(flag);
  });
});
