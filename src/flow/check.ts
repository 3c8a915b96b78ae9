// Check a wheel: read it (src/read/), run the common rules and its platform family's rules
// (src/platforms/), and decide what fix mode would write (DESIGN §3.6, §5). Pure but for the byte
// source it reads; returns data.
import { capFindings, fixedBy, isIgnored, isOk } from "../model/findings.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import { distInfoFindings, extensionSuffixFindings, nameFindings, rulesFor, wheelBuildFindings, wheelTagLineFindings } from "../platforms/index.js";
import { MAX_MEMBER_SIZE, maxTotalSize, readWheel, type WheelRead } from "../read/index.js";
import { isPython2Only } from "../wheel/extension.js";
import { formatWheelName } from "../wheel/name.js";

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  ignore: [],
  strict: false,
  macosTarget: null,
  requireArchs: [],
  round: "down",
  rehash: false,
};

/** A checked wheel, with what was read: fix mode writes from it without reading the wheel again. */
export interface Inspection {
  result: CheckResult;
  read: WheelRead;
}

/** The file name part of a path (either separator). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/**
 * Check the wheel `source` reads; `wheel` is its path or file name (the name carries the tags).
 * `sha256` makes the read keep every member's sha256 (a rehash writes RECORD from them).
 */
export async function inspectWheel(
  wheel: string,
  source: ByteSource,
  codecs: Codecs,
  partial: Partial<CheckOptions> = {},
  { sha256 = false }: { sha256?: boolean } = {},
): Promise<Inspection> {
  const options = { ...DEFAULT_CHECK_OPTIONS, ...partial };
  const { name, findings } = nameFindings(baseName(wheel));
  const result: CheckResult = {
    wheel,
    ok: false,
    name,
    tags: { current: name?.platformTags ?? [], expected: null, widest: [] },
    needsRewrite: false,
    expectedFilename: null,
    findings,
    binaries: [],
  };
  const read = await readWheel(source, codecs, {
    python2Only: name !== null && isPython2Only(name.pythonTags),
    maxMemberSize: MAX_MEMBER_SIZE,
    maxTotalSize: maxTotalSize(source.size),
    sha256,
  });
  const facts = read.facts;
  for (const f of facts.findings) findings.push(f);
  result.binaries = facts.binaries;
  if (name !== null && facts.readable) {
    if (facts.metadata !== null) for (const f of wheelTagLineFindings(name, facts.metadata.tags)) findings.push(f);
    if (facts.metadata !== null) for (const f of wheelBuildFindings(name, facts.metadata)) findings.push(f);
    if (facts.distInfo !== null) for (const f of distInfoFindings(name, facts.distInfo)) findings.push(f);
    const verdict = rulesFor(name.platformTags).check({ name, facts, options });
    for (const f of verdict.findings) findings.push(f);
    for (const f of extensionSuffixFindings(name, facts.binaries)) findings.push(f);
    result.tags.expected = verdict.expected;
    result.tags.widest = verdict.widest;
    // §3.6, the one rewrite decision: a finding that a rewrite repairs (invalid tags, WHEEL Tag lines
    // that disagree with the name), and tags to write. Decided before --ignore drops anything:
    // ignoring a finding never changes what is rewritten.
    const expected = verdict.expected;
    if (expected !== null && expected.length > 0 && findings.some((f) => fixedBy(f.code) === "rewrite")) {
      result.needsRewrite = true;
      result.expectedFilename = formatWheelName(name, expected);
    }
  }
  // At most MAX_FINDINGS_PER_CODE of each code, the rest counted (a hostile wheel makes as many as it likes).
  result.findings = capFindings(findings.filter((f) => !isIgnored(f.code, options.ignore)));
  result.ok = isOk(result.findings, options.strict);
  return { result, read };
}

/** Check one wheel's bytes (a source) and return the result. */
export async function checkWheelSource(wheel: string, source: ByteSource, codecs: Codecs, options: Partial<CheckOptions> = {}): Promise<CheckResult> {
  return (await inspectWheel(wheel, source, codecs, options)).result;
}

