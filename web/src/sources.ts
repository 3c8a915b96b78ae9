// Byte sources of the page: a dropped or picked file, and a wheel URL (src/remote/, through the
// window's own fetch). Nothing is sent anywhere but to the server a URL names.
import type { ByteSource } from "../../src/model/ports.js";
import { RemoteError, type HttpSource, type RemoteOptions, type RemotePorts } from "../../src/model/remote.js";
import { openHttpSource, remotePortsFromGlobals } from "../../src/remote/index.js";
import { memorySource } from "../../src/zip/index.js";

/** Files up to this size are read into memory at once (one read, then views); larger ones by slices. */
const IN_MEMORY_LIMIT = 256 * 2 ** 20;

/** A File or Blob as a byte source: read whole when small enough, else slice by slice. */
export async function blobSource(blob: Blob): Promise<ByteSource> {
  if (blob.size <= IN_MEMORY_LIMIT) return memorySource(new Uint8Array(await blob.arrayBuffer()));
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export const browserPorts: RemotePorts = remotePortsFromGlobals(globalThis);

/**
 * A browser follows redirects itself (a manual redirect is opaque to scripts), and a cross-origin
 * request with If-Range or a suffix Range needs a CORS preflight that file servers often refuse.
 */
const BROWSER_OPTIONS: RemoteOptions = { redirects: "follow", ifRange: false };

/**
 * A wheel URL: by ranges when the server allows it cross-origin, else downloaded whole (a plain GET
 * needs no preflight, and a server that hides Content-Range from scripts still serves the file).
 */
export async function openUrl(url: string, onProgress: (fetched: number, size: number | null) => void): Promise<{ source: HttpSource; fellBack: string | null }> {
  const progress = { onProgress: (p: { fetched: number; size: number | null }) => onProgress(p.fetched, p.size) };
  try {
    return { source: await openHttpSource(url, browserPorts, { ...BROWSER_OPTIONS, ...progress, retries: 1 }), fellBack: null };
  } catch (error) {
    if (!(error instanceof RemoteError) || !["network", "protocol"].includes(error.kind)) throw error;
    const source = await openHttpSource(url, browserPorts, { ...BROWSER_OPTIONS, ...progress, wholeFile: true });
    return { source, fellBack: error.detail };
  }
}

/** A wheel URL downloaded whole, in one plain GET (for a fix, which needs every member). */
export function openWhole(url: string): Promise<HttpSource> {
  return openHttpSource(url, browserPorts, { ...BROWSER_OPTIONS, wholeFile: true });
}
