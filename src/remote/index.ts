// The network layer: remote wheels read by HTTP ranges, and release listings from an index's JSON API.
export { openHttpSource } from "./http-source.js";
export { remotePortsFromGlobals, type HostGlobals } from "./globals.js";
export { DEFAULT_INDEX_URL, fetchRelease, isPypiSpec, jsonApiUrl, normalizeProjectName, parsePypiSpec, parseReleaseJson, type ReleaseOptions } from "./pypi.js";
export { familiesOf, familyOfTag, parseWheelSelector, PLATFORM_FAMILIES, selectWheels, type WheelSelector } from "./wheel-filter.js";
export { DEFAULT_OPTIONS } from "./options.js";
export { filenameOfUrl, isRemoteInput, resolveRemoteInput, type RemoteWheel, type ResolvedInput, type ResolveOptions } from "./inputs.js";
