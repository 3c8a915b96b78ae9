// Access to the Mach-O fixtures built by test/fixtures/build.sh, for any test that needs real binaries.
// test/fixtures/manifest.json says what each one is for and which module name it was built with.

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface FixtureEntry {
  /** File name in test/fixtures/macho/. */
  file: string;
  /** The MODNAME it was built with: its slices should export `_PyInit_<module>`; null when not an extension. */
  module: string | null;
  /** A name to give it inside a test wheel (an extension module needs `<module>.<tag>.so`). */
  member: string;
  purpose: string;
}

export const manifest: readonly FixtureEntry[] = (
  JSON.parse(readFileSync(`${fixturesDir}manifest.json`, "utf8")) as { fixtures: FixtureEntry[] }
).fixtures;

/** The manifest entry of a fixture; throws for a name that is not one, so a typo fails loudly. */
export function fixtureEntry(name: string): FixtureEntry {
  const entry = manifest.find((f) => f.file === name);
  if (!entry) throw new Error(`no fixture named ${name} in test/fixtures/manifest.json`);
  return entry;
}

/** Absolute path of test/fixtures/macho/<name>. */
export function fixturePath(name: string): string {
  return `${fixturesDir}macho/${fixtureEntry(name).file}`;
}

/** The fixture's bytes, as a plain Uint8Array (not a Buffer, like the bytes a zip reader gives). */
export function readFixture(name: string): Uint8Array {
  const buffer = readFileSync(fixturePath(name));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The third-party corpus (`../shared/corpus` from the repository root), or null when this checkout
 * has none (CI): tests that use it must skip with a message then. Never copy files from it.
 */
export const corpusDir: string | null = (() => {
  const dir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
  return existsSync(dir) ? dir : null;
})();
