// The interval arithmetic behind coalescing and the cache, and the Content-Range grammar.
import { describe, expect, it } from "vitest";
import { parseContentRange } from "../../src/remote/content-range.js";
import { rangeCache } from "../../src/remote/range-cache.js";
import { coalesce, missing, type Interval } from "../../src/remote/ranges.js";

const iv = (pairs: Array<[number, number]>): Interval[] => pairs.map(([start, end]) => ({ start, end }));

describe("coalesce", () => {
  it.each<[string, Array<[number, number]>, number, Array<[number, number]>]>([
    ["nothing", [], 10, []],
    ["unsorted input", [[50, 60], [0, 10]], 0, [[0, 10], [50, 60]]],
    ["touching ranges, no gap allowed", [[0, 10], [10, 20]], 0, [[0, 20]]],
    ["a gap of exactly the threshold", [[0, 10], [20, 30]], 10, [[0, 30]]],
    ["a gap one past the threshold", [[0, 10], [21, 30]], 10, [[0, 10], [21, 30]]],
    ["overlaps and containment", [[0, 100], [10, 20], [90, 150]], 0, [[0, 150]]],
    ["empty ranges dropped", [[5, 5], [0, 3]], 100, [[0, 3]]],
    ["a chain merges into one", [[0, 1], [3, 4], [6, 7], [9, 10]], 2, [[0, 10]]],
  ])("%s", (_, input, gap, expected) => {
    expect(coalesce(iv(input), gap)).toEqual(iv(expected));
  });
});

describe("missing", () => {
  it.each<[string, [number, number], Array<[number, number]>, Array<[number, number]>]>([
    ["nothing held", [0, 100], [], [[0, 100]]],
    ["all held", [10, 20], [[0, 100]], []],
    ["held in the middle", [0, 100], [[40, 60]], [[0, 40], [60, 100]]],
    ["held at both ends", [0, 100], [[0, 10], [90, 100]], [[10, 90]]],
    ["held pieces around it only", [50, 60], [[0, 50], [60, 70]], [[50, 60]]],
    ["adjacent held pieces", [0, 30], [[0, 10], [10, 20], [20, 30]], []],
    ["held pieces past it", [0, 10], [[20, 30]], [[0, 10]]],
  ])("%s", (_, wanted, have, expected) => {
    expect(missing({ start: wanted[0], end: wanted[1] }, iv(have))).toEqual(iv(expected));
  });
});

describe("parseContentRange", () => {
  it.each([
    ["bytes 0-99/1000", { start: 0, end: 100, total: 1000 }],
    ["bytes 999-999/1000", { start: 999, end: 1000, total: 1000 }],
    ["Bytes 1-2/3", { start: 1, end: 3, total: 3 }],
    ["bytes */0", { unsatisfied: true, total: 0 }],
    ["bytes */4096", { unsatisfied: true, total: 4096 }],
    [" bytes 0-0/1 ", { start: 0, end: 1, total: 1 }],
  ])("%s", (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected);
  });

  it.each([
    null,
    "",
    "bytes 0-99/*", // size unknown
    "bytes 10-5/100", // last before first
    "bytes 0-100/100", // last at or past the size
    "items 0-1/2",
    "bytes 0-1/2, 4-5/6",
    "bytes -1-2/3",
    "bytes 0-1/1234567890123456", // 16 digits: past 2^53
  ])("%s is unusable", (value) => {
    expect(parseContentRange(value)).toBeNull();
  });
});

describe("rangeCache", () => {
  const file = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
  function counted(fail = 0) {
    const loads: Array<[number, number]> = [];
    let failures = fail;
    const cache = rangeCache(10_000, async (r) => {
      loads.push([r.start, r.end]);
      if (failures-- > 0) throw new Error("down");
      return file.slice(r.start, r.end);
    });
    return { cache, loads };
  }

  it("a failed load is forgotten, so the next read asks again", async () => {
    const { cache, loads } = counted(1);
    await expect(cache.read({ start: 0, end: 10 })).rejects.toThrow("down");
    expect(await cache.read({ start: 0, end: 10 })).toEqual(file.subarray(0, 10));
    expect(loads).toEqual([
      [0, 10],
      [0, 10],
    ]);
  });

  it("held bytes are read without a load, as a view when one piece covers them", async () => {
    const { cache, loads } = counted();
    const tail = file.slice(500);
    cache.hold(500, tail);
    const got = await cache.read({ start: 600, end: 700 });
    expect(got).toEqual(file.subarray(600, 700));
    expect(got.buffer).toBe(tail.buffer);
    expect(loads).toEqual([]);
  });

  it("prefetch skips ranges larger than the cache (they are read when asked)", async () => {
    const loads: Array<[number, number]> = [];
    const cache = rangeCache(100, async (r) => {
      loads.push([r.start, r.end]);
      return file.slice(r.start, r.end);
    });
    await cache.prefetch(iv([[0, 50], [300, 500], [600, 640]]), 0);
    expect(loads).toEqual([
      [0, 50],
      [600, 640],
    ]);
  });
});
