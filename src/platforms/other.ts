// Wheels no family claims: platform tags retag has no rules for (`freebsd_14_0_amd64`,
// `cygwin_3_5_x86_64`), or tags of several families in one name. Only the common rules run, and
// R209 says so.
import { finding } from "../model/findings.js";
import type { PlatformRules } from "./rules.js";

export const otherRules: PlatformRules = {
  family: "other",
  applies: () => true,
  check: ({ name }) => ({
    findings: [
      finding("R209", `no platform family's rules apply to ${name.platformTags.join(".")}: only the common checks ran`, {
        data: { tags: name.platformTags },
      }),
    ],
    expected: name.platformTags,
    widest: [],
  }),
};
