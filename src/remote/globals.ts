// RemotePorts from a host's own globals: Node ≥ 18 and every browser have `fetch`, `setTimeout`,
// `AbortController`, `URL` and `TextDecoder`. The host passes its `globalThis` (src/node*, the web page); the core
// never reads a global itself. The parameter's types are loose on purpose (`never` parameters accept
// any function), so Node's and the DOM's declarations of these globals both fit without either being
// known here; the casts below are the one place the declared shapes of src/model/remote.ts are trusted.
import type { AbortControllerLike, FetchLike, RemotePorts } from "../model/remote.js";

export interface HostGlobals {
  fetch: (...args: never[]) => unknown;
  setTimeout: (...args: never[]) => unknown;
  clearTimeout: (...args: never[]) => unknown;
  AbortController: new () => unknown;
  URL: new (...args: never[]) => unknown;
  TextDecoder: new (...args: never[]) => unknown;
}

export function remotePortsFromGlobals(host: HostGlobals): RemotePorts {
  const fetch = host.fetch as unknown as FetchLike;
  const setTimer = host.setTimeout as unknown as (callback: () => void, ms: number) => unknown;
  const clearTimer = host.clearTimeout as unknown as (handle: unknown) => void;
  const Controller = host.AbortController as unknown as new () => AbortControllerLike;
  const Url = host.URL as unknown as new (ref: string, base?: string) => { href: string };
  const Decoder = host.TextDecoder as unknown as new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
  const utf8 = new Decoder("utf-8", { fatal: true });
  return {
    // Called as plain functions, not as methods of `host`: a browser's fetch and setTimeout throw
    // "Illegal invocation" when called with a `this` other than the window.
    fetch: (url, init) => fetch(url, init),
    setTimeout: (callback, ms) => setTimer(callback, ms),
    clearTimeout: (handle) => clearTimer(handle),
    newAbortController: () => new Controller(),
    resolveUrl: (ref, base) => new Url(ref, base).href,
    decodeUtf8: (bytes) => utf8.decode(bytes),
    now: () => Date.now(),
  };
}
