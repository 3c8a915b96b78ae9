#!/usr/bin/env node
// npm's launcher: everything lives in the bundle, dist-bundle/ (npm run build writes it; the
// published package ships it). retag.cjs there starts the CLI with its code cache. CommonJS, as
// bin/package.json says: an ES module entry would start Node's ES module loader, ~12 ms of every run
// (src/entry/launch.ts).
require("../dist-bundle/retag.cjs");
