// The progress line of remote checks (a terminal's stderr): bytes read of each wheel's size, as they
// arrive, cleared when the last wheel is done; none when the output has no terminal or with -q.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRemoteInputs } from "../../src/cli/remote-inputs.js";
import type { Output } from "../../src/cli/commands.js";
import { DEFAULT_CHECK_OPTIONS } from "../../src/flow/check.js";
import { bigWheel, exampleWheels } from "./helpers.js";
import { serveFile, startServer, type TestServer } from "./server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ [`/${bigWheel.filename}`]: serveFile(bigWheel.bytes), [`/${exampleWheels[0]!.filename}`]: serveFile(exampleWheels[0]!.bytes) });
});
afterAll(async () => {
  await server.close();
});

function output(withProgress: boolean): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, stdout: () => undefined, stderr: (s) => void errors.push(s), ...(withProgress ? { progress: (l: string) => void lines.push(l) } : {}) };
}

describe("remote progress", () => {
  it("counts each wheel's bytes against its size, one wheel at a time, and clears the line at the end", async () => {
    const out = output(true);
    const urls = [server.url(`/${bigWheel.filename}`), server.url(`/${exampleWheels[0]!.filename}`)];
    const { outcomes } = await checkRemoteInputs(urls, DEFAULT_CHECK_OPTIONS, { jobs: 1 }, out);
    expect(outcomes.map((o) => o.error)).toEqual([null, null]);
    expect(out.lines.at(-1)).toBe("");
    const big = out.lines.filter((l) => l.includes(bigWheel.filename));
    expect(big[0]).toMatch(/^\[1\/2\] pkg-1\.0-cp313-cp313-macosx_10_9_universal2\.whl: [0-9.]+ KiB of 2\.1 MiB read$/);
    expect(out.lines.some((l) => l.startsWith(`[2/2] ${exampleWheels[0]!.filename}: `))).toBe(true);
  });

  it.each([
    ["no terminal", false, {}],
    ["-q", true, { quiet: true }],
  ] as const)("%s: no progress line", async (_, terminal, options) => {
    const out = output(terminal);
    await checkRemoteInputs([server.url(`/${exampleWheels[0]!.filename}`)], DEFAULT_CHECK_OPTIONS, options, out);
    expect(out.lines).toEqual([]);
  });
});
