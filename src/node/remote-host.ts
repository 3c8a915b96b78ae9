// The network on Node: the remote layer's ports made of Node's own globals (fetch, timers, URL,
// TextDecoder; Node ≥ 18 has them all), and a remote wheel opened for the read stage. The remote layer
// itself (src/remote/) touches no global, so the web page passes its window the same way.
import type { HttpSource, RemoteOptions, RemotePorts } from "../model/remote.js";
import { openHttpSource, remotePortsFromGlobals } from "../remote/index.js";

export const nodeRemotePorts: RemotePorts = remotePortsFromGlobals(globalThis);

/** A wheel URL as a byte source: range requests, or one download with `wholeFile` (DESIGN §10). */
export function openRemoteWheel(url: string, options: RemoteOptions = {}): Promise<HttpSource> {
  return openHttpSource(url, nodeRemotePorts, options);
}
