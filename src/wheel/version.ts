// PEP 440 versions, as far as retag needs them: whether two spellings are one version ("Version
// specifiers" in the PyPA specifications, "Normalization" and "Version matching": `1.0` equals
// `1.0.0`, `1.0-1` is `1.0.post1`, `1.0a` is `1.0a0`, `v1.0` is `1.0`). Nothing is ordered here.

// The public version pattern of the spec's appendix (packaging.version.VERSION_PATTERN), with groups.
const PATTERN = new RegExp(
  "^\\s*v?" +
    "(?:(?<epoch>[0-9]+)!)?" +
    "(?<release>[0-9]+(?:\\.[0-9]+)*)" +
    "(?:[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?" +
    "(?:-(?<post_n1>[0-9]+)|[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?)?" +
    "(?:[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?" +
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?" +
    "\\s*$",
  "i",
);

const PRE: { [spelling: string]: string } = { alpha: "a", a: "a", beta: "b", b: "b", c: "rc", pre: "rc", preview: "rc", rc: "rc" };

/** A number written without its leading zeros (numbers of any length, compared as text). */
function number(text: string | undefined): string {
  return (text ?? "0").replace(/^0+(?=.)/, "");
}

/**
 * The version in one canonical spelling that two equal versions share, or null when `text` is not a
 * PEP 440 version: release without trailing zeros (`1.0.0` → `1`), normalized pre-, post- and
 * dev-release parts, numeric local segments without leading zeros.
 */
export function versionKey(text: string): string | null {
  const m = PATTERN.exec(text);
  if (m === null || m.groups === undefined) return null;
  const g = m.groups;
  const release = (g["release"] as string).split(".").map(number);
  while (release.length > 1 && release[release.length - 1] === "0") release.pop();
  let key = `${number(g["epoch"])}!${release.join(".")}`;
  if (g["pre_l"] !== undefined) key += `${PRE[g["pre_l"].toLowerCase()]}${number(g["pre_n"])}`;
  if (g["post_n1"] !== undefined || g["post_l"] !== undefined) key += `.post${number(g["post_n1"] ?? g["post_n2"])}`;
  if (g["dev_l"] !== undefined) key += `.dev${number(g["dev_n"])}`;
  if (g["local"] !== undefined) {
    key += `+${g["local"]
      .toLowerCase()
      .split(/[-_.]/)
      .map((s) => (/^[0-9]+$/.test(s) ? number(s) : s))
      .join(".")}`;
  }
  return key;
}

/** Whether two texts are one PEP 440 version (false when either is not a version). */
export function sameVersion(a: string, b: string): boolean {
  const x = versionKey(a);
  return x !== null && x === versionKey(b);
}
