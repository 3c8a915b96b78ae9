// Interval arithmetic for range requests: which bytes are still missing, and which nearby ranges to
// fetch together. Intervals are half-open, `[start, end)`.

export interface Interval {
  start: number;
  end: number;
}

/**
 * `ranges` sorted and merged wherever the gap between two is at most `gap` bytes (overlapping and
 * touching ranges always merge). Empty ranges are dropped. One request for two ranges `gap` bytes
 * apart costs `gap` extra bytes; two requests cost a round trip.
 */
export function coalesce(ranges: readonly Interval[], gap: number): Interval[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start - last.end <= gap) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/** The parts of `wanted` not inside any of `have` (which must be sorted and disjoint). */
export function missing(wanted: Interval, have: readonly Interval[]): Interval[] {
  const gaps: Interval[] = [];
  let at = wanted.start;
  for (const piece of have) {
    if (piece.end <= at) continue;
    if (piece.start >= wanted.end) break;
    if (piece.start > at) gaps.push({ start: at, end: piece.start });
    at = Math.max(at, piece.end);
    if (at >= wanted.end) break;
  }
  if (at < wanted.end) gaps.push({ start: at, end: wanted.end });
  return gaps;
}
