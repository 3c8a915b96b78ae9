// @ts-check
// The seed pool: the repository's own Mach-O fixtures (test/fixtures/macho/, built from our C sources
// by test/fixtures/build.sh) with the member names test/fixtures/manifest.json gives them, and the
// example wheels (examples/wheels/). Nothing from ../shared/corpus: that is third-party data, and a
// failing input derived from it could not become a committed regression test.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * @typedef {{ file: string, module: string | null, member: string, bytes: Uint8Array }} FixtureSeed
 * @typedef {{ filename: string, bytes: Uint8Array }} WheelSeed
 * @typedef {{ file: string, module: string | null, member: string, format: string, bytes: Uint8Array }} NativeSeed
 * @typedef {{ fixtures: FixtureSeed[], wheels: WheelSeed[], natives?: NativeSeed[] }} SeedPool
 */

function plain(buffer) {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads the pool from a checkout of the repository (sorted, so a seed means the same run everywhere). */
export function loadSeedPool(root) {
  const manifestPath = join(root, "test", "fixtures", "manifest.json");
  const fixtures = [];
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const entry of [...manifest.fixtures].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      const path = join(root, "test", "fixtures", "macho", entry.file);
      if (existsSync(path)) fixtures.push({ file: entry.file, module: entry.module, member: entry.member, bytes: plain(readFileSync(path)) });
    }
  }
  const wheelsDir = join(root, "examples", "wheels");
  const wheels = existsSync(wheelsDir)
    ? readdirSync(wheelsDir)
        .filter((f) => f.endsWith(".whl"))
        .sort()
        .map((filename) => ({ filename, bytes: plain(readFileSync(join(wheelsDir, filename))) }))
    : [];
  if (fixtures.length === 0) throw new Error(`no Mach-O fixtures under ${join(root, "test", "fixtures")}`);
  return { fixtures, wheels, natives: loadNativeSeeds(root) };
}

/**
 * The ELF, PE and wasm fixtures (test/fixtures/elf/, pe/, wasm/, built by build-native.sh from our
 * sources) and the iOS Mach-O ones, with their manifest member names: seeds for the wheels of the
 * other platform families (fuzz/native.mjs). Sorted per format, so a seed means the same run everywhere.
 */
export function loadNativeSeeds(root) {
  const manifestPath = join(root, "test", "fixtures", "manifest.json");
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const natives = [];
  for (const format of ["elf", "pe", "wasm"]) {
    for (const entry of [...(manifest[format] ?? [])].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      const path = join(root, "test", "fixtures", format, entry.file);
      if (existsSync(path)) natives.push({ file: entry.file, module: entry.module, member: entry.member, format, bytes: plain(readFileSync(path)) });
    }
  }
  for (const entry of manifest.fixtures.filter((f) => /iphone/.test(f.member) || /_ios_/.test(f.file))) {
    const path = join(root, "test", "fixtures", "macho", entry.file);
    if (existsSync(path)) natives.push({ file: entry.file, module: entry.module, member: entry.member, format: "macho", bytes: plain(readFileSync(path)) });
  }
  return natives;
}
