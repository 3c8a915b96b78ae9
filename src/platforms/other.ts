// Wheels of a family retag has no rules for yet (iOS, Android, WebAssembly, unknown tags): only the
// common rules run, and R209 says so.
import { notMacosFinding } from "./native.js";
import type { PlatformRules } from "./rules.js";

export const otherRules: PlatformRules = {
  family: "other",
  applies: () => true,
  check: ({ name }) => ({ findings: [notMacosFinding(name.platformTags)], expected: name.platformTags, widest: [] }),
};
