// @ts-check
// `node scripts/npm-manifest.mjs strip|restore [DIR]` — npm's prepack / postpack.
//
// A checkout needs `prepare` (a plain `npm install` there builds dist/ and dist-bundle/), but a
// tarball that carries it makes every `npm install ./wheel-retag-X.tgz` warn about an install
// script it does not need: the tarball already holds the built files. So `npm pack` / `npm publish`
// pack a package.json without `prepare` and put the original back afterwards (npm re-reads
// package.json after prepack, which is also why prepack runs the build itself).
//
// The original bytes are kept in package.json.prepack (git-ignored) until `restore`; a `strip` that
// finds one refuses, so an interrupted pack is never stripped twice and the original is never lost.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [command, dir = "."] = process.argv.slice(2);
const manifest = join(resolve(dir), "package.json");
const backup = `${manifest}.prepack`;

function fail(message) {
  console.error(`npm-manifest: ${message}`);
  process.exit(1);
}

if (command === "strip") {
  if (existsSync(backup)) fail(`${backup} exists: an earlier pack was interrupted; run \`node scripts/npm-manifest.mjs restore\` first`);
  const original = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(original);
  if (pkg.scripts !== undefined) delete pkg.scripts.prepare;
  writeFileSync(backup, original);
  // Written beside and renamed over, so nothing ever reads half a package.json.
  writeFileSync(`${manifest}.tmp`, `${JSON.stringify(pkg, null, 2)}\n`);
  renameSync(`${manifest}.tmp`, manifest);
} else if (command === "restore") {
  if (existsSync(backup)) renameSync(backup, manifest);
} else {
  fail("usage: node scripts/npm-manifest.mjs strip|restore [DIR]");
}
