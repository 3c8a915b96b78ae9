// Check a wheel: read it (src/read/), run the common rules and its platform family's rules
// (src/platforms/), and decide what fix mode would write (DESIGN §3.6, §5). Pure but for the byte
// source it reads; returns data.
import { capFindings, fixedBy, isIgnored, isOk } from "../model/findings.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import { distInfoFindings, extensionSuffixFindings, nameFindings, rulesFor, sameTagSet, wheelBuildFindings, wheelTagLineFindings } from "../platforms/index.js";
import { MAX_MEMBER_SIZE, maxTotalSize, readWheel, type BinaryHandler, type MemberSelection, type Recycler, type WheelRead } from "../read/index.js";
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
 * `sha256` makes the read keep every member's sha256 (a rehash writes RECORD from them); `select`
 * reads only some members (a remote check, DESIGN §10).
 */
export async function inspectWheel(
  wheel: string,
  source: ByteSource,
  codecs: Codecs,
  partial: Partial<CheckOptions> = {},
  {
    sha256 = false,
    select,
    keepBinaries = 0,
    onBinary,
    finalBlocks,
    recycler,
  }: { sha256?: boolean; select?: MemberSelection; keepBinaries?: number; onBinary?: BinaryHandler; finalBlocks?: () => boolean; recycler?: Recycler } = {},
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
    unread: [],
  };
  const read = await readWheel(source, codecs, {
    python2Only: name !== null && isPython2Only(name.pythonTags),
    maxMemberSize: MAX_MEMBER_SIZE,
    maxTotalSize: maxTotalSize(source.size),
    sha256,
    keepBinaries,
    ...(select === undefined ? {} : { select }),
    ...(onBinary === undefined ? {} : { onBinary }),
    ...(finalBlocks === undefined ? {} : { finalBlocks }),
    ...(recycler === undefined ? {} : { recycler }),
  });
  const facts = read.facts;
  for (const f of facts.findings) findings.push(f);
  result.binaries = facts.binaries;
  result.unread = facts.unread;
  if (name !== null && facts.readable) {
    // WHEEL's own findings (Tag lines, Build): a rewrite of WHEEL alone repairs those it fixes.
    const wheelFindings = facts.metadata === null ? [] : [...wheelTagLineFindings(name, facts.metadata.tags), ...wheelBuildFindings(name, facts.metadata)];
    for (const f of wheelFindings) findings.push(f);
    if (facts.distInfo !== null) for (const f of distInfoFindings(name, facts.distInfo)) findings.push(f);
    const verdict = rulesFor(name.platformTags).check({ name, facts, options });
    for (const f of verdict.findings) findings.push(f);
    for (const f of extensionSuffixFindings(name, facts.binaries)) findings.push(f);
    result.tags.expected = verdict.expected;
    result.tags.widest = verdict.widest;
    // §3.6, the one rewrite decision: a finding that a rewrite repairs, and tags to write. Decided
    // before --ignore drops anything: ignoring a finding never changes what is rewritten.
    // - The family found a tag untrue (R201 R202 R203 R211): rewrite only to other tags. Rules that
    //   call the tags wrong and would write them again have found nothing true to write, and a
    //   rewrite would launder the wheel (WHEEL made to agree with tags the binaries contradict).
    // - Only WHEEL is wrong (R011, R017, R021): rewrite it to the tags and the name's build tag,
    //   keeping the file name as it is.
    const expected = verdict.expected;
    const changes = expected !== null && !sameTagSet(expected, name.platformTags);
    const tagRepair = verdict.findings.some((f) => fixedBy(f.code) === "rewrite");
    const wheelRepair = wheelFindings.some((f) => fixedBy(f.code) === "rewrite");
    if (expected !== null && expected.length > 0 && (tagRepair ? changes : wheelRepair)) {
      result.needsRewrite = true;
      result.expectedFilename = changes ? formatWheelName(name, expected) : name.filename;
    }
  }
  // At most MAX_FINDINGS_PER_CODE of each code, the rest counted (a hostile wheel makes as many as it likes).
  result.findings = capFindings(findings.filter((f) => !isIgnored(f.code, options.ignore)));
  result.ok = isOk(result.findings, options.strict);
  return { result, read };
}

/** Check one wheel's bytes (a source) and return the result; `select` reads only some members (DESIGN §10). */
export async function checkWheelSource(
  wheel: string,
  source: ByteSource,
  codecs: Codecs,
  options: Partial<CheckOptions> = {},
  read: { select?: MemberSelection } = {},
): Promise<CheckResult> {
  return (await inspectWheel(wheel, source, codecs, options, read)).result;
}

