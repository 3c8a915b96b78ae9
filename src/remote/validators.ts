// Telling one version of a remote file from another (RFC 9110 §8.8): its ETag, else its
// Last-Modified date. Each range request carries `If-Range` with the first response's validator, so a
// file replaced on the server answers with the whole new file (200), not a range of it; and every
// response's validators are compared with the first's, for servers that ignore If-Range.
import type { FetchHeaders } from "../model/remote.js";

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export function validatorsOf(headers: FetchHeaders): Validators {
  return { etag: headers.get("etag")?.trim() || null, lastModified: headers.get("last-modified")?.trim() || null };
}

/**
 * The `If-Range` value for later requests: a strong ETag, else the Last-Modified date. A weak ETag
 * (`W/"…"`) cannot be used there (RFC 9110 §13.1.5: If-Range needs a strong comparison).
 */
export function ifRangeValue(first: Validators): string | null {
  if (first.etag !== null && !first.etag.startsWith("W/")) return first.etag;
  return first.lastModified;
}

/** How `later` shows a different file than `first`, or null when nothing says so. A missing validator proves nothing. */
export function changeBetween(first: Validators, later: Validators): string | null {
  if (first.etag !== null && later.etag !== null && first.etag !== later.etag) return `ETag ${first.etag} became ${later.etag}`;
  if (first.lastModified !== null && later.lastModified !== null && first.lastModified !== later.lastModified) {
    return `Last-Modified ${first.lastModified} became ${later.lastModified}`;
  }
  return null;
}
