// "Did you mean": the nearest known word, or none when the typo is too far from everything.
import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "../../src/cli/suggest.js";

describe("editDistance", () => {
  it.each([
    ["check", "check", 0],
    ["chek", "check", 1],
    ["shwo", "show", 1], // a swap of neighbours is one edit
    ["R2O1", "R201", 1],
    ["CHECK", "check", 0],
    ["", "fix", 3],
    ["kitten", "sitting", 3], // the textbook case
  ])("%s → %s: %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe("nearest", () => {
  const commands = ["fix", "check", "show", "explain"];
  it.each([
    ["chek", commands, "check"],
    ["shwo", commands, "show"],
    ["expalin", commands, "explain"],
    ["fixx", commands, "fix"],
    ["completion", commands, null],
    ["x", commands, null],
    ["strcit", ["strict", "format", "force"], "strict"],
    ["R2O1", ["R201", "R202", "R021"], "R201"],
  ])("%s → %s", (word, known, expected) => {
    expect(nearest(word, known)).toBe(expected);
  });
});
