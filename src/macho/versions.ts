// Version and platform fields of LC_BUILD_VERSION / LC_VERSION_MIN_* (<mach-o/loader.h>).

import type { Platform } from "../model/macho.js";

/**
 * A version as <mach-o/loader.h> encodes it: nibbles xxxx.yy.zz in a u32 (X in the high 16 bits,
 * Y and Z one byte each). Returns "X.Y", or "X.Y.Z" when Z is not 0 — the way otool prints it.
 * An sdk of 0 means "not recorded" (old linkers) and comes out as "0.0".
 */
export function formatVersion(encoded: number): string {
  const v = encoded >>> 0;
  const major = v >>> 16;
  const minor = (v >>> 8) & 0xff;
  const patch = v & 0xff;
  return patch === 0 ? `${major}.${minor}` : `${major}.${minor}.${patch}`;
}

/** PLATFORM_* numbers (index = value); 0 is PLATFORM_UNKNOWN. */
const PLATFORMS: readonly (Platform | undefined)[] = [
  undefined,
  "macos",
  "ios",
  "tvos",
  "watchos",
  "bridgeos",
  "maccatalyst",
  "iossimulator",
  "tvossimulator",
  "watchossimulator",
  "driverkit",
  "visionos",
  "visionossimulator",
  "firmware",
  "sepos",
];

/** `LC_BUILD_VERSION.platform` by name; numbers without one (0, exclaves, newer ones) are `unknown(N)`. */
export function platformName(platform: number): Platform {
  const n = platform >>> 0;
  return PLATFORMS[n] ?? `unknown(${n})`;
}
