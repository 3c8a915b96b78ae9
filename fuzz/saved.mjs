// @ts-check
// Failing inputs on disk: a folder per case with the wheel (input.whl), the mutated Mach-O members
// parsed alone (macho-<i>.bin), the mutated ELF / PE / wasm ones (native-<i>.bin) and case.json (file name, options, how it was made, what failed).
// `npm run fuzz` writes them under fuzz-failures/ (git-ignored); copied under test/fuzz/regressions/
// they become regression tests.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { failureSignature } from "./guarantees.mjs";

/** Writes one case under `outDir`; returns its folder. */
export function saveFailure(outDir, fuzzCase, failures, note) {
  const signatures = failures.map(failureSignature);
  const id = createHash("sha256").update(signatures.join("\n")).digest("hex").slice(0, 8);
  const dir = join(outDir, `${id}-seed${fuzzCase.runSeed}-case${fuzzCase.index}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "input.whl"), fuzzCase.bytes);
  fuzzCase.machos.forEach((m, i) => writeFileSync(join(dir, `macho-${i}.bin`), m.bytes));
  (fuzzCase.natives ?? []).forEach((m, i) => writeFileSync(join(dir, `native-${i}.bin`), m.bytes));
  const meta = {
    filename: fuzzCase.filename,
    options: fuzzCase.options,
    machos: fuzzCase.machos.map((m, i) => ({ name: m.name, file: `macho-${i}.bin` })),
    natives: (fuzzCase.natives ?? []).map((m, i) => ({ name: m.name, format: m.format, file: `native-${i}.bin` })),
    runSeed: fuzzCase.runSeed,
    index: fuzzCase.index,
    notes: fuzzCase.notes,
    // --replay runs these bytes; --seed/--case regenerates them (while the generator is unchanged).
    replay: [`node fuzz/run.mjs --replay ${dir}`, `node fuzz/run.mjs --seed ${fuzzCase.runSeed} --case ${fuzzCase.index}`],
    ...(note ? { note } : {}),
    failures: failures.map((f, i) => ({ ...f, signature: signatures[i] })),
  };
  writeFileSync(join(dir, "case.json"), `${JSON.stringify(meta, null, 2)}\n`);
  return dir;
}

/** A saved case (fuzz-failures/<…>/ or a committed regression) as a fuzz case. */
export function loadSavedCase(dir) {
  const meta = JSON.parse(readFileSync(join(dir, "case.json"), "utf8"));
  const plain = (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return {
    runSeed: meta.runSeed ?? 0,
    index: meta.index ?? 0,
    filename: meta.filename,
    bytes: plain(readFileSync(join(dir, "input.whl"))),
    options: meta.options ?? {},
    machos: (meta.machos ?? []).map((m) => ({ name: m.name, bytes: plain(readFileSync(join(dir, m.file))) })),
    natives: (meta.natives ?? []).map((m) => ({ name: m.name, format: m.format, bytes: plain(readFileSync(join(dir, m.file))) })),
    notes: meta.notes ?? [],
  };
}
