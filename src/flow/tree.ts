// Check a distribution that has no wheel file name (DESIGN §9): an unpacked wheel or an installed
// distribution (a folder, read by src/read/tree.ts), or a zip known only by its bytes (pip's HTTP
// cache keeps downloaded wheels as `<hash>.body`). The tags come from WHEEL's `Tag:` lines and the
// name from the .dist-info folder; the same platform rules run as for a wheel file. The file-name
// findings (R010, R015) and WHEEL-against-name (R011) do not apply, and nothing is rewritten: fix
// mode needs a file to rename.
import { ZipError } from "../model/errors.js";
import { finding, isIgnored, isOk, type Finding } from "../model/findings.js";
import type { ByteSource, Codecs, TreeSource } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { WheelFacts, WheelName } from "../model/wheel.js";
import { extensionSuffixFindings, rulesFor } from "../platforms/index.js";
import { MAX_MEMBER_SIZE, maxTotalSize, readWheel } from "../read/index.js";
import { readTree, type TreeLayout } from "../read/tree.js";
import { isPython2Only } from "../wheel/extension.js";
import { formatWheelName } from "../wheel/name.js";
import { openZip } from "../zip/index.js";
import { DEFAULT_CHECK_OPTIONS } from "./check.js";

/** A checked distribution without a file name, with the facts it was judged from. */
export interface TreeInspection {
  result: CheckResult;
  facts: WheelFacts;
}

/** A folder may hold no more than one wheel inflates to (src/read/limits.ts: 4 GiB at most). */
const TREE_TOTAL = maxTotalSize(Number.POSITIVE_INFINITY);

/**
 * The name a distribution without a file name has: distribution and version from the .dist-info
 * folder (`{name}-{version}.dist-info`, "Recording installed projects": the name has no `-`, so the
 * last one splits them), tags from WHEEL's `Tag:` lines (each `python-abi-platform`), compressed as a
 * file name would (PEP 425). `filename` is the wheel file name those parts spell.
 */
export function nameFromWheel(distInfo: string, tagLines: readonly string[]): { name: WheelName | null; findings: Finding[] } {
  const stem = distInfo.replace(/\.dist-info$/, "");
  const dash = stem.lastIndexOf("-");
  const distribution = dash > 0 ? stem.slice(0, dash) : stem;
  const version = dash > 0 ? stem.slice(dash + 1) : "";
  const sets: [string[], string[], string[]] = [[], [], []];
  const findings: Finding[] = [];
  for (const tag of tagLines) {
    const parts = tag.split("-");
    if (parts.length !== 3 || parts.some((p) => p === "")) {
      findings.push(finding("R005", `${distInfo}/WHEEL: Tag ${JSON.stringify(tag)} is not python-abi-platform`, { member: `${distInfo}/WHEEL` }));
      continue;
    }
    parts.forEach((p, i) => {
      const set = sets[i as 0 | 1 | 2];
      if (!set.includes(p)) set.push(p);
    });
  }
  const [pythonTags, abiTags, platformTags] = sets;
  if (platformTags.length === 0) {
    findings.push(finding("R005", `${distInfo}/WHEEL has no Tag lines: the distribution's tags are unknown`, { member: `${distInfo}/WHEEL` }));
    return { name: null, findings };
  }
  const filename = `${distribution}-${version}-${pythonTags.join(".")}-${abiTags.join(".")}-${platformTags.join(".")}.whl`;
  return { name: { filename, distribution, version, build: null, pythonTags, abiTags, platformTags }, findings };
}

/** The common and platform rules over facts read without a file name (inspectWheel's, minus the name). */
export function judgeFacts(label: string, name: WheelName | null, facts: WheelFacts, nameFindings: Finding[], partial: Partial<CheckOptions>): CheckResult {
  const options = { ...DEFAULT_CHECK_OPTIONS, ...partial };
  const findings: Finding[] = [...facts.findings, ...nameFindings];
  const result: CheckResult = {
    wheel: label,
    ok: false,
    name,
    tags: { current: name?.platformTags ?? [], expected: null, widest: [] },
    unread: facts.unread,
    needsRewrite: false,
    expectedFilename: null,
    findings,
    binaries: facts.binaries,
  };
  if (name !== null && facts.readable) {
    const verdict = rulesFor(name.platformTags).check({ name, facts, options });
    findings.push(...verdict.findings, ...extensionSuffixFindings(name, facts.binaries));
    result.tags.expected = verdict.expected;
    result.tags.widest = verdict.widest;
    // What the wheel should have been named; information only, as there is no file to rename.
    if (verdict.expected !== null && verdict.expected.length > 0) result.expectedFilename = formatWheelName(name, verdict.expected);
  }
  result.findings = findings.filter((f) => !isIgnored(f.code, options.ignore));
  result.ok = isOk(result.findings, options.strict);
  return result;
}

/** Check the distribution whose `.dist-info` is `distInfo` at the root of `tree`. */
export async function inspectTree(
  label: string,
  tree: TreeSource,
  distInfo: string,
  codecs: Codecs,
  partial: Partial<CheckOptions>,
  read: { layout: TreeLayout; verify: "all" | "binaries" },
): Promise<TreeInspection> {
  const facts = await readTree(tree, distInfo, codecs, { ...read, maxMemberSize: MAX_MEMBER_SIZE, maxTotalSize: TREE_TOTAL });
  const { name, findings } = facts.metadata === null ? { name: null, findings: [] } : nameFromWheel(distInfo, facts.metadata.tags);
  return { result: judgeFacts(label, name, facts, findings, partial), facts };
}

/**
 * Check a zip known only by its bytes. Null when it is not a wheel: not a zip, or no
 * `*.dist-info/WHEEL` member (pip's HTTP cache also holds sdists and index pages).
 */
export async function inspectNamelessZip(label: string, source: ByteSource, codecs: Codecs, partial: Partial<CheckOptions>): Promise<TreeInspection | null> {
  try {
    const archive = await openZip(source);
    if (!archive.members.some((m) => /^[^/]+\.dist-info\/WHEEL$/.test(m.name))) return null;
  } catch (error) {
    if (error instanceof ZipError) return null;
    throw error;
  }
  const read = async (python2Only: boolean) =>
    (await readWheel(source, codecs, { python2Only, maxMemberSize: MAX_MEMBER_SIZE, maxTotalSize: maxTotalSize(source.size), sha256: false })).facts;
  let facts = await read(false);
  if (facts.distInfo === null || facts.metadata === null) return { result: judgeFacts(label, null, facts, [], partial), facts };
  const { name, findings } = nameFromWheel(facts.distInfo, facts.metadata.tags);
  // Which init symbol an extension must export depends on the python tags, known only once WHEEL is read.
  if (name !== null && isPython2Only(name.pythonTags)) facts = await read(true);
  return { result: judgeFacts(label, name, facts, findings, partial), facts };
}
