// The reader against real third-party files in ../shared/corpus (never copied into the repository):
// every file under real/ is compared with binaries.json (llvm-objdump's view), and every binary inside
// the corpus wheels with expected.json. Skipped, with a message, when the corpus is absent (CI).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { MachOError } from "../../src/model/errors.js";
import { exportsSymbol, parseMachO } from "../../src/macho/index.js";
import type { MachOFile, Slice } from "../../src/model/macho.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const corpus = resolve(repoRoot, "../shared/corpus");
const present = existsSync(join(corpus, "binaries.json"));
const title = present ? "the real-world corpus" : "the real-world corpus — skipped: ../shared/corpus is absent";

interface ExpectedSlice {
  arch: string;
  filetype: string;
  platform: string | null;
  minos: string | null;
  sdk: string | null;
  version_cmd: string | null;
  pyinit_exported?: boolean | null;
}

interface ExpectedBinary {
  path: string;
  container: string;
  corrupt: boolean;
  slices: ExpectedSlice[];
  pyinit_symbol?: string | null;
}

/**
 * Where retag deliberately disagrees with llvm-objdump 19. LLVM only checks that a load command stays
 * inside the file; dyld (and the issue) require it to stay inside sizeofcmds, so this yaml2obj file
 * (one 16-byte command, sizeofcmds 8) is corrupt for retag.
 */
const DEVIATIONS: Record<string, string> = {
  "real/ruby-macho/yaml2obj/load-cmdsize-too-large.macho": "load command 0 .* runs past the end of the load commands",
};

/**
 * llvm-objdump's spelling → retag's: PowerPC subtypes are all `ppc` (LLVM 19 cannot name ppc7400 and
 * prints `unknown(18,10)`), file types are lower-case, and an sdk of 0 is "n/a" there, "0.0" here.
 */
function normalize(expected: ExpectedSlice): Partial<Slice> {
  return {
    arch: expected.arch === "ppc7400" || expected.arch === "unknown(18,10)" ? "ppc" : expected.arch,
    filetype: expected.filetype.toLowerCase() as Slice["filetype"],
    platform: expected.platform as Slice["platform"],
    minos: expected.minos,
    sdk: expected.sdk === "n/a" ? "0.0" : expected.sdk,
    versionCommand: expected.version_cmd as Slice["versionCommand"],
  };
}

function facts(slice: Slice): Partial<Slice> {
  const { arch, filetype, platform, minos, sdk, versionCommand } = slice;
  return { arch, filetype, platform, minos, sdk, versionCommand };
}

/** Checks a parse against an expected binary (binaries.json / expected.json use the same shape). */
function check(bytes: Uint8Array, expected: ExpectedBinary): MachOFile | null {
  if (expected.corrupt) {
    expect(() => parseMachO(bytes)).toThrow(MachOError);
    return null;
  }
  const parsed = parseMachO(bytes);
  expect(parsed).not.toBeNull();
  const container = expected.container.startsWith("thin") ? "thin" : expected.container;
  expect(parsed!.container).toBe(container);
  if (container !== "archive") expect(parsed!.slices.map(facts)).toEqual(expected.slices.map(normalize));
  return parsed;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe.skipIf(!present)(title, () => {
  const binaries: ExpectedBinary[] = present ? JSON.parse(readFileSync(join(corpus, "binaries.json"), "utf8")) : [];
  const byPath = new Map(binaries.map((b) => [b.path, b]));
  const files = present ? walk(join(corpus, "real")).map((p) => relative(corpus, p)).sort() : [];

  it("lists every Mach-O file under real/ in binaries.json", () => {
    for (const b of binaries) expect(files).toContain(b.path);
  });

  it.each(files)("%s", (path) => {
    const bytes = new Uint8Array(readFileSync(join(corpus, path)));
    const expected = byPath.get(path);
    const deviation = DEVIATIONS[path];
    if (deviation !== undefined) {
      expect(() => parseMachO(bytes)).toThrow(new RegExp(deviation));
    } else if (expected === undefined) {
      expect(parseMachO(bytes)).toBeNull(); // wheels, licences, SOURCES.md
    } else {
      check(bytes, expected);
    }
  });

  interface ExpectedWheel {
    file: string;
    binaries: (ExpectedBinary & { pyinit_symbol: string | null })[];
  }
  const wheels: ExpectedWheel[] = present ? JSON.parse(readFileSync(join(corpus, "expected.json"), "utf8")) : [];

  it.each(wheels.map((w) => [w.file, w] as const))("binaries inside %s", async (_file, wheel) => {
    const zip = await JSZip.loadAsync(readFileSync(join(corpus, wheel.file)));
    for (const binary of wheel.binaries) {
      const member = zip.file(binary.path);
      expect(member, binary.path).not.toBeNull();
      const bytes = await member!.async("uint8array");
      const parsed = check(bytes, binary);
      if (parsed === null || binary.pyinit_symbol === null) continue;
      const symbol = binary.pyinit_symbol;
      expect(parsed.slices.map((s) => exportsSymbol(s, symbol)), `${binary.path} exports ${symbol}`).toEqual(
        binary.slices.map((s) => s.pyinit_exported),
      );
    }
  });
});
