// The GitHub Action: action.yml declares what the runner needs; the committed action/ is exactly what
// `npm run build:action` builds from the sources ("check-dist"); and run as the runner runs it
// (`node action/index.js` in the workspace, inputs as INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files), it prints the CLI's own `--format github` annotations and summary,
// exits with the CLI's code, and sets `wheels` and `ok`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWheel } from "../helpers/make-wheel.js";
import { ActionInputError, outputLines, readInputs, retagArgv, splitArgs } from "../../src/entry/action-inputs.js";
import { copyExamples, exampleWheel, hasCommand, removeTempDirs, repoRoot, requireBuild, tempDir, wheelsIn } from "../recipes/helpers.js";

const actionDir = join(repoRoot, "action");

beforeAll(requireBuild);
afterAll(removeTempDirs);

/** GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` … `DELIMITER`. */
function parseOutputs(text: string): { [name: string]: string } {
  const outputs: { [name: string]: string } = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const multi = /^([^=<]+)<<(.+)$/.exec(line);
    if (multi !== null) {
      const end = lines.indexOf(multi[2] as string, i + 1);
      expect(end, `no closing delimiter for ${multi[1]}`).toBeGreaterThan(i);
      outputs[multi[1] as string] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

interface RunnerRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: { [name: string]: string };
  summary: string;
}

/** `node <main>` as the runner starts a node24 action: in the workspace, with the step's files. */
function asRunner(main: string[], workspace: string, inputs: { [name: string]: string }): RunnerRun {
  const files = tempDir("runner-files");
  const outputFile = join(files, "output");
  const summaryFile = join(files, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const r = spawnSync(process.execPath, main, { cwd: workspace, env, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: parseOutputs(readFileSync(outputFile, "utf8")), summary: readFileSync(summaryFile, "utf8") };
}

const action = (workspace: string, inputs: { [name: string]: string }) => asRunner([join(actionDir, "index.js")], workspace, inputs);
/** The CLI itself, with the same step files: what the Action must pass through. */
const cli = (workspace: string, argv: string[]) => asRunner([join(repoRoot, "bin", "retag.js"), ...argv], workspace, {});

/** The inputs as action.yml's defaults give them (the runner passes defaults as INPUT_* too). */
const defaults = { paths: "dist/*.whl", command: "check", args: "" };

describe("action.yml", () => {
  const yaml = hasCommand("python3") && spawnSync("python3", ["-c", "import yaml"]).status === 0;
  it.skipIf(!yaml)(`runs action/index.js on node24 with inputs paths, command, args and outputs wheels, ok${yaml ? "" : " (skipped: PyYAML not found)"}`, () => {
    const r = spawnSync("python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", join(repoRoot, "action.yml")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { runs: { using: string; main: string }; inputs: { [k: string]: { default?: string; required?: boolean } }; outputs: { [k: string]: unknown } };
    expect(doc.runs).toEqual({ using: "node24", main: "action/index.js" });
    expect(Object.keys(doc.inputs)).toEqual(["paths", "command", "args"]);
    expect(Object.fromEntries(Object.entries(doc.inputs).map(([k, v]) => [k, v.default]))).toEqual(defaults);
    expect(Object.values(doc.inputs).every((i) => i.required === false)).toBe(true);
    expect(Object.keys(doc.outputs)).toEqual(["wheels", "ok"]);
  });
});

describe("action/ (committed)", () => {
  it("is what npm run build:action builds from the sources (run it and commit action/ when this fails)", () => {
    const rebuilt = tempDir("action-rebuild");
    const r = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-bundle.mjs"), "--action-dir", rebuilt], { cwd: repoRoot, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(actionDir).sort()).toEqual(readdirSync(rebuilt).sort());
    for (const file of readdirSync(rebuilt)) {
      expect(readFileSync(join(actionDir, file)).equals(readFileSync(join(rebuilt, file))), `action/${file} differs from a rebuild`).toBe(true);
    }
  }, 60_000);
});

describe("run as the runner runs it", () => {
  it("check (the defaults): the CLI's annotations and summary, exit 1, wheels = the checked wheels, ok=false", () => {
    const workspace = tempDir("gha-check");
    const wheels = copyExamples(join(workspace, "dist"), ["arm64only", "correct"]);
    const before = wheels.map((w) => readFileSync(w));
    const run = action(workspace, defaults);
    const direct = cli(workspace, ["check", "--format", "github", "dist/*.whl"]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe(direct.stdout);
    expect(run.summary).toBe(direct.summary);
    // What the CLI prints today: one annotation for the wrong wheel. (With issue 10's CLI, more
    // annotations and a summary table appear; the two lines above keep the Action passing them on.)
    expect(run.stdout).toMatch(/^::error file=dist\/arm64only-1\.0-cp313-cp313-macosx_10_9_universal2\.whl,title=R201 unsupported-arch::/m);
    expect(run.outputs).toEqual({
      wheels: "dist/arm64only-1.0-cp313-cp313-macosx_10_9_universal2.whl\ndist/correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      ok: "false",
    });
    expect(wheels.map((w) => readFileSync(w))).toEqual(before);
  });

  it("check of correct wheels: exit 0, ok=true, no error annotation", () => {
    const workspace = tempDir("gha-ok");
    copyExamples(join(workspace, "dist"), ["correct"]);
    const run = action(workspace, defaults);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.outputs).toEqual({ wheels: "dist/correct-1.0-cp313-cp313-macosx_10_9_universal2.whl", ok: "true" });
  });

  it("fix with -w in args (paths on several lines): wheels = where each was written, inputs left alone", () => {
    const workspace = tempDir("gha-fix-w");
    copyExamples(join(workspace, "dist"), ["arm64only"]);
    copyExamples(join(workspace, "other"), ["correct", "emptyslice"]);
    const run = action(workspace, { paths: "dist/*.whl\n  other/  \n", command: "fix", args: "-w 'wheel house' --ignore R110" });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const written = ["arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl", "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl", "emptyslice-1.0-cp313-cp313-macosx_11_0_arm64.whl"];
    expect(wheelsIn(join(workspace, "wheel house"))).toEqual(written);
    expect(run.outputs.wheels?.split("\n").sort()).toEqual(written.map((w) => `wheel house/${w}`));
    expect(run.outputs.ok).toBe("true");
    expect(readFileSync(join(workspace, "dist", basename(exampleWheel("arm64only"))))).toEqual(readFileSync(exampleWheel("arm64only")));
  });

  it("fix in place: wheels = the renamed files; a wheel no tag can fix fails the step and is left out", async () => {
    const workspace = tempDir("gha-fix");
    copyExamples(join(workspace, "dist"), ["arm64only", "correct"]);
    const broken = await makeWheel({ filename: "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl", members: { "broken/_m.cpython-313-darwin.so": { fixture: "noinit_arm64.so" } } });
    writeFileSync(join(workspace, "dist", broken.filename), broken.bytes);
    const run = action(workspace, { ...defaults, command: "fix" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=dist\/broken-1\.0-cp313-cp313-macosx_11_0_arm64\.whl,title=R102 /m);
    expect(wheelsIn(join(workspace, "dist"))).toEqual([
      "arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl",
      "broken-1.0-cp313-cp313-macosx_11_0_arm64.whl",
      "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
    ]);
    expect(run.outputs).toEqual({
      wheels: "dist/arm64only-1.0-cp313-cp313-macosx_11_0_arm64.whl\ndist/correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      ok: "false",
    });
  });

  it.each([
    { name: "an unknown command", inputs: { ...defaults, command: "repair" }, message: /input command must be check or fix, not "repair"/ },
    { name: "args with an open quote", inputs: { ...defaults, args: "--ignore 'R205" }, message: /input args has an unclosed '/ },
    { name: "blank paths", inputs: { ...defaults, paths: "\n \n" }, message: /input paths is empty/ },
  ])("a bad input ($name) is one ::error and exit 2, with no outputs", ({ inputs, message }) => {
    const workspace = tempDir("gha-bad");
    copyExamples(join(workspace, "dist"), ["correct"]);
    const run = action(workspace, inputs);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^::error title=wheel-retag::/);
    expect(run.stdout).toMatch(message);
    expect(run.outputs).toEqual({});
  });

  it("no wheel matching paths is the CLI's usage error (exit 2), ok=false", () => {
    const workspace = tempDir("gha-none");
    const run = action(workspace, defaults);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/::error file=dist\/\*\.whl,title=retag%3A could not be read::no file matches this pattern/);
    expect(run.outputs).toEqual({ wheels: "", ok: "false" });
    expect(existsSync(join(workspace, "dist"))).toBe(false);
  });
});

describe("the inputs → retag's command line", () => {
  it.each([
    ["", []],
    ["--strict", ["--strict"]],
    ["  -w wheelhouse   --ignore R205,R3 ", ["-w", "wheelhouse", "--ignore", "R205,R3"]],
    [`--macos-target "11.0" -w 'my wheels'`, ["--macos-target", "11.0", "-w", "my wheels"]],
    [`-w my\\ wheels --ignore=""`, ["-w", "my wheels", "--ignore="]],
    [`"a \\"quoted\\" word" 'no \\escape'`, [`a "quoted" word`, "no \\escape"]],
    ["--strict\n--rehash", ["--strict", "--rehash"]],
  ])("args %j → %j", (text, words) => {
    expect(splitArgs(text)).toEqual(words);
  });

  it.each([`'open`, `"open`, `a "b c`])("args %j (unbalanced) is an error", (text) => {
    expect(() => splitArgs(text)).toThrow(ActionInputError);
  });

  it("unset inputs take action.yml's defaults, so the Action run by hand behaves the same", () => {
    expect(readInputs({})).toEqual({ command: "check", paths: ["dist/*.whl"], args: [] });
    expect(retagArgv(readInputs({ INPUT_COMMAND: "fix", INPUT_PATHS: "a.whl\r\nb/", INPUT_ARGS: "-n" }))).toEqual(["fix", "--format", "github", "-n", "a.whl", "b/"]);
  });

  it("outputs: one line each, the heredoc form for a value with line breaks", () => {
    expect(outputLines({ wheels: "a.whl\nb.whl", ok: "true" }, "EOF_1")).toBe("wheels<<EOF_1\na.whl\nb.whl\nEOF_1\nok=true\n");
    expect(outputLines({ wheels: "a.whl" }, "EOF_1")).toBe("wheels=a.whl\n");
    expect(() => outputLines({ wheels: "x\nEOF_1" }, "EOF_1")).toThrow();
  });
});

it("action/index.js beside a copy of the example wheels needs nothing else (no node_modules, no install)", () => {
  const workspace = tempDir("gha-copy");
  const copy = tempDir("action-copy");
  for (const f of readdirSync(actionDir)) copyFileSync(join(actionDir, f), join(copy, f));
  copyExamples(join(workspace, "dist"), ["arm64only", "correct", "emptyslice"]);
  // Three wheels with --jobs 2: worker threads load the worker.js beside index.js.
  const run = asRunner([join(copy, "index.js")], workspace, { ...defaults, args: "--jobs 2" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(1);
  expect(run.stdout.match(/title=R201 /g)).toHaveLength(2);
});
