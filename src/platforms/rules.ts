// What a platform family's rules take and give. The rules are pure: facts and options in, findings
// and the tags fix mode would write out. One module per family (DESIGN §6), chosen by the wheel's
// platform tags (index.ts).
import type { Finding } from "../model/findings.js";
import type { CheckOptions } from "../model/results.js";
import type { WheelFacts, WheelName } from "../model/wheel.js";

export interface RuleContext {
  name: WheelName;
  facts: WheelFacts;
  options: CheckOptions;
}

export interface PlatformVerdict {
  findings: Finding[];
  /** The platform tags fix mode writes: the current ones when valid, else the repair; null when none can be computed. */
  expected: string[] | null;
  /** The widest tag set the binaries allow (information); empty when the family computes none. */
  widest: string[];
}

export interface PlatformRules {
  /** The family's name, as DESIGN §3 and the docs name it. */
  family: "pure" | "macos" | "ios" | "android" | "linux" | "windows" | "wasm" | "other";
  /** True when these rules judge a wheel with these platform tags. */
  applies(platformTags: readonly string[]): boolean;
  check(context: RuleContext): PlatformVerdict;
}
