// @ts-check
// Builds the page into one static folder, web/dist/ (git-ignored; the Pages workflow builds it):
// index.html, style.css and app.js (web/src/main.ts and the core it imports, bundled and minified
// by esbuild for current browsers). Prints each file's size, gzipped too (what a visitor downloads).
//
// Run: npm run build:web   (or import { buildWeb } for a test that wants a fresh build)
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const WEB = dirname(fileURLToPath(import.meta.url));

/** Builds web/dist (or `out`); returns the files written with their sizes. */
export async function buildWeb(out = join(WEB, "dist")) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(WEB, "src", "main.ts")],
    outfile: join(out, "app.js"),
    bundle: true,
    // A classic script, not a module: the built page then also works opened from disk (file://),
    // where browsers refuse module scripts.
    format: "iife",
    // Compression Streams with "deflate-raw" arrived in Chrome 103, Firefox 113, Safari 16.4.
    target: ["chrome103", "firefox113", "safari16.4"],
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
  });
  await build({ entryPoints: [join(WEB, "style.css")], outfile: join(out, "style.css"), minify: true, logLevel: "warning" });
  copyFileSync(join(WEB, "index.html"), join(out, "index.html"));
  return ["index.html", "style.css", "app.js"].map((name) => {
    const path = join(out, name);
    return { name, bytes: statSync(path).size, gzip: gzipSync(readFileSync(path)).length };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildWeb(process.argv[2]);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  for (const f of files) console.log(`web/dist/${f.name.padEnd(10)} ${kib(f.bytes).padStart(10)}  (${kib(f.gzip)} gzipped)`);
  const total = files.reduce((s, f) => s + f.gzip, 0);
  console.log(`total gzipped: ${kib(total)}`);
}
