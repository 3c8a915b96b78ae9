// Which command-line arguments name remote inputs. A module of its own, with no imports, because every
// run asks it of every argument while only a run with a remote argument loads the HTTP code
// (inputs.ts, pypi.ts, request.ts): a check of local wheels starts without it (issue 13).

/** The prefix of a release on an index: `pypi:NAME[==VERSION]`. */
export const PYPI_PREFIX = "pypi:";

export function isPypiSpec(text: string): boolean {
  return text.startsWith(PYPI_PREFIX);
}

/** Whether an argument names a remote input: `scheme://…` (refused unless http(s)) or `pypi:…`. */
export function isRemoteInput(arg: string): boolean {
  return isPypiSpec(arg) || /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
}
