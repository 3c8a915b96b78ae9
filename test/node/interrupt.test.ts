// An interrupted run (SIGINT / SIGTERM) removes the temporaries it was writing before it exits, and
// an input that was replaced after it was read is recognised as changed.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openInput, type FileIdentity } from "../../src/node/file-source.js";
import { isUnchanged } from "../../src/node/write.js";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const built = existsSync(join(dist, "cli/main.js"));

describe.skipIf(!built)("signals (compiled CLI)", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ])("%s removes this process's temporaries in the output folders and exits %i", (signal, code) => {
    const dir = mkdtempSync(join(tmpdir(), "retag-signal-"));
    writeFileSync(join(dir, "other.whl"), "kept");
    // The child stands in for a run caught mid-write: a temporary of its own (as a worker thread
    // would leave it) in a folder it writes to, then the signal.
    const script = `
      import { writeFileSync } from "node:fs";
      import { join } from "node:path";
      const { installSignalHandlers } = await import(${JSON.stringify(join(dist, "cli/main.js"))});
      const { outputFolders, TEMP_PREFIX } = await import(${JSON.stringify(join(dist, "node/write.js"))});
      outputFolders.add(process.argv[1]);
      writeFileSync(join(process.argv[1], TEMP_PREFIX + process.pid + "-abcd-x.whl"), "half");
      installSignalHandlers();
      process.kill(process.pid, ${JSON.stringify(signal)});
      setTimeout(() => {}, 5000);
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, dir], { encoding: "utf8", timeout: 10_000 });
    expect(r.status).toBe(code);
    expect(r.stderr).toContain("interrupted");
    expect(readdirSync(dir)).toEqual(["other.whl"]);
  });
});

/** The identity of `path` as fix mode records it when it opens the input. */
function identityOf(path: string): FileIdentity {
  const input = openInput(path);
  input.close();
  return input.identity;
}

describe("isUnchanged", () => {
  it("notices a file replaced or rewritten after it was read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-identity-"));
    const path = join(dir, "a.whl");
    writeFileSync(path, "first");
    const identity = identityOf(path);
    expect(await isUnchanged(path, identity)).toBe(true);
    writeFileSync(path, "first, then more");
    expect(await isUnchanged(path, identity)).toBe(false);
  });

  it("notices a file replaced by another of the same size (a rebuilt wheel renamed into place)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-identity-"));
    const path = join(dir, "a.whl");
    writeFileSync(path, "first");
    const identity = identityOf(path);
    writeFileSync(join(dir, "b.whl"), "other");
    renameSync(join(dir, "b.whl"), path);
    expect(await isUnchanged(path, identity)).toBe(false);
  });

  it("notices a same-size write that sets the times back (issue 11 D6: only the change time tells)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-identity-"));
    const path = join(dir, "a.whl");
    writeFileSync(path, "0123456789");
    utimesSync(path, 1_700_000_000, 1_700_000_000); // whole seconds: they can be set back exactly
    const input = openInput(path);
    try {
      const fd = openSync(path, "r+");
      writeSync(fd, "XY", 4);
      closeSync(fd);
      utimesSync(path, 1_700_000_000, 1_700_000_000);
      const now = statSync(path, { bigint: true });
      expect([Number(now.size), now.mtimeNs]).toEqual([input.identity.size, input.identity.mtimeNs]);
      expect(input.isUnchanged()).toBe(false); // the open file
      expect(await isUnchanged(path, input.identity)).toBe(false); // the path
    } finally {
      input.close();
    }
  });

  it("says a deleted input changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retag-identity-"));
    const path = join(dir, "a.whl");
    writeFileSync(path, "x");
    const identity = identityOf(path);
    unlinkSync(path);
    expect(await isUnchanged(path, identity)).toBe(false);
  });
});
