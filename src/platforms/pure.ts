// Pure wheels (`any`): native code that Python loads has no place in them (R207); static code is
// shipped but never loaded (R107).
import { finding, type Finding } from "../model/findings.js";
import { isStaticCode, staticCodeFinding } from "./common.js";
import type { PlatformRules } from "./rules.js";

export const pureRules: PlatformRules = {
  family: "pure",
  applies: (tags) => tags.length === 1 && tags[0] === "any",
  check({ name, facts }) {
    const findings: Finding[] = [];
    for (const b of facts.binaries) {
      // §3.1: objects and static archives are never loaded, so they do not make a pure wheel platform-specific.
      if (isStaticCode(b)) findings.push(staticCodeFinding(b));
      // ELF, PE and wasm files that Python does not import (setuptools' and distlib's Windows
      // launchers `cli-64.exe`, `t64.exe` ship in every pure setuptools / pip wheel) are data to the
      // installer; a Mach-O loaded at run time, or a binary of any format named like an extension
      // module (`.so`, `.pyd`), makes the wheel platform-specific.
      else if (b.format === "macho" || b.module !== null) {
        findings.push(finding("R207", `${b.member} is native code in a wheel tagged 'any'`, { member: b.member ?? "" }));
      }
    }
    return { findings, expected: name.platformTags, widest: [] };
  },
};
