// What a check returns, and the options it takes.
import type { BinaryReport } from "./binary.js";
import type { Finding } from "./findings.js";
import type { WheelName } from "./wheel.js";

export interface CheckOptions {
  /** Finding codes or prefixes to drop (`R2`, `R205`, or a finding name). */
  ignore: string[];
  /** Warnings count as failures. */
  strict: boolean;
  /** A floor for the computed macOS version (`--macos-target` / MACOSX_DEPLOYMENT_TARGET), e.g. "10.13". */
  macosTarget: string | null;
  /** Archs every counted binary must have (`arm64,x86_64`, `universal2`, `intel`), already expanded. */
  requireArchs: string[];
  /** How a minimum such as 12.3 becomes a tag: 12_0 (down, default) or 13_0 (up). */
  round: "down" | "up";
  /** Verify and keep RECORD; with rehash, a wrong RECORD is rewritten instead of refused. */
  rehash: boolean;
  /**
   * Where `macosTarget` and `requireArchs` came from, in the words a message quotes
   * (`--require-archs`, `MACOSX_DEPLOYMENT_TARGET`, `pyproject.toml [tool.retag] require-archs`).
   */
  origins?: { macosTarget?: string; requireArchs?: string };
}

export interface CheckResult {
  /** The path or file name the wheel was given as. */
  wheel: string;
  ok: boolean;
  /** The parsed file name; null when it is not a valid wheel name. */
  name: WheelName | null;
  tags: {
    /** Platform tags of the file name. */
    current: string[];
    /** What fix mode writes: the current tags when valid, else the repair; null when it cannot be computed. */
    expected: string[] | null;
    /** The widest tag set the binaries allow (information). */
    widest: string[];
  };
  /** True when fix mode must rewrite the wheel (a tag is invalid or WHEEL disagrees with the name). */
  needsRewrite: boolean;
  /** The file name fix mode writes (the current one when only WHEEL changes); null when nothing can be written. */
  expectedFilename: string | null;
  findings: Finding[];
  binaries: BinaryReport[];
  /**
   * Members that were not read, so their RECORD hashes were not verified: a remote check reads only
   * WHEEL, RECORD and the binaries (DESIGN §10). Empty when every member was read.
   */
  unread: string[];
}
