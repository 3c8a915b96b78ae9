// Findings stay readable whatever the input: at most MAX_FINDINGS_PER_CODE of a code (capFindings),
// and input quoted in messages clipped to a short prefix (src/text.ts). Issue 11, D2 and D10.
import { describe, expect, it } from "vitest";
import { cappedReporter, capFindings, finding, MAX_MESSAGE, type Finding, type FindingCode } from "../../src/model/findings.js";
import { clip, clipList, quote, truncate } from "../../src/text.js";

describe("clip, quote, clipList", () => {
  it.each([
    ["short text is kept", clip("pkg/a.py", 10), "pkg/a.py"],
    ["exactly the limit is kept", clip("abcde", 5), "abcde"],
    ["longer text keeps its start and says how long it was", clip("abcdef", 5), "abcde… (6 characters)"],
    ["a surrogate pair is never cut in half", clip("abcd😀xyz", 5), "abcd… (9 characters)"],
    ["quote is a JSON string literal", quote('a"b\n', 10), '"a\\"b\\n"'],
    ["quote clips outside the quotes", quote("x".repeat(100), 3), '"xxx"… (100 characters)'],
    ["a list names at most a few values", clipList(["a", "b", "c", "d"], 2), "a, b and 2 more"],
    ["each value of a list is clipped", clipList(["abcdef"], 2, 3), "abc… (6 characters)"],
    ["clip escapes control characters", clip("a\nb\u001b[2K\tc\u009b\u202e"), "a\\nb\\x1b[2K\\tc\\x9b\\u202e"],
    ["quote escapes what JSON leaves (C1, separators, overrides)", quote("a\u0085\u2028"), '"a\\x85\\u2028"'],
    ["truncate (for data) keeps control characters", truncate("a\nb"), "a\nb"],
  ])("%s", (_, got, expected) => {
    expect(got).toBe(expected);
  });

  it("finding() clips any message to MAX_MESSAGE and escapes its control characters (the backstop for rules that quote input)", () => {
    expect(finding("R001", "x".repeat(10 * MAX_MESSAGE)).message.length).toBeLessThan(MAX_MESSAGE + 30);
    expect(finding("R008", "red/x\n::error::forged is in the wheel").message).toBe("red/x\\n::error::forged is in the wheel");
  });
});

const f = (code: FindingCode, member: string): Finding => finding(code, `${member} is wrong`, { member });

describe("capFindings", () => {
  it.each([
    { name: "nothing to cap", input: ["R009:a", "R008:b"], max: 2, expected: ["R009:a", "R008:b"] },
    { name: "at the cap, no summary", input: ["R009:a", "R009:b"], max: 2, expected: ["R009:a", "R009:b"] },
    {
      name: "past the cap: a summary right after the last listed one, other codes untouched",
      input: ["R009:a", "R008:x", "R009:b", "R009:c", "R008:y", "R009:d"],
      max: 2,
      expected: ["R009:a", "R008:x", "R009:b", "R009+2", "R008:y"],
    },
  ])("$name", ({ input, max, expected }) => {
    const findings = input.map((s) => f(s.slice(0, 4) as FindingCode, s.slice(5)));
    const show = (list: Finding[]) => list.map((x) => (x.member === undefined ? `${x.code}+${String(x.data["suppressed"])}` : `${x.code}:${x.member}`));
    const capped = capFindings(findings, max);
    expect(show(capped)).toEqual(expected);
    // Capping again changes nothing: the read stage and the check both cap.
    expect(show(capFindings(capped, max))).toEqual(expected);
    // A tighter cap merges the earlier summary into the new one.
    const tighter = capFindings(capped, 1);
    expect(tighter.filter((x) => x.code === "R009").map((x) => x.data["suppressed"] ?? x.member)).toEqual(
      input.filter((s) => s.startsWith("R009")).length > 1 ? ["a", input.filter((s) => s.startsWith("R009")).length - 1] : ["a"],
    );
  });

  it("cappedReporter keeps at most the cap as findings come, and capFindings finishes the summary", () => {
    const list: Finding[] = [];
    const report = cappedReporter(list, 2);
    for (const m of ["a", "b", "c", "d"]) report(f("R009", m));
    // A list capped before (its own summary of 5) reported into this one.
    for (const x of capFindings([f("R009", "e"), f("R009", "g"), f("R009", "h"), f("R009", "i"), f("R009", "j"), f("R009", "k"), f("R009", "l")], 2)) report(x);
    const done = capFindings(list, 2);
    expect(done.map((x) => x.member ?? x.data["suppressed"])).toEqual(["a", "b", 2 + 2 + 5]);
    expect(done.at(-1)?.message).toMatch(/^9 more R009 findings/);
  });

  it("the summary has the code's severity, so it fails (or not) like the findings it stands for", () => {
    const warnings = Array.from({ length: 5 }, (_, i) => finding("R019", `w${i}`));
    const summary = capFindings(warnings, 2).at(-1);
    expect(summary).toMatchObject({ code: "R019", severity: "warning", data: { suppressed: 3 } });
  });
});
