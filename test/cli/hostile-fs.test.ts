// Issue 11's command-line and file-system defects, each from its repro in ../shared/repros/ (built
// here, or the small repro wheel copied under test/cli/repros/): hostile names in every output (D3,
// D4), a wheel that cannot be written (D5), a same-size same-mtime change (D6), temporaries as inputs
// (D7), long names (D8), `--` and planted option-like file names (D9), two fixes of one wheel at once
// (D13), and a worker that dies (D1). User-facing behaviour through the spawned CLI; the moments
// between a check and a write through the task itself, with the turn that precedes every write.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CHECK_OPTIONS } from "../../src/flow/check.js";
import { aloneTurn, type Turn } from "../../src/cli/order.js";
import { FIXED_ELSEWHERE, fixTask } from "../../src/cli/tasks.js";
import { main } from "../../src/cli/main.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { bash, bin, cleanEnv, putWheel, requireFreshBuild, retag, retagAsync, RIGHT, sha, snapshot, tempDir, WRONG, WRONG_FIXED } from "./spawn.js";

beforeAll(requireFreshBuild);

const repro = (name: string): string => fileURLToPath(new URL(`./repros/${name}`, import.meta.url));
const crashHook = fileURLToPath(new URL("./crash-worker.mjs", import.meta.url));

/** A wrong wheel large enough that a fix takes a while (the window the repros poke into). */
let bigWheel: Uint8Array;
const BIG = "big-1.0-cp313-cp313-macosx_10_9_universal2.whl";
const BIG_FIXED = "big-1.0-cp313-cp313-macosx_11_0_arm64.whl";
beforeAll(async () => {
  const data = randomBytes(24 * 2 ** 20);
  bigWheel = (await makeWheel({ filename: BIG, members: { "big/data.bin": data, "big/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" } } })).bytes;
}, 120_000);

/**
 * A wheel whose times are whole seconds, so a poke can set them back exactly (Node's utimes takes
 * seconds as a float; Python's os.utime(ns=…) in the repro restores them to the nanosecond).
 */
function writeWithWholeSecondTimes(path: string, bytes: Uint8Array): void {
  writeFileSync(path, bytes);
  utimesSync(path, 1_700_000_000, 1_700_000_000);
}

/** Writes 4 bytes into the middle of a file, keeping its size, and sets its times back (the D6 repro's poke). */
function pokeKeepingSizeAndMtime(path: string): void {
  const before = statSync(path, { bigint: true });
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.from([0xff, 0xfe, 0xfd, 0xfc]), 0, 4, Number(before.size / 2n));
  closeSync(fd);
  utimesSync(path, 1_700_000_000, 1_700_000_000);
  const after = statSync(path, { bigint: true });
  expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
}

describe("D3: member names are escaped in every text output", () => {
  it.each([
    ["inject-member-name.whl", "red-1.0-cp313-cp313-macosx_10_9_universal2.whl"],
    ["inject-unrecorded-member.whl", "red2-1.0-cp313-cp313-macosx_10_9_universal2.whl"],
  ])("%s: check, check -v, fix -n -v and show print no raw control character and start no workflow command", (file, name) => {
    const dir = tempDir("d3");
    copyFileSync(repro(file), join(dir, name));
    for (const argv of [["check"], ["check", "-v"], ["-n", "-v"], ["show"]]) {
      const r = retag([...argv, join(dir, name)]);
      const text = r.stdout + r.stderr;
      expect(text, argv.join(" ")).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      for (const line of text.split("\n")) expect(line, argv.join(" ")).not.toMatch(/^\s*::/);
      if (argv[0] !== "show") expect(text).toMatch(/\\n::error/); // the name is there, escaped
    }
  });
});

describe("D4, D5: fix --format github escapes the path and reports a wheel it could not write", () => {
  it("D4: a hostile file name is one escaped ::error line", () => {
    const dir = tempDir("d4");
    mkdirSync(join(dir, "d1"));
    symlinkSync("/nonexistent", join(dir, "d1", "evil\n::warning title=forged::INJECTED-VIA-FILE-NAME\nx.whl"));
    const r = retag(["--format", "github", join(dir, "d1")]);
    expect(r.status).toBe(2);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toEqual([
      `::error file=${join(dir, "d1")}/evil\\n%3A%3Awarning title=forged%3A%3AINJECTED-VIA-FILE-NAME\\nx.whl,title=retag%3A not written::no such file`,
    ]);
  });

  it("D5: a destination that is a file gives ::error not written (and JSON action error)", async () => {
    const dir = tempDir("d5");
    const wheel = await putWheel(dir, WRONG);
    writeFileSync(join(dir, "afile"), "");
    const r = retag(["--format", "github", "-w", join(dir, "afile"), wheel]);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split("\n")[0]).toMatch(new RegExp(`^::error file=${wheel.replace(/\./g, "\\.")},title=retag%3A not written::not written: `));
  });
});

describe("D6: an input changed in place, same size and mtime, is noticed", () => {
  it("between the check and the write: left alone, nothing written, reported (deterministic, at the turn)", async () => {
    const dir = tempDir("d6");
    const path = join(dir, BIG);
    writeWithWholeSecondTimes(path, bigWheel);
    const poke: Turn = async (claim) => {
      pokeKeepingSizeAndMtime(path);
      return aloneTurn(claim);
    };
    const outcome = await fixTask(path, DEFAULT_CHECK_OPTIONS, { wheelDir: null, dryRun: false, force: false }, poke);
    expect(outcome.status).toBe("error");
    expect(outcome.error).toBe("the wheel changed on disk while retag ran; left alone (run retag again)");
    expect(readdirSync(dir)).toEqual([BIG]);
    expect(readFileSync(path).subarray(bigWheel.length >> 1, (bigWheel.length >> 1) + 4)).toEqual(Buffer.from([0xff, 0xfe, 0xfd, 0xfc]));
  });

  it("while the real CLI writes (the repro's timing): never a lost update, never a damaged wheel", async () => {
    const dir = tempDir("d6cli");
    const path = join(dir, BIG);
    writeWithWholeSecondTimes(path, bigWheel);
    const poker = spawn(
      process.execPath,
      [
        "-e",
        `const fs = require("fs"); const [p, d] = process.argv.slice(1);
         const end = Date.now() + 30000;
         while (Date.now() < end && !fs.readdirSync(d).some((n) => n.startsWith(".retag-tmp-"))) {}
         try { const st = fs.statSync(p); const fd = fs.openSync(p, "r+");
               fs.writeSync(fd, Buffer.from([0xff, 0xfe, 0xfd, 0xfc]), 0, 4, Math.floor(st.size / 2)); fs.closeSync(fd);
               fs.utimesSync(p, 1700000000, 1700000000); console.log("poked"); } catch { console.log("missed"); }`,
        path,
        dir,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let poked = "";
    poker.stdout.on("data", (d: Buffer) => (poked += d.toString()));
    const closed = new Promise((r) => poker.on("close", r));
    await new Promise((r) => setTimeout(r, 100));
    const run = await retagAsync([path]);
    poker.kill();
    await closed;
    const names = readdirSync(dir).sort();
    if (poked.trim() === "poked") {
      // The changed input survives with its change; what was written (if anything) is the checked wheel.
      expect(names).toContain(BIG);
      expect(readFileSync(path).subarray(bigWheel.length >> 1, (bigWheel.length >> 1) + 4)).toEqual(Buffer.from([0xff, 0xfe, 0xfd, 0xfc]));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("the wheel changed on disk while retag ran");
    } else {
      expect(names).toEqual([BIG_FIXED]);
    }
    if (names.includes(BIG_FIXED)) expect(retag(["check", join(dir, BIG_FIXED)]).status).toBe(0);
    expect(names.filter((n) => n.startsWith(".retag-tmp-"))).toEqual([]);
  }, 120_000);
});

describe("D7: temporaries are never inputs", () => {
  async function withLeftovers(): Promise<string> {
    const dir = tempDir("d7");
    const correct = await putWheel(dir, RIGHT);
    // What versions of retag leave after a kill -9: the old long name ending in .whl, and the new short one.
    writeFileSync(join(dir, `.retag-tmp-999999-deadbeef-${RIGHT.filename}`), readFileSync(correct).subarray(0, 1000));
    writeFileSync(join(dir, ".retag-tmp-999999-0123456789abcdef"), "partial");
    return dir;
  }

  it("check DIR, a quoted glob, the shell's glob and fix DIR see only the wheel; fix removes the leftovers", async () => {
    const dir = await withLeftovers();
    for (const argv of [["check", dir], ["check", join(dir, "*.whl")]]) {
      const r = retag(argv);
      expect(r.stdout.trimEnd().split("\n").at(-1), argv.join(" ")).toBe("1 wheel: 1 ok, 0 wrong");
    }
    const shell = bash("$RETAG check *.whl", dir);
    expect(shell.stdout.trimEnd().split("\n").at(-1)).toBe("1 wheel: 1 ok, 0 wrong");
    // A pattern that names the temporaries themselves finds them, and skips them.
    const dotted = retag(["check", join(dir, ".*.whl")]);
    expect(dotted.status).toBe(2);
    expect(dotted.stderr).toContain(`${join(dir, `.retag-tmp-999999-deadbeef-${RIGHT.filename}`)}: a temporary file of retag, skipped`);
    const fix = retag([dir]);
    expect(fix.status).toBe(0);
    expect(readdirSync(dir)).toEqual([RIGHT.filename]);
  });

  it("a temporary named explicitly is skipped with a reason", async () => {
    const dir = await withLeftovers();
    const temp = join(dir, `.retag-tmp-999999-deadbeef-${RIGHT.filename}`);
    const r = retag(["check", temp, join(dir, RIGHT.filename)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`${temp}: a temporary file of retag, skipped\n`);
  });

  it("after a kill -9 mid-write, the next `retag DIR` converges (kill-during-fix.py)", async () => {
    const dir = tempDir("d7kill");
    writeFileSync(join(dir, BIG), bigWheel);
    const expected = join(tempDir("d7ref"), "ref");
    expect(retag(["-q", "-w", expected, join(dir, BIG)]).status).toBe(0);
    const child = spawn(process.execPath, [bin, join(dir, BIG)], { env: cleanEnv(), stdio: "ignore" });
    const end = Date.now() + 30_000;
    while (Date.now() < end && child.exitCode === null && !readdirSync(dir).some((n) => n.startsWith(".retag-tmp-"))) await new Promise((r) => setImmediate(r));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const next = retag([dir]);
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([BIG_FIXED]);
    expect(sha(join(dir, BIG_FIXED))).toBe(sha(join(expected, BIG_FIXED)));
  });
});

describe("D8: a wheel name as long as the file system allows", () => {
  it("a 253-byte name is fixed (the temporary's name is short)", async () => {
    const dir = tempDir("d8");
    const name = `${"a".repeat(210)}-1.0-cp313-cp313-macosx_10_9_universal2.whl`;
    expect(Buffer.byteLength(name)).toBe(253);
    await putWheel(dir, { ...WRONG, filename: name, members: { [`${"a".repeat(210)}/_m.cpython-313-darwin.so`]: { fixture: "ext_arm64_11.0.so" } } });
    const r = retag([join(dir, name)]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([`${"a".repeat(210)}-1.0-cp313-cp313-macosx_11_0_arm64.whl`]);
  });
});

describe("D9: `--`, and file names that look like options", () => {
  async function planted(): Promise<string> {
    const dir = tempDir("d9");
    await putWheel(dir, WRONG);
    writeFileSync(join(dir, "--ignore=R,.whl"), "");
    return dir;
  }

  it("`retag check *.whl` with a planted --ignore=R,.whl file is refused as ambiguous, not read as ignore-everything", async () => {
    const dir = await planted();
    const r = bash("$RETAG check *.whl", dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`retag: "--ignore=R,.whl" is both an option and a file here; put paths after -- (retag check -- *.whl) or write ./--ignore=R,.whl`);
    expect(r.stdout).toBe("");
  });

  it.each([["check -- *.whl"], ["check ./*.whl"]])("`retag %s` checks every file, the planted one as what it is", async (command) => {
    const dir = await planted();
    const r = bash(`$RETAG ${command}`, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/--ignore=R,\.whl: FAILED\n( {2}error .*\n)* {2}error R001 bad-zip/);
    expect(r.stdout).toContain("R201 unsupported-arch");
    // The command the summary suggests is as safe as the one typed: paths that look like options after --.
    if (command.includes("--")) expect(r.stdout).toContain(`(1 fixable: run retag -- --ignore=R,.whl ${WRONG.filename})`);
  });

  it("in fix mode nothing is written when the planted name is refused; after --, the good wheel is fixed", async () => {
    const dir = await planted();
    const before = snapshot(dir);
    expect(bash("$RETAG *.whl", dir).status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
    const r = bash("$RETAG -- *.whl", dir);
    expect(r.status).toBe(1); // the planted file is R001
    expect(readdirSync(dir).sort()).toEqual(["--ignore=R,.whl", WRONG_FIXED].sort());
  });

  it("a path after -- is never an option, and options before it still apply", async () => {
    const dir = await planted();
    const r = retag(["check", "--ignore", "R2", "--", join(dir, WRONG.filename)]);
    expect(r.status).toBe(0);
    expect(retag(["explain", "--", "R201"]).stdout).toMatch(/^### R201 unsupported-arch/);
  });
});

describe("D13: two fixes of one wheel at once", () => {
  // The loser reaches its turn after the winner is done: exactly the state a real race leaves.
  const winnerFirst =
    (argv: string[]): Turn =>
    async (claim) => {
      const quiet = { stdout: () => undefined, stderr: () => undefined };
      expect(await main(argv, quiet, {})).toBe(0);
      return aloneTurn(claim);
    };

  it.each([
    ["in place under a new name", null, WRONG, WRONG_FIXED],
    ["in place under the same name (WHEEL only)", null, { ...RIGHT, tags: ["cp313-cp313-macosx_11_0_arm64"] }, RIGHT.filename],
  ])("%s: the loser reports success, already fixed by another process", async (_label, out, spec, fixedName) => {
    const dir = tempDir("d13");
    const path = await putWheel(dir, spec);
    const wheelDir = out === null ? null : join(dir, out);
    const argv = wheelDir === null ? ["--no-config", path] : ["--no-config", "-w", wheelDir, path];
    const loser = await fixTask(path, DEFAULT_CHECK_OPTIONS, { wheelDir, dryRun: false, force: false }, winnerFirst(argv));
    expect(loser).toMatchObject({ status: "rewritten", error: null, note: FIXED_ELSEWHERE });
    const folder = wheelDir ?? dir;
    expect(readdirSync(folder)).toEqual([fixedName]);
    expect(retag(["check", join(folder, fixedName)]).status).toBe(0);
  });

  it("into -w DIR: an identical file at the target is success", async () => {
    const dir = tempDir("d13w");
    const path = await putWheel(dir, WRONG);
    const out = join(dir, "out");
    const loser = await fixTask(path, DEFAULT_CHECK_OPTIONS, { wheelDir: out, dryRun: false, force: false }, winnerFirst(["--no-config", "-w", out, path]));
    expect(loser).toMatchObject({ status: "rewritten", error: null, note: "already there", target: join(out, WRONG_FIXED) });
    expect(readdirSync(out)).toEqual([WRONG_FIXED]);
  });

  it("two real processes on the same wheel both end well", async () => {
    for (let i = 0; i < 3; i++) {
      const dir = tempDir("d13race");
      writeFileSync(join(dir, BIG), bigWheel);
      const runs = await Promise.all([retagAsync([join(dir, BIG)]), retagAsync([join(dir, BIG)])]);
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(dir)).toEqual([BIG_FIXED]);
    }
  }, 120_000);
});

describe("D1: a worker that dies is that wheel's internal error; the batch goes on", () => {
  async function batch(): Promise<string> {
    const dir = tempDir("d1");
    for (const name of ["a", "crash_oom", "b", "crash_throw", "crash_exit", "c"]) {
      await putWheel(dir, { ...WRONG, filename: `${name}-1.0-cp313-cp313-macosx_10_9_universal2.whl`, members: { [`${name}/_m.cpython-313-darwin.so`]: { fixture: "ext_arm64_11.0.so" } } });
    }
    return dir;
  }
  const node = ["--import", crashHook, "--max-old-space-size=256"];

  it("check -j 2: every other wheel is reported, the dead ones are internal errors, exit 3 with where to report it", async () => {
    const dir = await batch();
    const r = retag(["check", "-j", "2", "--format", "json", dir], { node });
    expect(r.status).toBe(3);
    const doc = JSON.parse(r.stdout) as { results: Array<{ wheel: string; error: string | null; needsRewrite: boolean }> };
    const by = Object.fromEntries(doc.results.map((x) => [x.wheel.split("/").at(-1)?.split("-1.0")[0], x]));
    expect(Object.keys(by)).toEqual(["a", "b", "c", "crash_exit", "crash_oom", "crash_throw"]);
    for (const ok of ["a", "b", "c"]) expect(by[ok]).toMatchObject({ error: null, needsRewrite: true });
    for (const dead of ["crash_exit", "crash_oom", "crash_throw"]) expect(by[dead]?.error).toMatch(/^internal error: the worker thread processing it died/);
    expect(r.stderr).toContain("please report it at https://github.com/wheel-retag/wheel-retag/issues");
  });

  it("fix -j 2 -w: the others are written, no temporary is left", async () => {
    const dir = await batch();
    const out = join(dir, "out");
    const r = retag(["-j", "2", "-w", out, dir], { node });
    expect(r.status).toBe(3);
    expect(readdirSync(out).sort()).toEqual(["a", "b", "c"].map((n) => `${n}-1.0-cp313-cp313-macosx_11_0_arm64.whl`));
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("3 rewritten, 0 unchanged, 3 failed");
    expect(existsSync(join(dir, "a-1.0-cp313-cp313-macosx_10_9_universal2.whl"))).toBe(true);
  });
});
