// `retag split`: a fat (universal2) wheel → one thin wheel per arch (DESIGN §4.1). Each Mach-O file is
// cut down to that arch's slice, bytes unchanged (what `lipo -thin` copies out, so the slice's code
// signature holds); the tags are computed by the tag model from the thinned binaries, so an arch whose
// slices do not work (an x86_64 slice without PyInit_) gives no wheel but a reason. Other members are
// copied compressed; WHEEL and RECORD are written anew. Host-neutral: a byte source and codecs in,
// data and parts out; each thinned member is inflated when the assembler reaches it.
import type { BinaryReport } from "../model/binary.js";
import { RetagError, ZipError } from "../model/errors.js";
import { fails, type Finding } from "../model/findings.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import type { CheckOptions, CheckResult } from "../model/results.js";
import type { WheelMetadata, WheelName, WheelRecord } from "../model/wheel.js";
import type { ArchiveMember } from "../model/zip.js";
import { thinSlice } from "../macho/thin.js";
import { acceptedTagRange } from "../tags/formats.js";
import { claimedArchs, formatArchs, formatMacTag, sortTags } from "../tags/index.js";
import { formatWheelName } from "../wheel/name.js";
import type { RecordChange } from "../wheel/record.js";
import { assembleZip, streamMember, type AssembledZip, type AssemblyEntry, type ZipArchive } from "../zip/index.js";
import { MAX_MEMBER_SIZE } from "../read/index.js";
import { baseName, DEFAULT_CHECK_OPTIONS, inspectWheel } from "./check.js";
import {
  inputBlockers,
  isMacosTagSet,
  recordBytesFor,
  isMachO,
  rereadMember,
  rowFor,
  rowOf,
  signatureFindings,
  SIGNATURE_NAMES,
  tagsFromBinaries,
  wheelBytesFor,
  withDefaults,
} from "./rebuilt.js";
import { SplitError } from "./wheel-set-errors.js";

export interface SplitOptions extends CheckOptions {
  /** The archs to make wheels for (formats such as universal2 expand); null: every arch the tags promise. */
  archs: string[] | null;
}

/** One thin wheel. */
export interface SplitOutput {
  arch: string;
  filename: string;
  tags: string[];
  /** Fat files cut down to this arch's slice. */
  thinned: string[];
  /** Mach-O files with no slice of this arch, copied as they are (objects, archives: not loaded). */
  kept: string[];
  /** True when the wheel already is this thin wheel: `output` is then the input's bytes. */
  unchanged: boolean;
  findings: Finding[];
  ok: boolean;
  /** The wheel as parts (null in a dry run). */
  output: AssembledZip | null;
}

/** An arch asked for (or promised) that has no valid thin wheel, and why. */
export interface MissingArch {
  arch: string;
  reasons: Finding[];
}

export interface SplitResult {
  wheel: string;
  check: CheckResult;
  /** split: `outputs` holds a wheel per valid arch; refused: the input has errors split cannot repair. */
  action: "split" | "refused";
  /** The archs asked for, or the ones the tags promise. */
  archs: string[];
  outputs: SplitOutput[];
  missing: MissingArch[];
  blockers: Finding[];
  /** True when every arch gave a wheel and none has a failing finding. */
  ok: boolean;
}

/** Findings about a tag's version or form, not about the binaries: no reason for a missing arch. */
const TAG_VERSION_CODES = new Set(["R202", "R203", "R204", "R205"]);

/** `--arch arm64,x86_64` or `universal2` → plain arch names, in order, each once. */
export function expandSplitArchs(items: readonly string[]): string[] {
  const archs: string[] = [];
  for (const item of items.flatMap((i) => i.split(",")).map((i) => i.trim()).filter((i) => i !== "")) {
    const expanded = formatArchs(item);
    if (expanded === null) throw new SplitError("archs", `--arch: ${JSON.stringify(item)} is not a macOS architecture or format (arm64, x86_64, universal2, …)`);
    for (const a of expanded) if (!archs.includes(a)) archs.push(a);
  }
  return archs;
}

/** Split the wheel `source` reads into one thin wheel per arch. */
export async function splitWheelSource(
  wheel: string,
  source: ByteSource,
  codecs: Codecs,
  partial: Partial<SplitOptions> = {},
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<SplitResult> {
  const options = withDefaults<SplitOptions>({ ...DEFAULT_CHECK_OPTIONS, archs: null }, partial);
  const { result: check, read } = await inspectWheel(wheel, source, codecs, options, { sha256: true });
  const name = check.name;
  const asked = options.archs === null ? null : expandSplitArchs(options.archs);
  const base: SplitResult = { wheel, check, action: "refused", archs: asked ?? [], outputs: [], missing: [], blockers: [], ok: false };
  if (name !== null && !isMacosTagSet(name.platformTags)) {
    throw new SplitError("platforms", `${baseName(wheel)}: ${name.platformTags.join(".")} is not a macOS platform tag set; split cuts macOS wheels`);
  }
  const { facts, archive } = read;
  const blockers = inputBlockers(check);
  if (blockers.length > 0 || name === null || archive === null || facts.metadata === null || facts.record === null || facts.distInfo === null) {
    return { ...base, blockers };
  }
  const archs = asked ?? sortTags([...claimedArchs(name.platformTags)]);
  const result: SplitResult = { ...base, action: "split", archs };
  const plans: Array<{ output: SplitOutput; dropped: Set<string> }> = [];
  for (const arch of archs) {
    const thinned: string[] = [];
    const kept: string[] = [];
    const binaries = facts.binaries.map((b) => {
      if (b.member === null || !isMachO(b)) return b;
      const slice = b.slices.find((s) => s.arch === arch);
      if (b.container !== "fat" && b.container !== "fat64") {
        // A thin static archive's arch is its members' (retag does not look inside): it is copied either way.
        if (slice === undefined && b.container !== "archive") kept.push(b.member);
        return b;
      }
      if (slice === undefined) {
        kept.push(b.member);
        return b;
      }
      thinned.push(b.member);
      return thinReport(b, slice);
    });
    // The probe's claim: the input's tags and the arch's own tag at the oldest version installers take, so
    // that the rules say why the arch is not supported even when the input's tags never promised it.
    const lowest = acceptedTagRange(arch)?.lowest;
    const claim = lowest === undefined ? name.platformTags : [...name.platformTags, formatMacTag(lowest, arch)];
    const computed = tagsFromBinaries({ ...name, platformTags: claim }, facts, binaries, options);
    if (!claimedArchs(computed.tags).has(arch)) {
      // No wheel for this arch: why, in the rules' words (the binaries lacking it, a slice without its
      // PyInit_), leaving out what is only about the probe's tag versions.
      const why = (f: Finding): boolean => fails(f, false) && (f.arch === undefined || f.arch === arch) && !TAG_VERSION_CODES.has(f.code);
      const reasons = computed.probe.filter(why);
      result.missing.push({ arch, reasons: reasons.length > 0 ? reasons : computed.findings.filter((f) => fails(f, false)) });
      continue;
    }
    const present = new Set(facts.members.map((m) => m.name));
    const dropped = SIGNATURE_NAMES.map((s) => `${facts.distInfo}/${s}`).filter((p) => present.has(p));
    const findings = [...computed.findings, ...signatureFindings(dropped)];
    const unchanged = thinned.length === 0 && sameTags(computed.tags, name.platformTags);
    const output: SplitOutput = {
      arch,
      filename: formatWheelName(name, computed.tags),
      tags: computed.tags,
      thinned,
      kept,
      unchanged,
      findings: unchanged ? check.findings : findings,
      ok: !(unchanged ? check.findings : findings).some((f) => fails(f, options.strict)),
      output: null,
    };
    result.outputs.push(output);
    plans.push({ output, dropped: new Set(dropped) });
  }
  result.ok = result.missing.length === 0 && result.outputs.length > 0 && result.outputs.every((o) => o.ok);
  if (dryRun) return result;
  const written = plans.filter((p) => p.output.ok);
  const slices = await thinAll(archive, written.filter((p) => !p.output.unchanged).map((p) => p.output), facts.binaries, codecs, baseName(wheel));
  for (const { output, dropped } of written) {
    output.output = output.unchanged
      ? { parts: [{ source, offset: 0, length: source.size }], size: source.size }
      : await assembleThin(archive, name, facts.metadata, facts.record, facts.distInfo, { arch: output.arch, tags: output.tags, thinned: new Set(output.thinned), dropped, slices }, codecs);
  }
  return result;
}

/** A slice taken out and compressed: what its member becomes in one arch's wheel. */
interface ThinnedSlice {
  size: number;
  crc32: number;
  sha256: Uint8Array;
  /** Raw deflate of the slice; null for a stored member (its wheel stores the slice, made again then). */
  deflated: Uint8Array[] | null;
}

/**
 * Every fat member that an output thins, inflated once for all the archs (not once per arch): each
 * arch's slice hashed and deflated (at once, where the host deflates off the main thread), then the
 * inflated file let go before the next member.
 */
async function thinAll(
  archive: ZipArchive,
  outputs: readonly SplitOutput[],
  binaries: readonly BinaryReport[],
  codecs: Codecs,
  label: string,
): Promise<Map<string, Map<string, ThinnedSlice>>> {
  const byMember = new Map<string, string[]>();
  for (const o of outputs) for (const m of o.thinned) byMember.set(m, [...(byMember.get(m) ?? []), o.arch]);
  const reports = new Map(binaries.flatMap((b) => (b.member === null ? [] : [[b.member, b] as const])));
  const out = new Map<string, Map<string, ThinnedSlice>>();
  for (const m of archive.members) {
    const archs = byMember.get(m.name);
    if (archs === undefined || out.has(m.name)) continue;
    const streamed = m.method === 8 ? await thinStreaming(archive, m, reports.get(m.name), archs, codecs, label) : null;
    if (streamed !== null) {
      out.set(m.name, streamed);
      continue;
    }
    const file = await rereadMember(archive, m, codecs, `${label}: ${m.name}`);
    const slices = archs.map((arch) => {
      const slice = thinSlice(file, arch);
      // The check saw this slice; a file that changed since is caught by the CRC check on reading.
      if (slice === null) throw new RetagError(`${m.name} has no ${arch} slice any more (did the wheel change while retag ran?)`);
      return slice.bytes;
    });
    const stored = m.method !== 8;
    const made = await Promise.all(
      slices.map(async (bytes): Promise<ThinnedSlice> => ({
        size: bytes.length,
        crc32: codecs.crc32(bytes),
        sha256: await codecs.digest("sha256", bytes),
        deflated: stored ? null : codecs.deflateRawChunks !== undefined ? await codecs.deflateRawChunks([bytes]) : [await codecs.deflateRaw(bytes)],
      })),
    );
    out.set(m.name, new Map(archs.map((arch, i) => [arch, made[i]!] as const)));
  }
  return out;
}

/**
 * One fat member thinned without holding it (issue 17): inflated a part at a time, the bytes of a
 * wanted slice (its range as the check's parse found it: `lipo -thin`'s fat_arch range) hashed,
 * CRC'd and deflated as they pass, so memory holds the slices' compressed bytes, not the fat file.
 * One pass per slice, side by side, so the slices deflate at once (in the host's pool) as they did
 * from the whole file; each pass stops at its slice's end but the one that ends last, which reads the
 * member to its end and checks its CRC-32 and size: the slices are the bytes the check saw. Null
 * when the host cannot stream (the caller thins the whole file).
 */
async function thinStreaming(
  archive: ZipArchive,
  m: ArchiveMember,
  report: BinaryReport | undefined,
  archs: readonly string[],
  codecs: Codecs,
  label: string,
): Promise<Map<string, ThinnedSlice> | null> {
  const { inflateRawStream, deflateRawStream, hasher } = codecs;
  if (report === undefined || inflateRawStream === undefined || deflateRawStream === undefined || hasher === undefined) return null;
  const wanted = archs.map((arch) => {
    const slice = report.slices.find((s) => s.arch === arch);
    if (slice === undefined) throw new RetagError(`${m.name} has no ${arch} slice any more (did the wheel change while retag ran?)`);
    return { arch, start: slice.offset, end: slice.offset + slice.size };
  });
  const last = Math.max(...wanted.map((w) => w.end));
  const one = async (w: (typeof wanted)[number], whole: boolean): Promise<ThinnedSlice | null> => {
    let crc = 0;
    const hash = hasher("sha256");
    const deflate = deflateRawStream();
    let at = 0;
    const pass = async (part: Uint8Array): Promise<void> => {
      const from = at;
      at += part.length;
      const lo = Math.max(w.start, from);
      const hi = Math.min(w.end, at);
      if (lo >= hi) return;
      const bytes = part.subarray(lo - from, hi - from);
      crc = codecs.crc32(bytes, crc);
      hash.update(bytes);
      await deflate.write(bytes);
    };
    if (!(await streamMember(archive, m, codecs, pass, { maxMemberSize: MAX_MEMBER_SIZE, ...(whole ? {} : { until: w.end }) }))) return null;
    if (at < w.end) throw new RetagError(`${m.name} has no whole ${w.arch} slice any more (did the wheel change while retag ran?)`);
    return { size: w.end - w.start, crc32: crc >>> 0, sha256: hash.digest(), deflated: await deflate.end() };
  };
  let made: Array<ThinnedSlice | null>;
  try {
    // The pass that reads to the end is the one whose slice ends last (one pass only, if two end there).
    const ender = wanted.findIndex((w) => w.end === last);
    made = await Promise.all(wanted.map((w, i) => one(w, i === ender)));
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    throw new RetagError(`${label}: ${m.name}: ${error.message} (did the wheel change while retag ran?)`);
  }
  if (made.some((t) => t === null)) return null;
  return new Map(wanted.map((w, i) => [w.arch, made[i] as ThinnedSlice] as const));
}

/** The binary as its thin self: the one slice, its offsets within the file unchanged (they describe the input). */
function thinReport(b: BinaryReport, slice: BinaryReport["slices"][number]): BinaryReport {
  return { ...b, container: "thin", slices: [slice] };
}

/** The same tag set, spelling and order aside. */
function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = sortTags([...new Set(a)]);
  const y = sortTags([...new Set(b)]);
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/** The thin wheel's parts: members in the input's central order, thinned ones made when reached, RECORD last. */
async function assembleThin(
  archive: ZipArchive,
  name: WheelName,
  metadata: WheelMetadata,
  record: WheelRecord,
  distInfo: string,
  plan: { arch: string; tags: string[]; thinned: ReadonlySet<string>; dropped: ReadonlySet<string>; slices: Map<string, Map<string, ThinnedSlice>> },
  codecs: Codecs,
): Promise<AssembledZip> {
  const recordPath = `${distInfo}/RECORD`;
  const wheelPath = `${distInfo}/WHEEL`;
  const changes = new Map<string, RecordChange>();
  for (const p of plan.dropped) changes.set(p, null);
  const entries: AssemblyEntry[] = [];
  let recordMember: ArchiveMember | null = null;
  for (const m of archive.members) {
    if (m.name === recordPath) {
      recordMember = m;
      continue;
    }
    if (plan.dropped.has(m.name)) continue;
    if (m.name === wheelPath) {
      const bytes = wheelBytesFor(metadata, name, plan.tags);
      changes.set(m.name, await rowOf(bytes, codecs));
      entries.push({ kind: "replace", archive, index: m.index, data: bytes });
    } else if (plan.thinned.has(m.name)) {
      const thin = plan.slices.get(m.name)?.get(plan.arch);
      if (thin === undefined) throw new Error(`split: ${m.name} was not thinned to ${plan.arch}`);
      changes.set(m.name, rowFor(thin.sha256, thin.size));
      const deflated = thin.deflated;
      entries.push({
        kind: "replace",
        archive,
        index: m.index,
        data: {
          // A stored member (rare: wheels deflate their binaries) is thinned again when its wheel is assembled.
          chunks: async () => {
            const slice = thinSlice(await rereadMember(archive, m, codecs, `${baseName(name.filename)}: ${m.name}`), plan.arch);
            if (slice === null) throw new RetagError(`${m.name} has no ${plan.arch} slice any more (did the wheel change while retag ran?)`);
            return [slice.bytes];
          },
          ...(deflated === null ? {} : { deflated: async () => ({ size: thin.size, crc32: thin.crc32, parts: deflated }) }),
        },
      });
    } else entries.push({ kind: "copy", archive, index: m.index });
  }
  if (recordMember === null) throw new Error("split: the wheel has no RECORD");
  entries.push({ kind: "replace", archive, index: recordMember.index, data: { chunks: async () => [recordBytesFor(record, changes)] } });
  return assembleZip({ entries, comment: archive.comment }, codecs);
}
