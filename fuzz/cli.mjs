// @ts-check
// The command line on a fuzz case, in-process (the CLI's `main(argv, out, env)`): `retag check` and
// `retag -w DIR` on the wheel written to a temporary folder. What users depend on (DESIGN §4–5):
//  - the exit code is 0 or 1 (2 only for a file that cannot be read, 3 for an internal error: never
//    for a wheel that was read), and it is 1 exactly when the Node API says the wheel is not ok;
//  - `--format json` prints JSON;
//  - `-w DIR` receives exactly one wheel when the run succeeds and none when it fails, with the name
//    and bytes the Node API gives; the input is left alone; no temporary file is left behind.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function cliOptions(options) {
  const args = [];
  if (options.round !== undefined) args.push("--round", options.round);
  if (options.macosTarget !== undefined) args.push("--macos-target", options.macosTarget);
  if (options.strict === true) args.push("--strict");
  if (options.rehash === true) args.push("--rehash");
  if (options.requireArchs !== undefined) args.push("--require-archs", options.requireArchs.join(","));
  if (options.ignore !== undefined) args.push("--ignore", options.ignore.join(","));
  return args;
}

/** CLI flags take what the API takes (macosTarget "13" means 13.0 to both). */
function apiOptions(options) {
  return { ...options, ...(options.macosTarget !== undefined ? { macosTarget: options.macosTarget.includes(".") ? options.macosTarget : `${options.macosTarget}.0` } : {}) };
}

/** A file name the file system can hold; cases whose name cannot be one are skipped. */
function writable(filename) {
  return !/[/\\\0]/.test(filename) && filename !== "" && Buffer.byteLength(filename) < 250;
}

/**
 * @param {(argv: string[], out: { stdout(t: string): void, stderr(t: string): void }, env: object) => Promise<number>} cliMain
 * @returns {Promise<import("./guarantees.mjs").Failure[]>}
 */
export async function checkCli(cliMain, api, fuzzCase, tmpRoot) {
  if (!writable(fuzzCase.filename)) return [];
  const failures = [];
  const fail = (where, message, detail) => failures.push({ guarantee: "cli", where, message, ...(detail === undefined ? {} : { detail }) });
  const dir = mkdtempSync(join(tmpRoot, "case-"));
  try {
    const inputDir = join(dir, "in");
    const outputDir = join(dir, "out");
    mkdirSync(inputDir);
    mkdirSync(outputDir);
    const input = join(inputDir, fuzzCase.filename);
    writeFileSync(input, fuzzCase.bytes);
    const flags = ["--no-config", "--jobs", "1", ...cliOptions(fuzzCase.options)];
    const options = { ...apiOptions(fuzzCase.options), filename: fuzzCase.filename };
    let expected;
    let retag;
    try {
      expected = await api.checkWheel(fuzzCase.bytes, options);
      retag = await api.retagWheel(fuzzCase.bytes, options);
    } catch {
      return []; // the API itself failed: the guarantees report that
    }

    const run = async (argv) => {
      let stdout = "";
      let stderr = "";
      const out = { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) };
      let code;
      try {
        code = await cliMain(argv, out, {});
      } catch (error) {
        fail(argv[0], "main() threw", String(error?.stack ?? error));
        return null;
      }
      return { code, stdout, stderr };
    };

    const check = await run(["check", "--format", "json", ...flags, input]);
    if (check !== null) {
      if (check.code !== (expected.ok ? 0 : 1)) {
        fail("check", `exit code ${check.code}, but the API says ok is ${expected.ok}`, check.stderr.slice(0, 500));
      }
      try {
        JSON.parse(check.stdout);
      } catch {
        fail("check", "--format json printed something that is not JSON", check.stdout.slice(0, 200));
      }
    }

    const fix = await run(["fix", "-w", outputDir, ...flags, input]);
    if (fix !== null) {
      if (fix.code !== 0 && fix.code !== 1) fail("fix", `exit code ${fix.code}`, fix.stderr.slice(0, 500));
      const written = readdirSync(outputDir);
      const leftovers = [...written, ...readdirSync(inputDir)].filter((f) => f.startsWith(".retag-tmp-"));
      if (leftovers.length > 0) fail("fix", "a temporary file was left behind", leftovers.join(", "));
      const wheels = written.filter((f) => f.endsWith(".whl"));
      if (wheels.length !== (fix.code === 0 ? 1 : 0)) fail("fix", `exit code ${fix.code} with ${wheels.length} wheels in -w DIR`, wheels.join(", "));
      if (wheels.length === 1) {
        const bytes = readFileSync(join(outputDir, wheels[0]));
        const want = retag.action === "rewritten" ? retag.bytes : fuzzCase.bytes;
        if (wheels[0] !== retag.filename) fail("fix", "the wheel in -w DIR is not named as the API says", `${wheels[0]} vs ${retag.filename}`);
        if (want === null || !Buffer.from(want).equals(bytes)) fail("fix", "the wheel in -w DIR is not the API's output");
      }
      if (!Buffer.from(fuzzCase.bytes).equals(readFileSync(input))) fail("fix", "-w DIR changed the input");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
