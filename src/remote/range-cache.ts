// The bytes of a remote file fetched so far, as disjoint ranges: held (fetched) or pending (on their
// way). A read is served from what is held, waits for what is pending, and fetches only the gaps; so
// two readers of the same bytes cause one request. Held ranges past `limitBytes` are dropped, least
// recently used first. Nothing here knows HTTP: `load` fetches one range.
import { coalesce, missing, type Interval } from "./ranges.js";

export interface RangeCache {
  /** Bytes `[range.start, range.end)`, fetching what is neither held nor pending. */
  read(range: Interval): Promise<Uint8Array>;
  /**
   * Fetches the parts of `ranges` not yet held, merging ranges at most `gap` bytes apart into one
   * request, and no more in all than the cache holds (the rest is fetched when read).
   */
  prefetch(ranges: readonly Interval[], gap: number): Promise<void>;
  /** Adds bytes fetched by other means (the first request's tail). */
  hold(start: number, bytes: Uint8Array): void;
}

interface Piece {
  start: number;
  end: number;
  bytes: Uint8Array | null;
  pending: Promise<Uint8Array> | null;
  /** When it was last read, for dropping the least recently used. */
  used: number;
}

export function rangeCache(limitBytes: number, load: (range: Interval) => Promise<Uint8Array>): RangeCache {
  const pieces: Piece[] = []; // sorted by start, never overlapping
  let held = 0;
  let clock = 0;

  function insert(piece: Piece): void {
    const index = pieces.findIndex((p) => p.start > piece.start);
    pieces.splice(index < 0 ? pieces.length : index, 0, piece);
  }

  function settle(piece: Piece, bytes: Uint8Array): void {
    piece.bytes = bytes;
    piece.pending = null;
    piece.used = ++clock;
    held += bytes.length;
    // The piece just fetched may go too, when it alone is larger than the cache: its reader has it.
    while (held > limitBytes) {
      let victim = -1;
      for (let i = 0; i < pieces.length; i++) {
        const p = pieces[i]!;
        if (p.bytes !== null && (victim < 0 || p.used < pieces[victim]!.used)) victim = i;
      }
      if (victim < 0) break;
      held -= pieces[victim]!.bytes!.length;
      pieces.splice(victim, 1);
    }
  }

  function fetchGap(range: Interval): Piece {
    const piece: Piece = { start: range.start, end: range.end, bytes: null, pending: null, used: ++clock };
    piece.pending = load(range).then(
      (bytes) => {
        settle(piece, bytes);
        return bytes;
      },
      (error: unknown) => {
        // Forget it, so a later read asks again.
        const index = pieces.indexOf(piece);
        if (index >= 0) pieces.splice(index, 1);
        throw error;
      },
    );
    insert(piece);
    return piece;
  }

  const overlapping = (range: Interval): Piece[] => pieces.filter((p) => p.end > range.start && p.start < range.end);

  return {
    async read(range) {
      if (range.end <= range.start) return new Uint8Array(0);
      // Everything up to the first await is synchronous, so a concurrent reader sees the pending pieces.
      const present = overlapping(range);
      const used = [...present, ...missing(range, present).map(fetchGap)].sort((a, b) => a.start - b.start);
      const parts = await Promise.all(used.map(async (p) => ({ start: p.start, bytes: p.bytes ?? (await p.pending!) })));
      for (const p of used) p.used = ++clock;
      return assemble(range, parts);
    },
    async prefetch(ranges, gap) {
      let budget = limitBytes;
      const fetching: Array<Promise<Uint8Array>> = [];
      for (const range of coalesce(ranges, gap)) {
        for (const hole of missing(range, overlapping(range))) {
          if (hole.end - hole.start > budget) continue;
          budget -= hole.end - hole.start;
          fetching.push(fetchGap(hole).pending!);
        }
      }
      await Promise.all(fetching);
    },
    hold(start, bytes) {
      if (bytes.length === 0) return;
      const piece: Piece = { start, end: start + bytes.length, bytes: null, pending: null, used: 0 };
      insert(piece);
      settle(piece, bytes);
    },
  };
}

/** `range` out of the parts that cover it: a view when one part does, else a copy. */
function assemble(range: Interval, parts: ReadonlyArray<{ start: number; bytes: Uint8Array }>): Uint8Array {
  const first = parts[0]!;
  if (parts.length === 1) return first.bytes.subarray(range.start - first.start, range.end - first.start);
  const out = new Uint8Array(range.end - range.start);
  for (const part of parts) {
    const from = Math.max(range.start, part.start);
    const to = Math.min(range.end, part.start + part.bytes.length);
    if (to > from) out.set(part.bytes.subarray(from - part.start, to - part.start), from - range.start);
  }
  return out;
}
