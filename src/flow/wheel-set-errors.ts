// The usage problems of `retag fuse` and `retag split`: inputs that cannot be combined or split as
// asked. Each names the difference (which inputs, which members, which line), so the user can act on
// it; the CLI prints the message and exits 2, like every RetagError.
import { RetagError } from "../model/errors.js";

export type FuseProblem =
  /** Fewer than two inputs, one given twice, or a --prefer that names no input. */
  | "inputs"
  /** Distribution, version, build tag, python or abi tags (or the .dist-info folder) differ. */
  | "names"
  /** A platform tag is not a macOS tag, or two inputs' tags name the same arch. */
  | "platforms"
  /** Members that differ, or are missing from some inputs, with no rule saying which input wins. */
  | "members"
  /** Mach-O files of one name that cannot become one fat file (two different slices of one arch, too many slices). */
  | "binaries";

/** One member the inputs disagree on. */
export interface MemberProblem {
  member: string;
  /** differs: not byte-identical (and not Mach-O in every input); missing: absent from some inputs; binary: cannot be fused. */
  problem: "differs" | "missing" | "binary";
  /** The inputs (as labelled in messages) that have the member. */
  holders: string[];
  /** A line for the user: the first differing line of a text file, the inputs lacking it, the fat writer's reason. */
  detail: string;
}

export class FuseError extends RetagError {
  override name = "FuseError";
  constructor(
    readonly problem: FuseProblem,
    message: string,
    readonly members: MemberProblem[] = [],
  ) {
    super(message);
  }
}

export type SplitProblem =
  /** The wheel is not a macOS wheel. */
  | "platforms"
  /** --arch names something that is not a macOS architecture. */
  | "archs";

export class SplitError extends RetagError {
  override name = "SplitError";
  constructor(
    readonly problem: SplitProblem,
    message: string,
  ) {
    super(message);
  }
}
