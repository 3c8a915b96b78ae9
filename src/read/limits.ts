// What one wheel may make retag inflate (DESIGN §7): bounds checked before any member is inflated.

/** Members larger than this are not inflated (a zip bomb must not exhaust memory). */
export const MAX_MEMBER_SIZE = 2 ** 31;

/**
 * What one wheel may inflate in all, by declared sizes: 100 times its own size (real wheels inflate
 * 2–5:1 overall), at least 512 MiB, at most 4 GiB. A small wheel declaring gigabytes of zeros is a
 * bomb: without the ratio, a 4 MiB wheel could cost seconds of inflating (found by the fuzz harness).
 */
export function maxTotalSize(wheelBytes: number): number {
  return Math.min(4 * 2 ** 30, Math.max(512 * 2 ** 20, 100 * wheelBytes));
}
