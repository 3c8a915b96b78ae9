// examples/ci/cibuildwheel.toml: its repair-wheel-command values, expanded the way cibuildwheel
// expands them and run with /bin/sh, leave exactly one correctly named wheel in {dest_dir} — the one
// cibuildwheel then takes. The delocate variant runs against a stand-in delocate-wheel (there is no
// macOS here) that copies the wheel into -w DIR, as delocate does when there is nothing to vendor;
// `pipx run wheel-retag` and the audit step's `wheel-retag` console script are stand-ins that run
// this checkout's CLI.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWheel } from "../helpers/make-wheel.js";
import { copyExamples, fakeBin, recipeEnv, removeTempDirs, repoRoot, requireBuild, sh, tempDir, wheelsIn } from "./helpers.js";

const snippetPath = join(repoRoot, "examples", "ci", "cibuildwheel.toml");
const snippet = readFileSync(snippetPath, "utf8");

/** cibuildwheel's ListFormat for repair-wheel-command: a list of commands is joined with " && ". */
function commandOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(" && ");
  throw new Error(`repair-wheel-command is neither a string nor a list of strings: ${JSON.stringify(value)}`);
}

type MacosTable = { "repair-wheel-command"?: unknown; "audit-command"?: unknown; "audit-requires"?: unknown };
const macos = (): MacosTable => (parse(snippet) as { tool?: { cibuildwheel?: { macos?: MacosTable } } }).tool?.cibuildwheel?.macos ?? {};

/** The active command: [tool.cibuildwheel.macos] repair-wheel-command. */
function activeCommand(): string {
  return commandOf(macos()["repair-wheel-command"]);
}

/** The commented-out variant, read as the TOML line a user would uncomment. */
function variantCommand(): string {
  const line = /^# (repair-wheel-command = .*)$/m.exec(snippet)?.[1];
  if (line === undefined) throw new Error("no commented repair-wheel-command variant");
  return commandOf((parse(line) as { "repair-wheel-command": unknown })["repair-wheel-command"]);
}

/**
 * cibuildwheel's prepare_command / format_safe: each `{key}` not preceded by `#` becomes the value,
 * as plain text (no shell quoting), then `#{key}` becomes a literal `{key}`.
 */
function prepareCommand(template: string, values: { [key: string]: string }): string {
  let result = template;
  for (const [key, value] of Object.entries(values)) {
    result = result.replace(new RegExp(`(?<!#)\\{${key}\\}`, "g"), () => value);
    result = result.split(`#{${key}}`).join(`{${key}}`);
  }
  return result;
}

const fakeDelocate = `#!/bin/sh
# stand-in for delocate-wheel: records its arguments, then copies {wheel} into -w DIR
printf '%s\\n' "$*" > "$DELOCATE_LOG"
dest=; wheel=
while [ $# -gt 0 ]; do
  case "$1" in
    -w) dest=$2; shift 2 ;;
    --require-archs) shift 2 ;;
    -v) shift ;;
    *) wheel=$1; shift ;;
  esac
done
cp "$wheel" "$dest/"
`;

interface Run {
  status: number | null;
  output: string;
  dest: string[];
  destDir: string;
  built: string;
  delocateArgs: string;
}

/** One repair step as cibuildwheel runs it for a universal2 identifier, in the project's folder. */
function repair(template: string, wheel: "arm64only" | "correct" | "emptyslice" | { filename: string; bytes: Uint8Array }): Run {
  const root = tempDir("cibw");
  const identifier = join(root, "cp313-macosx_universal2");
  const builtDir = join(identifier, "built_wheel");
  let built: string;
  if (typeof wheel === "string") {
    [built] = copyExamples(builtDir, [wheel]) as [string];
  } else {
    mkdirSync(builtDir, { recursive: true });
    built = join(builtDir, wheel.filename);
    writeFileSync(built, wheel.bytes);
  }
  const destDir = join(identifier, "repaired_wheel");
  mkdirSync(destDir); // cibuildwheel creates it empty
  const project = tempDir("project");
  const log = join(root, "delocate-args");
  writeFileSync(log, "");
  const command = prepareCommand(template, { python: "python", pip: "pip", wheel: built, dest_dir: destDir, delocate_archs: "x86_64,arm64" });
  const result = sh(command, { cwd: project, env: recipeEnv(fakeBin({ "delocate-wheel": fakeDelocate }), { DELOCATE_LOG: log }) });
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    dest: wheelsIn(destDir),
    destDir,
    built,
    delocateArgs: readFileSync(log, "utf8").trim(),
  };
}

const cases = [
  { wheel: "arm64only", expected: "arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl" },
  { wheel: "emptyslice", expected: "emptyslice-1.0-cp313-cp313-macosx_11_0_arm64.whl" },
  { wheel: "correct", expected: "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl" },
] as const;

/** A wheel retag cannot repair: its extension exports PyInit in no slice (R102). */
const unrepairable = await makeWheel({
  filename: "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl",
  members: { "broken/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" } },
});

beforeAll(requireBuild);
afterAll(removeTempDirs);

describe("examples/ci/cibuildwheel.toml", () => {
  it("is a [tool.cibuildwheel.macos] table whose commands use cibuildwheel's placeholders", () => {
    expect(activeCommand()).toBe(
      "delocate-wheel --require-archs {delocate_archs} -w {dest_dir} -v {wheel} && pipx run wheel-retag {dest_dir}/*.whl",
    );
    expect(variantCommand()).toBe("pipx run wheel-retag -w {dest_dir} {wheel}");
    expect(macos()["audit-requires"]).toEqual(["wheel-retag"]);
    expect(commandOf(macos()["audit-command"])).toBe("wheel-retag check {wheel}");
  });

  describe("retag alone (-w {dest_dir} {wheel})", () => {
    it.each(cases)("$wheel: exactly $expected lands in {dest_dir}; {wheel} is left alone", ({ wheel, expected }) => {
      const run = repair(variantCommand(), wheel);
      expect(run.status, run.output).toBe(0);
      expect(run.dest).toEqual([expected]);
      expect(readFileSync(run.built)).toEqual(readFileSync(join(repoRoot, "examples", "wheels", run.built.slice(run.built.lastIndexOf("/") + 1))));
    });

    it("a wheel retag cannot repair fails the step and leaves {dest_dir} empty", () => {
      const run = repair(variantCommand(), unrepairable);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/R102/);
      expect(run.dest).toEqual([]);
    });
  });

  describe("after delocate-wheel (retag fixes {dest_dir}/*.whl in place)", () => {
    it.each(cases)("$wheel: {dest_dir} ends with exactly $expected", ({ wheel, expected }) => {
      const run = repair(activeCommand(), wheel);
      expect(run.status, run.output).toBe(0);
      expect(run.delocateArgs).toBe(`--require-archs x86_64,arm64 -w ${run.destDir} -v ${run.built}`);
      expect(run.dest).toEqual([expected]);
    });

    it("a correct wheel is not rewritten: {dest_dir} holds delocate's bytes", () => {
      const run = repair(activeCommand(), "correct");
      expect(readFileSync(join(run.destDir, run.dest[0] ?? ""))).toEqual(readFileSync(run.built));
    });

    it("a wheel retag cannot repair fails the step", () => {
      const run = repair(activeCommand(), unrepairable);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/R102/);
    });
  });

  describe("the audit step (wheel-retag check {wheel}, the console script of audit-requires)", () => {
    it.each([
      { wheel: "correct", status: 0, output: /OK/ },
      { wheel: "arm64only", status: 1, output: /R201 unsupported-arch/ },
      { wheel: "emptyslice", status: 1, output: /R201 unsupported-arch/ },
    ] as const)("$wheel: exit $status, and the wheel is left as it was", ({ wheel, status, output }) => {
      const dir = tempDir("audit");
      const [path] = copyExamples(dir, [wheel]) as [string];
      const before = readFileSync(path);
      const result = sh(prepareCommand(commandOf(macos()["audit-command"]), { wheel: path }), { cwd: tempDir("project"), env: recipeEnv(fakeBin()) });
      expect(result.status, result.stdout + result.stderr).toBe(status);
      expect(result.stdout).toMatch(output);
      expect(readFileSync(path)).toEqual(before);
    });
  });
});
