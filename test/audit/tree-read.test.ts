// Unpacked wheels and installed distributions read as folders (src/read/tree.ts over src/node/tree-source.ts):
// the same verdict as the zip, RECORD paths and symlinks that leave the folder never followed, and the
// installed layout pip writes (scripts in ../../../bin, .pyc without hashes).
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { inspectTree } from "../../src/flow/tree.js";
import { hostVerdict, parseHost } from "../../src/flow/host.js";
import { TreeError, type TreeSource } from "../../src/model/ports.js";
import type { Host } from "../../src/model/audit.js";
import { openTree } from "../../src/node/tree-source.js";
import { resolveRecordPath, type TreeLayout } from "../../src/read/tree.js";
import { checkBytes, nodeCodecs } from "../helpers/core.js";
import { fixturePath } from "../helpers/fixtures.js";
import { sha256Field } from "../helpers/make-wheel.js";
import { distInfoOf, type Example, exampleBytes, fifo, install, removeTemporaries, temporary, unpack, WHEELS } from "./trees.js";

afterAll(removeTemporaries);

const host = (tag: string): Host => {
  const h = parseHost(tag);
  if ("error" in h) throw new Error(h.error);
  return h;
};

const fresh = (): string => temporary("retag-tree-");

async function check(root: string, distInfo: string, layout: TreeLayout, verify: "all" | "binaries" = "all") {
  return inspectTree(root, await openTree(root), distInfo, nodeCodecs, {}, { layout, verify });
}

const codes = (findings: Array<{ code: string }>): string[] => [...new Set(findings.map((f) => f.code))].sort();

/** Rewrites an unpacked wheel's RECORD through `edit` (rows as [path, hash, size]). */
function editRecord(root: string, distInfo: string, edit: (rows: string[][]) => string[][]): void {
  const path = join(root, distInfo, "RECORD");
  const rows = readFileSync(path, "utf8").trim().split(/\r?\n/).map((l) => l.split(","));
  writeFileSync(path, edit(rows).map((r) => r.join(",")).join("\n") + "\n");
}

describe("an unpacked wheel is judged as its wheel file is", () => {
  it.each(Object.keys(WHEELS) as Example[])("%s: the same findings and expected tags, minus the file name's", async (name) => {
    const zip = await checkBytes(WHEELS[name], exampleBytes(name));
    const root = fresh();
    await unpack(name, root);
    const { result } = await check(root, distInfoOf(name), "wheel");
    expect(result.tags.current).toEqual(zip.tags.current);
    expect(result.tags.expected).toEqual(zip.tags.expected);
    expect(result.ok).toBe(zip.ok);
    expect(codes(result.findings)).toEqual(codes(zip.findings));
    expect(result.binaries.map((b) => [b.member, b.slices.map((s) => [s.arch, s.pyinit])])).toEqual(zip.binaries.map((b) => [b.member, b.slices.map((s) => [s.arch, s.pyinit])]));
  });
});

describe("RECORD paths are resolved inside the folder only", () => {
  it.each([
    ["pkg/a.py", "wheel", { inside: "pkg/a.py" }],
    ["../evil.py", "wheel", { unsafe: "the path has a '..' segment" }],
    ["pkg/../a.py", "wheel", { unsafe: "the path has a '..' segment" }],
    ["/etc/passwd", "wheel", { unsafe: "the path is absolute" }],
    ["C:/Windows/x.dll", "wheel", { unsafe: "the path is absolute" }],
    ["pkg\\a.py", "wheel", { unsafe: "the path contains a backslash" }],
    ["pkg//a.py", "wheel", { unsafe: "the path has an empty or '.' segment" }],
    ["", "wheel", { unsafe: "the path is empty" }],
    ["../../../bin/tool", "installed", { outside: "climbs" }],
    ["pkg/../other/a.py", "installed", { inside: "other/a.py" }],
    ["./pkg/a.py", "installed", { inside: "pkg/a.py" }],
    ["/usr/share/doc/x", "installed", { outside: "absolute" }],
    ["pkg/..", "installed", { unsafe: "the path names the folder itself" }],
  ] as const)("%s in an %s layout", (path, layout, expected) => {
    expect(resolveRecordPath(path, layout)).toEqual(expected);
  });

  it("an unpacked wheel whose RECORD climbs out or is absolute: R002, and the file outside is never read", async () => {
    const root = fresh();
    const outside = join(root, "outside.py");
    writeFileSync(outside, "secret = 1\n");
    const tree = join(root, "w");
    await unpack("correct", tree);
    const rel = "../outside.py";
    editRecord(tree, distInfoOf("correct"), (rows) => [...rows, [rel, sha256Field(new TextEncoder().encode("secret = 1\n")), "11"], [outside, "", ""]]);
    const { result, facts } = await check(tree, distInfoOf("correct"), "wheel");
    const r002 = result.findings.filter((f) => f.code === "R002");
    expect(r002.map((f) => f.member)).toEqual([rel, outside]);
    expect(facts.members.map((m) => m.name)).not.toContain(rel);
    expect(result.ok).toBe(false);
  });

  it("a symlink that leads out of the folder is R014 and is not followed (the binary it points at is never read)", async () => {
    const root = fresh();
    // Outside: a real universal2 extension. Followed, it would make the wheel load on x86_64.
    const outside = join(root, "elsewhere.so");
    writeFileSync(outside, readFileSync(fixturePath("ext_universal2.so")));
    const tree = join(root, "w");
    await unpack("arm64only", tree);
    const ext = "arm64only/_m.cpython-313-darwin.so";
    rmSync(join(tree, ext));
    symlinkSync(outside, join(tree, ext));
    const { result, facts } = await check(tree, distInfoOf("arm64only"), "wheel");
    const r014 = result.findings.find((f) => f.code === "R014");
    expect(r014?.member).toBe(ext);
    expect(r014?.data).toEqual({ problem: "symlink" });
    expect(r014?.message).toContain("leads out of the folder");
    expect(facts.binaries).toEqual([]);
    expect(hostVerdict(result.tags.current, facts, host("macosx_14_0_x86_64")).verdict).toBe("unknown");
  });

  it("a symlink that stays inside the folder is followed", async () => {
    const tree = fresh();
    await unpack("emptyslice", tree);
    const ext = "emptyslice/_ldap.cpython-313-darwin.so";
    mkdirSync(join(tree, "emptyslice", "real"));
    writeFileSync(join(tree, "emptyslice", "real", "_ldap.so"), readFileSync(join(tree, ext)));
    rmSync(join(tree, ext));
    symlinkSync("real/_ldap.so", join(tree, ext));
    const { result } = await check(tree, distInfoOf("emptyslice"), "wheel");
    expect(result.binaries.map((b) => b.member)).toContain(ext);
    // The copy the link points at is on disk without a RECORD row of its own.
    expect(result.findings.filter((f) => f.code === "R008").map((f) => f.member)).toEqual(["emptyslice/real/_ldap.so"]);
  });

  it("a FIFO that RECORD lists is reported and never opened (the read would block)", async () => {
    const tree = fresh();
    await unpack("correct", tree);
    fifo(join(tree, "correct", "pipe.py"));
    editRecord(tree, distInfoOf("correct"), (rows) => [...rows, ["correct/pipe.py", "", ""]]);
    const { result } = await check(tree, distInfoOf("correct"), "wheel");
    const r014 = result.findings.find((f) => f.member === "correct/pipe.py");
    expect(r014?.code).toBe("R014");
    expect(r014?.message).toContain("not opened");
  });
});

describe("an unpacked wheel is held to the wheel's RECORD rule", () => {
  it.each([
    ["a file changed after RECORD was written", (t: string) => writeFileSync(join(t, "correct/__init__.py"), "changed = True\n"), "R007"],
    ["a file RECORD does not list", (t: string) => writeFileSync(join(t, "correct/extra.py"), "x = 1\n"), "R008"],
    ["a file RECORD lists that is gone", (t: string) => rmSync(join(t, "correct/__init__.py")), "R009"],
  ])("%s: %s", async (_what, damage, code) => {
    const tree = fresh();
    await unpack("correct", tree);
    damage(tree);
    const { result } = await check(tree, distInfoOf("correct"), "wheel");
    expect(codes(result.findings)).toEqual([code]);
  });

  it("audit reads only dist-info files and binaries: a changed text file of the same size passes, a resized one does not", async () => {
    const tree = fresh();
    await unpack("correct", tree);
    const path = join(tree, "correct", "big.txt");
    const text = "x".repeat(10_000);
    writeFileSync(path, text);
    editRecord(tree, distInfoOf("correct"), (rows) => [...rows, ["correct/big.txt", sha256Field(new TextEncoder().encode(text)), "10000"]]);
    writeFileSync(path, "y".repeat(10_000));
    expect(codes((await check(tree, distInfoOf("correct"), "wheel", "binaries")).result.findings)).toEqual([]);
    expect(codes((await check(tree, distInfoOf("correct"), "wheel", "all")).result.findings)).toEqual(["R007"]);
    writeFileSync(path, "y".repeat(9_000));
    expect(codes((await check(tree, distInfoOf("correct"), "wheel", "binaries")).result.findings)).toEqual(["R007"]);
  });
});

describe("an installed distribution, as pip writes it", () => {
  it("scripts outside site-packages are R016 (not read); a .pyc without a hash, or gone, is no finding", async () => {
    const venv = fresh();
    const site = join(venv, "lib", "python3.13", "site-packages");
    await install("correct", site, [["/usr/local/share/correct/data.txt", "", ""]]);
    rmSync(join(site, "correct", "__pycache__"), { recursive: true });
    const { result } = await check(site, distInfoOf("correct"), "installed");
    expect(result.ok).toBe(true);
    expect(result.findings.map((f) => [f.code, f.data])).toEqual([
      ["R016", { path: "../../../bin/correct-tool", problem: "climbs" }],
      ["R016", { path: "/usr/local/share/correct/data.txt", problem: "absolute" }],
    ]);
  });

  it("judges the python-ldap case from the installed files", async () => {
    const site = fresh();
    await install("emptyslice", site);
    const { result, facts } = await check(site, distInfoOf("emptyslice"), "installed", "binaries");
    expect(result.tags.expected).toEqual(["macosx_11_0_arm64"]);
    expect(hostVerdict(result.tags.current, facts, host("macosx_14_0_x86_64")).reasons.map((r) => r.problem)).toEqual(["no-pyinit"]);
    expect(hostVerdict(result.tags.current, facts, host("macosx_14_0_arm64")).verdict).toBe("loads");
  });
});

describe("read errors are findings", () => {
  it("a file the source cannot read (EACCES, which chmod cannot cause for root) is R014 and the rest is read", async () => {
    const tree = fresh();
    await unpack("emptyslice", tree);
    const real = await openTree(tree);
    const ext = "emptyslice/_ldap.cpython-313-darwin.so";
    const denying: TreeSource = {
      ...real,
      read: (path, offset, length) => (path === ext ? Promise.reject(new TreeError(path, "permission denied")) : real.read(path, offset, length)),
    };
    const { result, facts } = await inspectTree(tree, denying, distInfoOf("emptyslice"), nodeCodecs, {}, { layout: "wheel", verify: "all" });
    expect(result.findings.find((f) => f.code === "R014")?.message).toBe(`${ext}: permission denied`);
    expect(facts.members.find((m) => m.name === ext)?.read).toBe(false);
    expect(facts.members.filter((m) => m.read).map((m) => m.name)).toContain("emptyslice/__init__.py");
  });

  it("a folder without the .dist-info asked for is R004", async () => {
    const tree = fresh();
    await unpack("correct", tree);
    const { result } = await check(tree, "other-1.0.dist-info", "wheel");
    expect(codes(result.findings)).toEqual(["R004"]);
  });
});

describe("resolveRecordPath under random paths", () => {
  const segment = fc.constantFrom("a", "b", "..", ".", "", "c.py", "C:", "\\x", "x\0");
  const path = fc.array(segment, { minLength: 1, maxLength: 8 }).map((s) => s.join("/"));
  it.each(["wheel", "installed"] as const)("%s: a path said to be inside is a clean relative path that stays inside", (layout) => {
    fc.assert(
      fc.property(fc.oneof(path, path.map((p) => `/${p}`)), (p) => {
        const r = resolveRecordPath(p, layout);
        if (!("inside" in r)) return;
        const parts = r.inside.split("/");
        expect(parts.every((s) => s !== "" && s !== "." && s !== ".." && !s.includes("\\") && !s.includes("\0"))).toBe(true);
        expect(/^[A-Za-z]:/.test(r.inside)).toBe(false);
        if (layout === "wheel") expect(r.inside).toBe(p);
      }),
      { numRuns: 2000 },
    );
  });
});
