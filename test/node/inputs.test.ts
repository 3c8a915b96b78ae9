// expandInputs: every argument resolved before anything is read (DESIGN §2.1): what counts as a
// wheel, what is skipped and why, what is a problem, and that a file named twice is processed once.
import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInputs } from "../../src/node/inputs.js";

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "retag-inputs-"));
  for (const n of ["a-1.0-py3-none-any.whl", "b-1.0-py3-none-any.whl", "pkg-1.0.tar.gz", ".retag-tmp-1-abcd-a-1.0-py3-none-any.whl", "._a-1.0-py3-none-any.whl", ".retag-tmp-1-0123456789abcdef"]) {
    writeFileSync(join(dir, n), "");
  }
  mkdirSync(join(dir, "sub.whl"));
  return dir;
}

describe("expandInputs", () => {
  it("a directory: its *.whl files, no dotfiles, no folders, sorted", async () => {
    const dir = folder();
    const { inputs, problems, skipped } = await expandInputs([dir], { wheelsOnly: true });
    expect(inputs.map((i) => i.path)).toEqual([join(dir, "a-1.0-py3-none-any.whl"), join(dir, "b-1.0-py3-none-any.whl")]);
    expect([problems, skipped]).toEqual([[], []]);
  });

  it("explicit files and glob matches: non-wheels and temporaries are skipped with a reason", async () => {
    const dir = folder();
    const { inputs, skipped } = await expandInputs([join(dir, "*"), join(dir, ".retag-tmp-1-abcd-a-1.0-py3-none-any.whl")], { wheelsOnly: true });
    expect(inputs.map((i) => i.path)).toEqual([join(dir, "a-1.0-py3-none-any.whl"), join(dir, "b-1.0-py3-none-any.whl")]);
    expect(skipped).toEqual([
      { path: join(dir, "pkg-1.0.tar.gz"), reason: "not a wheel, skipped" },
      { path: join(dir, ".retag-tmp-1-abcd-a-1.0-py3-none-any.whl"), reason: "a temporary file of retag, skipped" },
    ]);
  });

  it("show takes any file, but still never a temporary", async () => {
    const dir = folder();
    const { inputs, skipped } = await expandInputs([join(dir, "pkg-1.0.tar.gz"), join(dir, ".retag-tmp-1-0123456789abcdef")], { wheelsOnly: false });
    expect(inputs.map((i) => i.path)).toEqual([join(dir, "pkg-1.0.tar.gz")]);
    expect(skipped.map((s) => s.reason)).toEqual(["a temporary file of retag, skipped"]);
  });

  it.each([
    ["a path that names nothing", (d: string) => join(d, "nope.whl"), "missing", "no such file"],
    ["a pattern that matches nothing", (d: string) => join(d, "*.nothing"), "no-match", "no file matches this pattern"],
    ["a directory without wheels", (d: string) => join(d, "sub.whl"), "empty-directory", "no *.whl file in this directory"],
    ["a dangling link", (d: string) => (symlinkSync(join(d, "gone"), join(d, "link.whl")), join(d, "link.whl")), "missing", "no such file"],
  ])("%s is a problem", async (_label, arg, kind, message) => {
    const dir = folder();
    const path = arg(dir);
    expect((await expandInputs([path], { wheelsOnly: true })).problems).toEqual([{ path, kind, message }]);
  });

  it("the same file named twice (a path, its folder, a hard link) is processed once, where first named", async () => {
    const dir = folder();
    linkSync(join(dir, "a-1.0-py3-none-any.whl"), join(dir, "sub.whl", "a-1.0-py3-none-any.whl"));
    const { inputs } = await expandInputs([join(dir, "b-1.0-py3-none-any.whl"), dir, join(dir, "sub.whl", "a-1.0-py3-none-any.whl")], { wheelsOnly: true });
    expect(inputs.map((i) => i.path)).toEqual([join(dir, "b-1.0-py3-none-any.whl"), join(dir, "a-1.0-py3-none-any.whl")]);
  });
});
