// The rule modules, one per platform family, in the order they are asked whether they apply. A
// family applies when every platform tag of the wheel is one of its tags; a wheel whose tags no
// family claims (or tags of several families) gets the `other` rules.
import { androidRules } from "./android.js";
import { iosRules } from "./ios.js";
import { linuxRules } from "./linux.js";
import { macosRules } from "./macos.js";
import { otherRules } from "./other.js";
import { pureRules } from "./pure.js";
import type { PlatformRules } from "./rules.js";
import { wasmRules } from "./wasm.js";
import { windowsRules } from "./windows.js";

export const PLATFORM_RULES: readonly PlatformRules[] = [pureRules, macosRules, iosRules, androidRules, linuxRules, windowsRules, wasmRules, otherRules];

/** The rules for a wheel with these platform tags (`other` when no family claims them). */
export function rulesFor(platformTags: readonly string[]): PlatformRules {
  return PLATFORM_RULES.find((r) => r.applies(platformTags)) ?? otherRules;
}

export type { PlatformRules, PlatformVerdict, RuleContext } from "./rules.js";
export { distInfoFindings, extensionSuffixFindings, nameFindings, sameTagSet, wheelBuildFindings, wheelTagLineFindings } from "./common.js";
