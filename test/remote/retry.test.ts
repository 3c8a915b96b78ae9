// Which failures are retried, for how long, and a limit on concurrent requests.
import { describe, expect, it } from "vitest";
import { RemoteError } from "../../src/model/remote.js";
import { limiter } from "../../src/remote/limiter.js";
import { backoffDelay, isRetryable, parseRetryAfter } from "../../src/remote/retry.js";

describe("isRetryable", () => {
  it.each<[RemoteError, boolean]>([
    [new RemoteError("http", "u", "", 500), true],
    [new RemoteError("http", "u", "", 503), true],
    [new RemoteError("http", "u", "", 599), true],
    [new RemoteError("http", "u", "", 429), true],
    [new RemoteError("http", "u", "", 408), true],
    [new RemoteError("http", "u", "", 501), false],
    [new RemoteError("http", "u", "", 505), false],
    [new RemoteError("http", "u", "", 404), false],
    [new RemoteError("http", "u", "", 416), false],
    [new RemoteError("network", "u", ""), true],
    [new RemoteError("truncated", "u", ""), true],
    [new RemoteError("timeout", "u", ""), false],
    [new RemoteError("protocol", "u", ""), false],
    [new RemoteError("redirect", "u", ""), false],
    [new RemoteError("changed", "u", ""), false],
    [new RemoteError("too-large", "u", ""), false],
  ])("%o → %s", (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  it.each([
    [null, null],
    ["", null],
    ["120", 120_000],
    ["0", 0],
    [" 5 ", 5_000],
    ["-5", null],
    ["1.5", null],
    ["Mon, 01 Jan 2024 12:00:30 GMT", 30_000],
    ["Mon, 01 Jan 2024 11:00:00 GMT", 0], // already past
    ["tomorrow", null],
    ["2024-01-01T12:00:30Z", null], // not an HTTP-date
  ])("%s → %s", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("backoffDelay", () => {
  it("doubles from the first delay up to the cap", () => {
    const options = { backoffMs: 500, maxBackoffMs: 8000 };
    expect([0, 1, 2, 3, 4, 5, 60].map((n) => backoffDelay(options, n))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe("limiter", () => {
  it("never runs more than its slots at once, and runs every task in order", async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(i);
      active--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => run(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order.slice().sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("frees the slot of a task that fails", async () => {
    const run = limiter(1);
    await expect(run(async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await run(async () => 7)).toBe(7);
  });
});
