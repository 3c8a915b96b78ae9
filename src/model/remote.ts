// The types of the network layer (src/remote/): the minimal shape of `fetch` it calls, the timer and
// URL ports it needs, its options, its statistics and its one error type. The core is compiled
// without DOM or Node types, so these are declared here instead of taken from `lib.dom.d.ts` or
// `@types/node`; Node's `globalThis.fetch` and a browser's `window.fetch` both fit them (a host that
// has them passes them through `remotePortsFromGlobals` in src/remote/globals.ts).

import { RetagError } from "./errors.js";
import type { ByteSource } from "./ports.js";

// --- The part of the Fetch API that src/remote/ uses (WHATWG Fetch standard) -----------------------

/** What `AbortController.signal` gives: enough to pass to `fetch` and to notice an abort. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

export interface FetchInit {
  method: "GET";
  headers: Record<string, string>;
  /**
   * `manual`: a 3xx comes back as it is, and src/remote/ follows it itself (checking the scheme, the
   * count and loops). Node's fetch gives the real 3xx then; a browser gives an opaque response with
   * no Location, so a browser host uses `follow` (see RemoteOptions.redirects).
   */
  redirect: "manual" | "follow";
  signal: AbortSignalLike;
}

export interface FetchHeaders {
  get(name: string): string | null;
}

export interface ByteStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  /** The final URL (after redirects fetch followed itself, in `follow` mode). */
  readonly url: string;
  /** `opaqueredirect` is what a browser returns for a 3xx in `manual` mode. */
  readonly type?: string;
  readonly headers: FetchHeaders;
  readonly body: { getReader(): ByteStreamReader } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

// --- Ports ---------------------------------------------------------------------------------------

/**
 * What the network layer needs from its host. Nothing in src/remote/ touches a global: time, aborts
 * and URL parsing come from here, so tests can drive time and the core needs no host types.
 */
export interface RemotePorts {
  fetch: FetchLike;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  newAbortController(): AbortControllerLike;
  /** Resolves `ref` against `base` (WHATWG URL) and returns the absolute href; throws if invalid. */
  resolveUrl(ref: string, base?: string): string;
  /** UTF-8 bytes as text; throws on bytes that are not UTF-8 (a fatal TextDecoder). */
  decodeUtf8(bytes: Uint8Array): string;
  /** Milliseconds since the epoch (for an HTTP-date `Retry-After`). */
  now(): number;
  /** Waits `ms`; the back-off between retries goes through it (default: `setTimeout`). */
  sleep?(ms: number): Promise<void>;
}

// --- Options --------------------------------------------------------------------------------------

export interface RemoteProgress {
  /** Bytes of the file received so far (every response body counts, retries included). */
  fetched: number;
  /** The file's size, once known (null before the first response). */
  size: number | null;
}

export interface RemoteOptions {
  /**
   * A request with no response, or no body bytes, for this long fails with kind `timeout`
   * (an inactivity timeout, so a large member on a slow link still arrives). Default 30 000.
   */
  timeoutMs?: number;
  /** Retries after a 5xx, 408, 429, a connection failure or a truncated body. Default 3. */
  retries?: number;
  /** First back-off delay, doubled on each retry up to `maxBackoffMs`. Default 500, 8 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** The longest `Retry-After` honoured; a server asking for longer fails at once. Default 60 000. */
  maxRetryAfterMs?: number;
  /** The most bytes one source may fetch in all (a full download is refused up front above it). Default 1 GiB. */
  maxBytes?: number;
  /** Redirects followed per request. Default 10. */
  maxRedirects?: number;
  /** `manual` (default, Node): follow redirects here, with the checks; `follow`: let fetch do it (browsers). */
  redirects?: "manual" | "follow";
  /** The first request asks for this many bytes of the tail (EOCD, and often the whole central directory). Default 128 KiB. */
  tailBytes?: number;
  /** `prefetch` merges ranges whose gap is at most this many bytes into one request. Default 16 KiB. */
  coalesceGapBytes?: number;
  /** Fetched ranges kept for later reads (least recently used dropped first). Default 16 MiB. */
  cacheBytes?: number;
  /** Requests `prefetch` runs at once. Default 4. */
  concurrency?: number;
  /**
   * Send `If-Range` with each range request after the first, so a file replaced on the server comes
   * back as a 200 (detected: kind `changed`) instead of a range of the new file. Default true. A
   * browser reading a cross-origin file may turn it off: it is not a CORS-safelisted header.
   */
  ifRange?: boolean;
  /**
   * Download the whole file in one request, without Range (`mode` is then "full"): for a read of
   * every member (`retag check --verify all`), one stream beats a request per member. Default false.
   */
  wholeFile?: boolean;
  /** Called as bytes arrive. */
  onProgress?(progress: RemoteProgress): void;
  /** Aborts every request of the source (kind `aborted`). */
  signal?: AbortSignalLike;
}

// --- Results --------------------------------------------------------------------------------------

export interface FetchedRange {
  offset: number;
  length: number;
}

export interface RemoteStats {
  /** HTTP requests sent, redirects and retries included. */
  requests: number;
  /** Body bytes received, retries included. */
  bytesFetched: number;
  retries: number;
  /** The byte ranges received, in the order they completed (the whole file once in `full` mode). */
  ranges: FetchedRange[];
}

/** A remote file read through HTTP range requests (or, where the server ignores Range, downloaded once). */
export interface HttpSource extends ByteSource {
  /** The URL after redirects; every request after the first goes there. */
  readonly url: string;
  /** `ranges`: the server honours Range; `full`: it does not, and the file was downloaded whole. */
  readonly mode: "ranges" | "full";
  readonly stats: RemoteStats;
}

// --- Errors ---------------------------------------------------------------------------------------

export type RemoteErrorKind =
  /** Not an http(s) URL, or not a URL. */
  | "bad-url"
  /** A status other than the one asked for (`status` says which). */
  | "http"
  | "timeout"
  /** The connection failed, was reset, or closed before the body was complete. */
  | "network"
  /** A complete response whose body is shorter or longer than its headers promised. */
  | "truncated"
  /** A response that breaks HTTP's rules for what was asked (Content-Range, 206 without it, …). */
  | "protocol"
  | "redirect"
  | "too-large"
  /** The file changed on the server between two requests. */
  | "changed"
  | "aborted"
  /** An index's JSON API answered something that is not the JSON it documents. */
  | "bad-json"
  /** A release with no wheel, or none left after `--platform`. */
  | "no-wheels";

/**
 * Every failure of the network layer: one line naming the URL and what went wrong
 * (`https://…/x.whl: HTTP 404 Not Found`). A RetagError, so the CLI treats it as unreadable input
 * (exit 2) and goes on with the other wheels.
 */
export class RemoteError extends RetagError {
  override name = "RemoteError";
  constructor(
    readonly kind: RemoteErrorKind,
    readonly url: string,
    readonly detail: string,
    readonly status?: number,
  ) {
    super(`${url}: ${detail}`);
  }
}

// --- Index listings (src/remote/pypi.ts) ----------------------------------------------------------

/** `pypi:NAME` or `pypi:NAME==VERSION`. */
export interface PypiSpec {
  /** As written. */
  name: string;
  /** PEP 503 normalised: lower case, runs of `-_.` as one `-`. */
  normalized: string;
  /** null: the latest release. */
  version: string | null;
}

/** One wheel of a release as the index lists it. */
export interface IndexWheel {
  filename: string;
  /** Absolute http(s) URL. */
  url: string;
  /** null when the index gives none. */
  size: number | null;
  /** Lower-case hex; null when the index gives none. */
  sha256: string | null;
  yanked: boolean;
  yankedReason: string | null;
}

export interface IndexRelease {
  /** The project's name as the index spells it. */
  name: string;
  version: string;
  /** The JSON document read. */
  url: string;
  wheels: IndexWheel[];
  /** Files of the release that are not wheels (sdists, eggs), skipped. */
  skipped: string[];
}

/** The platform families of `--platform`, judged from a wheel file name's platform tag(s). */
export type PlatformFamily = "macos" | "linux" | "windows" | "ios" | "android" | "any";
