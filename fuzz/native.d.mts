// Types of native.mjs for the TypeScript tests (test/fuzz/).
import type { SeedPool } from "./harness.mjs";

export interface NativeTarget {
  at: number;
  width: number;
  little: boolean;
}

export function nativeTargets(bytes: Uint8Array): NativeTarget[];
export function nativeField(random: unknown, bytes: Uint8Array, targets?: NativeTarget[]): Uint8Array;
export function mutateNative(random: unknown, bytes: Uint8Array, others: Uint8Array[], notes: string[]): Uint8Array;
export function nativeMembers(
  random: unknown,
  pool: SeedPool,
  notes: string[],
): { platform: string; entries: Array<{ name: string; data: Uint8Array }>; mutated: Array<{ name: string; format: string; bytes: Uint8Array }> } | null;
