// What a remote input names: a wheel URL names one wheel; `pypi:NAME[==VERSION]` names the wheels of
// a release, listed by the index's JSON API and narrowed by `--platform`. Shared by the CLI
// (src/cli/remote-inputs.ts) and the web page, so both read the same wheels for the same input.
import { RemoteError } from "../model/remote.js";
import type { RemotePorts, RemoteStats } from "../model/remote.js";
import { isPypiSpec } from "./input-kind.js";
import { fetchRelease, parsePypiSpec, type ReleaseOptions } from "./pypi.js";
import { checkHttpUrl } from "./request.js";
import { parseWheelSelector, selectWheels } from "./wheel-filter.js";

/** One remote wheel to read. */
export interface RemoteWheel {
  /** What reports call it: the URL as given, or the file name for a wheel of a `pypi:` release. */
  label: string;
  /** The wheel's file name (its tags are the claim): the URL's last path segment, or the index's. */
  filename: string;
  url: string;
  /** The index's size and sha256 for it, when it lists them. */
  size: number | null;
  sha256: string | null;
  /** Said with the result: a yanked release file, with its reason. */
  notes: string[];
}

export interface ResolvedInput {
  input: string;
  wheels: RemoteWheel[];
  /** The JSON look-up's requests and bytes, for a `pypi:` input. */
  stats: RemoteStats | null;
}

export interface ResolveOptions extends ReleaseOptions {
  /** `--platform`: families (`macos`, `linux,windows`) or a glob on the file name; null: every wheel. */
  platform?: string | null;
}

export { isRemoteInput } from "./input-kind.js";

/** The wheel file name a URL names: its last path segment, percent-decoded (query and fragment dropped). */
export function filenameOfUrl(url: string): string {
  const path = url.replace(/[?#].*$/s, "");
  const last = path.slice(path.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * The wheels `input` names. Throws RemoteError for a bad input, a failed look-up, or a release with no
 * wheel left after `--platform` (the message says what there was), so a batch can report it and go on.
 */
export async function resolveRemoteInput(input: string, ports: RemotePorts, options: ResolveOptions = {}): Promise<ResolvedInput> {
  const { platform, ...release } = options;
  const selector = platform === undefined || platform === null ? null : parseWheelSelector(platform);
  if (!isPypiSpec(input)) {
    const url = checkHttpUrl(ports, input);
    return { input, wheels: [{ label: input, filename: filenameOfUrl(url), url, size: null, sha256: null, notes: [] }], stats: null };
  }
  const spec = parsePypiSpec(input);
  const found = await fetchRelease(spec, ports, release);
  const what = `${found.name} ${found.version}`;
  if (found.wheels.length === 0) {
    const others = found.skipped.length === 0 ? "no files at all" : `only ${found.skipped.join(", ")}`;
    throw new RemoteError("no-wheels", input, `${what} has no wheels (${others})`);
  }
  const chosen = selector === null ? found.wheels : selectWheels(found.wheels, selector);
  if (chosen.length === 0) {
    throw new RemoteError("no-wheels", input, `none of the ${found.wheels.length} wheels of ${what} matches --platform ${platform}: ${found.wheels.map((w) => w.filename).join(", ")}`);
  }
  return {
    input,
    wheels: chosen.map((w) => ({
      label: w.filename,
      filename: w.filename,
      url: w.url,
      size: w.size,
      sha256: w.sha256,
      notes: w.yanked ? [`${w.filename} is yanked from ${what}${w.yankedReason === null ? "" : `: ${w.yankedReason}`}`] : [],
    })),
    stats: found.stats,
  };
}
