import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { WheelError } from "../../src/model/errors.js";
import { parseWheelMetadata, replaceTags, serializeWheelMetadata } from "../../src/wheel/metadata.js";

// What bdist_wheel writes: email.generator output, so the headers end with a blank line.
const BDIST_WHEEL =
  "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.42.0)\nRoot-Is-Purelib: false\nTag: cp312-cp312-macosx_10_9_universal2\n\n";

const ROUND_TRIPS: [string, string][] = [
  ["bdist_wheel output", BDIST_WHEEL],
  ["\\r\\n endings", "Wheel-Version: 1.0\r\nGenerator: hatchling 1.21.0\r\nRoot-Is-Purelib: false\r\nTag: py3-none-macosx_11_0_arm64\r\n"],
  ["no final newline", "Wheel-Version: 1.0\nGenerator: maturin (1.4.0)\nTag: cp38-abi3-macosx_10_12_x86_64"],
  ["mixed endings", "Wheel-Version: 1.0\r\nGenerator: x\nTag: a-b-c\r\nTag: a-b-d\n"],
  ["continuation lines", "Wheel-Version: 1.0\nGenerator: some\n  long generator\n\tname\nTag: py3-none-any\n"],
  ["a body after the blank line", "Wheel-Version: 1.0\nTag: py3-none-any\n\nTag: not-a-header\nfree text\n"],
  ["odd spacing", "Wheel-Version:1.0\nTag:\tpy3-none-any  \nBuild:   7\n"],
  ["lone \\r endings", "Wheel-Version: 1.0\rTag: py3-none-any\r"],
];

describe("parseWheelMetadata / serializeWheelMetadata", () => {
  it.each(ROUND_TRIPS)("gives back the same text: %s", (_, text) => {
    expect(serializeWheelMetadata(parseWheelMetadata(text))).toBe(text);
  });

  it.each([
    [BDIST_WHEEL, ["cp312-cp312-macosx_10_9_universal2"], "\n"],
    ["Wheel-Version: 1.0\r\nTag: py2-none-any\r\nTag: py3-none-any\r\n", ["py2-none-any", "py3-none-any"], "\r\n"],
    ["Wheel-Version:1.0\nTag:\tpy3-none-any  \n", ["py3-none-any"], "\n"],
    ["Wheel-Version: 1.0\nTAG: py3-none-any\ntag: py2-none-any\n", ["py3-none-any", "py2-none-any"], "\n"],
    ["Wheel-Version: 1.0\nTag:\n py3-none-any\n", ["py3-none-any"], "\n"],
    ["Wheel-Version: 1.0\nTag: py3-none-any\n\nTag: body-not-header\n", ["py3-none-any"], "\n"],
    ["Wheel-Version: 1.0\r\nA: b\r\nTag: x-y-z\n", ["x-y-z"], "\r\n"],
    ["Wheel-Version: 1.0", [], "\n"],
  ])("reads the Tag values and the dominant line ending of %j", (text, tags, eol) => {
    const meta = parseWheelMetadata(text);
    expect(meta.tags).toEqual(tags);
    expect(meta.eol).toBe(eol);
  });

  it("keeps keys and values per line, continuation lines without a key", () => {
    const meta = parseWheelMetadata("Wheel-Version: 1.0\nGenerator: a\n b\n");
    expect(meta.lines).toEqual([
      { raw: "Wheel-Version: 1.0\n", key: "Wheel-Version", value: "1.0" },
      { raw: "Generator: a\n", key: "Generator", value: "a" },
      { raw: " b\n", key: null, value: null },
    ]);
  });

  it.each([
    ["empty", ""],
    ["no Wheel-Version", "Generator: x\nTag: py3-none-any\n"],
    ["Wheel-Version only in the body", "Generator: x\n\nWheel-Version: 1.0\n"],
    ["a line that is not a header", "Wheel-Version: 1.0\nthis is not a header\n"],
    ["a header name with a space", "Wheel Version: 1.0\n"],
    ["an empty header name", "Wheel-Version: 1.0\n: value\n"],
    ["a continuation first", " Wheel-Version: 1.0\n"],
    ["a byte order mark", "\uFEFFWheel-Version: 1.0\n"],
    ["a Wheel-Version that is not a number", "Wheel-Version: one\n"],
    ["Wheel-Version 2.0, which pip refuses", "Wheel-Version: 2.0\n"],
  ])("refuses %s with R005", (_, text) => {
    expect(() => parseWheelMetadata(text)).toThrow(WheelError);
    try {
      parseWheelMetadata(text);
    } catch (error) {
      expect((error as WheelError).code).toBe("R005");
    }
  });
});

describe("replaceTags", () => {
  it.each([
    {
      why: "bdist_wheel output: one Tag line replaced in place, the blank line kept",
      before: BDIST_WHEEL,
      tags: ["cp312-cp312-macosx_11_0_arm64"],
      after: "Wheel-Version: 1.0\nGenerator: bdist_wheel (0.42.0)\nRoot-Is-Purelib: false\nTag: cp312-cp312-macosx_11_0_arm64\n\n",
    },
    {
      why: "\\r\\n file: new lines use \\r\\n",
      before: "Wheel-Version: 1.0\r\nTag: cp312-cp312-macosx_10_9_universal2\r\nBuild: 1\r\n",
      tags: ["cp312-cp312-macosx_10_9_x86_64", "cp312-cp312-macosx_12_0_arm64"],
      after: "Wheel-Version: 1.0\r\nTag: cp312-cp312-macosx_10_9_x86_64\r\nTag: cp312-cp312-macosx_12_0_arm64\r\nBuild: 1\r\n",
    },
    {
      why: "scattered Tag lines: all go, the new ones stand where the first was",
      before: "Wheel-Version: 1.0\nTag: a-b-c\nGenerator: x\nTag: a-b-d\nRoot-Is-Purelib: false\n",
      tags: ["a-b-e"],
      after: "Wheel-Version: 1.0\nTag: a-b-e\nGenerator: x\nRoot-Is-Purelib: false\n",
    },
    {
      why: "the key spelling of the old lines is kept",
      before: "Wheel-Version: 1.0\ntag:  a-b-c\n",
      tags: ["a-b-x", "a-b-y"],
      after: "Wheel-Version: 1.0\ntag: a-b-x\ntag: a-b-y\n",
    },
    {
      why: "a folded Tag header goes with its continuation line",
      before: "Wheel-Version: 1.0\nTag:\n a-b-c\nGenerator: x\n  y\n",
      tags: ["a-b-x"],
      after: "Wheel-Version: 1.0\nTag: a-b-x\nGenerator: x\n  y\n",
    },
    {
      why: "no Tag lines: added after the last header (and its continuation), before the blank line",
      before: "Wheel-Version: 1.0\nGenerator: x\n  y\n\nbody\n",
      tags: ["a-b-x"],
      after: "Wheel-Version: 1.0\nGenerator: x\n  y\nTag: a-b-x\n\nbody\n",
    },
    {
      why: "Tag lines in the body are not headers and stay",
      before: "Wheel-Version: 1.0\nTag: a-b-c\n\nTag: a-b-c\n",
      tags: ["a-b-x"],
      after: "Wheel-Version: 1.0\nTag: a-b-x\n\nTag: a-b-c\n",
    },
    {
      why: "no final newline, Tag last: the new last line has none either",
      before: "Wheel-Version: 1.0\nTag: a-b-c",
      tags: ["a-b-x", "a-b-y"],
      after: "Wheel-Version: 1.0\nTag: a-b-x\nTag: a-b-y",
    },
    {
      why: "no final newline, no Tag line: the old last line gets one, the new last line none",
      before: "Wheel-Version: 1.0\r\nGenerator: x",
      tags: ["a-b-x"],
      after: "Wheel-Version: 1.0\r\nGenerator: x\r\nTag: a-b-x",
    },
    {
      why: "no final newline on a line that stays last: untouched",
      before: "Wheel-Version: 1.0\nTag: a-b-c\nBuild: 1",
      tags: ["a-b-x"],
      after: "Wheel-Version: 1.0\nTag: a-b-x\nBuild: 1",
    },
    {
      why: "the same tags give back the same bytes",
      before: "Wheel-Version: 1.0\r\nTag: a-b-c\r\nTag: a-b-d\r\n\r\n",
      tags: ["a-b-c", "a-b-d"],
      after: "Wheel-Version: 1.0\r\nTag: a-b-c\r\nTag: a-b-d\r\n\r\n",
    },
  ])("$why", ({ before, tags, after }) => {
    const replaced = replaceTags(parseWheelMetadata(before), tags);
    expect(serializeWheelMetadata(replaced)).toBe(after);
    expect(replaced.tags).toEqual(tags);
    // The result reads back with the new tags.
    expect(parseWheelMetadata(after).tags).toEqual(tags);
  });
});

// email.parser is what pip (and wheel) read WHEEL with: our Tag values and Wheel-Version must match it.
const EMAIL_ORACLE = `
import json, sys
from email.parser import Parser
out = []
for text in json.load(sys.stdin):
    msg = Parser().parsestr(text)
    out.append({"version": msg["Wheel-Version"].strip(), "tags": [" ".join(t.split()) for t in msg.get_all("Tag", [])]})
print(json.dumps(out))
`;
const hasPython = spawnSync("python3", ["--version"]).status === 0;

describe("against Python's email.parser", () => {
  it.skipIf(!hasPython)("reads the same Wheel-Version and Tag values (skipped when python3 is absent)", () => {
    const texts = ROUND_TRIPS.map(([, text]) => text);
    const run = spawnSync("python3", ["-c", EMAIL_ORACLE], { input: JSON.stringify(texts), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const ours = texts.map((text) => {
      const meta = parseWheelMetadata(text);
      const version = meta.lines.find((line) => line.key?.toLowerCase() === "wheel-version")?.value?.trim();
      return { version, tags: meta.tags };
    });
    expect(ours).toEqual(JSON.parse(run.stdout));
  });
});
