// The one escaping of untrusted names for text, GitHub workflow commands and the Markdown job summary
// (issue 11 D3-D5): what a hostile name turns into, row by row.
import { describe, expect, it } from "vitest";
import { escapeText, markdownCell, workflowCommand } from "../../src/cli/escape.js";

describe("escapeText", () => {
  it.each([
    ["pkg/_m.cpython-313-darwin.so", "pkg/_m.cpython-313-darwin.so"],
    ["x\n::error::injected", "x\\n::error::injected"],
    ["a\rb\tc", "a\\rb\\tc"],
    ["\u001b]0;pwned\u0007\u001b[2K", "\\x1b]0;pwned\\x07\\x1b[2K"],
    ["nul\u0000del\u007fc1\u009b", "nul\\x00del\\x7fc1\\x9b"],
    ["bidi \u202eexe.so", "bidi \\u202eexe.so"],
    ["zero\u200bwidth", "zero\\u200bwidth"],
    ["::add-mask::secret.whl", "\\x3a:add-mask::secret.whl"],
    ["  ::error::x", "  \\x3a:error::x"],
    ["C:\\dist\\a.whl", "C:\\dist\\a.whl"],
    ["naïve-1.0.whl ✓", "naïve-1.0.whl ✓"],
  ])("%j → %j", (input, output) => {
    expect(escapeText(input)).toBe(output);
  });
});

describe("workflowCommand", () => {
  it.each([
    ["error", { file: "dist/a.whl", title: "R201 unsupported-arch" }, "promises x86_64", "::error file=dist/a.whl,title=R201 unsupported-arch::promises x86_64"],
    ["warning", { file: "a:b,c.whl" }, "50% done", "::warning file=a%3Ab%2Cc.whl::50%25 done"],
    ["notice", { file: "evil\n::warning title=forged::x.whl" }, "m", "::notice file=evil\\n%3A%3Awarning title=forged%3A%3Ax.whl::m"],
    ["error", { file: "w.whl", title: undefined }, "pkg/x\n::error::injected is not in RECORD", "::error file=w.whl::pkg/x\\n::error::injected is not in RECORD"],
    ["error", {}, "\r\n", "::error::\\r\\n"],
  ] as const)("%s %j %j", (level, props, message, line) => {
    const out = workflowCommand(level, props, message);
    expect(out).toBe(line);
    expect(out.split("\n")).toHaveLength(1);
  });
});

describe("markdownCell", () => {
  it.each([
    ["a|b", "a\\|b"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["x\n| injected | row |", "x\\\\n\\| injected \\| row \\|"],
    ["`code`", "\\`code\\`"],
  ])("%j → %j", (input, output) => {
    expect(markdownCell(input)).toBe(output);
  });
});
