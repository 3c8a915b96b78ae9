// The macOS (and, as a start, iOS) tag model of DESIGN §3: pure functions over tag strings and the
// facts of the binaries' slices.
export { parseVersion, formatVersion, compareVersions } from "./version.js";
export { formatArchs, isInstallable, acceptingHosts } from "./formats.js";
export { parseMacTag, formatMacTag } from "./mactag.js";
export { computeSupport } from "./support.js";
export { evaluateTag, promisedMinimums, samePromise } from "./evaluate.js";
export { repairTags, widestTags, sortTags, claimedArchs } from "./repair.js";
export { parseIosTag, formatIosTag } from "./ios.js";
export type { MacVersion, Support, TagOptions, MacTag, MacTagForm, TagEvaluation, TagRepair, IosTag } from "../model/tags.js";
