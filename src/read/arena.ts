// One buffer the read stage carves members out of, in the order it reads them, and gets back in
// the same order once each is hashed and analysed (issue 15: a fresh buffer per member stayed in
// memory until the garbage collector ran, so a 200 MiB wheel's check peaked at ~230 MiB; the arena
// is as large as the largest member read into it, so the peak is that and no more). A ring: the
// newest region goes to the start when there is room before the oldest, else after the newest.
// Nothing may keep a view of a region once it is given back: the next member is written there.

export interface Arena {
  /** The buffer's size; a region of more is never given. */
  readonly size: number;
  /** `length` bytes after the regions in use, or null when they leave no room now. */
  take(length: number): Uint8Array | null;
  /** Whether `length` bytes could be taken now. */
  fits(length: number): boolean;
  /** Gives a region back (any order: the space is reused once every older region is back too). */
  give(region: Uint8Array): void;
  /** Regions taken and not given back. */
  readonly inUse: number;
}

interface Region {
  start: number;
  end: number;
  back: boolean;
}

/** An arena of `size` bytes, allocated when first used. */
export function ringArena(size: number): Arena {
  let buffer: Uint8Array | null = null;
  // Oldest first; each region starts after the one before it, except where it wrapped to 0.
  const regions: Region[] = [];
  let inUse = 0;
  const place = (length: number): number | null => {
    const oldest = regions[0];
    const newest = regions[regions.length - 1];
    if (oldest === undefined || newest === undefined) return 0;
    if (newest.start >= oldest.start) {
      // Not wrapped: free before the oldest, and after the newest. The start comes first, so the
      // bytes touched stay near what is in use at once, not the whole arena (sized by the largest
      // member, which a wheel may never read: over the total budget, say).
      if (oldest.start >= length) return 0;
      return size - newest.end >= length ? newest.end : null;
    }
    // Wrapped: free between the newest and the oldest.
    return oldest.start - newest.end >= length ? newest.end : null;
  };
  return {
    size,
    get inUse() {
      return inUse;
    },
    fits: (length) => length <= size && place(length) !== null,
    take(length) {
      if (length > size) return null;
      const start = place(length);
      if (start === null) return null;
      buffer ??= new Uint8Array(size);
      regions.push({ start, end: start + length, back: false });
      inUse++;
      return buffer.subarray(start, start + length);
    },
    give(region) {
      if (buffer === null || region.buffer !== buffer.buffer) throw new Error("arena: region is not from this arena");
      const start = region.byteOffset - buffer.byteOffset;
      const found = regions.find((r) => r.start === start && !r.back && r.end - r.start === region.length);
      if (found === undefined) throw new Error("arena: region given back twice or never taken");
      found.back = true;
      inUse--;
      while (regions[0]?.back === true) regions.shift();
    },
  };
}
