// The walk (src/node/walk.ts) over pip / uv caches and an environment laid out as the tools lay them
// out: what it finds and where it says each came from, the symlinks it does not follow, the folders it
// cannot list (an injected EACCES: this suite runs as root, and chmod does not stop root), FIFOs it
// must not open, and its bounds.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeWalkFs, originOf, walkTrees, type WalkFs } from "../../src/node/walk.js";
import { buildTrees, exampleBytes, fifo, removeTemporaries, type Trees, WHEELS } from "./trees.js";

afterAll(removeTemporaries);

let t: Trees;
beforeAll(async () => {
  t = await buildTrees();
});

const rel = (p: string) => relative(t.root, p);

describe("what the walk finds", () => {
  it("every wheel file and unpacked distribution, each with its origin; no bucket uv keeps no wheel in", async () => {
    const { found, problems } = await walkTrees([t.root]);
    expect(found.map((f) => [rel(f.path), f.form, f.origin.kind, f.form === "wheel" ? f.filename : f.distInfo])).toEqual([
      [rel(t.at.pipBody), "wheel", "pip-http", null],
      [rel(t.at.pipWheel), "wheel", "pip-wheels", WHEELS.arm64only],
      [rel(t.at.uvArchive.emptyslice), "unpacked", "uv-cache", "emptyslice-1.0.dist-info"],
      [rel(t.at.uvArchive.correct), "unpacked", "uv-cache", "correct-1.0.dist-info"],
      [rel(t.at.uvArchive.arm64only), "unpacked", "uv-cache", "arm64only-1.0.dist-info"],
      [rel(t.at.uvBuiltWheel), "wheel", "uv-cache", WHEELS.arm64only],
      ["venv/lib/python3.13/site-packages/arm64only-1.0.dist-info", "installed", "environment", "arm64only-1.0.dist-info"],
      ["venv/lib/python3.13/site-packages/correct-1.0.dist-info", "installed", "environment", "correct-1.0.dist-info"],
      ["venv/lib/python3.13/site-packages/emptyslice-1.0.dist-info", "installed", "environment", "emptyslice-1.0.dist-info"],
    ]);
    // bin/python leads out of the venv, but it is a file, not a wheel or a folder: not worth a word.
    expect(problems).toEqual([]);
  });

  it("names the cache each came from, and the link uv keeps to an archive entry", async () => {
    const { found } = await walkTrees([t.root]);
    const uvReal = await nodeWalkFs.realpath(t.uv);
    const pipReal = await nodeWalkFs.realpath(t.pip);
    expect(found.find((f) => f.path === t.at.uvArchive.arm64only)?.origin).toEqual({ kind: "uv-cache", cache: uvReal });
    expect(found.find((f) => f.path === t.at.uvArchive.arm64only)?.links).toEqual([t.at.uvLink]);
    expect(found.find((f) => f.path === t.at.pipWheel)?.origin).toEqual({ kind: "pip-wheels", cache: pipReal });
    expect(found.find((f) => f.path === t.at.pipBody)?.origin).toEqual({ kind: "pip-http", cache: pipReal });
  });

  it("a bucket given on its own is still known as uv's, and a site-packages given on its own as an environment", async () => {
    const archive = await walkTrees([join(t.uv, "archive-v0")]);
    expect(new Set(archive.found.map((f) => f.origin.kind))).toEqual(new Set(["uv-cache"]));
    const site = await walkTrees([t.sitePackages]);
    expect(site.found.map((f) => [f.form, f.origin])).toEqual(Array(3).fill(["installed", { kind: "environment", sitePackages: t.sitePackages }]));
  });

  it.each([
    ["/c/uv/archive-v0/abc", { kind: "uv-cache", cache: "/c/uv" }],
    ["/c/uv/wheels-v5/pypi/foo/foo-1.0-py3-none-any.whl", { kind: "uv-cache", cache: "/c/uv" }],
    ["/c/uv/built-wheels-v3/pypi/foo/1.0/x/foo-1.0-py3-none-any.whl", { kind: "uv-cache", cache: "/c/uv" }],
    ["/c/pip/wheels/ab/cd/ef/0123456789abcdef0123456789abcdef0123456789abcdef01/foo-1.0-py3-none-any.whl", { kind: "pip-wheels", cache: "/c/pip" }],
    ["/c/pip/http-v2/a/b/c/d/e/abcdef.body", { kind: "pip-http", cache: "/c/pip" }],
    ["/home/me/dist/wheels/foo-1.0-py3-none-any.whl", { kind: "file" }],
    ["/c/pip/http-v2/abcdef.body", { kind: "file" }],
  ] as const)("%s comes from %j", (path, origin) => {
    expect(originOf(path, null)).toEqual(origin);
  });

  it("a wheel file given directly is found; an HTTP body is a wheel only by its magic", async () => {
    const { found } = await walkTrees([t.at.pipWheel, t.at.pipIndexBody, t.at.pipBody]);
    expect(found.map((f) => f.path).sort()).toEqual([t.at.pipBody, t.at.pipWheel].sort());
  });
});

describe("symlinks, FIFOs and unreadable folders", () => {
  it("symlinks out of the tree are reported and not followed; dangling ones too; a FIFO named .whl is never opened", async () => {
    const trees = await buildTrees();
    const other = await buildTrees();
    const dir = join(trees.root, "links");
    mkdirSync(dir);
    symlinkSync(other.uv, join(dir, "someone-elses-cache")); // a folder out of the tree
    symlinkSync(other.at.pipWheel, join(dir, WHEELS.arm64only)); // a wheel out of the tree
    symlinkSync(join(trees.root, "nowhere.whl"), join(dir, "dangling.whl"));
    fifo(join(dir, "blocked-1.0-py3-none-any.whl"));
    const { found, problems } = await walkTrees([dir]);
    expect(found).toEqual([]);
    expect(problems.map((p) => [relative(dir, p.path), p.problem])).toEqual([
      [WHEELS.arm64only, "symlink-outside"],
      ["blocked-1.0-py3-none-any.whl", "not-a-file"],
      ["dangling.whl", "unreadable"],
      ["someone-elses-cache", "symlink-outside"],
    ]);
  });

  it("a folder that cannot be listed is reported and the walk goes on (EACCES through an injected file system)", async () => {
    const denied = join(t.uv, "archive-v0");
    const fs: WalkFs = {
      ...nodeWalkFs,
      readdir: async (path) => {
        if (path === (await nodeWalkFs.realpath(denied))) throw Object.assign(new Error("EACCES: permission denied, scandir"), { code: "EACCES", syscall: "scandir" });
        return nodeWalkFs.readdir(path);
      },
    };
    const { found, problems } = await walkTrees([t.root], { fs });
    expect(problems).toEqual([{ path: denied, problem: "permission", message: `${denied}: permission denied; not walked` }]);
    expect(found.filter((f) => f.path.startsWith(denied))).toEqual([]);
    expect(found).toHaveLength(6); // the other caches and the environment were walked
  });

  it("a root that does not exist is a problem, not a crash", async () => {
    const missing = join(t.root, "no-such-cache");
    const { found, problems } = await walkTrees([missing, t.pip]);
    expect(problems).toEqual([{ path: missing, problem: "unreadable", message: `${missing}: no such file` }]);
    expect(found).toHaveLength(2);
  });
});

describe("bounds", () => {
  it("lists at most `concurrency` folders at once and reports progress after each", async () => {
    let active = 0;
    let most = 0;
    const fs: WalkFs = {
      ...nodeWalkFs,
      readdir: async (path) => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        try {
          return await nodeWalkFs.readdir(path);
        } finally {
          active--;
        }
      },
    };
    const seen: number[] = [];
    const { folders } = await walkTrees([t.root], { fs, concurrency: 3, onProgress: (p) => seen.push(p.folders) });
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(folders);
  });

  it("does not go deeper than maxDepth, and says where it stopped", async () => {
    const trees = await buildTrees();
    let deep = join(trees.root, "deep");
    for (let i = 0; i < 6; i++) deep = join(deep, `d${i}`);
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, WHEELS.correct), exampleBytes("correct"));
    const shallow = await walkTrees([join(trees.root, "deep")], { maxDepth: 4 });
    expect(shallow.found).toEqual([]);
    expect(shallow.problems.map((p) => p.problem)).toEqual(["too-deep"]);
    expect((await walkTrees([join(trees.root, "deep")], { maxDepth: 10 })).found).toHaveLength(1);
  });
});
