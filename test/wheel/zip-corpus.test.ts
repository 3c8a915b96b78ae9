// Real wheels from ../shared/corpus (third-party files, never copied into the repository; absent on a
// clean clone, where this file skips): openZip agrees with jszip on every member, and a rewrite with
// no changes gives back the exact bytes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memberNameProblems, openZip } from "../../src/zip/index.js";
import { readMemberBytes as readMember, rewriteZipBytes as rewriteZip } from "../helpers/core.js";
import { concatBytes, readWithJszip, sameBytes } from "../helpers/make-zip.js";

const wheelsDir = fileURLToPath(new URL("../../../shared/corpus/wheels/", import.meta.url));
const wheels = existsSync(wheelsDir) ? readdirSync(wheelsDir).filter((f) => f.endsWith(".whl")) : [];

describe.skipIf(wheels.length === 0)("real wheels (../shared/corpus; skipped when the corpus is absent)", () => {
  it.each(wheels)("%s", async (file) => {
    const bytes = new Uint8Array(readFileSync(wheelsDir + file));
    const archive = await openZip(bytes);
    const independent = await readWithJszip(bytes);
    expect(archive.members.map((m) => m.name)).toEqual(independent.map((m) => m.name));
    for (const [i, member] of archive.members.entries()) {
      expect(sameBytes(await readMember(archive, member), independent[i]!.data)).toBe(true);
    }
    expect(memberNameProblems(archive.members)).toEqual([]);
    expect(sameBytes(concatBytes(await rewriteZip(archive, { replace: new Map(), drop: new Set() })), bytes)).toBe(true);
  });
});

if (wheels.length === 0) console.warn(`zip-corpus: ${wheelsDir} not found, real-wheel checks skipped`);
