// dist-bundle/retag.js: what every way of running retag starts (npm's bin/retag.js imports it, the
// Python launcher runs it with node). It only turns on Node's compile cache, then loads the bundled
// CLI: Node >= 22.1 keeps the compiled code of the ~0.5 MB bundle between runs, which is most of what
// start-up costs after Node itself; Node 20 has no cache and this does nothing there. It must run
// before the bundle is compiled, hence a file of its own and the dynamic import.
import module from "node:module";

// Node 20's types do not declare it; Node >= 22.1 has it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

await import("./cli.js");
