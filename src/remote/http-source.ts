// A remote wheel as a ByteSource (src/model/ports.ts), read with HTTP range requests (RFC 9110 §14).
//
// The first request asks for the file's tail with a suffix range (`Range: bytes=-65536`): its
// Content-Range gives the file's size, and its body the end-of-central-directory record (and often
// the whole central directory), so the zip layer's first reads cost nothing more. Later reads fetch
// only the bytes not already held; `prefetch` merges nearby ranges into one request. Every 206 is
// checked against what was asked (Content-Range start, end and size; body length) and against the
// first response's validators, so a replaced file is an error, never a mix of two files. A server
// that answers the first request with 200 does not do ranges: that body is the whole file (bounded by
// maxBytes), and `mode` says "full".
import { RemoteError } from "../model/remote.js";
import type { FetchResponse, HttpSource, RemoteOptions, RemotePorts, RemoteStats } from "../model/remote.js";
import { parseContentRange } from "./content-range.js";
import { limiter } from "./limiter.js";
import { formatBytes, resolveOptions } from "./options.js";
import { coalesce, missing, type Interval } from "./ranges.js";
import { at, checkHttpUrl, discard, httpError, openResponse, readBody, tooLarge, type Opened, type Session } from "./request.js";
import { withRetries } from "./retry.js";
import { changeBetween, ifRangeValue, validatorsOf, type Validators } from "./validators.js";

/** Bytes held for later reads: fetched (`bytes`) or on their way (`pending`). Entries never overlap. */
interface Entry {
  start: number;
  end: number;
  bytes: Uint8Array | null;
  pending: Promise<Uint8Array> | null;
  /** When it was last read, for dropping the least recently used. */
  used: number;
}

type Probe =
  | { mode: "ranges"; url: string; size: number; tailStart: number; tail: Uint8Array; validators: Validators }
  | { mode: "full"; url: string; size: number; whole: Uint8Array; validators: Validators };


/**
 * Opens `url` for reading. Fails with a RemoteError when the file cannot be reached, is refused, or
 * the server breaks the rules of range requests.
 */
export async function openHttpSource(url: string, ports: RemotePorts, options: RemoteOptions = {}): Promise<HttpSource> {
  const resolved = resolveOptions(options);
  const absolute = checkHttpUrl(ports, url);
  const stats: RemoteStats = { requests: 0, bytesFetched: 0, retries: 0, ranges: [] };
  const session: Session = { ports, options: resolved, stats, label: url, size: null };
  const onRetry = (): void => {
    stats.retries++;
  };
  const probe = await withRetries(ports, resolved, onRetry, () => probeTail(session, absolute));
  session.size = probe.size;

  if (probe.mode === "full") {
    const whole = probe.whole;
    return {
      url: probe.url,
      mode: "full",
      size: probe.size,
      stats,
      async read(offset, length) {
        checkRead(offset, length, probe.size);
        return whole.subarray(offset, offset + length);
      },
      async prefetch() {
        // Everything is already here.
      },
    };
  }

  const { size, validators } = probe;
  const finalUrl = probe.url;
  const condition = resolved.ifRange ? ifRangeValue(validators) : null;
  const run = limiter(resolved.concurrency);
  const entries: Entry[] = [];
  let held = 0;
  let clock = 0;

  function remember(entry: Entry): void {
    const index = entries.findIndex((e) => e.start > entry.start);
    entries.splice(index < 0 ? entries.length : index, 0, entry);
  }

  function settle(entry: Entry, bytes: Uint8Array): void {
    entry.bytes = bytes;
    entry.pending = null;
    entry.used = ++clock;
    held += bytes.length;
    // Drop the least recently used ranges past the cache's size (the one just fetched included, when
    // it alone is larger: its reader already has it).
    while (held > resolved.cacheBytes) {
      let victim = -1;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if (e.bytes !== null && (victim < 0 || e.used < entries[victim]!.used)) victim = i;
      }
      if (victim < 0) break;
      held -= entries[victim]!.bytes!.length;
      entries.splice(victim, 1);
    }
  }

  function fetchInto(range: Interval): Entry {
    const entry: Entry = { start: range.start, end: range.end, bytes: null, pending: null, used: ++clock };
    entry.pending = run(() => withRetries(ports, resolved, onRetry, () => fetchRange(range))).then(
      (bytes) => {
        settle(entry, bytes);
        return bytes;
      },
      (error: unknown) => {
        const index = entries.indexOf(entry);
        if (index >= 0) entries.splice(index, 1);
        throw error;
      },
    );
    remember(entry);
    return entry;
  }

  async function fetchRange(range: Interval): Promise<Uint8Array> {
    const last = range.end - 1;
    const headers: Record<string, string> = { Range: `bytes=${range.start}-${last}` };
    if (condition !== null) headers["If-Range"] = condition;
    if (range.end - range.start > resolved.maxBytes - stats.bytesFetched) throw tooLarge(session, range.end - range.start);
    const opened = await openResponse(session, finalUrl, headers);
    const { response } = opened;
    if (response.status === 206) {
      const got = parseContentRange(response.headers.get("content-range"));
      if (got === null || "unsatisfied" in got) throw protocol(session, opened, badContentRange(response));
      if (got.total !== size) throw changed(session, opened, `its size went from ${size} to ${got.total} bytes`);
      const change = changeBetween(validators, validatorsOf(response.headers));
      if (change !== null) throw changed(session, opened, change);
      if (got.start !== range.start || got.end !== range.end) {
        throw protocol(session, opened, `asked for bytes ${range.start}-${last}, the server sent ${got.start}-${got.end - 1}`);
      }
      checkIdentity(session, opened);
      const bytes = await readBody(session, opened, range.end - range.start);
      stats.ranges.push({ offset: range.start, length: bytes.length });
      return bytes;
    }
    if (response.status === 200) {
      // RFC 9110 §13.1.5: a server that honours If-Range sends the whole file when the validator no
      // longer matches. Without If-Range, a 200 here is a server that stopped doing ranges.
      if (condition !== null) throw changed(session, opened, `it no longer matches ${condition}`);
      throw protocol(session, opened, "the server ignored Range after honouring it");
    }
    if (response.status === 416) throw changed(session, opened, `bytes ${range.start}-${last} are no longer in it`);
    discard(opened);
    throw httpError(session, opened);
  }

  // The tail the first request brought is the first held range.
  if (probe.tail.length > 0) {
    const tail: Entry = { start: probe.tailStart, end: probe.tailStart + probe.tail.length, bytes: null, pending: null, used: 0 };
    remember(tail);
    settle(tail, probe.tail);
  }

  return {
    url: finalUrl,
    mode: "ranges",
    size,
    stats,
    async read(offset, length) {
      checkRead(offset, length, size);
      if (length === 0) return new Uint8Array(0);
      const wanted = { start: offset, end: offset + length };
      const present = entries.filter((e) => e.end > wanted.start && e.start < wanted.end);
      const pieces = [...present, ...missing(wanted, present).map(fetchInto)].sort((a, b) => a.start - b.start);
      const parts = await Promise.all(pieces.map(async (e) => ({ start: e.start, bytes: e.bytes ?? (await e.pending!) })));
      for (const e of pieces) e.used = ++clock;
      return assemble(wanted, parts);
    },
    async prefetch(ranges) {
      const wanted: Interval[] = [];
      for (const r of ranges) {
        checkRead(r.offset, r.length, size);
        wanted.push({ start: r.offset, end: r.offset + r.length });
      }
      // Fetch no more than the cache holds, or the first ranges would be dropped before they are read;
      // what does not fit is read when asked for.
      let budget = resolved.cacheBytes;
      const fetching: Array<Promise<Uint8Array>> = [];
      for (const range of coalesce(wanted, resolved.coalesceGapBytes)) {
        const present = entries.filter((e) => e.end > range.start && e.start < range.end);
        for (const gap of missing(range, present)) {
          if (gap.end - gap.start > budget) continue;
          budget -= gap.end - gap.start;
          fetching.push(fetchInto(gap).pending!);
        }
      }
      await Promise.all(fetching);
    },
  };
}

/** The first request: the last `tailBytes` of the file, which also tells its size and whether ranges work. */
async function probeTail(session: Session, url: string): Promise<Probe> {
  const { tailBytes, maxBytes } = session.options;
  // No Accept-Encoding here: fetch itself sends `identity` with every request that has a Range (WHATWG
  // Fetch, HTTP-network-or-cache fetch), as a compressed range would not be the file's bytes; a
  // server that compresses anyway is caught by checkIdentity.
  const opened = await openResponse(session, url, { Range: `bytes=-${tailBytes}` });
  const { response } = opened;
  const validators = validatorsOf(response.headers);
  if (response.status === 206) {
    const got = parseContentRange(response.headers.get("content-range"));
    if (got === null || "unsatisfied" in got) throw protocol(session, opened, badContentRange(response));
    // RFC 9110 §14.1.3: a suffix range longer than the file selects the whole file.
    const start = Math.max(0, got.total - tailBytes);
    if (got.start !== start || got.end !== got.total) {
      throw protocol(session, opened, `asked for the last ${tailBytes} bytes, the server sent ${got.start}-${got.end - 1} of ${got.total}`);
    }
    checkIdentity(session, opened);
    session.size = got.total;
    const tail = await readBody(session, opened, got.end - got.start);
    session.stats.ranges.push({ offset: start, length: tail.length });
    return { mode: "ranges", url: opened.url, size: got.total, tailStart: start, tail, validators };
  }
  if (response.status === 200) {
    // No Range support: this body is the whole file. Content-Length, when the body is not
    // content-coded, is its size and is checked; a coded body's length is only known once read.
    const coded = (response.headers.get("content-encoding")?.trim().toLowerCase() ?? "identity") !== "identity";
    const declared = coded ? null : parseLength(response.headers.get("content-length"));
    if (declared !== null && declared > maxBytes - session.stats.bytesFetched) {
      discard(opened);
      throw new RemoteError(
        "too-large",
        session.label,
        `the server does not do range requests, and the whole file (${formatBytes(declared)}) is more than the limit of ${formatBytes(maxBytes)}${at(session, opened.url)}`,
      );
    }
    session.size = declared;
    const whole = await readBody(session, opened, declared);
    session.stats.ranges.push({ offset: 0, length: whole.length });
    return { mode: "full", url: opened.url, size: whole.length, whole, validators };
  }
  if (response.status === 416) {
    // A suffix range of an empty file cannot be satisfied (RFC 9110 §14.1.3): the size is 0.
    const got = parseContentRange(response.headers.get("content-range"));
    discard(opened);
    if (got !== null && "unsatisfied" in got && got.total === 0) {
      return { mode: "ranges", url: opened.url, size: 0, tailStart: 0, tail: new Uint8Array(0), validators };
    }
    throw httpError(session, opened, ` to a request for the last ${tailBytes} bytes`);
  }
  discard(opened);
  throw httpError(session, opened);
}

function assemble(wanted: Interval, parts: ReadonlyArray<{ start: number; bytes: Uint8Array }>): Uint8Array {
  const first = parts[0]!;
  if (parts.length === 1) return first.bytes.subarray(wanted.start - first.start, wanted.end - first.start);
  const out = new Uint8Array(wanted.end - wanted.start);
  for (const part of parts) {
    const from = Math.max(wanted.start, part.start);
    const to = Math.min(wanted.end, part.start + part.bytes.length);
    if (to > from) out.set(part.bytes.subarray(from - part.start, to - part.start), from - wanted.start);
  }
  return out;
}

function checkRead(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`read of ${length} bytes at ${offset} is outside the file's ${size} bytes`);
  }
}

function checkIdentity(session: Session, opened: Opened): void {
  const coding = opened.response.headers.get("content-encoding")?.trim().toLowerCase();
  if (coding !== undefined && coding !== "" && coding !== "identity") {
    throw protocol(session, opened, `the server sent a range with Content-Encoding: ${coding}`);
  }
}

function badContentRange(response: FetchResponse): string {
  const value = response.headers.get("content-range");
  // A browser hides Content-Range of a cross-origin response unless the server lists it in
  // Access-Control-Expose-Headers; say so, as that is the likely cause there.
  if (value === null) return "HTTP 206 without a Content-Range (a browser hides it unless the server exposes it to CORS)";
  return `HTTP 206 with an unusable Content-Range ${JSON.stringify(value)}`;
}

function parseLength(value: string | null): number | null {
  const text = value?.trim();
  return text !== undefined && /^[0-9]{1,15}$/.test(text) ? Number(text) : null;
}

function protocol(session: Session, opened: Opened, detail: string): RemoteError {
  discard(opened);
  return new RemoteError("protocol", session.label, `${detail}${at(session, opened.url)}`);
}

function changed(session: Session, opened: Opened, detail: string): RemoteError {
  discard(opened);
  return new RemoteError("changed", session.label, `the file changed on the server while it was read: ${detail}`);
}
