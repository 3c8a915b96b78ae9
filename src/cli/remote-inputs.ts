// `retag check URL` / `retag check pypi:NAME[==VERSION]` / `retag show URL`: remote inputs, resolved
// to wheels (src/remote/inputs.ts) and read over HTTP (src/node/remote-host.ts), one wheel's failure
// reported and the batch going on (exit 2). A remote check reads WHEEL, RECORD and the binaries only
// (read/select.ts binaryMembers); `--verify all` downloads each wheel whole and reads every member
// (DESIGN §10). Runs in the main thread: the work is mostly waiting for the network, and the
// progress line needs the bytes as they arrive.
import { checkWheelSource } from "../flow/check.js";
import { showSource } from "../flow/show.js";
import type { BinaryReport } from "../model/binary.js";
import type { HttpSource, RemoteProgress } from "../model/remote.js";
import type { CheckOptions } from "../model/results.js";
import { nodeCodecs } from "../node/codecs.js";
import { nodeRemotePorts, openRemoteWheel } from "../node/remote-host.js";
import { binaryMembers } from "../read/index.js";
import { resolveRemoteInput, type RemoteWheel } from "../remote/index.js";
import { formatBytes } from "../remote/options.js";
import type { Output } from "./commands.js";
import type { RemoteRunOptions } from "./remote-args.js";
import { describe, isInputFailure, type CheckOutcome } from "./tasks.js";

/** A per-wheel outcome with what to say about it on stderr (with -v, or always for a yanked file). */
interface Read<T> {
  outcome: T;
  notes: string[];
}

// ───────────────────────────── resolving ─────────────────────────────

/** Every wheel the inputs name, and why each input that named none did not (without the input's name). */
async function resolveAll(inputs: readonly string[], options: RemoteRunOptions): Promise<{ wheels: RemoteWheel[]; errors: Array<{ input: string; message: string }> }> {
  const wheels: RemoteWheel[] = [];
  const errors: Array<{ input: string; message: string }> = [];
  for (const input of inputs) {
    try {
      const resolved = await resolveRemoteInput(input, nodeRemotePorts, {
        ...(options.indexUrl === undefined ? {} : { indexUrl: options.indexUrl }),
        platform: options.platform ?? null,
        ...timeoutOption(options),
      });
      wheels.push(...resolved.wheels);
    } catch (error) {
      if (!isInputFailure(error)) throw error;
      const message = describe(error);
      errors.push({ input, message: message.startsWith(`${input}: `) ? message.slice(input.length + 2) : message });
    }
  }
  return { wheels, errors };
}

function timeoutOption(options: RemoteRunOptions): { timeoutMs?: number } {
  return options.timeout === undefined ? {} : { timeoutMs: Math.round(options.timeout * 1000) };
}

// ───────────────────────────── progress ─────────────────────────────

/** One status line for the wheels being read: `[2/5] name 1.2 MiB of 8 MiB`; cleared when all are done. */
function progressLine(out: Output, total: number, options: RemoteRunOptions): { update(w: RemoteWheel, p: RemoteProgress): void; done(): void } {
  const show = options.quiet === true || options.progress === false ? undefined : out.progress;
  let finished = 0;
  return {
    update(w, p) {
      if (show === undefined) return;
      const of = p.size === null ? "" : ` of ${formatBytes(p.size)}`;
      show(`[${finished + 1}/${total}] ${w.filename}: ${formatBytes(p.fetched)}${of} read`);
    },
    done() {
      finished++;
      if (finished === total) show?.("");
    },
  };
}

/** Runs `work` over `items`, at most `jobs` at once, results in the items' order. */
async function inOrder<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, lane));
  return results;
}

// ───────────────────────────── reading one wheel ─────────────────────────────

/** What -v says about how a wheel was read: the server's Range support and the bytes it cost. */
function readNotes(w: RemoteWheel, source: HttpSource, wholeFile: boolean, verbose: boolean): string[] {
  const notes = [...w.notes];
  if (!verbose) return notes;
  if (source.mode === "full" && !wholeFile) notes.push(`${w.label}: the server ignored Range: the whole file was downloaded (${formatBytes(source.size)})`);
  const { bytesFetched, requests } = source.stats;
  const share = source.size === 0 ? 100 : (100 * bytesFetched) / source.size;
  notes.push(`${w.label}: read ${formatBytes(bytesFetched)} of ${formatBytes(source.size)} (${share.toFixed(1)}%) in ${requests} request${requests === 1 ? "" : "s"}`);
  return notes;
}

/**
 * With the whole file at hand (downloaded, or a server that ignored Range), it must be the file the
 * index lists: a different sha256 means a mirror or a proxy changed it.
 */
async function checkIndexDigest(w: RemoteWheel, source: HttpSource): Promise<string | null> {
  if (w.sha256 === null || source.mode !== "full") return null;
  const digest = await nodeCodecs.digest("sha256", await source.read(0, source.size));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return hex === w.sha256 ? null : `${w.label}: its sha256 is ${hex}, but the index lists ${w.sha256} (the file was changed on its way)`;
}

async function openFor(w: RemoteWheel, options: RemoteRunOptions, onProgress: (p: RemoteProgress) => void): Promise<HttpSource> {
  return openRemoteWheel(w.url, { wholeFile: options.verify === "all", onProgress, ...timeoutOption(options) });
}

async function checkRemoteWheel(w: RemoteWheel, checkOptions: CheckOptions, options: RemoteRunOptions, onProgress: (p: RemoteProgress) => void): Promise<Read<CheckOutcome>> {
  try {
    const source = await openFor(w, options, onProgress);
    const wholeFile = options.verify === "all";
    // With the whole file here (asked for, or a server that ignored Range), every member is read.
    const result = await checkWheelSource(w.filename, source, nodeCodecs, checkOptions, source.mode === "full" ? {} : { select: binaryMembers });
    const mismatch = await checkIndexDigest(w, source);
    const notes = readNotes(w, source, wholeFile, options.verbose === true);
    if (mismatch !== null) return { outcome: { path: w.label, result: null, error: mismatch, internal: false }, notes };
    return { outcome: { path: w.label, result: { ...result, wheel: w.label }, error: null, internal: false }, notes };
  } catch (error) {
    const internal = !isInputFailure(error);
    // A RemoteError already names the URL; the label is added when it is another name (pypi: wheels).
    const message = describe(error);
    const named = message.startsWith(w.url) || message.startsWith(w.label) ? message : `${w.label}: ${message}`;
    return { outcome: { path: w.label, result: null, error: internal ? `${w.label}: internal error: ${message}` : named, internal }, notes: [...w.notes] };
  }
}

// ───────────────────────────── the runners' part ─────────────────────────────

export interface RemoteChecks {
  outcomes: CheckOutcome[];
  /** One line per input that named no wheel (a bad URL, a failed look-up, no wheel matching). */
  inputErrors: string[];
}

/** Checks every wheel the remote inputs name; notes go to stderr as they come, results are returned. */
export async function checkRemoteInputs(inputs: readonly string[], checkOptions: CheckOptions, options: RemoteRunOptions, out: Output): Promise<RemoteChecks> {
  if (inputs.length === 0) return { outcomes: [], inputErrors: [] };
  const { wheels, errors } = await resolveAll(inputs, options);
  const progress = progressLine(out, wheels.length, options);
  const reads = await inOrder(wheels, options.jobs ?? 4, async (w) => {
    const read = await checkRemoteWheel(w, checkOptions, options, (p) => progress.update(w, p));
    progress.done();
    return read;
  });
  if (options.quiet !== true) for (const r of reads) for (const note of r.notes) out.stderr(`retag: note: ${note}`);
  return { outcomes: reads.map((r) => r.outcome), inputErrors: errors.map((e) => `${e.input}: ${e.message}`) };
}

export interface RemoteShown {
  files: Array<{ path: string; binaries: BinaryReport[]; error?: string }>;
  inputErrors: number;
  internalErrors: number;
}

/** `retag show URL`: the binaries of each remote wheel (or remote binary file), reading only them. */
export async function showRemoteInputs(inputs: readonly string[], options: RemoteRunOptions, out: Output): Promise<RemoteShown> {
  const shown: RemoteShown = { files: [], inputErrors: 0, internalErrors: 0 };
  if (inputs.length === 0) return shown;
  const { wheels, errors } = await resolveAll(inputs, options);
  for (const e of errors) {
    shown.inputErrors++;
    shown.files.push({ path: e.input, binaries: [], error: e.message });
  }
  const progress = progressLine(out, wheels.length, options);
  const reads = await inOrder(wheels, options.jobs ?? 4, async (w): Promise<Read<RemoteShown["files"][number]>> => {
    try {
      const source = await openFor(w, { ...options, verify: "needed" }, (p) => progress.update(w, p));
      const binaries = await showSource(w.filename, source, nodeCodecs, { select: binaryMembers });
      return { outcome: { path: w.label, binaries }, notes: readNotes(w, source, false, options.verbose === true) };
    } catch (error) {
      const input = isInputFailure(error);
      if (input) shown.inputErrors++;
      else shown.internalErrors++;
      // A RemoteError names the URL; `show` prints the label before the error already.
      const message = describe(error).replace(`${w.url}: `, "");
      return { outcome: { path: w.label, binaries: [], error: input ? message : `internal error: ${message}` }, notes: [...w.notes] };
    } finally {
      progress.done();
    }
  });
  for (const r of reads) for (const note of r.notes) out.stderr(`retag: note: ${note}`);
  shown.files.push(...reads.map((r) => r.outcome));
  return shown;
}
