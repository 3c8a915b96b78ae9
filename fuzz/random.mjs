// @ts-check
// A small seeded random source. Every fuzz case gets its own generator, derived from the run's seed
// and the case's index, so any single case can be regenerated (`node fuzz/run.mjs --seed S --case I`)
// without replaying the cases before it.

/** splitmix32 finaliser: spreads a seed's bits so neighbouring case indexes give unrelated streams. */
function mix(x) {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seed of case `index` of a run seeded with `runSeed` (both unsigned 32-bit). */
export function caseSeed(runSeed, index) {
  return mix((mix(runSeed >>> 0) + Math.imul(index >>> 0, 0x9e3779b1)) >>> 0);
}

/** A random source over mulberry32. All methods are deterministic in the seed. */
export function makeRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    /** A float in [0, 1). */
    next,
    /** An integer in [0, n). n ≤ 0 gives 0. */
    below: (n) => (n <= 0 ? 0 : Math.floor(next() * n)),
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** True with probability p. */
    chance: (p) => next() < p,
    /** One element of a non-empty array. */
    pick: (items) => items[Math.floor(next() * items.length)],
    /** A u32 from the whole range. */
    u32: () => (Math.floor(next() * 65536) * 65536 + Math.floor(next() * 65536)) >>> 0,
    /** Small sizes more often than large ones: 1, 2, 4 … up to `max`. */
    small: (max) => Math.min(max, 1 + Math.floor(2 ** (next() * Math.log2(Math.max(2, max))))),
    /** `n` random bytes. */
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
  return random;
}
