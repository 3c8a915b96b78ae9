// The command line's side of remote inputs that every run needs: which arguments are remote (URLs,
// pypi:NAME), the flags and their checks. Reading remote wheels (remote-inputs.ts, src/remote/) is
// loaded only when an argument is remote, so a run over local wheels never parses the HTTP code.
import type { Argv } from "yargs";
import { RetagError } from "../model/errors.js";
import { isRemoteInput } from "../remote/input-kind.js";

export interface RemoteRunOptions {
  /** `--index-url` (default https://pypi.org). */
  indexUrl?: string | undefined;
  /** `--platform`: families or a glob on the file name, for `pypi:` releases. */
  platform?: string | undefined;
  /** `--verify all`: download each wheel and read every member. Default `needed`. */
  verify?: "needed" | "all" | undefined;
  /** `--timeout` in seconds: a request that receives nothing for this long fails. */
  timeout?: number | undefined;
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
  /** Show the progress line (on a terminal): in text mode only, as for local batches. Default true. */
  progress?: boolean | undefined;
  /** Wheels read at once. */
  jobs?: number | undefined;
}

/** The arguments that name remote inputs, apart from local paths (order kept within each). */
export function splitInputs(args: readonly string[]): { local: string[]; remote: string[] } {
  return { local: args.filter((a) => !isRemoteInput(a)), remote: args.filter(isRemoteInput) };
}

/** The flags of remote inputs, for `check` (with --verify) and `show`. */
export function remoteFlags<T>(y: Argv<T>, { verify }: { verify: boolean }) {
  const flags = y
    .option("index-url", { type: "string", describe: "the index for pypi:NAME[==VERSION] inputs (its JSON API; default https://pypi.org)" })
    .option("platform", { type: "string", describe: "pypi: inputs: only wheels for these platforms (macos,linux,windows,ios,android,any) or matching a glob ('*arm64*')" })
    .option("timeout", { type: "number", describe: "seconds a remote request may receive nothing before it fails (default 30)" });
  return verify
    ? flags.option("verify", { choices: ["needed", "all"] as const, default: "needed" as const, describe: "remote wheels: read WHEEL, RECORD and the binaries (needed), or download and verify every member (all)" })
    : flags;
}

/** The parsed remote flags as the runners take them. */
export function remoteArgs(args: { "index-url"?: string; platform?: string; timeout?: number; verify?: "needed" | "all" }): RemoteRunOptions {
  if (args.timeout !== undefined && !(args.timeout > 0 && args.timeout <= 3600)) throw new RetagError(`--timeout must be a number of seconds between 0 and 3600, not ${args.timeout}`);
  return { indexUrl: args["index-url"], platform: args.platform, timeout: args.timeout, verify: args.verify ?? "needed" };
}

/** `retag fix` writes next to its inputs or into -w: a remote wheel is checked, not fixed. */
export function refuseRemoteInputs(paths: readonly string[]): void {
  const remote = paths.find(isRemoteInput);
  if (remote !== undefined) throw new RetagError(`${remote}: fix mode takes local wheels; 'retag check ${remote}' reads a remote one (download it to fix it)`);
}
