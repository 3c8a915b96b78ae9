// Colours only where a person reads them; a progress line only for batches, on a terminal, in text mode.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { COLOR, wantsColor } from "../../src/cli/style.js";
import { makeWheel } from "../helpers/make-wheel.js";

describe("wantsColor", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [false, { FORCE_COLOR: "1" }, true],
    [true, { FORCE_COLOR: "0" }, false],
    [true, { NO_COLOR: "1", FORCE_COLOR: "1" }, true],
    [true, { TERM: "dumb" }, false],
  ])("tty=%s env=%j → %s", (tty, env, expected) => {
    expect(wantsColor(tty, env)).toBe(expected);
  });
});

describe("console output", () => {
  const dir = mkdtempSync(join(tmpdir(), "retag-style-"));
  const names = ["a", "b", "c", "d", "e"].map((n) => join(dir, `${n}-1.0-cp313-cp313-macosx_10_9_universal2.whl`));
  beforeAll(async () => {
    for (const path of names) {
      const filename = path.slice(dir.length + 1);
      const n = filename.split("-")[0]!;
      writeFileSync(path, (await makeWheel({ filename, members: { [`${n}/_m.cpython-313-darwin.so`]: { fixture: "ext_arm64_11.0.so" } } })).bytes);
    }
  });

  async function run(argv: string[]) {
    let stdout = "";
    const progress: string[] = [];
    const code = await main(argv, { stdout: (s) => void (stdout += `${s}\n`), stderr: () => undefined, style: COLOR, progress: (l) => void progress.push(l) }, {});
    return { code, stdout, progress };
  }

  it("colours severities in text mode and reports progress for a batch", async () => {
    const { stdout, progress } = await run(["check", dir]);
    expect(stdout).toContain("\u001b[31merror\u001b[39m");
    // Wheels finish in any order; each count appears once, with the name of a wheel of the batch.
    const shown = names.map((n) => n.slice(dir.length + 1));
    for (const count of [1, 2, 3, 4]) {
      expect(progress.filter((l) => l.startsWith(`[${count}/5] `)).map((l) => l.slice(`[${count}/5] `.length))).toSatisfy((ls: string[]) => ls.length === 1 && shown.includes(ls[0]!));
    }
    expect(progress.at(-1)).toBe(""); // the line is cleared at the end
  });

  it("never colours or reports progress in JSON", async () => {
    const { stdout, progress } = await run(["check", "--format", "json", dir]);
    expect(stdout).not.toContain("\u001b[");
    expect(progress).toEqual([]);
  });

  it("reports no progress for a few wheels", async () => {
    const { progress } = await run(["check", ...names.slice(0, 3)]);
    expect(progress).toEqual([]);
  });
});
