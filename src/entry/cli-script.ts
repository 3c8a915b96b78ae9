// The entry of dist-bundle/cli.cjs: the same CLI as cli.ts (src/entry/cli.ts), built as one classic
// script so that the launcher can compile it with a V8 code cache on a Node that has no compile
// cache of its own (Node < 22.1 has no `module.enableCompileCache`): src/entry/code-cache.ts. A
// classic script because V8 keeps code caches only for scripts in Node 20 (`vm.Script`'s
// `cachedData`; a module's needs --experimental-vm-modules). No top-level await: the launcher awaits
// `run` and sets the exit code; cli.ts, the ES module entry, runs the same `run`.
import { installSignalHandlers, main } from "../cli/main.js";

/** Runs the CLI on `argv` (process.argv without node and the script) and resolves to its exit code. */
export function run(argv: string[]): Promise<number> {
  installSignalHandlers();
  return main(argv);
}
