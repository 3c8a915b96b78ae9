// @ts-check
// Python's zipfile, the reader pip installs wheels with, as the judge of every rewrite the fuzzer
// produces (issue 11, D11: retag once wrote a rewrite pip could not open). Starting Python costs far
// more than checking one wheel, so rewrites are checked in batches: written to a folder, then one
// python3 process opens each with zipfile.ZipFile and reads every member back (testzip: the CRCs).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = `
import json, os, sys, zipfile
problems = {}
for name in sorted(os.listdir(sys.argv[1])):
    try:
        with zipfile.ZipFile(os.path.join(sys.argv[1], name)) as z:
            bad = z.testzip()
            if bad is not None:
                problems[name] = "bad CRC in " + bad
    except Exception as e:
        problems[name] = type(e).__name__ + ": " + str(e)
print(json.dumps(problems))
`;

/** True when python3 with zipfile can be run here. */
export function hasZipfile() {
  return spawnSync("python3", ["-c", "import zipfile"], { stdio: "ignore" }).status === 0;
}

/**
 * Opens every archive with Python's zipfile and reads all its members.
 * @param {Array<{ key: string, bytes: Uint8Array }>} archives  `key` names the archive in the answer
 * @returns {Map<string, string>} what zipfile said about each archive it could not read
 */
export function zipfileProblems(archives) {
  const problems = new Map();
  if (archives.length === 0) return problems;
  const dir = mkdtempSync(join(tmpdir(), "retag-zipfile-"));
  try {
    archives.forEach((a, i) => writeFileSync(join(dir, `${i}.zip`), a.bytes));
    const run = spawnSync("python3", ["-c", SCRIPT, dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`python3 zipfile check failed: ${run.stderr}`);
    for (const [file, problem] of Object.entries(JSON.parse(run.stdout))) {
      const archive = archives[Number(file.replace(/\.zip$/, ""))];
      if (archive !== undefined) problems.set(archive.key, String(problem));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}
