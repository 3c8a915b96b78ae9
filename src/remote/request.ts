// One HTTP GET: send it, follow redirects (with the checks fetch's own following lacks), time out
// when nothing arrives, and read the body into exactly the bytes asked for. Retrying is retry.ts's
// job; what a response means (a range, a whole file) is the caller's.
import { RemoteError } from "../model/remote.js";
import type { AbortSignalLike, FetchResponse, RemotePorts, RemoteStats } from "../model/remote.js";
import { formatBytes, formatDuration, type ResolvedOptions } from "./options.js";
import { noteRetryAfter, parseRetryAfter } from "./retry.js";

/** What the requests of one source (or one index look-up) share. */
export interface Session {
  readonly ports: RemotePorts;
  readonly options: ResolvedOptions;
  readonly stats: RemoteStats;
  /** The URL the caller gave: every error names it, so a user recognises the input. */
  readonly label: string;
  /** The file's size once known, for progress. */
  size: number | null;
}

/** A response whose headers have arrived; its body is still to be read (readBody) or dropped (discard). */
export interface Opened {
  readonly response: FetchResponse;
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly watchdog: Watchdog;
}

// RFC 9110 §15.4: the redirections a GET follows to a new URL (300, 304 and 305 are not ones).
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// Reason phrases for responses that carry none (HTTP/2 and HTTP/3 have no reason phrase).
const REASONS: { [status: number]: string } = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  410: "Gone",
  416: "Range Not Satisfiable",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `url` as an absolute http(s) URL, or a `bad-url` error naming it. */
export function checkHttpUrl(ports: RemotePorts, url: string): string {
  let absolute: string;
  try {
    absolute = ports.resolveUrl(url);
  } catch {
    throw new RemoteError("bad-url", url, "not a valid URL");
  }
  if (!isHttp(absolute)) throw new RemoteError("bad-url", url, `only http and https URLs can be read, not ${schemeOf(absolute)}:`);
  return absolute;
}

/**
 * Sends a GET for `url` with `headers` and waits for its headers. In `manual` mode 3xx responses are
 * followed here: at most `maxRedirects`, only to http(s), never from https down to http, never to a
 * URL already visited (a loop is reported as one, not as "too many").
 */
export async function openResponse(session: Session, url: string, headers: Record<string, string>): Promise<Opened> {
  const { ports, options } = session;
  const watchdog = startWatchdog(ports, options.timeoutMs, options.signal);
  const visited = [url];
  let current = url;
  try {
    for (;;) {
      session.stats.requests++;
      let response: FetchResponse;
      try {
        response = await ports.fetch(current, { method: "GET", headers, redirect: options.redirects, signal: watchdog.signal });
      } catch (error) {
        throw failure(session, current, watchdog, error, null);
      }
      watchdog.reset();
      if (response.type === "opaqueredirect") {
        cancelBody(response);
        throw new RemoteError("redirect", session.label, `the response is a redirect that fetch hides in "manual" mode${at(session, current)} (a browser host sets redirects: "follow")`);
      }
      if (options.redirects === "follow") {
        const final = response.url === "" ? current : response.url;
        if (!isHttp(final)) {
          cancelBody(response);
          throw new RemoteError("redirect", session.label, `redirected to ${final}, not an http(s) URL`);
        }
        return { response, url: final, watchdog };
      }
      if (!REDIRECTS.has(response.status)) return { response, url: current, watchdog };
      cancelBody(response);
      current = nextHop(session, response, current, visited);
    }
  } catch (error) {
    watchdog.stop();
    throw error;
  }
}

function nextHop(session: Session, response: FetchResponse, current: string, visited: string[]): string {
  const location = response.headers.get("location");
  const status = `HTTP ${response.status} ${reason(response)}`;
  if (location === null || location.trim() === "") {
    throw new RemoteError("protocol", session.label, `${status} without a Location${at(session, current)}`, response.status);
  }
  let next: string;
  try {
    next = session.ports.resolveUrl(location.trim(), current);
  } catch {
    throw new RemoteError("redirect", session.label, `redirected to an invalid URL ${JSON.stringify(location)}`);
  }
  if (!isHttp(next)) throw new RemoteError("redirect", session.label, `redirected to ${next}, not an http(s) URL`);
  // Following https → http would let anyone on the path serve the bytes; browsers refuse it too
  // (mixed content), so the same code behaves alike in both hosts.
  if (schemeOf(current) === "https" && schemeOf(next) === "http") {
    throw new RemoteError("redirect", session.label, `redirected from https down to ${next}`);
  }
  if (visited.includes(next)) {
    throw new RemoteError("redirect", session.label, `redirect loop: ${[...visited, next].join(" → ")}`);
  }
  if (visited.length > session.options.maxRedirects) {
    throw new RemoteError("redirect", session.label, `more than ${session.options.maxRedirects} redirects (the last to ${next})`);
  }
  visited.push(next);
  return next;
}

/**
 * Reads the body: exactly `expected` bytes when the headers said how many, else at most what the
 * size limit leaves. Counts every byte into the stats and reports progress as they arrive.
 */
export async function readBody(session: Session, opened: Opened, expected: number | null): Promise<Uint8Array> {
  const { options, stats } = session;
  const left = options.maxBytes - stats.bytesFetched;
  try {
    if (expected !== null && expected > left) throw tooLarge(session, expected);
    const body = opened.response.body;
    if (body === null) {
      // A fetch without streams (some polyfills): the same checks, after the fact.
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await opened.response.arrayBuffer());
      } catch (error) {
        throw failure(session, opened.url, opened.watchdog, error, { received: 0, expected });
      }
      count(session, bytes.length);
      if (expected !== null && bytes.length !== expected) throw wrongLength(session, opened.url, bytes.length, expected);
      if (bytes.length > left) throw tooLarge(session, bytes.length);
      return bytes;
    }
    const reader = body.getReader();
    const whole = expected === null ? null : new Uint8Array(expected);
    const parts: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      let step: { done: boolean; value?: Uint8Array };
      try {
        step = await reader.read();
      } catch (error) {
        throw failure(session, opened.url, opened.watchdog, error, { received, expected });
      }
      if (step.done) break;
      const chunk = step.value;
      if (chunk === undefined || chunk.length === 0) continue;
      opened.watchdog.reset();
      if (whole !== null && received + chunk.length > whole.length) {
        void reader.cancel().catch(() => undefined);
        count(session, chunk.length);
        throw new RemoteError("protocol", session.label, `server sent more than the ${formatBytes(whole.length)} asked for${at(session, opened.url)}`);
      }
      if (whole === null && received + chunk.length > left) {
        void reader.cancel().catch(() => undefined);
        throw tooLarge(session, received + chunk.length);
      }
      if (whole !== null) whole.set(chunk, received);
      else parts.push(chunk);
      received += chunk.length;
      count(session, chunk.length);
    }
    if (whole !== null) {
      if (received !== whole.length) throw wrongLength(session, opened.url, received, whole.length);
      return whole;
    }
    return join(parts, received);
  } finally {
    opened.watchdog.stop();
  }
}

/** Drops a response whose body is not wanted (an error status), freeing its connection. */
export function discard(opened: Opened): void {
  opened.watchdog.stop();
  cancelBody(opened.response);
}

/** The error for a status that was not asked for: `HTTP 404 Not Found`. Notes Retry-After for retry.ts. */
export function httpError(session: Session, opened: Opened, context = ""): RemoteError {
  const { response } = opened;
  const error = new RemoteError("http", session.label, `HTTP ${response.status} ${reason(response)}${context}${at(session, opened.url)}`, response.status);
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"), session.ports.now());
  if (retryAfter !== null) noteRetryAfter(error, retryAfter);
  return error;
}

/** ` (at https://cdn/…)` when the URL that answered is not the one the user gave. */
export function at(session: Session, url: string): string {
  return url === session.label ? "" : ` (at ${url})`;
}

function reason(response: FetchResponse): string {
  return response.statusText.trim() || REASONS[response.status] || "";
}

function count(session: Session, bytes: number): void {
  session.stats.bytesFetched += bytes;
  session.options.onProgress?.({ fetched: session.stats.bytesFetched, size: session.size });
}

export function tooLarge(session: Session, bytes: number): RemoteError {
  return new RemoteError(
    "too-large",
    session.label,
    `reading ${formatBytes(bytes)} more would pass the limit of ${formatBytes(session.options.maxBytes)} read per wheel`,
  );
}

function wrongLength(session: Session, url: string, received: number, expected: number): RemoteError {
  return new RemoteError("truncated", session.label, `server sent ${received} bytes for a ${expected}-byte ${expected === session.size ? "file" : "range"}${at(session, url)}`);
}

/** A rejected fetch or body read: a timeout, an abort by the caller, or a connection failure. */
function failure(session: Session, url: string, watchdog: Watchdog, error: unknown, progress: { received: number; expected: number | null } | null): RemoteError {
  if (watchdog.timedOut) {
    return new RemoteError("timeout", session.label, `timed out after ${formatDuration(session.options.timeoutMs)} with no data${at(session, url)}`);
  }
  if (session.options.signal?.aborted) return new RemoteError("aborted", session.label, "aborted");
  const cause = describe(error);
  if (progress === null) return new RemoteError("network", session.label, `connection failed: ${cause}${at(session, url)}`);
  const of = progress.expected === null ? "" : ` of ${progress.expected}`;
  return new RemoteError("network", session.label, `connection closed after ${progress.received}${of} bytes: ${cause}${at(session, url)}`);
}

/** Node's fetch rejects with `TypeError: fetch failed` and the socket's error as its `cause`. */
function describe(error: unknown): string {
  const cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const inner = cause instanceof Error ? cause : error instanceof Error ? error : null;
  if (inner === null) return String(error);
  const code = (inner as { code?: unknown }).code;
  return typeof code === "string" && !inner.message.includes(code) ? `${inner.message} (${code})` : inner.message;
}

function cancelBody(response: FetchResponse): void {
  try {
    void response.body?.getReader().cancel().catch(() => undefined);
  } catch {
    // A body already locked or used: nothing to free.
  }
}

function join(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.length === length) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function isHttp(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === "http" || scheme === "https";
}

function schemeOf(url: string): string {
  const colon = url.indexOf(":");
  return colon < 0 ? "" : url.slice(0, colon).toLowerCase();
}

// --- The inactivity timeout ------------------------------------------------------------------------

/** Aborts a request when nothing has arrived for `ms`; the caller's own signal aborts it too. */
export interface Watchdog {
  readonly signal: AbortSignalLike;
  readonly timedOut: boolean;
  /** Something arrived: start the wait again. */
  reset(): void;
  stop(): void;
}

function startWatchdog(ports: RemotePorts, ms: number, outer: AbortSignalLike | undefined): Watchdog {
  const controller = ports.newAbortController();
  let timedOut = false;
  let stopped = false;
  const fire = (): void => {
    timedOut = true;
    controller.abort();
  };
  let handle = ports.setTimeout(fire, ms);
  const onOuterAbort = (): void => controller.abort();
  if (outer) {
    if (outer.aborted) controller.abort();
    else outer.addEventListener("abort", onOuterAbort);
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    reset() {
      if (stopped || timedOut) return;
      ports.clearTimeout(handle);
      handle = ports.setTimeout(fire, ms);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      ports.clearTimeout(handle);
      outer?.removeEventListener("abort", onOuterAbort);
    },
  };
}
