// DESIGN §7: inflating what must be read is the floor of a check, so each member is inflated once:
// the same bytes are hashed against RECORD and sniffed for a binary. Counted at two levels: the zip
// layer's readMember / readMemberInto / readMemberHead (per member), and the inflates (node:zlib's
// inflateRawSync, the reused inflater of src/node/inflate-small.ts, and each inflater of
// src/node/inflate-into.ts, which inflates one member into a reused buffer).
import { describe, expect, test, vi } from "vitest";

const calls = vi.hoisted(() => ({ readMember: new Map<number, number>(), readMemberHead: 0, inflateRawSync: 0 }));

vi.mock("node:zlib", async (importOriginal) => {
  const zlib = await importOriginal<typeof import("node:zlib")>();
  return {
    ...zlib,
    inflateRawSync: (...args: Parameters<typeof zlib.inflateRawSync>) => {
      calls.inflateRawSync++;
      return zlib.inflateRawSync(...args);
    },
  };
});

// Small members are inflated by one reused inflater (src/node/inflate-small.ts), the rest by zlib's one-shot call.
vi.mock("../../src/node/inflate-small.js", async (importOriginal) => {
  const small = await importOriginal<typeof import("../../src/node/inflate-small.js")>();
  return {
    ...small,
    inflateSmall: (...args: Parameters<typeof small.inflateSmall>) => {
      const out = small.inflateSmall(...args);
      if (out !== null) calls.inflateRawSync++;
      return out;
    },
  };
});

// Members read into reused buffers: one inflater per member, fed its compressed data in pieces.
vi.mock("../../src/node/inflate-into.js", async (importOriginal) => {
  const into = await importOriginal<typeof import("../../src/node/inflate-into.js")>();
  const counted =
    (make: typeof into.foregroundInflater): typeof into.foregroundInflater =>
    (target) => {
      const inflater = make(target);
      if (inflater !== null) calls.inflateRawSync++;
      return inflater;
    };
  return { ...into, foregroundInflater: counted(into.foregroundInflater), backgroundInflater: counted(into.backgroundInflater) };
});

vi.mock("../../src/zip/member-into.js", async (importOriginal) => {
  const zip = await importOriginal<typeof import("../../src/zip/member-into.js")>();
  return {
    ...zip,
    readMemberInto: (...args: Parameters<typeof zip.readMemberInto>) => {
      const index = args[1].index;
      calls.readMember.set(index, (calls.readMember.get(index) ?? 0) + 1);
      return zip.readMemberInto(...args);
    },
  };
});

vi.mock("../../src/zip/index.js", async (importOriginal) => {
  const zip = await importOriginal<typeof import("../../src/zip/index.js")>();
  return {
    ...zip,
    readMember: (...args: Parameters<typeof zip.readMember>) => {
      const index = args[1].index;
      calls.readMember.set(index, (calls.readMember.get(index) ?? 0) + 1);
      return zip.readMember(...args);
    },
    readMemberHead: (...args: Parameters<typeof zip.readMemberHead>) => {
      calls.readMemberHead++;
      return zip.readMemberHead(...args);
    },
  };
});

const { checkBytes } = await import("../helpers/core.js");
const { openZip } = await import("../../src/zip/index.js");
const { makeWheel } = await import("../helpers/make-wheel.js");

describe("each member is inflated once per check", () => {
  test.each([
    ["a correct wheel with binaries, Python files and an empty file", "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl"],
    ["a wheel whose tags need a rewrite", "pkg-1.0-cp313-cp313-macosx_10_9_x86_64.whl"],
  ])("%s", async (_label, filename) => {
    const { bytes } = await makeWheel({
      filename,
      members: {
        "pkg/__init__.py": "",
        "pkg/core.py": "def f():\n    return 1\n".repeat(50),
        "pkg/_m.cpython-313-darwin.so": { fixture: "ext_universal2.so" },
        "pkg/.dylibs/libbar.1.dylib": { fixture: "lib_libsystem_x86_64.dylib" },
        "pkg/lib/libm.a": { fixture: "archive_fat.a" },
      },
    });
    const members = (await openZip(bytes)).members;
    expect(members.every((m) => m.method === 8)).toBe(true); // every member goes through inflate
    calls.readMember.clear();
    calls.readMemberHead = 0;
    calls.inflateRawSync = 0;

    const result = await checkBytes(filename, bytes);

    expect(result.binaries.map((b) => b.member)).toEqual(["pkg/_m.cpython-313-darwin.so", "pkg/.dylibs/libbar.1.dylib", "pkg/lib/libm.a"]);
    expect(Object.fromEntries(members.map((m) => [m.name, calls.readMember.get(m.index) ?? 0]))).toEqual(
      Object.fromEntries(members.map((m) => [m.name, 1])),
    );
    expect(calls.readMemberHead).toBe(0);
    expect(calls.inflateRawSync).toBe(members.length);
  });
});
