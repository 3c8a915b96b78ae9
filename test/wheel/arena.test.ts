// The read stage's arena (src/read/arena.ts): regions handed out in reading order and given back
// once used. What a check depends on: two regions in use never overlap (a member read ahead must not
// overwrite the one being hashed), space comes back once every older region is back, and the start
// is used first (so the memory touched stays near what is in use at once, not the arena's size).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ringArena } from "../../src/read/arena.js";

const offsetOf = (region: Uint8Array): number => region.byteOffset;

describe("ringArena", () => {
  it.each([
    // [takes and gives in order, the offset of each take (null: no room)]
    ["fills from 0", [["take", 4], ["take", 4], ["take", 2]], [0, 4, 8]],
    ["no room past the end", [["take", 6], ["take", 5]], [0, null]],
    ["wraps to 0 once the oldest is back", [["take", 6], ["take", 3], ["give", 0], ["take", 5]], [0, 6, 0]],
    ["after the newest when the start has no room", [["take", 2], ["take", 3], ["take", 3]], [0, 2, 5]],
    ["never over the oldest when wrapped", [["take", 6], ["take", 3], ["give", 0], ["take", 5], ["take", 2]], [0, 6, 0, null]],
    ["a region given back early frees nothing until the older ones are back", [["take", 5], ["take", 5], ["give", 1], ["take", 1], ["give", 0], ["take", 10]], [0, 5, null, 0]],
    ["the start before the end, when there is room before the oldest", [["take", 3], ["take", 3], ["give", 0], ["take", 2]], [0, 3, 0]],
    ["empty again: starts over at 0", [["take", 7], ["give", 0], ["take", 7]], [0, 0]],
    ["larger than the arena: never", [["take", 11]], [null]],
  ] as const)("%s", (_label, steps, offsets) => {
    const arena = ringArena(10);
    const taken: (Uint8Array | null)[] = [];
    const got: (number | null)[] = [];
    for (const [op, n] of steps) {
      if (op === "take") {
        const fits = arena.fits(n);
        const region = arena.take(n);
        expect(region !== null).toBe(fits);
        taken.push(region);
        got.push(region === null ? null : offsetOf(region));
      } else arena.give(taken[n]!);
    }
    expect(got).toEqual(offsets);
  });

  it("refuses a region given back twice or not its own", () => {
    const arena = ringArena(10);
    const region = arena.take(3)!;
    arena.give(region);
    expect(() => arena.give(region)).toThrow(/twice/);
    expect(() => arena.give(new Uint8Array(3))).toThrow(/not from this arena/);
  });

  it("never hands out overlapping regions, and always has room for one region when empty", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const arena = ringArena(40);
        const live: Uint8Array[] = [];
        for (const [length, giveOldest] of ops) {
          if (giveOldest && live.length > 0) arena.give(live.shift()!);
          if (live.length === 0) expect(arena.fits(length)).toBe(true);
          const region = arena.take(length);
          if (region === null) continue;
          expect(region.length).toBe(length);
          for (const other of live) {
            const disjoint = region.byteOffset + region.length <= other.byteOffset || other.byteOffset + other.length <= region.byteOffset;
            expect(disjoint).toBe(true);
          }
          live.push(region);
          expect(arena.inUse).toBe(live.length);
        }
      }),
    );
  });
});
