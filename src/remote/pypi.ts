// `pypi:NAME` and `pypi:NAME==VERSION`: the wheels of a release, listed by the index's JSON API
// (Warehouse: `GET /pypi/<project>/json` for the latest release, `GET /pypi/<project>/<version>/json`
// for one; each has `info` and `urls`, the release's files with `filename`, `url`, `size`,
// `digests.sha256`, `yanked`). A mirror or a test server stands in with `indexUrl`.
import { RemoteError } from "../model/remote.js";
import type { IndexRelease, IndexWheel, PypiSpec, RemoteOptions, RemotePorts, RemoteStats } from "../model/remote.js";
import { resolveOptions } from "./options.js";
import { checkHttpUrl, discard, httpError, openResponse, readBody, type Session } from "./request.js";
import { isPypiSpec, PYPI_PREFIX } from "./input-kind.js";
import { withRetries } from "./retry.js";

export const DEFAULT_INDEX_URL = "https://pypi.org";

/** A JSON document larger than this is refused (PyPI's largest, with every release of a project, are some MiB). */
const DEFAULT_MAX_JSON_BYTES = 64 * 1024 * 1024;

// PEP 508 names: `^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$` with re.IGNORECASE.
const NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
// The characters of a PEP 440 version, public and local parts (`1.0`, `2!1.0rc1.post2.dev3+local.7`);
// the index decides whether one exists.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+!-]{0,127}$/;
const SHA256 = /^[0-9a-f]{64}$/i;

export { isPypiSpec, PYPI_PREFIX };

/** PEP 503: `re.sub(r"[-_.]+", "-", name).lower()`. */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** Parses `pypi:NAME` / `pypi:NAME==VERSION`; anything else (a range, a wildcard) is a usage error. */
export function parsePypiSpec(text: string): PypiSpec {
  const form = `${PYPI_PREFIX}NAME or ${PYPI_PREFIX}NAME==VERSION`;
  if (!isPypiSpec(text)) throw new RemoteError("bad-url", text, `not ${form}`);
  const parts = /^([^=<>!~]*)(?:==(.*))?$/s.exec(text.slice(PYPI_PREFIX.length));
  if (parts === null) throw new RemoteError("bad-url", text, `takes ${form}: one exact version, not a range`);
  const name = parts[1]!;
  const version = parts[2] ?? null;
  if (!NAME.test(name)) {
    throw new RemoteError("bad-url", text, `${JSON.stringify(name)} is not a project name (letters, digits, '.', '_', '-')`);
  }
  if (version !== null && !VERSION.test(version)) {
    throw new RemoteError("bad-url", text, `${JSON.stringify(version)} is not one exact version (${form}; wildcards are not looked up)`);
  }
  return { name, normalized: normalizeProjectName(name), version };
}

/**
 * The JSON API URL of `spec` under `indexUrl`. An index URL ending in `/simple` (what pip's
 * `--index-url` names) means its root: the JSON API lives beside the simple API there.
 */
export function jsonApiUrl(spec: PypiSpec, indexUrl: string = DEFAULT_INDEX_URL): string {
  const root = indexUrl.replace(/\/+$/, "").replace(/\/simple$/, "");
  const version = spec.version === null ? "" : `${encodeURIComponent(spec.version)}/`;
  return `${root}/pypi/${encodeURIComponent(spec.normalized)}/${version}json`;
}

export interface ReleaseOptions extends RemoteOptions {
  /** Default https://pypi.org. */
  indexUrl?: string;
}

/** Looks the release up on the index and returns its wheels (the latest release when no version is given). */
export async function fetchRelease(spec: PypiSpec, ports: RemotePorts, options: ReleaseOptions = {}): Promise<IndexRelease & { stats: RemoteStats }> {
  const { indexUrl, ...rest } = options;
  const resolved = resolveOptions({ maxBytes: DEFAULT_MAX_JSON_BYTES, ...rest });
  const url = jsonApiUrl(spec, indexUrl ?? DEFAULT_INDEX_URL);
  const absolute = checkHttpUrl(ports, url);
  const stats: RemoteStats = { requests: 0, bytesFetched: 0, retries: 0, ranges: [] };
  const session: Session = { ports, options: resolved, stats, label: url, size: null };
  const { bytes, finalUrl } = await withRetries(ports, resolved, () => stats.retries++, async () => {
    const opened = await openResponse(session, absolute, { Accept: "application/json" });
    if (opened.response.status !== 200) {
      discard(opened);
      const what = spec.version === null ? `no project ${JSON.stringify(spec.name)}` : `no release ${spec.version} of ${JSON.stringify(spec.name)}`;
      throw httpError(session, opened, opened.response.status === 404 ? ` (${what} on this index)` : "");
    }
    const coded = (opened.response.headers.get("content-encoding")?.trim().toLowerCase() ?? "identity") !== "identity";
    const length = opened.response.headers.get("content-length")?.trim();
    const declared = !coded && length !== undefined && /^[0-9]{1,15}$/.test(length) ? Number(length) : null;
    return { bytes: await readBody(session, opened, declared), finalUrl: opened.url };
  });
  let text: string;
  try {
    text = ports.decodeUtf8(bytes);
  } catch {
    throw new RemoteError("bad-json", url, "the answer is not UTF-8 text");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RemoteError("bad-json", url, `the answer is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  return { ...parseReleaseJson(json, spec, url, (ref) => ports.resolveUrl(ref, finalUrl)), stats };
}

/**
 * The release described by a JSON API document. Required fields that are missing or of the wrong
 * type fail the whole listing (`bad-json`, naming the field); optional ones (size, sha256) become null.
 */
export function parseReleaseJson(json: unknown, spec: PypiSpec, url: string, resolveUrl: (ref: string) => string): IndexRelease {
  const bad = (detail: string): RemoteError => new RemoteError("bad-json", url, detail);
  if (!isObject(json)) throw bad("the answer is not a JSON object");
  const info = json["info"];
  if (!isObject(info)) throw bad("no 'info' object");
  const name = typeof info["name"] === "string" ? info["name"] : spec.name;
  const version = info["version"];
  if (typeof version !== "string" || version === "") throw bad("no 'info.version'");
  // `urls` is the release's files in both endpoints; `releases[version]` (deprecated, absent from
  // the per-version endpoint on PyPI) is what older mirrors may give instead.
  let files = json["urls"];
  if (!Array.isArray(files)) {
    const releases = json["releases"];
    files = isObject(releases) ? releases[spec.version ?? version] : undefined;
  }
  if (!Array.isArray(files)) throw bad(`no 'urls' list (nor 'releases[${JSON.stringify(spec.version ?? version)}]')`);
  const wheels: IndexWheel[] = [];
  const skipped: string[] = [];
  files.forEach((file: unknown, i: number) => {
    const where = `urls[${i}]`;
    if (!isObject(file)) throw bad(`${where} is not an object`);
    const filename = file["filename"];
    if (typeof filename !== "string" || filename === "" || /[/\\]/.test(filename)) throw bad(`${where}.filename is not a file name`);
    if (!filename.endsWith(".whl") || (file["packagetype"] !== undefined && file["packagetype"] !== "bdist_wheel")) {
      skipped.push(filename);
      return;
    }
    const ref = file["url"];
    if (typeof ref !== "string") throw bad(`${where}.url (${filename}) is not a string`);
    let fileUrl: string;
    try {
      fileUrl = resolveUrl(ref);
    } catch {
      throw bad(`${where}.url (${filename}) is not a URL: ${JSON.stringify(ref)}`);
    }
    if (!/^https?:/i.test(fileUrl)) throw bad(`${where}.url (${filename}) is not an http(s) URL: ${fileUrl}`);
    const size = file["size"];
    const digests = file["digests"];
    const sha256 = isObject(digests) ? digests["sha256"] : undefined;
    const reason = file["yanked_reason"];
    wheels.push({
      filename,
      url: fileUrl,
      size: typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : null,
      sha256: typeof sha256 === "string" && SHA256.test(sha256) ? sha256.toLowerCase() : null,
      yanked: file["yanked"] === true,
      yankedReason: typeof reason === "string" && reason !== "" ? reason : null,
    });
  });
  return { name, version, url, wheels, skipped };
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
