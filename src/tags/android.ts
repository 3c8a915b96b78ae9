// Android platform tags (PEP 738): `android_{api}_{abi}`, e.g. `android_21_arm64_v8a`. An installer
// on API level N accepts every tag from N down to 16 (packaging.tags.android_platforms: "16 is the
// minimum API level known to have enough features to support CPython"), for its one ABI.
import { armLevel } from "./linux.js";

/** The four ABIs PEP 738 names, as `sysconfig.get_platform()` spells them with `-` as `_`. */
export const ANDROID_ABIS = ["arm64_v8a", "armeabi_v7a", "x86", "x86_64"] as const;
export type AndroidAbi = (typeof ANDROID_ABIS)[number];

/** The lowest API level any installer accepts a tag for. */
export const MIN_ANDROID_API = 16;

export interface AndroidTag {
  tag: string;
  api: number;
  /** null when the ABI is not one PEP 738 names (`android_21_armeabi`, `android_21_mips`): no installer matches it. */
  abi: AndroidAbi | null;
  /** The ABI as written. */
  abiText: string;
}

/** `android_<api>_<abi>`, or null for a tag that is not Android's. */
export function parseAndroidTag(tag: string): AndroidTag | null {
  const m = /^android_(\d+)_([a-z0-9_]+)$/.exec(tag);
  if (m === null) return null;
  const abiText = m[2]!;
  const abi = (ANDROID_ABIS as readonly string[]).includes(abiText) ? (abiText as AndroidAbi) : null;
  return { tag, api: Number(m[1]), abi, abiText };
}

export function formatAndroidTag(api: number, abi: AndroidAbi): string {
  return `android_${api}_${abi}`;
}

/**
 * The ABI an ELF file of this arch (as src/elf/ names it) is built for, or null when it is none of
 * Android's. The NDK's ABIs (developer.android.com/ndk/guides/abis): arm64-v8a is AArch64,
 * armeabi-v7a is 32-bit little-endian ARM up to ARMv7 (older code runs there too), x86 is i686,
 * x86_64 is x86-64. A 32-bit ARM file that does not say which ARM (`arm`) is taken as armeabi-v7a.
 */
export function androidAbiOf(fileArch: string): AndroidAbi | null {
  if (fileArch === "aarch64") return "arm64_v8a";
  if (fileArch === "x86_64") return "x86_64";
  if (fileArch === "i686") return "x86";
  if (fileArch === "arm") return "armeabi_v7a";
  const arm = armLevel(fileArch);
  return arm !== null && arm.little && arm.level <= 7 ? "armeabi_v7a" : null;
}
