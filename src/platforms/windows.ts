// Windows wheels (`win_amd64`, `win32`, `win_arm64`): the PE machine of
// every binary against the tags' arch (DESIGN §3.7).
import { foreignArchFindings, nativeSystem, notMacosFinding } from "./native.js";
import type { PlatformRules } from "./rules.js";

export const windowsRules: PlatformRules = {
  family: "windows",
  applies: (tags) => nativeSystem(tags) === "windows",
  check: ({ name, facts }) => ({
    findings: [notMacosFinding(name.platformTags), ...foreignArchFindings(name.platformTags, facts.binaries.filter((b) => b.kind !== "none"))],
    expected: name.platformTags,
    widest: [],
  }),
};
