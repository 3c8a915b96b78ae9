// A remote wheel as a ByteSource (src/model/ports.ts), read with HTTP range requests (RFC 9110 §14).
//
// The first request asks for the file's tail with a suffix range (`Range: bytes=-131072`): its
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
import { rangeCache } from "./range-cache.js";
import type { Interval } from "./ranges.js";
import { at, checkHttpUrl, discard, httpError, openResponse, readBody, tooLarge, type Opened, type Session } from "./request.js";
import { withRetries } from "./retry.js";
import { changeBetween, ifRangeValue, validatorsOf, type Validators } from "./validators.js";

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
  const cache = rangeCache(resolved.cacheBytes, (range) => run(() => withRetries(ports, resolved, onRetry, () => fetchRange(range))));
  cache.hold(probe.tailStart, probe.tail);

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

  return {
    url: finalUrl,
    mode: "ranges",
    size,
    stats,
    async read(offset, length) {
      checkRead(offset, length, size);
      return cache.read({ start: offset, end: offset + length });
    },
    async prefetch(ranges) {
      for (const r of ranges) checkRead(r.offset, r.length, size);
      await cache.prefetch(
        ranges.map((r) => ({ start: r.offset, end: r.offset + r.length })),
        resolved.coalesceGapBytes,
      );
    },
  };
}

/** The first request: the last `tailBytes` of the file, which also tells its size and whether ranges work. */
async function probeTail(session: Session, url: string): Promise<Probe> {
  const { tailBytes, maxBytes } = session.options;
  // No Accept-Encoding here: fetch itself sends `identity` with every request that has a Range (WHATWG
  // Fetch, HTTP-network-or-cache fetch), as a compressed range would not be the file's bytes; a
  // server that compresses anyway is caught by checkIdentity.
  // With wholeFile, a plain GET: its 200 is handled below exactly like a server that ignores Range.
  const opened = await openResponse(session, url, session.options.wholeFile ? {} : { Range: `bytes=-${tailBytes}` });
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
