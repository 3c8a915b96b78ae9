// The Node API (`import { checkWheel, retagWheel } from "wheel-retag"`): the core's flows over bytes
// in memory, with Node's codecs. Never prints, never reads the environment (pass `macosTarget` yourself).
import type { CheckOptions, CheckResult } from "../model/results.js";
import { checkWheelSource } from "../flow/check.js";
import { retagWheelSource, type RetagOptions, type RetagResult } from "../flow/fix.js";
import { joinParts, memorySource } from "../zip/index.js";
import { nodeCodecs } from "./codecs.js";

/** Check one wheel's bytes. `filename` is the wheel's file name (its tags are the claim). */
export function checkWheel(bytes: Uint8Array, options: Partial<CheckOptions> & { filename: string }): Promise<CheckResult> {
  const { filename, ...rest } = options;
  return checkWheelSource(filename, memorySource(bytes), nodeCodecs, rest);
}

/**
 * Check one wheel's bytes and, when its tags are wrong, rewrite it. `bytes` is the new wheel (null
 * unless `action` is "rewritten"); `filename` is the name to save it under.
 */
export async function retagWheel(
  bytes: Uint8Array,
  options: Partial<RetagOptions> & { filename: string },
): Promise<RetagResult & { bytes: Uint8Array | null }> {
  const { filename, ...rest } = options;
  const result = await retagWheelSource(filename, memorySource(bytes), nodeCodecs, rest);
  return { ...result, bytes: result.output === null ? null : await joinParts(result.output) };
}
