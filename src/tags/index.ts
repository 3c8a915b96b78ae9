// The tag models of DESIGN §3, one module per platform family: pure functions over tag strings and
// the facts of the binaries' images.
export { parseVersion, formatVersion, compareVersions } from "./version.js";
export { formatArchs, isInstallable, acceptingHosts } from "./formats.js";
export { parseMacTag, formatMacTag } from "./mactag.js";
export { computeSupport } from "./support.js";
export { evaluateTag, promisedMinimums, samePromise } from "./evaluate.js";
export { repairTags, widestTags, sortTags, claimedArchs } from "./repair.js";
export { parseIosTag, formatIosTag, iosPair, isIosPair, iosSupport, iosTagVersion, repairIosTags, widestIosTags, MIN_IOS } from "./ios.js";
export type { IosSdk, IosSliceFacts, IosSupport } from "./ios.js";
export { parseAndroidTag, formatAndroidTag, androidAbiOf, ANDROID_ABIS, MIN_ANDROID_API } from "./android.js";
export type { AndroidAbi, AndroidTag } from "./android.js";
export { parseLinuxTag, formatLinuxTag, elfArchFits, agreedElfArch, armLevel } from "./linux.js";
export type { LinuxTag } from "./linux.js";
export { isWindowsTag, peFitTags, agreedWindowsTag, WINDOWS_TAGS } from "./windows.js";
export type { WindowsTag, PeImageFacts } from "./windows.js";
export { parseWasmTag } from "./wasm.js";
export type { WasmTag } from "./wasm.js";
export type { MacVersion, Support, TagOptions, MacTag, MacTagForm, TagEvaluation, TagRepair, IosTag } from "../model/tags.js";
