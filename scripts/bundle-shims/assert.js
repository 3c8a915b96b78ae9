// What yargs imports from node:assert (yargs/lib/platform-shims/esm.mjs: notStrictEqual and
// strictEqual, for its own argument checks), without loading node:assert: that module loads Node's
// assertion-error machinery and terminal colour detection, ~10-18 ms of CPU at every start, for two
// comparisons that only fail on a bug.
export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) throw new Error(message ?? `expected ${String(expected)}, got ${String(actual)}`);
}

export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) throw new Error(message ?? `expected a value other than ${String(expected)}`);
}
