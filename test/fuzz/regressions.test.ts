// Inputs the fuzzer once broke a guarantee with, kept under test/fuzz/regressions/<name>/ (input.whl,
// the mutated Mach-O members alone as macho-<i>.bin, case.json with the file name and options), as
// `npm run fuzz` saves them in fuzz-failures/. Every guarantee must hold on them now. A case.json
// with `"known": "<id>"` is a bug the fuzz work may not fix itself (see known.ts): it runs as an
// expected failure until the bug is fixed, and then fails, so the marker gets removed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCase, hasZipfile, loadSavedCase, zipfileProblems } from "../../fuzz/harness.mjs";
import { api } from "./api.js";
import { KNOWN_BUGS, knownBug } from "./known.js";

const DIR = fileURLToPath(new URL("./regressions/", import.meta.url));
const cases = existsSync(DIR)
  ? readdirSync(DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, "case.json")))
      .map((d) => ({ name: d.name, dir: join(DIR, d.name), meta: JSON.parse(readFileSync(join(DIR, d.name, "case.json"), "utf8")) as { known?: string; about?: string } }))
  : [];

describe("fuzz regressions (test/fuzz/regressions/)", () => {
  it("has some", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const { name, dir, meta } of cases) {
    const title = `${name}: ${meta.about ?? "every guarantee holds"}`;
    if (meta.known !== undefined) {
      it(`${name} is marked with a known bug that known.ts lists, and still triggers it`, () => {
        expect(KNOWN_BUGS.map((b) => b.id)).toContain(meta.known);
        expect(knownBug(api, loadSavedCase(dir))).toBe(meta.known);
      });
      it.fails(`${title} [known bug ${meta.known}: expected to fail until fixed]`, async () => {
        expect((await checkCase(api, loadSavedCase(dir))).failures).toEqual([]);
      });
    } else {
      it(title, async () => {
        const outcome = await checkCase(api, loadSavedCase(dir));
        expect(outcome.failures).toEqual([]);
        // A rewrite also opens and reads back in Python's zipfile (what npm run fuzz checks in batches).
        if (outcome.output !== undefined && hasZipfile()) expect(Object.fromEntries(zipfileProblems([{ key: name, bytes: outcome.output.bytes }]))).toEqual({});
      });
    }
  }
});
