// Issue 10, "never destructive by accident" and "never a stack trace", through the real CLI
// (`node bin/retag.js`): a mistyped command or path writes nothing, a dry run predicts the real run,
// batch collisions do not depend on worker timing, write failures are reported as such, a closed
// stdout ends quietly, and bad option values are one-line usage errors.
import { chmodSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bash, BROKEN, putWheel, requireFreshBuild, retag, RIGHT, snapshot, tempDir, WRONG, WRONG_FIXED } from "./spawn.js";

beforeAll(requireFreshBuild);

/** A dist/ folder with a wrong wheel and a correct one. */
async function dist(): Promise<string> {
  const dir = tempDir("safe");
  await putWheel(dir, WRONG);
  await putWheel(dir, RIGHT);
  return dir;
}

describe("a mistyped command or path writes nothing", () => {
  it.each([
    ["chek", `unknown command "chek" — did you mean "check"?`],
    ["shwo", `unknown command "shwo" — did you mean "show"?`],
    ["expalin", `unknown command "expalin" — did you mean "explain"?`],
    ["completion", `completion: no such file, and not a command (the commands are fix, check, show, audit, fuse, split, explain)`],
    ["fixx", `unknown command "fixx" — did you mean "fix"?`],
  ])("retag %s dist/ exits 2: %s", async (word, message) => {
    const dir = await dist();
    const before = snapshot(dir);
    const r = retag([word, dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`retag: ${message}`);
    expect(r.stderr).toContain("nothing was written");
    expect(r.stdout).toBe("");
    expect(snapshot(dir)).toEqual(before);
  });

  it("a path that names nothing stops the batch before any wheel is written", async () => {
    const dir = await dist();
    const before = snapshot(dir);
    const r = retag([join(dir, WRONG.filename), join(dir, "pkg-2.0-cp313-cp313-macosx_10_9_universal2.whl"), join(dir, "*.nothing")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`retag: ${join(dir, "pkg-2.0-cp313-cp313-macosx_10_9_universal2.whl")}: no such file`);
    expect(r.stderr).toContain(`retag: ${join(dir, "*.nothing")}: no file matches this pattern`);
    expect(snapshot(dir)).toEqual(before);
  });

  it("`retag dist/*.whl` (a quoted glob, and the shell's expansion) still fixes in place", async () => {
    const dir = await dist();
    expect(retag([join(dir, "*.whl")]).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([RIGHT.filename, WRONG_FIXED].sort());
    const again = await dist();
    const r = bash(`$RETAG *.whl`, again);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(again).sort()).toEqual([RIGHT.filename, WRONG_FIXED].sort());
  });
});

describe("--dry-run says what would happen and predicts the real run", () => {
  it("says would rename / would fix, writes nothing, and ends with the dry-run line", async () => {
    const dir = await dist();
    const before = snapshot(dir);
    const r = retag(["--dry-run", dir]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain(`would rename ${join(dir, WRONG.filename)} → ${join(dir, WRONG_FIXED)}`);
    expect(lines.find((l) => l.includes("R201"))).toMatch(/^ {2}would fix R201 unsupported-arch: /);
    expect(lines).toContain(`${join(dir, RIGHT.filename)}: unchanged`);
    expect(lines.at(-2)).toBe("1 would be rewritten, 1 unchanged, 0 failed");
    expect(lines.at(-1)).toBe("dry run: nothing was written");
    expect(snapshot(dir)).toEqual(before);
  });

  it("JSON says dryRun and would-rewrite, with the target and no output", async () => {
    const dir = await dist();
    const r = retag(["-n", "--format", "json", "-w", join(dir, "out"), dir]);
    const doc = JSON.parse(r.stdout) as { dryRun: boolean; results: Array<{ wheel: string; action: string; output: string | null; target: string | null }> };
    expect(doc.dryRun).toBe(true);
    expect(doc.results.map((x) => [x.action, x.output, x.target])).toEqual([
      ["unchanged", null, join(dir, "out", RIGHT.filename)],
      ["would-rewrite", null, join(dir, "out", WRONG_FIXED)],
    ]);
    expect(readdirSync(dir).includes("out")).toBe(false);
  });

  it("an existing different target without --force is the error the real run gives", async () => {
    const dir = await dist();
    writeFileSync(join(dir, WRONG_FIXED), "an older, different file");
    const dry = retag(["-n", join(dir, WRONG.filename)]);
    const real = retag([join(dir, WRONG.filename)]);
    const error = `retag: ${join(dir, WRONG.filename)}: not written: ${join(dir, WRONG_FIXED)} already exists (use --force to replace it)`;
    expect(dry.stderr).toContain(error);
    expect(real.stderr).toContain(error);
    expect([dry.status, real.status]).toEqual([1, 1]);
    expect(dry.stdout).toContain("0 would be rewritten, 0 unchanged, 1 failed");
    expect(real.stdout).toContain("0 rewritten, 0 unchanged, 1 failed");
  });
});

describe("two inputs of one batch that become the same file", () => {
  // Same package and tags, different platform tags: both become pkg-1.0-…-macosx_11_0_arm64.whl.
  async function colliding(): Promise<{ dir: string; first: string; second: string }> {
    const dir = tempDir("collide");
    const first = await putWheel(dir, WRONG);
    const second = await putWheel(dir, { ...WRONG, filename: "pkg-1.0-cp313-cp313-macosx_10_13_universal2.whl", members: { ...WRONG.members, "pkg/extra.py": "x = 1\n" } });
    return { dir, first, second };
  }

  it("the first in argument order wins, the second is reported, whatever the worker timing", async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const { dir, first, second } = await colliding();
      const out = join(dir, "out");
      // The second is bigger and listed first on the command line half of the time: order, not size or speed, decides.
      const args = i % 2 === 0 ? [first, second] : [second, first];
      const r = retag(["-j", "2", "--format", "json", "-w", out, ...args]);
      const doc = JSON.parse(r.stdout) as { results: Array<{ wheel: string; action: string; error: string | null }> };
      expect(r.status).toBe(1);
      expect(doc.results.map((x) => x.action)).toEqual(["rewritten", "error"]);
      expect(doc.results[1]?.error).toBe(`not written: ${join(out, WRONG_FIXED)} is also what ${args[0]} becomes, earlier in the arguments (the first one wins)`);
      expect(readdirSync(out)).toEqual([WRONG_FIXED]);
      outcomes.add(JSON.stringify(doc.results.map((x) => x.wheel === args[0])));
    }
    expect([...outcomes]).toEqual([JSON.stringify([true, false])]);
  });

  it("in place, the loser is left where it was and a dry run predicts the same", async () => {
    const { dir, first, second } = await colliding();
    const dry = retag(["-n", "-j", "2", first, second]);
    const real = retag(["-j", "2", first, second]);
    const lost = `retag: ${second}: not written: ${join(dir, WRONG_FIXED)} is also what ${first} becomes`;
    expect(dry.stderr).toContain(lost);
    expect(real.stderr).toContain(lost);
    expect(readdirSync(dir).sort()).toEqual([WRONG_FIXED, "pkg-1.0-cp313-cp313-macosx_10_13_universal2.whl"].sort());
  });
});

describe("a wheel that is not written says so", () => {
  it("a destination that cannot be written: action error, output null, no fixed lines", async () => {
    const dir = await dist();
    writeFileSync(join(dir, "afile"), "a file where the wheel folder should be");
    const json = retag(["--format", "json", "-w", join(dir, "afile"), join(dir, WRONG.filename)]);
    const [result] = (JSON.parse(json.stdout) as { results: Array<{ action: string; output: string | null; error: string; fixed: unknown[] }> }).results;
    expect(json.status).toBe(1);
    expect(result).toMatchObject({ action: "error", output: null, fixed: [] });
    expect(result?.error).toMatch(/^not written: /);
    const text = retag(["-w", join(dir, "afile"), join(dir, WRONG.filename)]);
    expect(text.stdout).not.toContain("fixed R201");
    expect(text.stderr).toMatch(new RegExp(`^retag: ${join(dir, WRONG.filename).replace(/\./g, "\\.")}: not written: `, "m"));
  });

  it.skipIf(process.getuid?.() === 0)("a read-only folder in place: the input stays, the error names it", async () => {
    const dir = await dist();
    chmodSync(dir, 0o555);
    try {
      const r = retag([join(dir, WRONG.filename)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`retag: ${join(dir, WRONG.filename)}: not written: permission denied`);
      expect(readdirSync(dir).sort()).toEqual([RIGHT.filename, WRONG.filename].sort());
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("with -w, a wheel left out because errors remain says `not copied: errors remain`", async () => {
    const dir = await dist();
    const broken = await putWheel(dir, BROKEN);
    const r = retag(["-w", join(dir, "out"), broken, join(dir, RIGHT.filename)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${broken}: not copied: errors remain\n  error R102`);
    expect(r.stdout).toContain(`${join(dir, RIGHT.filename)}: unchanged (copied to ${join(dir, "out", RIGHT.filename)})`);
    expect(readdirSync(join(dir, "out"))).toEqual([RIGHT.filename]);
  });
});

describe("never a stack trace", () => {
  it("a closed stdout ends quietly with the exit code the results decided", async () => {
    const dir = tempDir("pipe");
    // Enough output to fill the pipe after `head` has gone: 40 wheels, slice tables, and JSON.
    for (let i = 0; i < 40; i++) await putWheel(dir, { ...WRONG, filename: `p${i}-1.0-cp313-cp313-macosx_10_9_universal2.whl` });
    const runs: Array<[string, string, string]> = [
      ["check -v .", "head -1", "exit 1"],
      ["check --format json .", "true", "exit 1"],
      ["-n -v .", "head -2", "exit 0"],
    ];
    for (const [command, reader, exit] of runs) {
      const r = bash(`$RETAG ${command} | ${reader}; echo "exit \${PIPESTATUS[0]}" >&2`, dir);
      expect(r.stderr, command).not.toMatch(/EPIPE|\n\s+at |Error/);
      expect(r.stderr.trim().split("\n").at(-1), command).toBe(exit);
    }
  });

  it.each(["abc", "NaN", "0", "-1", "1.5", ""])("-j %j is a one-line usage error (exit 2)", async (jobs) => {
    const dir = await dist();
    const r = retag(["check", "-j", jobs, dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([`retag: -j/--jobs takes a whole number of wheels at once (1 or more), not ${JSON.stringify(jobs)}`]);
  });

  it.each([
    [["show", "-v", "x.whl"], "retag: x.whl: no such file"], // -v is show's: how remote wheels were read
    [["show", "--verbose", "x.whl"], "retag: x.whl: no such file"],
    [["show", "-q", "x.whl"], "retag: show takes no -q/--quiet: it prints only what it finds"],
    [["show"], "retag: no file given: pass wheels or Mach-O files"],
    [[], "retag: no wheel given: pass wheels, directories of wheels or glob patterns"],
    [["check"], "retag: no wheel given: pass wheels, directories of wheels or glob patterns"],
    [["check", "--strcit", "x.whl"], "retag: unknown option --strcit — did you mean --strict?"],
    [["--dry-rn", "x.whl"], "retag: unknown option --dry-rn — did you mean --dry-run?"],
    [["check", "--format", "yaml", "x.whl"], 'retag: --format takes text, json, github, not "yaml"'],
    [["-w", "--", "x.whl"], "retag: -w/--wheel-dir needs a folder (-w wheelhouse)"],
  ])("%j: %s", (argv, message) => {
    const r = retag(argv);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([message]);
  });
});
