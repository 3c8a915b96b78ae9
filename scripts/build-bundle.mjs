// @ts-check
// `npm run build:bundle` · `npm run build:action` (the same, and the Action) ·
// `node scripts/build-bundle.mjs --action-dir DIR` (only the Action, into DIR)
//
// Bundles the CLI with esbuild into dist-bundle/ (git-ignored): cli.js and its chunks (split: what a
// run needs is cli.js and one core chunk; yargs, fast-glob, smol-toml and the remote, audit, fuse and
// split code are chunks loaded on use, DESIGN §8), worker.js
// (the worker thread that src/cli/pool.ts starts from "./worker.js" beside itself), cli.cjs (the same
// CLI as one CommonJS script, with lib-*.cjs beside it: what the launcher runs with a V8 code cache
// on a Node without a compile cache), retag.cjs (the launcher everything runs: from
// src/entry/launch.ts and code-cache.ts)
// and a package.json that makes them ES modules wherever the folder is copied (the Python wheel has
// no package.json of its own). yargs, fast-glob and smol-toml are inside, so nothing is resolved from
// node_modules at run time. `--action` also writes action/ (index.js, the GitHub Action's entry, its
// worker.js and package.json), which is committed: test/packaging/action.test.ts rebuilds it into a
// temporary folder and fails when the committed files differ (the "check-dist" convention).
//
// The output is deterministic for the same sources and esbuild version: no timestamps, no absolute
// paths, no source maps.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createHash } from "node:crypto";
import * as esbuild from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const VERSION = PACKAGE.version;

/** The launcher refuses an older Node than package.json's engines allow; only ">=X.Y[.Z]" is understood. */
const NODE_FLOOR = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(PACKAGE.engines?.node ?? "")?.[1];
if (NODE_FLOOR === undefined) throw new Error(`package.json engines.node must be ">=X.Y[.Z]", not ${JSON.stringify(PACKAGE.engines?.node)}`);

/** The Node versions the bundle must run on: package.json's engines floor. */
const TARGET = "node20.19";

// fast-glob (CommonJS) calls require() for Node's built-ins; in an ES module bundle, esbuild needs
// a real require to hand them to.
const BANNER = `import { createRequire as __retagCreateRequire } from "node:module";\nconst require = __retagCreateRequire(import.meta.url);`;

/**
 * src/cli/about.ts reads its version from ../../package.json beside dist/cli/; in a bundle there is
 * no such file at that place, so the version is written into the bundle instead. The rewrite must
 * match exactly once: when about.ts changes how it finds its version, this fails the build rather
 * than shipping a CLI that cannot start.
 */
const versionPlugin = {
  name: "retag-version",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]cli[\\/]about\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const read = /readFileSync\(new URL\("\.\.\/\.\.\/package\.json", import\.meta\.url\), "utf8"\)/g;
      const found = source.match(read)?.length ?? 0;
      if (found !== 1) {
        return { errors: [{ text: `src/cli/about.ts: expected one read of ../../package.json for the version, found ${found}; update scripts/build-bundle.mjs` }] };
      }
      return { contents: source.replace(read, () => JSON.stringify(JSON.stringify({ version: VERSION, bugs: PACKAGE.bugs }))), loader: "ts" };
    });
  },
};

/**
 * string-width (three copies under yargs: cliui's, wrap-ansi's and its own) makes an
 * `Intl.Segmenter` when it is loaded; the first one loads ICU's break-iterator data, ~50 ms of CPU
 * on Node 20 (~16 ms on 24), paid by every run although only `--help` measures text. Here the
 * segmenter is made on first use instead. Each copy must have exactly that line, so that a new
 * string-width that changes it fails the build instead of quietly costing the time again.
 */
const lazySegmenterPlugin = {
  name: "retag-lazy-segmenter",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const eager = /^const segmenter = new Intl\.Segmenter\(\);$/gm;
      const found = source.match(eager)?.length ?? 0;
      if (found !== 1) {
        return { errors: [{ text: `${args.path}: expected one eager "const segmenter = new Intl.Segmenter();", found ${found}; update scripts/build-bundle.mjs` }] };
      }
      const lazy = "let eagerSegmenter;\nconst segmenter = { segment: (text) => (eagerSegmenter ??= new Intl.Segmenter()).segment(text) };";
      return { contents: source.replace(eager, () => lazy), loader: "js" };
    });
  },
};

/**
 * yargs' `import { notStrictEqual, strictEqual } from "assert"` is served by a two-function module
 * (scripts/bundle-shims/assert.js) instead of Node's, which is costly to load. Only yargs' own
 * shim file is redirected; retag's code imports no assert.
 */
const assertShimPlugin = {
  name: "retag-assert-shim",
  setup(build) {
    build.onResolve({ filter: /^(node:)?assert$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer)) return undefined;
      return { path: join(ROOT, "scripts", "bundle-shims", "assert.js") };
    });
  },
};

/**
 * yargs' factory calls `yargs.version()` with no argument, which guesses a version by walking up from
 * the main file for a package.json: in the bundle there is no node_modules in the path, so the walk
 * starts at the current folder and lists every folder up to the root (and would read the user's own
 * package.json): ~10 ms of every start (issue 13). The CLI sets `.version(VERSION)` itself, so the
 * factory's call becomes `version(false)` (no version option until the CLI adds one). The factory
 * must have exactly that call, so a yargs that changes it fails the build.
 */
const noVersionGuessPlugin = {
  name: "retag-no-version-guess",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const guess = /^(\s*)yargs\.version\(\);$/gm;
      const found = source.match(guess)?.length ?? 0;
      if (found !== 1) {
        return { errors: [{ text: `${args.path}: expected one "yargs.version();" in the factory, found ${found}; update scripts/build-bundle.mjs` }] };
      }
      return { contents: source.replace(guess, (_, indent) => `${indent}yargs.version(false);`), loader: "js" };
    });
  },
};

/**
 * Node's built-ins are loaded through `require` (the banner's), not `import`: an ES import of a
 * built-in makes Node build a module facade that reads every export once (Node 20's syncExports),
 * which runs the lazy getters — `fs.ReadStream` loads the whole streams stack, `crypto.webcrypto`
 * the Web Crypto module — none of which retag uses: ~12 ms of every start (issue 13). esbuild writes
 * each static import of a built-in as `import{a as b}from"node:fs";`; it becomes
 * `const{a:b}=require("node:fs");`, which reads only the names used (a CommonJS stand-in module
 * instead made esbuild copy every export into a namespace object per importing module, ~4 ms). Dynamic
 * imports (worker_threads, for a batch in threads) stay imports. The build fails when an import of a
 * built-in is left in another form, rather than ship the slow one.
 */
const BUILTIN_IMPORT = /\bimport\s*(\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*"(node:[\w/]+)";/g;

/** @param {string} text a bundled file @param {string} file its name, for the error */
function requireBuiltins(text, file) {
  const rewritten = text.replace(BUILTIN_IMPORT, (whole, what, specifier) => {
    if (what.includes("__retagCreateRequire")) return whole; // the banner: where require comes from
    if (what.startsWith("{")) return `const${what.replace(/\s+as\s+/g, ":")}=require("${specifier}");`;
    if (what.startsWith("*")) return `const ${what.replace(/^\*\s*as\s+/, "")}=require("${specifier}");`;
    return `const ${what}=require("${specifier}");`;
  });
  const left = [...rewritten.matchAll(/\bfrom\s*"node:[\w/]+"/g)].length - (rewritten.includes("__retagCreateRequire") ? 1 : 0);
  if (left > 0) throw new Error(`${file}: ${left} import(s) of Node built-ins esbuild wrote in a form requireBuiltins does not rewrite; update scripts/build-bundle.mjs`);
  return rewritten;
}

/**
 * With splitting, esbuild cuts the code into one chunk per set of entry points (the CLI and each
 * module loaded by a dynamic import) that use it: the modules every run needs came out as 14 chunk
 * files, and Node resolves, reads and links each one at every start (~1 ms apiece). So each module
 * that is loaded on demand also imports `main` (the CLI's static graph): every module of that graph is
 * then used by every entry point and all of them land in one chunk. What is loaded on demand (yargs,
 * fast-glob, smol-toml, the remote, audit, fuse and split code) keeps chunks of its own.
 * @param {string} main the module whose graph every run loads
 */
function coreChunkPlugin(main) {
  return {
    name: "retag-core-chunk",
    setup(build) {
      const lazy = new Set();
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== "dynamic-import" || args.pluginData?.retagInner === true) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { retagInner: true } });
        if (resolved.errors.length === 0 && !resolved.external && resolved.namespace === "file") lazy.add(resolved.path);
        return resolved;
      });
      build.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => {
        if (!lazy.has(args.path)) return undefined;
        const contents = `${readFileSync(args.path, "utf8")}\nimport ${JSON.stringify(main)};\n`;
        return { contents, loader: args.path.endsWith(".ts") ? "ts" : "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** @param {{ entryPoints: Record<string, string>, outdir: string, splitting: boolean }} what */
async function bundle({ entryPoints, outdir, splitting }) {
  const core = splitting ? [coreChunkPlugin(join(ROOT, "src", "cli", "main.ts"))] : [];
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: TARGET,
    // Whitespace and syntax only: a smaller file parses faster at every start, and the names stay
    // readable in a RETAG_DEBUG stack trace.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    banner: { js: BANNER },
    plugins: [versionPlugin, lazySegmenterPlugin, assertShimPlugin, noVersionGuessPlugin, ...core],
    logLevel: "warning",
    metafile: true,
    splitting,
    chunkNames: "[name]-[hash]",
    write: false,
  });
  mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    writeFileSync(file.path, file.path.endsWith(".js") ? requireBuiltins(file.text, file.path) : file.contents);
  }
  return result.metafile;
}

/**
 * The libraries the CLI loads only on some runs (yargs for what fast-args.ts does not read, fast-glob
 * for a quoted glob, smol-toml for a pyproject.toml) are files of their own beside cli.cjs, each its
 * package's ES module exports as CommonJS (`__esModule`, `default`), required where the CLI imports
 * the package: reading and loading them costs only the runs that use them (issue 13: they were 300 of
 * the script's 770 KB). They hold no state of retag's, so a copy of their own is safe.
 */
const SCRIPT_LIBRARIES = {
  yargs: { exports: 'export { default } from "yargs";', shim: 'const lib = require("./lib-yargs.cjs");\nexport default lib.default;' },
  "fast-glob": { exports: 'export { default } from "fast-glob";', shim: 'const lib = require("./lib-fast-glob.cjs");\nexport default lib.default;' },
  "smol-toml": { exports: 'export { parse } from "smol-toml";', shim: 'const lib = require("./lib-smol-toml.cjs");\nexport const parse = lib.parse;' },
};

/**
 * In cli.cjs each library is a small ES module (its `shim`) that requires the library's file when it
 * is first imported; esbuild then loads it lazily as it does retag's own on-demand modules. A name the
 * CLI imports that the shim does not export fails the build.
 */
const scriptLibrariesPlugin = {
  name: "retag-script-libraries",
  setup(build) {
    build.onResolve({ filter: /^(yargs|fast-glob|smol-toml)$/ }, (args) => ({ path: args.path, namespace: "retag-library" }));
    build.onResolve({ filter: /^\.\/lib-[\w-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: "retag-library" }, (args) => ({ contents: SCRIPT_LIBRARIES[args.path].shim, loader: "js", resolveDir: ROOT }));
  },
};

/** What cli.cjs and its libraries are built with: CommonJS, minified as the ES module bundle is. */
const SCRIPT_BUILD = {
  bundle: true,
  platform: /** @type {const} */ ("node"),
  format: /** @type {const} */ ("cjs"),
  target: TARGET,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: /** @type {const} */ ("eof"),
  logLevel: /** @type {const} */ ("warning"),
};

/**
 * dist-bundle/cli.cjs: the same CLI as cli.js, as one classic CommonJS script (no splitting, the
 * lazily loaded parts inside), which the launcher runs on a Node without a compile cache through
 * `vm.Script` with a V8 code cache (src/entry/code-cache.ts; Node 20 caches code only for scripts).
 * `import.meta.url` becomes `__retagUrl`, which the launcher sets to cli.js's URL, so ./worker.js
 * is found beside it as in the ES module bundle. A dynamic import of a built-in (worker_threads)
 * becomes a require: a `vm.Script` has no module loader for `import()`. Resolves to the first 16 hex
 * digits of the file's sha256, which name its cache.
 * @param {string} outdir
 */
async function bundleScript(outdir) {
  for (const [name, { exports }] of Object.entries(SCRIPT_LIBRARIES)) {
    await esbuild.build({
      absWorkingDir: ROOT,
      stdin: { contents: exports, resolveDir: ROOT, sourcefile: `${name}.js`, loader: "js" },
      // yargs' ES module build finds its own files from import.meta.url.
      banner: { js: 'var __retagLibraryUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { "import.meta.url": "__retagLibraryUrl" },
      outfile: join(outdir, `lib-${name}.cjs`),
      ...SCRIPT_BUILD,
      plugins: [lazySegmenterPlugin, assertShimPlugin, noVersionGuessPlugin],
    });
  }
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { cli: "src/entry/cli-script.ts" },
    outdir,
    outExtension: { ".js": ".cjs" },
    ...SCRIPT_BUILD,
    define: { "import.meta.url": "__retagUrl" },
    plugins: [versionPlugin, scriptLibrariesPlugin],
    write: false,
  });
  const [file] = result.outputFiles;
  if (file === undefined || result.outputFiles.length !== 1) throw new Error("the CLI script bundle must be one file");
  const text = file.text.replace(/\bimport\("(node:[\w/]+)"\)/g, (_, specifier) => `Promise.resolve().then(()=>require("${specifier}"))`);
  if (/\bimport\(/.test(text.replace(/\/\/[^\n]*/g, ""))) throw new Error(`${file.path}: an import() is left that a vm.Script cannot run; update scripts/build-bundle.mjs`);
  // The launcher reads it as latin1 (faster than UTF-8, the same text for ASCII): esbuild escapes
  // non-ASCII characters (its default charset), and this holds it to that.
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`${file.path}: a non-ASCII character is left; the launcher reads the script as latin1`);
  writeFileSync(file.path, text);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

const { values: flags } = parseArgs({
  options: { action: { type: "boolean", default: false }, "action-dir": { type: "string" }, meta: { type: "boolean", default: false } },
});

/** index.js, the Action's main, and worker.js beside it (the pool looks for ./worker.js there too). */
async function buildAction(actionDir) {
  mkdirSync(actionDir, { recursive: true });
  // Unsplit: the Action is committed, and one index.js keeps the check-dist comparison to two files.
  await bundle({ entryPoints: { index: "src/entry/action.ts", worker: "src/cli/worker.ts" }, outdir: actionDir, splitting: false });
  writeFileSync(join(actionDir, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
}

if (flags["action-dir"] !== undefined) {
  // Only the Action, somewhere else: how the check-dist test rebuilds it to compare.
  await buildAction(flags["action-dir"]);
} else {
  const outdir = join(ROOT, "dist-bundle");
  rmSync(outdir, { recursive: true, force: true });
  const meta = await bundle({ entryPoints: { cli: "src/entry/cli.ts" }, outdir, splitting: true });
  await bundle({ entryPoints: { worker: "src/cli/worker.ts" }, outdir, splitting: false });
  const scriptHash = await bundleScript(outdir);
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { retag: "src/entry/launch.ts" },
    outdir,
    outExtension: { ".js": ".cjs" },
    // launch.ts and code-cache.ts, as CommonJS (launch.ts says why); Node's built-ins stay requires,
    // cli.js is the ES module bundle beside it.
    bundle: true,
    external: ["./cli.js"],
    platform: "node",
    format: "cjs",
    target: TARGET,
    define: { RETAG_NODE_FLOOR: JSON.stringify(NODE_FLOOR), RETAG_VERSION: JSON.stringify(VERSION), RETAG_SCRIPT_HASH: JSON.stringify(scriptHash) },
    logLevel: "warning",
  });
  writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  // esbuild's metafile (which module costs how many bytes): for looking into start-up.
  if (flags.meta) writeFileSync(join(outdir, "meta.json"), JSON.stringify(meta));
  if (flags.action) await buildAction(join(ROOT, "action"));
}
