// The Node API: check a wheel, then fix it, as data. Nothing is printed or written by the library;
// reading and writing files is the caller's job.
//
//   node examples/node-api.mjs [OUT_DIR]     (default out/api; run `npm run build` first)
//
// Inside this repository "wheel-retag" resolves to the package itself (Node's self-reference through
// package.json "exports"); elsewhere, `npm install wheel-retag` first.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkWheel, retagWheel } from "wheel-retag";

const input = fileURLToPath(new URL("./wheels/arm64only-1.0-cp313-cp313-macosx_10_9_universal2.whl", import.meta.url));
const outDir = process.argv[2] ?? "out/api";

const bytes = new Uint8Array(await readFile(input));
// The file name is part of the input: its tags are the claim the binaries are checked against.
const filename = basename(input);

const check = await checkWheel(bytes, { filename });
console.log(`${filename}: ${check.tags.current.join(".")} → ${check.tags.expected?.join(".") ?? "(unknown)"}`);
for (const f of check.findings) console.log(`  ${f.severity} ${f.code}: ${f.message}`);

const result = await retagWheel(bytes, { filename });
if (result.action === "rewritten" && result.bytes !== null) {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, result.filename), result.bytes);
  console.log(`wrote ${join(outDir, result.filename)}`);
} else {
  console.log(`${result.action}: ${result.filename}`);
  process.exitCode = result.ok ? 0 : 1;
}
