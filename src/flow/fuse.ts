// `retag fuse`: thin wheels of one build (arm64 from one runner, x86_64 from another) → one wheel
// (DESIGN §4.1). Each input is read and checked once; then member by member: byte-identical members
// are copied compressed from one input, each set of Mach-O files of one name becomes one fat file
// (slices byte for byte, laid out as llvm-lipo lays them out), and a member that differs otherwise
// comes from the input the user prefers, or is an error naming it. The platform tags are computed from
// the fused binaries by the tag model, never taken from the inputs. The output is assembled as parts:
// copied records are ranges of the inputs, and each fat file is made as soon as the inputs' checks,
// run side by side, have read its binaries (fuse-early.ts), kept as a digest and ranges of the inputs;
// one that could not be made then is made when the assembler reaches it (its inputs inflated again),
// so memory holds a few members' inputs at a time, not the wheels. Host-neutral: byte sources and
// codecs in, data and parts out.
import type { BinaryReport, SliceReport } from "../model/binary.js";
import { FatWriteError, MachOError } from "../model/errors.js";
import { fails, type Finding } from "../model/findings.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { MemberFacts, WheelFacts, WheelName } from "../model/wheel.js";
import type { ArchiveMember } from "../model/zip.js";
import { CPU_SUBTYPE_MASK } from "../macho/constants.js";
import { writeFat } from "../macho/fat-write.js";
import { MAX_FAT_ARCHS } from "../macho/index.js";
import { nameFindings } from "../platforms/index.js";
import { claimedArchs } from "../tags/index.js";
import { formatWheelName } from "../wheel/name.js";
import type { RecordChange } from "../wheel/record.js";
import { assembleZip, spliceDeflate, type AssembledZip, type AssemblyEntry, type ZipArchive } from "../zip/index.js";
import { baseName, DEFAULT_CHECK_OPTIONS, inspectWheel } from "./check.js";
import { bufferRecycler, type Recycler } from "../read/index.js";
import { earlyFats, fatPieces, type EarlyFat } from "./fuse-early.js";
import { describeDifference, MAX_DIFF_BYTES } from "./member-diff.js";
import {
  digestChunks,
  inputBlockers,
  isMachO,
  isMacosTagSet,
  recordBytesFor,
  rereadMember,
  rowFor,
  rowOf,
  signatureFindings,
  SIGNATURE_NAMES,
  tagsFromBinaries,
  wheelBytesFor,
  withDefaults,
} from "./rebuilt.js";
import { FuseError, type MemberProblem } from "./wheel-set-errors.js";

export interface FuseInput {
  /** The wheel's path or file name (the name carries its tags). */
  wheel: string;
  source: ByteSource;
}

/**
 * An input as the user names it: a 0-based index, or text: its 1-based position, its path or file
 * name as given, or an arch that only its platform tags name (`arm64`).
 */
export type InputRef = number | string;

export interface FuseOptions extends CheckOptions {
  /** The input whose copy wins for every member that differs and cannot be fused (`--prefer INPUT`). */
  prefer: InputRef | null;
  /** Per member, the input whose copy wins, even over fusing (`--prefer MEMBER=INPUT`); a member it lacks is left out. */
  preferMembers: ReadonlyArray<{ member: string; input: InputRef }>;
}

/** A fat file of the output. `archs` and `container` are the fat writer's once assembled (lipo's order). */
export interface FusedMember {
  member: string;
  /** Indices of the inputs it was made from. */
  inputs: number[];
  archs: string[];
  /** null until the output is assembled (a dry run). */
  container: "fat" | "fat64" | null;
  size: number | null;
}

/** A member taken from one input by a preference (`from`), or left out because that input lacks it (`from` null). */
export interface PreferredMember {
  member: string;
  from: number | null;
  rule: "prefer" | "prefer-member";
}

export interface FuseResult {
  inputs: Array<{ wheel: string; check: CheckResult }>;
  /** fused: `output` holds the new wheel (null in a dry run); refused: an input has errors, or the output would. */
  action: "fused" | "refused";
  /** The output's file name; null when no tag can be computed. */
  filename: string | null;
  /** The output's platform tags, from the fused binaries. */
  tags: string[];
  /** Members copied byte for byte (compressed) from one input. */
  copied: number;
  fused: FusedMember[];
  preferred: PreferredMember[];
  /** RECORD signatures left out (they sign an input's RECORD). */
  dropped: string[];
  /** Per input, the errors that refused it. */
  blockers: Array<{ wheel: string; findings: Finding[] }>;
  /** What is true of the output (or, when refused for the output's sake, why). */
  findings: Finding[];
  output: AssembledZip | null;
  /** True when the output is fine: no error (with strict, no warning) among `findings`. */
  ok: boolean;
}

/** One input after its check. */
interface Opened {
  index: number;
  wheel: string;
  label: string;
  name: WheelName;
  check: CheckResult;
  facts: WheelFacts;
  archive: ZipArchive;
  files: Map<string, { member: ArchiveMember; facts: MemberFacts; binary: BinaryReport | null }>;
  directories: Map<string, ArchiveMember>;
  /** Binaries' bytes kept from the check (already CRC- and RECORD-checked), dropped once fused. */
  kept: Map<string, Uint8Array>;
}

/**
 * The bytes of the inputs' binaries kept from their checks, in all (split evenly between the inputs),
 * so that most fat files are made without inflating their inputs a second time (DESIGN §7: each
 * member inflated once; issue 17). What is beyond it is inflated again when its fat file is made.
 */
const KEPT_BINARY_BYTES = 64 * 2 ** 20;
/** The bytes of binaries read by one input's check that may wait for the other inputs' copies (fuse-early.ts). */
const WAITING_BINARY_BYTES = 64 * 2 ** 20;
/** At most this many bytes of buffers given back are kept for the next members (src/read/recycler.ts; never more than the reads once had in flight). */
const IDLE_BUFFER_BYTES = 256 * 2 ** 20;

/** How one member of the output is made. */
type Plan =
  | { kind: "directory"; from: Opened; member: ArchiveMember }
  | { kind: "copy"; from: Opened; member: ArchiveMember }
  | { kind: "fuse"; holders: Opened[]; report: FusedMember }
  | { kind: "wheel" };

/** Fuse the wheels `inputs` read into one. Throws FuseError for inputs that cannot be fused as asked. */
export async function fuseWheelSources(
  inputs: readonly FuseInput[],
  codecs: Codecs,
  partial: Partial<FuseOptions> = {},
  // `recycler`: the buffers the reads use (a test's poisons what is given back, to show nothing is used after).
  { dryRun = false, recycler = bufferRecycler(IDLE_BUFFER_BYTES) }: { dryRun?: boolean; recycler?: Recycler } = {},
): Promise<FuseResult> {
  const options = withDefaults<FuseOptions>({ ...DEFAULT_CHECK_OPTIONS, prefer: null, preferMembers: [] }, partial);
  if (inputs.length < 2) throw new FuseError("inputs", `fuse needs two or more wheels, got ${inputs.length}`);
  const labels = labelsOf(inputs.map((i) => i.wheel));
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.wheel)) throw new FuseError("inputs", `${input.wheel} is given twice`);
    seen.add(input.wheel);
  }

  // Read and check every input; the name and tag checks come first, as they need no reading.
  const opened: Opened[] = [];
  const checks: FuseResult["inputs"] = [];
  const names = inputs.map((input, i) => nameOf(input.wheel, labels[i] as string));
  compareNames(names, labels);
  comparePlatforms(names, labels);
  const base = resolveRef(options.prefer, names, inputs, labels, "--prefer") ?? 0;
  const preferMembers = new Map(options.preferMembers.map((p) => [p.member, resolveRef(p.input, names, inputs, labels, `--prefer ${p.member}=`) as number]));
  // The inputs are checked side by side, so each fat file can be made as soon as every input has read
  // its binary (fuse-early.ts); what cannot be made then is kept, within a budget, or read again later.
  // lipo puts the most aligned slice last (arm64's 2^14): the other inputs' streams are the spliced ones.
  const firstSlices = new Set(names.flatMap((n, i) => (claimedArchs(n.platformTags).has("arm64") ? [] : [i])));
  // Large members are read into buffers that go back once used (the check's arena cannot hold bytes
  // kept past their turn): no fresh buffer per member (src/read/recycler.ts).
  const early = earlyFats(inputs.length, codecs, WAITING_BINARY_BYTES, firstSlices, recycler);
  const inspected = await Promise.allSettled(
    inputs.map((input, i) =>
      inspectWheel(input.wheel, input.source, codecs, options, {
        sha256: true,
        keepBinaries: Math.floor(KEPT_BINARY_BYTES / inputs.length),
        onBinary: early.handler(i),
        finalBlocks: early.finalBlocks(i),
        recycler,
      }).finally(() => early.finished()),
    ),
  );
  for (const [i, input] of inputs.entries()) {
    const settled = inspected[i]!;
    if (settled.status === "rejected") throw settled.reason;
    const { result, read } = settled.value;
    checks.push({ wheel: input.wheel, check: result });
    const { facts, archive } = read;
    // Not a zip at all: its check says so (R001), which refuses it below.
    if (archive === null) continue;
    const binaries = new Map(facts.binaries.map((b) => [b.member, b] as const));
    const files = new Map(facts.members.map((m) => [m.name, { member: archive.members[m.index] as ArchiveMember, facts: m, binary: binaries.get(m.name) ?? null }] as const));
    const directories = new Map(archive.members.filter((m) => m.isDirectory).map((m) => [m.name, m] as const));
    opened.push({ index: i, wheel: input.wheel, label: labels[i] as string, name: names[i] as WheelName, check: result, facts, archive, files, directories, kept: read.kept });
  }

  const empty = { filename: null, tags: [], copied: 0, fused: [], preferred: [], dropped: [], findings: [], output: null, ok: false };
  const blockers = opened
    .map((o) => ({ wheel: o.wheel, findings: inputBlockers(o.check) }))
    .filter((b) => b.findings.length > 0);
  // A wheel with errors fuse does not repair, or whose WHEEL / RECORD cannot be read, is refused.
  if (blockers.length > 0 || opened.length < inputs.length || opened.some((o) => o.facts.metadata === null || o.facts.record === null || o.facts.distInfo === null)) {
    return { inputs: checks, action: "refused", blockers, ...empty };
  }
  const distInfo = opened[0]!.facts.distInfo as string;
  const otherDistInfo = opened.find((o) => o.facts.distInfo !== distInfo);
  if (otherDistInfo !== undefined) {
    throw new FuseError("names", `the .dist-info folders differ: ${distInfo} in ${labels[0]}, ${otherDistInfo.facts.distInfo} in ${otherDistInfo.label}`);
  }

  const baseInput = opened[base] as Opened;
  const recordPath = `${distInfo}/RECORD`;
  const wheelPath = `${distInfo}/WHEEL`;
  const signatures = new Set(SIGNATURE_NAMES.map((s) => `${distInfo}/${s}`));
  const dropped = [...signatures].filter((p) => opened.some((o) => o.files.has(p)));

  // Member by member, in the preferred input's order, then what only the others have, before the .dist-info.
  const order = memberOrder(opened, base, distInfo);
  const plans = new Map<string, Plan>();
  const problems: MemberProblem[] = [];
  const preferred: PreferredMember[] = [];
  let copied = 0;
  for (const name of order) {
    if (name === recordPath || signatures.has(name)) continue;
    if (name === wheelPath) {
      plans.set(name, { kind: "wheel" });
      continue;
    }
    const holders = opened.filter((o) => o.files.has(name));
    if (holders.length === 0) {
      const from = [baseInput, ...opened].find((o) => o.directories.has(name)) as Opened;
      plans.set(name, { kind: "directory", from, member: from.directories.get(name) as ArchiveMember });
      continue;
    }
    const named = preferMembers.get(name);
    if (named !== undefined) {
      const from = opened[named] as Opened;
      const file = from.files.get(name);
      preferred.push({ member: name, from: file === undefined ? null : named, rule: "prefer-member" });
      if (file !== undefined) plans.set(name, { kind: "copy", from, member: file.member });
      continue;
    }
    const everywhere = holders.length === opened.length;
    if (everywhere && identical(holders, name)) {
      const from = holders.includes(baseInput) ? baseInput : (holders[0] as Opened);
      plans.set(name, { kind: "copy", from, member: from.files.get(name)!.member });
      copied++;
      continue;
    }
    if (everywhere && holders.every((o) => isMachO(o.files.get(name)!.binary))) {
      const report: FusedMember = { member: name, inputs: holders.map((o) => o.index), archs: unionArchs(holders, name), container: null, size: null };
      plans.set(name, { kind: "fuse", holders, report });
      continue;
    }
    // .dist-info files say what the distribution is: only a preference for the file itself settles them.
    if (options.prefer !== null && !name.startsWith(`${distInfo}/`)) {
      const file = baseInput.files.get(name);
      preferred.push({ member: name, from: file === undefined ? null : base, rule: "prefer" });
      if (file !== undefined) plans.set(name, { kind: "copy", from: baseInput, member: file.member });
      continue;
    }
    problems.push(await memberProblem(name, holders, opened, codecs));
  }
  if (problems.length > 0) throw membersError(problems, distInfo);

  // Fat files whose inputs might clash (a shared arch, an archive, too many slices) are tried now, so a
  // clash is a usage error before anything is assembled rather than a failure half-way through.
  const clashes: MemberProblem[] = [];
  for (const plan of plans.values()) {
    if (plan.kind !== "fuse" || early.made.has(plan.report.member) || !mayClash(plan.holders, plan.report.member)) continue;
    try {
      writeFat(await readAll(plan.holders, plan.report.member, codecs));
    } catch (error) {
      if (!(error instanceof FatWriteError) && !(error instanceof MachOError)) throw error;
      const where = error instanceof FatWriteError && error.input !== null ? ` (${plan.holders[error.input]?.label ?? ""})` : "";
      clashes.push({ member: plan.report.member, problem: "binary", holders: plan.holders.map((o) => o.label), detail: `${error.message}${where}` });
    }
  }
  if (clashes.length > 0) {
    const list = clashes.map((c) => `  ${c.member}: ${c.detail}`).join("\n");
    throw new FuseError("binaries", `${clashes.length === 1 ? "a binary" : `${clashes.length} binaries`} cannot be fused:\n${list}`, clashes);
  }

  // The output's binaries: each fat file as the slices of its inputs (a slice is the same bytes, so the
  // same facts), every other binary as its input reported it.
  const binaries: BinaryReport[] = [];
  for (const [name, plan] of plans) {
    if (plan.kind === "fuse") binaries.push(fusedReport(plan.holders, name));
    else if (plan.kind === "copy") {
      const binary = plan.from.files.get(name)?.binary;
      if (binary != null) binaries.push(binary);
    }
  }
  const union: WheelName = { ...baseInput.name, platformTags: [...new Set(opened.flatMap((o) => o.name.platformTags))].sort() };
  const computed = tagsFromBinaries(union, baseInput.facts, binaries, options);
  const fused = [...plans.values()].flatMap((p) => (p.kind === "fuse" ? [p.report] : []));
  const result: FuseResult = {
    inputs: checks,
    action: "fused",
    filename: null,
    tags: computed.tags,
    copied,
    fused,
    preferred,
    dropped,
    blockers: [],
    findings: [...computed.findings, ...signatureFindings(dropped)],
    output: null,
    ok: false,
  };
  result.ok = computed.tags.length > 0 && !result.findings.some((f) => fails(f, options.strict));
  if (computed.tags.length === 0) return { ...result, action: "refused" };
  result.filename = formatWheelName(baseInput.name, computed.tags);
  // Like fix mode, an output with an error is never written.
  if (!result.ok) return { ...result, action: "refused" };
  if (dryRun) return result;
  result.output = await assembleFused(plans, baseInput, computed.tags, codecs, { recordPath, distInfo }, early.made);
  return result;
}

/** The parts of the fused wheel: the plans in order, RECORD last (it needs the fat files' digests). */
async function assembleFused(
  plans: Map<string, Plan>,
  base: Opened,
  tags: string[],
  codecs: Codecs,
  paths: { recordPath: string; distInfo: string },
  made: ReadonlyMap<string, EarlyFat>,
): Promise<AssembledZip> {
  const baseRecord = base.facts.record!;
  const changes = new Map<string, RecordChange>();
  const entries: AssemblyEntry[] = [];
  const wheelMember = base.files.get(`${paths.distInfo}/WHEEL`)!.member;
  const recordMember = base.files.get(paths.recordPath)!.member;
  for (const [name, plan] of plans) {
    switch (plan.kind) {
      case "directory":
        entries.push({ kind: "copy", archive: plan.from.archive, index: plan.member.index });
        break;
      case "copy": {
        entries.push({ kind: "copy", archive: plan.from.archive, index: plan.member.index });
        // The preferred input's row stands; a member from another input gets a row from its own digest
        // unless the preferred input has the same bytes (then its row is already right).
        const own = plan.from.files.get(name)!.facts;
        const mine = base.files.get(name)?.facts;
        if (plan.from !== base && !(mine !== undefined && sameContent(mine, own))) changes.set(name, rowFor(own.sha256!, own.size));
        break;
      }
      case "wheel": {
        const bytes = wheelBytesFor(base.facts.metadata!, base.name, tags);
        changes.set(name, await rowOf(bytes, codecs));
        entries.push({ kind: "replace", archive: base.archive, index: wheelMember.index, data: bytes });
        break;
      }
      case "fuse": {
        const host = plan.holders.includes(base) ? base : (plan.holders[0] as Opened);
        const { report, holders } = plan;
        const index = host.files.get(name)!.member.index;
        const ready = made.get(name);
        const madeNow = async () => {
          const inputs = await readAll(holders, name, codecs, { release: true });
          const fat = fatOf(inputs, name);
          changes.set(name, rowFor(await digestChunks(fat.chunks, codecs), fat.size));
          report.archs = fat.archs.map((a) => a.arch);
          report.container = fat.container;
          report.size = fat.size;
          return { fat, inputs };
        };
        if (ready !== undefined) {
          // Made while the inputs were read: its row and facts now; its data is their ranges, or (a
          // stored member, which takes no deflated data) its chunks made again.
          changes.set(name, rowFor(ready.digest, ready.size));
          report.archs = ready.archs;
          report.container = ready.container;
          report.size = ready.size;
          entries.push({ kind: "replace", archive: host.archive, index, data: { chunks: async () => (await madeNow()).fat.chunks, deflated: () => Promise.resolve(ready.deflated) } });
          break;
        }
        entries.push({
          kind: "replace",
          archive: host.archive,
          index,
          data: {
            // Made when the assembler gets here: this member's inputs are inflated, laid out and
            // hashed, then let go before the next member.
            chunks: async () => (await madeNow()).fat.chunks,
            // A deflated member reuses its inputs' compressed bytes for the slices that are whole
            // inputs (splice.ts); only the header and padding, and slices taken from fat inputs, are
            // deflated anew.
            deflated: async () => {
              if (codecs.deflateRawPart === undefined) return null;
              const { fat, inputs } = await madeNow();
              const copies = holders.map((o, k) => ({ bytes: inputs[k]!, archive: o.archive, member: o.files.get(name)!.member }));
              return spliceDeflate(fatPieces(fat.chunks, copies), codecs);
            },
          },
        });
        break;
      }
    }
  }
  // Rows of the preferred input's members that the output leaves out.
  for (const row of baseRecord.rows) if (row.path !== paths.recordPath && !plans.has(row.path)) changes.set(row.path, null);
  entries.push({
    kind: "replace",
    archive: base.archive,
    index: recordMember.index,
    data: { chunks: async () => [recordBytesFor(baseRecord, changes)] },
  });
  return assembleZip({ entries, comment: base.archive.comment }, codecs);
}

/** Labels for messages: file names, or the paths as given when two inputs share a file name. */
function labelsOf(wheels: readonly string[]): string[] {
  const bases = wheels.map(baseName);
  return wheels.map((w, i) => (bases.filter((b) => b === bases[i]).length > 1 ? w : (bases[i] as string)));
}

function nameOf(wheel: string, label: string): WheelName {
  const { name, findings } = nameFindingsOf(wheel);
  if (name === null) throw new FuseError("names", `${label}: ${findings}`);
  return name;
}

function nameFindingsOf(wheel: string): { name: WheelName | null; findings: string } {
  const { name, findings } = nameFindings(baseName(wheel));
  return { name, findings: findings.filter((f) => f.code === "R010").map((f) => f.message).join("; ") };
}

/** Everything but the platform tags must be the same build: anything else is named. */
function compareNames(names: readonly WheelName[], labels: readonly string[]): void {
  const first = names[0] as WheelName;
  const parts = (n: WheelName): Array<[string, string]> => [
    ["distribution", n.distribution],
    ["version", n.version],
    ["build tag", n.build ?? "(none)"],
    ["python tags", n.pythonTags.join(".")],
    ["abi tags", n.abiTags.join(".")],
  ];
  const differences: string[] = [];
  names.forEach((n, i) => {
    if (i === 0) return;
    parts(n).forEach(([what, value], k) => {
      const mine = parts(first)[k]![1];
      if (value !== mine) differences.push(`${what}: ${mine} in ${labels[0]}, ${value} in ${labels[i]}`);
    });
  });
  if (differences.length > 0) {
    throw new FuseError("names", `the wheels are not builds of one distribution, version, build and python / abi tags (only the platform may differ):\n  ${differences.join("\n  ")}`);
  }
}

/** macOS tags only, and no arch named by two inputs (each arch comes from one build). */
function comparePlatforms(names: readonly WheelName[], labels: readonly string[]): void {
  names.forEach((n, i) => {
    if (!isMacosTagSet(n.platformTags)) throw new FuseError("platforms", `${labels[i]}: ${n.platformTags.join(".")} is not a macOS platform tag set; fuse joins macOS wheels`);
  });
  const owner = new Map<string, number>();
  names.forEach((n, i) => {
    for (const arch of claimedArchs(n.platformTags)) {
      const other = owner.get(arch);
      if (other !== undefined) {
        throw new FuseError("platforms", `${labels[other]} and ${labels[i]} are both tagged for ${arch}; fuse joins builds of different archs (${names[other]!.platformTags.join(".")} and ${n.platformTags.join(".")})`);
      }
      owner.set(arch, i);
    }
  });
}

/** An InputRef → input index; null for null. */
function resolveRef(ref: InputRef | null, names: readonly WheelName[], inputs: readonly FuseInput[], labels: readonly string[], flag: string): number | null {
  if (ref === null) return null;
  if (typeof ref === "number") {
    if (Number.isInteger(ref) && ref >= 0 && ref < inputs.length) return ref;
    throw new FuseError("inputs", `${flag}: there is no input ${ref}`);
  }
  if (/^[1-9][0-9]*$/.test(ref) && Number(ref) <= inputs.length) return Number(ref) - 1;
  const byPath = inputs.findIndex((i, k) => i.wheel === ref || labels[k] === ref || baseName(i.wheel) === ref);
  if (byPath >= 0) return byPath;
  const byArch = names.flatMap((n, k) => (claimedArchs(n.platformTags).has(ref) ? [k] : []));
  if (byArch.length === 1) return byArch[0] as number;
  throw new FuseError("inputs", `${flag}${ref}: no input is ${JSON.stringify(ref)} (give its position 1–${inputs.length}, its path or file name, or an arch only its tags name)`);
}

/** The preferred input's members in its central directory order, then the others' extra ones before the first .dist-info member. */
function memberOrder(opened: readonly Opened[], base: number, distInfo: string): string[] {
  const names = (o: Opened): string[] => o.archive.members.map((m) => m.name);
  const order = [...new Set(names(opened[base] as Opened))];
  const known = new Set(order);
  const extra: string[] = [];
  for (const o of opened) for (const n of names(o)) if (!known.has(n)) (known.add(n), extra.push(n));
  const at = order.findIndex((n) => n.startsWith(`${distInfo}/`));
  order.splice(at < 0 ? order.length : at, 0, ...extra);
  return order;
}

function sameContent(a: MemberFacts, b: MemberFacts): boolean {
  return a.size === b.size && a.crc32 === b.crc32 && a.sha256 !== null && b.sha256 !== null && a.sha256.every((x, i) => x === b.sha256![i]);
}

/** Byte-identical in every input: the central directories' size and CRC, then the digests the read computed. */
function identical(holders: readonly Opened[], name: string): boolean {
  const first = holders[0]!.files.get(name)!.facts;
  return holders.every((o) => sameContent(first, o.files.get(name)!.facts));
}

/** The archs of the inputs' slices, in input order, each once. */
function unionArchs(holders: readonly Opened[], name: string): string[] {
  return [...new Set(holders.flatMap((o) => o.files.get(name)!.binary!.slices.map((s) => s.arch)))];
}

/** Could writeFat refuse these inputs? Two inputs with one arch (identical or not), an archive, or too many slices. */
function mayClash(holders: readonly Opened[], name: string): boolean {
  const keys = new Set<string>();
  let count = 0;
  for (const o of holders) {
    const b = o.files.get(name)!.binary!;
    if (b.container === "archive" || b.slices.some((s) => s.filetype === "archive")) return true;
    for (const s of b.slices) {
      const key = archKey(s);
      if (keys.has(key)) return true;
      keys.add(key);
      count++;
    }
  }
  return count > MAX_FAT_ARCHS;
}

/** One arch to dyld and to the fat writer: cputype, and cpusubtype without its capability bits. */
function archKey(s: SliceReport): string {
  return `${s.cputype >>> 0}:${(s.cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0}`;
}

/** The fat file's report: its inputs' slices (an arch once: a second copy is identical, mayClash made sure). */
function fusedReport(holders: readonly Opened[], name: string): BinaryReport {
  const reports = holders.map((o) => o.files.get(name)!.binary!);
  const slices: SliceReport[] = [];
  // A Mach-O report has one image per slice, in slice order (src/read/binary.ts): the fused file's
  // images are its slices' images, so a rule sees each slice's own file type (an object-file slice next
  // to a bundle) as the check of the written file will.
  const images: BinaryReport["images"] = [];
  const keys = new Set<string>();
  for (const r of reports) {
    for (const [i, s] of r.slices.entries()) {
      if (keys.has(archKey(s))) continue;
      keys.add(archKey(s));
      slices.push(s);
      const image = r.images[i];
      if (image !== undefined) images.push(image);
    }
  }
  return { ...(reports[0] as BinaryReport), kind: "fat", container: "fat", slices, images };
}

/**
 * The member's bytes from each input, one after the other: kept from the check, or inflated again
 * (checked against their CRC). `release` drops the kept bytes once the fat file is made.
 */
async function readAll(holders: readonly Opened[], name: string, codecs: Codecs, { release = false } = {}): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const o of holders) {
    const kept = o.kept.get(name);
    if (release) o.kept.delete(name);
    out.push(kept ?? (await rereadMember(o.archive, o.files.get(name)!.member, codecs, `${o.label}: ${name}`)));
  }
  return out;
}

/** writeFat, its refusals as usage errors (the plan tried every pair that could clash; this is the rest). */
function fatOf(inputs: Uint8Array[], name: string): ReturnType<typeof writeFat> {
  try {
    return writeFat(inputs);
  } catch (error) {
    if (!(error instanceof FatWriteError) && !(error instanceof MachOError)) throw error;
    throw new FuseError("binaries", `${name} cannot be fused: ${error.message}`, [{ member: name, problem: "binary", holders: [], detail: error.message }]);
  }
}

/** Why one member stops the fuse: missing from some inputs, or different (with the first differing line of a text file). */
async function memberProblem(name: string, holders: readonly Opened[], all: readonly Opened[], codecs: Codecs): Promise<MemberProblem> {
  const labels = holders.map((o) => o.label);
  if (holders.length < all.length) {
    const lacking = all.filter((o) => !holders.includes(o)).map((o) => o.label);
    const binary = holders.some((o) => isMachO(o.files.get(name)!.binary));
    return { member: name, problem: "missing", holders: labels, detail: `${binary ? "a binary " : ""}only in ${labels.join(", ")} (not in ${lacking.join(", ")})` };
  }
  const first = holders[0] as Opened;
  const other = holders.find((o) => !sameContent(first.files.get(name)!.facts, o.files.get(name)!.facts)) ?? (holders[1] as Opened);
  const side = async (o: Opened) => {
    const file = o.files.get(name)!;
    const bytes = file.member.size <= MAX_DIFF_BYTES ? await rereadMember(o.archive, file.member, codecs, `${o.label}: ${name}`) : null;
    return { label: o.label, bytes, size: file.member.size };
  };
  const machoIn = holders.filter((o) => isMachO(o.files.get(name)!.binary)).map((o) => o.label);
  const detail = machoIn.length > 0 ? `a Mach-O file only in ${machoIn.join(", ")}` : describeDifference(await side(first), await side(other));
  return { member: name, problem: "differs", holders: labels, detail };
}

function membersError(problems: MemberProblem[], distInfo: string): FuseError {
  const list = problems.map((p) => `  ${p.member}: ${p.detail}`).join("\n");
  const inDistInfo = problems.some((p) => p.member.startsWith(`${distInfo}/`));
  const hint = inDistInfo
    ? "say which input wins with --prefer INPUT (not for .dist-info files) or --prefer MEMBER=INPUT"
    : "say which input wins with --prefer INPUT, or for one member with --prefer MEMBER=INPUT";
  return new FuseError("members", `the wheels differ in ${problems.length} member${problems.length === 1 ? "" : "s"} (${hint}):\n${list}`, problems);
}
