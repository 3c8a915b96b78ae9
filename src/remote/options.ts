// The defaults of RemoteOptions, and the checks that make a bad value a usage error instead of a
// source that never times out or never stops retrying.
import type { RemoteOptions } from "../model/remote.js";

export type ResolvedOptions = Required<Omit<RemoteOptions, "onProgress" | "signal">> &
  Pick<RemoteOptions, "onProgress" | "signal">;

export const DEFAULT_OPTIONS: Readonly<Required<Omit<RemoteOptions, "onProgress" | "signal">>> = {
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 500,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxBytes: 1024 ** 3,
  maxRedirects: 10,
  redirects: "manual",
  // The zip layer looks for the end-of-central-directory record in the last 22 + 65535 bytes (the
  // record and its longest comment, APPNOTE 4.3.16), with the zip64 locator and record (20 + 56
  // bytes) before it; 128 KiB holds all of that and, for a wheel of up to about a thousand members,
  // the whole central directory, so the zip layer's first reads cost no second request.
  tailBytes: 128 * 1024,
  coalesceGapBytes: 16 * 1024,
  cacheBytes: 16 * 1024 * 1024,
  concurrency: 4,
  ifRange: true,
  wholeFile: false,
};

const LIMITS: ReadonlyArray<[keyof typeof DEFAULT_OPTIONS, number, number]> = [
  ["timeoutMs", 1, 3_600_000],
  ["retries", 0, 20],
  ["backoffMs", 0, 600_000],
  ["maxBackoffMs", 0, 600_000],
  ["maxRetryAfterMs", 0, 3_600_000],
  ["maxBytes", 0, Number.MAX_SAFE_INTEGER],
  ["maxRedirects", 0, 50],
  ["tailBytes", 22, 16 * 1024 * 1024],
  ["coalesceGapBytes", 0, 1024 ** 3],
  ["cacheBytes", 0, Number.MAX_SAFE_INTEGER],
  ["concurrency", 1, 64],
];

export function resolveOptions(options: RemoteOptions = {}): ResolvedOptions {
  const resolved = { ...DEFAULT_OPTIONS, ...definedOnly(options) } as ResolvedOptions;
  for (const [key, min, max] of LIMITS) {
    const value = resolved[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`remote option ${key} must be an integer from ${min} to ${max}, not ${String(value)}`);
    }
  }
  if (resolved.redirects !== "manual" && resolved.redirects !== "follow") {
    throw new RangeError(`remote option redirects must be "manual" or "follow", not ${String(resolved.redirects)}`);
  }
  return resolved;
}

function definedOnly(options: RemoteOptions): Partial<RemoteOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<RemoteOptions>;
}

/** `30 s`, `250 ms`, `1.5 s`: how a duration appears in an error. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/** `1 GiB`, `64 KiB`, `812 bytes`: how a size appears in an error. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  let value = bytes;
  let unit = "bytes";
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number(value.toFixed(1))} ${unit}`;
}
