// Linux wheels (`manylinux_X_Y_<arch>`, `musllinux_X_Y_<arch>`, `linux_<arch>`): the ELF machine of
// every binary against the tags' arch (DESIGN §3.7).
import { foreignArchFindings, nativeSystem, notMacosFinding } from "./native.js";
import type { PlatformRules } from "./rules.js";

export const linuxRules: PlatformRules = {
  family: "linux",
  applies: (tags) => nativeSystem(tags) === "linux",
  check: ({ name, facts }) => ({
    findings: [notMacosFinding(name.platformTags), ...foreignArchFindings(name.platformTags, facts.binaries.filter((b) => b.kind !== "none"))],
    expected: name.platformTags,
    widest: [],
  }),
};
