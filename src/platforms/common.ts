// Rules every wheel gets, whatever its platform: the file name (PEP 427), WHEEL's Tag lines against
// it, and the extension suffixes against the python and abi tags.
import type { BinaryReport } from "../model/binary.js";
import { finding, MAX_FINDINGS_PER_CODE, type Finding } from "../model/findings.js";
import { clip, clipList, LIST_LIMIT, QUOTE_LIMIT, truncate } from "../text.js";
import type { WheelName } from "../model/wheel.js";
import { parseWheelName, wheelTags } from "../wheel/name.js";

/** The file name's findings (R010, R015) and the parsed name, null when it is not a wheel name. */
export function nameFindings(filename: string): { name: WheelName | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const parsed = parseWheelName(filename);
  if ("error" in parsed) {
    findings.push(finding("R010", `${clip(filename)}: ${parsed.error}`, { data: { filename } }));
    return { name: null, findings };
  }
  for (const problem of parsed.problems) findings.push(finding("R010", `${clip(filename)}: ${problem}`, { data: { filename } }));
  for (const problem of parsed.unsorted) findings.push(finding("R015", `${clip(filename)}: ${problem}`, { data: { filename } }));
  return { name: parsed.name, findings };
}

/** PEP 427: the `Tag:` lines of WHEEL are the expanded product of the file name's compressed tags. */
export function wheelTagLineFindings(name: WheelName, tagLines: string[]): Finding[] {
  const expected = wheelTags(name);
  const actual = [...new Set(tagLines)].sort();
  if (expected.length === actual.length && expected.every((t, i) => t === actual[i])) return [];
  return [
    // A hostile WHEEL may hold any number of Tag lines of any length: the message names a few, clipped,
    // and the data at most MAX_FINDINGS_PER_CODE of them (the file name's own tags are the user's).
    finding("R011", `WHEEL says ${clipList(actual, LIST_LIMIT, QUOTE_LIMIT) || "no Tag lines"}; the file name says ${clipList(expected, LIST_LIMIT, QUOTE_LIMIT)}`, {
      data: { wheel: actual.slice(0, MAX_FINDINGS_PER_CODE).map((t) => truncate(t, QUOTE_LIMIT)), filename: expected },
    }),
  ];
}

/**
 * Extension suffixes vs python / abi tags (PEP 3149, PEP 384, PEP 703): `_x.cpython-313-darwin.so`
 * loads only on CPython 3.13 with the default ABI, so its wheel must be tagged `cp313`; `t` marks the
 * free-threaded ABI (`cp313t`); `.abi3.so` belongs in an `abi3` wheel.
 */
export function extensionSuffixFindings(name: WheelName, binaries: BinaryReport[]): Finding[] {
  const findings: Finding[] = [];
  for (const b of binaries) {
    if (b.module === null || b.member === null) continue;
    const base = b.member.slice(b.member.lastIndexOf("/") + 1);
    const cpython = /\.cpython-(\d)(\d+)([a-z]*)-darwin\.so$/.exec(base) ?? /\.cpython-(\d)(\d+)([a-z]*)-[a-z0-9_-]+\.so$/.exec(base);
    if (cpython !== null) {
      const abi = `cp${cpython[1]}${cpython[2]}${cpython[3]}`;
      const py = `cp${cpython[1]}${cpython[2]}`;
      if (!name.abiTags.includes(abi) || !name.pythonTags.includes(py)) {
        findings.push(
          finding("R301", `${clip(b.member)} is built for ${abi}, but the wheel is tagged ${name.pythonTags.join(".")}-${name.abiTags.join(".")}`, {
            member: b.member,
            data: { suffixAbi: abi, pythonTags: name.pythonTags, abiTags: name.abiTags },
          }),
        );
      }
    } else if (base.endsWith(".abi3.so") && !name.abiTags.includes("abi3")) {
      findings.push(
        finding("R302", `${clip(b.member)} uses the stable ABI, but the wheel is tagged ${name.abiTags.join(".")}`, {
          member: b.member,
          data: { abiTags: name.abiTags },
        }),
      );
    }
  }
  return findings;
}

/** Files loaded at run time count toward support (DESIGN §3.1); objects and archives do not. */
export const COUNTED_FILETYPES: ReadonlySet<string> = new Set(["bundle", "dylib", "execute"]);

/** A readable Mach-O file none of whose slices is loaded at run time: an object file or a static archive (§3.1). */
export function isStaticCode(b: BinaryReport): boolean {
  return b.kind !== "elf" && b.kind !== "pe" && b.error === null && !b.slices.some((s) => COUNTED_FILETYPES.has(s.filetype));
}

export function staticCodeFinding(b: BinaryReport): Finding {
  const member = b.member ?? "";
  const what = b.container === "archive" || b.slices.some((s) => s.filetype === "archive") ? "a static archive" : `an ${b.slices[0]?.filetype ?? "object"} file`;
  return finding("R107", `${clip(member)} is ${what}; it is not loaded at run time and does not count`, { member });
}

export function kindName(kind: BinaryReport["kind"]): string {
  return kind === "elf" ? "an ELF (Linux)" : kind === "pe" ? "a PE (Windows)" : "a Mach-O (macOS)";
}
