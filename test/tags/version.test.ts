import { describe, expect, it } from "vitest";
import { compareVersions, formatVersion, parseVersion } from "../../src/tags/index.js";
import { realMinimum, tagVersionFor } from "../../src/tags/version.js";

const v = (major: number, minor = 0, patch = 0) => ({ major, minor, patch });

describe("parseVersion / formatVersion", () => {
  it.each([
    ["10.9", v(10, 9), "10.9"],
    ["11.0", v(11), "11.0"],
    ["10.9.5", v(10, 9, 5), "10.9.5"],
    ["11", v(11), "11.0"],
    ["12.3", v(12, 3), "12.3"],
  ])("%s", (text, parsed, formatted) => {
    expect(parseVersion(text)).toEqual(parsed);
    expect(formatVersion(parsed)).toBe(formatted);
  });

  it.each(["", "10.", "10_9", "x", "10.9.5.1", "-1.0"])("rejects %j", (text) => {
    expect(parseVersion(text)).toBeNull();
  });
});

describe("compareVersions", () => {
  it.each([
    [v(10, 9), v(10, 13), -1],
    [v(10, 13), v(11), -1],
    [v(12, 1), v(12), 1],
    [v(10, 9, 5), v(10, 9), 1],
    [v(11), v(11), 0],
  ])("%j vs %j", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe("realMinimum: the numbering gaps", () => {
  it.each([
    [v(10, 15), v(10, 15)],
    [v(10, 16), v(11)],
    [v(15, 4), v(15, 4)],
    [v(16), v(26)],
    [v(25, 3), v(26)],
    [v(26, 1), v(26, 1)],
  ])("%j → %j", (input, expected) => {
    expect(realMinimum(input)).toEqual(expected);
  });
});

describe("tagVersionFor: what a tag can say", () => {
  it.each([
    [v(10, 9), "down", v(10, 9)],
    [v(10, 9, 5), "down", v(10, 9)],
    [v(10, 9, 5), "up", v(10, 10)],
    [v(10, 15, 7), "up", v(11)],
    [v(12, 3), "down", v(12)],
    [v(12, 3), "up", v(13)],
    [v(12), "up", v(12)],
    [v(15, 1), "up", v(26)],
    [v(10, 16), "down", v(11)],
  ] as const)("%j rounded %s → %j", (need, round, expected) => {
    expect(tagVersionFor(need, round)).toEqual(expected);
  });
});
