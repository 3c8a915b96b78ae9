// The buffers fuse's reads are made in and handed back (src/read/recycler.ts): reuse, what is
// ignored, and the bound that keeps recycling from adding to the peak memory.
import { describe, expect, it } from "vitest";
import { bufferRecycler } from "../../src/read/recycler.js";

const MiB = 2 ** 20;

describe("bufferRecycler", () => {
  it.each([
    // [sizes given back, then the request, whether a given-back buffer serves it]
    { back: [4 * MiB], ask: 4 * MiB, reused: true, why: "the same size" },
    { back: [4 * MiB], ask: 1 * MiB, reused: true, why: "a smaller member (the large buffer is resident anyway)" },
    { back: [1 * MiB], ask: 4 * MiB, reused: false, why: "a larger member" },
  ])("a buffer given back serves $why: $reused", ({ back, ask, reused }) => {
    const pool = bufferRecycler(64 * MiB);
    const taken = back.map((n) => pool.take(n));
    const buffers = new Set(taken.map((b) => b.buffer));
    for (const b of taken) pool.give(b);
    const next = pool.take(ask);
    expect(next.length).toBe(ask);
    expect(buffers.has(next.buffer)).toBe(reused);
  });

  it("takes the smallest idle buffer that holds the request", () => {
    const pool = bufferRecycler(64 * MiB);
    const [small, middle, large] = [pool.take(1 * MiB), pool.take(3 * MiB), pool.take(8 * MiB)];
    for (const b of [large, small, middle]) pool.give(b);
    expect(pool.take(2 * MiB).buffer).toBe(middle.buffer);
    expect(pool.take(2 * MiB).buffer).toBe(large.buffer);
    expect(pool.take(1 * MiB).buffer).toBe(small.buffer);
  });

  it("ignores a buffer it did not make, and one given back twice (it is handed out once)", () => {
    const pool = bufferRecycler(64 * MiB);
    pool.give(new Uint8Array(4 * MiB));
    const mine = pool.take(4 * MiB);
    pool.give(mine);
    pool.give(mine.subarray(0, 10));
    const first = pool.take(4 * MiB);
    const second = pool.take(4 * MiB);
    expect(first.buffer).toBe(mine.buffer);
    expect(second.buffer).not.toBe(mine.buffer);
  });

  it("keeps no more idle than were ever in use at once less what is in use now, and at most its limit", () => {
    // Peak 2 buffers of 1 MiB; with both back, a 4 MiB request is new and in use: the 2 MiB of
    // idle buffers would take the total past the peak of 4 MiB + nothing, so they are let go.
    const pool = bufferRecycler(64 * MiB);
    const a = pool.take(MiB);
    const b = pool.take(MiB);
    pool.give(a);
    pool.give(b);
    const big = pool.take(4 * MiB);
    pool.give(big);
    expect(pool.take(MiB).buffer).toBe(big.buffer);
    expect([a.buffer, b.buffer]).not.toContain(pool.take(MiB).buffer);
    // The limit: nothing is kept idle past it.
    const tight = bufferRecycler(MiB);
    const c = tight.take(2 * MiB);
    tight.give(c);
    expect(tight.take(2 * MiB).buffer).not.toBe(c.buffer);
  });
});
