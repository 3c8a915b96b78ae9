// The example wheels in examples/wheels/ are built from the repo's own fixtures by this test's specs
// (run with UPDATE_EXAMPLES=1 to write them), and the README's first command must fix them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkWheel } from "../src/index.js";
import { makeWheel, type WheelSpec } from "./helpers/make-wheel.js";

const dir = fileURLToPath(new URL("../examples/wheels/", import.meta.url));

const module = (text: string): string => `"""${text}"""\n`;

/** Each example: how it is built, and what retag must say about it. */
const examples: Array<{ spec: WheelSpec; expected: string[]; rewrite: boolean; codes: string[] }> = [
  {
    // The universal2 story: built on a universal2 Python, but only the arm64 half was compiled.
    spec: {
      filename: "arm64only-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: {
        "arm64only/__init__.py": module("Tagged universal2, but its extension holds only arm64 code."),
        "arm64only/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" },
      },
    },
    expected: ["macosx_11_0_arm64"],
    rewrite: true,
    codes: ["R201"],
  },
  {
    // The python-ldap case: a fat file whose x86_64 slice was linked from no objects.
    spec: {
      filename: "emptyslice-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: {
        "emptyslice/__init__.py": module("A fat extension whose x86_64 slice does not export PyInit__ldap."),
        "emptyslice/_ldap.cpython-313-darwin.so": { fixture: "ext_universal2_x86_64_noinit.so" },
      },
    },
    expected: ["macosx_11_0_arm64"],
    rewrite: true,
    codes: ["R110", "R201"],
  },
  {
    // A correct universal2 wheel: retag leaves it byte for byte alone.
    spec: {
      filename: "correct-1.0-cp313-cp313-macosx_10_9_universal2.whl",
      members: {
        "correct/__init__.py": module("A real universal2 extension: x86_64 10.9 + arm64 11.0."),
        "correct/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" },
      },
    },
    expected: ["macosx_10_9_universal2"],
    rewrite: false,
    codes: [],
  },
];

if (process.env.UPDATE_EXAMPLES) {
  mkdirSync(dir, { recursive: true });
  for (const e of examples) writeFileSync(`${dir}${e.spec.filename}`, (await makeWheel(e.spec)).bytes);
}

describe("examples/wheels", () => {
  it.each(examples.map((e) => [e.spec.filename, e] as const))("%s is what its spec builds, and retag says so", async (filename, e) => {
    expect(existsSync(`${dir}${filename}`), "run UPDATE_EXAMPLES=1 npx vitest run test/examples.test.ts").toBe(true);
    const bytes = new Uint8Array(readFileSync(`${dir}${filename}`));
    expect(Buffer.from(bytes).equals(Buffer.from((await makeWheel(e.spec)).bytes))).toBe(true);
    const result = await checkWheel(bytes, { filename });
    expect(result.tags.expected).toEqual(e.expected);
    expect(result.needsRewrite).toBe(e.rewrite);
    expect(result.findings.filter((f) => f.severity !== "info").map((f) => f.code).sort()).toEqual(e.codes);
  });
});
