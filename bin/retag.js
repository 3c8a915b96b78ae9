#!/usr/bin/env node
// npm's launcher: everything lives in the bundle, dist-bundle/ (npm run build writes it; the
// published package ships it). retag.js there turns on the compile cache, then loads the CLI.
import "../dist-bundle/retag.js";
