// Retrying a request that failed for a reason that may pass: a 5xx, 408, 429, a connection that failed
// or closed early, a body cut short. Never a 4xx (asking again gets the same answer), a timeout (a
// slow server is slow again, and the user would wait the timeout several times over), a redirect or
// protocol problem, or a file that changed.
import { RemoteError } from "../model/remote.js";
import type { RemotePorts } from "../model/remote.js";
import { formatDuration, type ResolvedOptions } from "./options.js";

// 501 Not Implemented and 505 HTTP Version Not Supported say the server cannot do it at all.
const PERMANENT_5XX = new Set([501, 505]);

const retryAfterOf = new WeakMap<RemoteError, number>();

/** Records the delay a response's `Retry-After` asked for, for the retry loop. */
export function noteRetryAfter(error: RemoteError, ms: number): void {
  retryAfterOf.set(error, ms);
}

export function isRetryable(error: RemoteError): boolean {
  if (error.kind === "network" || error.kind === "truncated") return true;
  if (error.kind !== "http" || error.status === undefined) return false;
  const status = error.status;
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && !PERMANENT_5XX.has(status));
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): `delay-seconds` or an HTTP-date, as milliseconds from `now`;
 * null when absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^[0-9]{1,9}$/.test(text)) return Number(text) * 1000;
  // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; Date.parse reads it in every engine.
  if (!/^[A-Za-z]{3}, [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/.test(text)) return null;
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, when - now);
}

/** The back-off before retry number `retry` (0 for the first): `backoffMs` doubled each time, capped. */
export function backoffDelay(options: Pick<ResolvedOptions, "backoffMs" | "maxBackoffMs">, retry: number): number {
  return Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.min(retry, 30));
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries are spent. A server asking (by
 * Retry-After) for a longer wait than `maxRetryAfterMs` is not waited for: the error says so.
 */
export async function withRetries<T>(
  ports: RemotePorts,
  options: ResolvedOptions,
  onRetry: () => void,
  attempt: () => Promise<T>,
): Promise<T> {
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => ports.setTimeout(resolve, ms)));
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RemoteError) || !isRetryable(error)) throw error;
      if (retry >= options.retries) throw retry === 0 ? error : amend(error, `after ${retry} ${retry === 1 ? "retry" : "retries"}`);
      const asked = retryAfterOf.get(error);
      if (asked !== undefined && asked > options.maxRetryAfterMs) throw amend(error, `the server asks to retry after ${formatDuration(asked)}`);
      onRetry();
      await sleep(asked ?? backoffDelay(options, retry));
      if (options.signal?.aborted) throw new RemoteError("aborted", error.url, "aborted");
    }
  }
}

function amend(error: RemoteError, note: string): RemoteError {
  return new RemoteError(error.kind, error.url, `${error.detail} (${note})`, error.status);
}
