// Shared by the network tests: the host's real ports with a recorded (instant) back-off, and the
// wheels served.
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RemotePorts } from "../../src/model/remote.js";
import { remotePortsFromGlobals } from "../../src/remote/globals.js";
import { makeWheel } from "../helpers/make-wheel.js";

/** Node's fetch, timers and URL (as the Node host passes them), with sleeps recorded instead of waited. */
export function realPorts(slept: number[] = []): RemotePorts {
  return {
    ...remotePortsFromGlobals(globalThis),
    sleep: async (ms: number) => {
      slept.push(ms);
    },
  };
}

const examplesDir = fileURLToPath(new URL("../../examples/wheels/", import.meta.url));

/** The example wheels of the repository, by file name. */
export const exampleWheels: ReadonlyArray<{ filename: string; bytes: Uint8Array }> = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".whl"))
  .sort()
  .map((filename) => ({ filename, bytes: new Uint8Array(readFileSync(examplesDir + filename)) }));

export const EXTENSION = "pkg/_m.cpython-313-darwin.so";
export const BIG_MEMBERS = ["pkg/data.bin", "pkg/more.bin"];

/**
 * A wheel where incompressible data members make most of the file and the extension sits before
 * them, far from the tail: reading the extension must not touch the data.
 */
export const bigWheel = await makeWheel({
  filename: "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl",
  members: {
    "pkg/__init__.py": "",
    [EXTENSION]: { fixture: "ext_arm64_11.0.so" },
    "pkg/data.bin": randomBytes(1_500_000),
    "pkg/more.bin": randomBytes(700_000),
  },
});

/** Bytes `[0, n)` of a repeating pattern, so a misplaced range shows as wrong bytes. */
export function patterned(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}
