// The fast path (src/cli/fast-args.ts) must mean exactly what yargs means for every line it takes,
// and must leave to yargs every line it cannot read the same way. Each row is run through both:
// yargs through parser.ts with the verdict runner replaced by a recorder.
import { describe, expect, it } from "vitest";
import { fastArgs } from "../../src/cli/fast-args.js";
import { parseAndRun } from "../../src/cli/parser.js";
import type { VerdictCommand } from "../../src/cli/verdict-commands.js";

/** What yargs hands the verdict runner for `argv` (no `--` in these rows), or the usage error it throws. */
async function viaYargs(argv: string[]): Promise<VerdictCommand | null | string> {
  let parsed: VerdictCommand | null = null;
  const out = { stdout: () => undefined, stderr: () => undefined };
  try {
    await parseAndRun(argv, [], {}, out, async (p) => {
      parsed = p;
      return 0;
    });
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
  return parsed;
}

const TAKEN: string[][] = [
  ["check", "a.whl"],
  ["check", "a.whl", "b.whl", "dist/c-1.0-py3-none-any.whl"],
  ["a.whl"],
  ["fix", "a.whl"],
  ["-w", "wheelhouse", "a.whl"],
  ["fix", "-w", "wheelhouse", "a.whl"],
  ["--wheel-dir", "out", "--dry-run", "a.whl"],
  ["-n", "--force", "--rehash", "a.whl"],
  ["check", "--format", "json", "a.whl"],
  ["check", "a.whl", "--format", "github"],
  ["check", "--format", "xml", "a.whl"], // accepted by both parsers; the runner refuses it
  ["check", "-q", "-v", "--strict", "a.whl"],
  ["check", "--ignore", "R2", "a.whl"],
  ["check", "--ignore", "R2", "--ignore", "R108", "a.whl"],
  ["check", "--ignore", "R2,R108", "a.whl"],
  ["check", "--macos-target", "10.13", "--require-archs", "universal2", "--round", "up", "a.whl"],
  ["check", "-j", "4", "a.whl", "b.whl"],
  ["check", "--jobs", "0", "a.whl"],
  ["check", "--config", "cfg.toml", "a.whl"],
  ["check", "--config", "one.toml", "--config", "two.toml", "a.whl"],
  ["check", "--no-config", "a.whl"],
  ["check", "--no-config", "--config", "x.toml", "a.whl"],
  ["check", "--rehash", "a.whl"],
  ["check", "pypi:numpy"],
  ["check", "dist/*.whl", "dist"],
  ["check", "2024"],
  ["chek", "a.whl"], // an implicit fix of "chek": the runner calls it a mistyped command
  ["fix"],
  ["check"],
  ["-w", "out"],
];

const DECLINED: string[][] = [
  [],
  ["--help"],
  ["-h"],
  ["check", "--help"],
  ["--version"],
  ["check", "--version"],
  ["show", "a.whl"],
  ["explain", "R201"],
  ["fuse", "a.whl", "b.whl"],
  ["split", "a.whl"],
  ["audit"],
  ["check", "--format=json", "a.whl"],
  ["check", "-qv", "a.whl"],
  ["check", "--no-strict", "a.whl"],
  ["check", "--strict", "true", "a.whl"],
  ["check", "--strict", "--strict", "a.whl"],
  ["check", "--format", "json", "--format", "text", "a.whl"],
  ["check", "--format"],
  ["check", "--format", "-q", "a.whl"],
  ["check", "--strcit", "a.whl"],
  ["check", "--dryRun", "a.whl"],
  ["check", "-w", "out", "a.whl"], // -w is fix's
  ["check", "--dry-run", "a.whl"],
  ["check", "--platform", "macos", "pypi:numpy"],
  ["check", "--verify", "all", "pypi:numpy"],
  ["check", "--timeout", "5", "pypi:numpy"],
  ["check", "--jobs", "-1", "a.whl"],
  ["check", "", "a.whl"],
  ["check", "-"], // yargs drops a lone "-"
  ["completion"],
];

describe("the fast path of the command line", () => {
  it.each(TAKEN.map((argv) => [JSON.stringify(argv), argv] as const))("takes %s, as yargs reads it", async (_, argv) => {
    const fast = fastArgs(argv);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(await viaYargs(argv));
  });

  it.each(DECLINED.map((argv) => [JSON.stringify(argv), argv] as const))("leaves %s to yargs", (_, argv) => {
    expect(fastArgs(argv)).toBeNull();
  });
});
