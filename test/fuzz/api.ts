// The harness (fuzz/harness.mjs) driven against the sources, so the tests need no build: the same
// face (src/internal.ts) that `npm run fuzz` imports from dist/.
import type { FuzzApi } from "../../fuzz/harness.mjs";
import * as internal from "../../src/internal.js";

export const api: FuzzApi = internal;
