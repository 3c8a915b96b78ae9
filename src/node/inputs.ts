// The command line's paths → the files to process: a directory means every `*.whl` in it, a pattern
// is expanded by fast-glob (so quoted globs and Windows shells work, DESIGN §2), a plain path is
// taken as is.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** One input after expansion: a file to process, or why the argument gave none. */
export type Input = { path: string; error?: undefined } | { path: string; error: string };

const GLOB_CHARS = /[*?[\]{}]/;

export async function expandInputs(args: readonly string[], options: { directoryGlob: string } = { directoryGlob: "*.whl" }): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(arg)).filter((n) => n.endsWith(".whl")).sort();
      if (names.length === 0) inputs.push({ path: arg, error: `no ${options.directoryGlob} file in the directory ${arg}` });
      for (const n of names) inputs.push({ path: join(arg, n) });
    } else if (info !== null) {
      inputs.push({ path: arg });
    } else if (GLOB_CHARS.test(arg)) {
      // Loaded only for a pattern: fast-glob costs ~35 ms of start-up that plain paths (the shell's
      // own expansion, the common case) never need.
      const { default: fg } = await import("fast-glob");
      const matches = (await fg(arg.replace(/\\/g, "/"), { onlyFiles: true, dot: false })).sort();
      if (matches.length === 0) inputs.push({ path: arg, error: `no file matches ${arg}` });
      for (const m of matches) inputs.push({ path: m });
    } else {
      inputs.push({ path: arg, error: `${arg}: no such file` });
    }
  }
  return inputs;
}
