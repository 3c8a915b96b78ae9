// The check options of a run, from flags, the environment and `[tool.retag]` (flags override the
// environment, which overrides the file, as cibuildwheel does), each value validated here so a typo
// is a usage error (exit 2) naming the value, never an option that silently does nothing.
import { RetagError } from "../model/errors.js";
import { FINDINGS } from "../model/findings.js";
import type { CheckOptions } from "../model/results.js";
import { formatArchs } from "../tags/index.js";
import type { FileConfig } from "./config.js";
import { nearest } from "./suggest.js";

/** The flags that decide a verdict (the rest only change how it is shown). */
export interface VerdictFlags {
  ignore?: string | string[];
  strict?: boolean;
  "macos-target"?: string;
  "require-archs"?: string;
  round?: "down" | "up";
  rehash?: boolean;
}

const CODES = Object.keys(FINDINGS);
const NAMES: string[] = Object.values(FINDINGS).map((d) => d.name);

/**
 * `--ignore` values: a code (`R201`), a prefix of codes with at least one digit (`R2`, `R20`), or a
 * name (`narrower-than-binaries`). Anything else is an error naming the value and the nearest code:
 * an ignore list that matches nothing would silently ignore nothing, and `R` alone would ignore
 * everything (a planted `--ignore=R,.whl` file name, DESIGN §2.1).
 */
export function validateIgnore(values: readonly string[], where: string): string[] {
  for (const value of values) {
    const upper = value.toUpperCase();
    if (CODES.includes(upper) || NAMES.includes(value)) continue;
    if (/^R\d{1,2}$/.test(upper) && CODES.some((c) => c.startsWith(upper))) continue;
    const near = nearest(value, [...CODES, ...NAMES]);
    const what =
      upper === "R"
        ? "would ignore every finding: a prefix needs a digit (R0, R1, R2, R3)"
        : `is not a finding code, prefix or name${near === null ? "" : ` — did you mean ${near}?`}`;
    throw new RetagError(`${where}: ${JSON.stringify(value)} ${what} (retag explain lists the codes)`);
  }
  return [...values];
}

/** `-j N`: a whole number of at least 1. */
export function parseJobs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(Array.isArray(value) ? value.at(-1) : value);
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new RetagError(`-j/--jobs takes a whole number of wheels at once (1 or more), not ${JSON.stringify(text)}`);
  return Math.min(Number(text), 256);
}

/** `--require-archs arm64,x86_64`, `universal2` or `intel` (delocate's spelling) → plain arch names. */
function expandArchs(spec: string | undefined, where: string): string[] {
  if (spec === undefined || spec.trim() === "") return [];
  const archs = new Set<string>();
  for (const item of spec.split(",").map((s) => s.trim())) {
    const expanded = formatArchs(item);
    if (expanded === null) throw new RetagError(`${where}: unknown architecture or format ${JSON.stringify(item)}`);
    for (const a of expanded) archs.add(a);
  }
  return [...archs];
}

const splitList = (values: readonly string[]): string[] => values.flatMap((i) => String(i).split(",")).map((i) => i.trim()).filter((i) => i !== "");

/** The check options of a run, and where each requirement came from (for the findings' messages). */
export function checkOptions(flags: VerdictFlags, env: NodeJS.ProcessEnv, config: FileConfig, configPath: string | null): CheckOptions {
  const fromFile = (key: string): string => `${configPath ?? "pyproject.toml"} [tool.retag] ${key}`;
  const target =
    flags["macos-target"] !== undefined
      ? { value: flags["macos-target"], from: "--macos-target" }
      : env.MACOSX_DEPLOYMENT_TARGET !== undefined && env.MACOSX_DEPLOYMENT_TARGET !== ""
        ? { value: env.MACOSX_DEPLOYMENT_TARGET, from: "MACOSX_DEPLOYMENT_TARGET" }
        : config.macosTarget !== undefined
          ? { value: config.macosTarget, from: fromFile("macos-target") }
          : null;
  if (target !== null && !/^\d+(\.\d+){0,2}$/.test(target.value)) {
    throw new RetagError(`${target.from} must look like 10.13 or 11.0, not ${JSON.stringify(target.value)}`);
  }
  const ignore =
    flags.ignore === undefined
      ? validateIgnore(splitList(config.ignore ?? []), fromFile("ignore"))
      : validateIgnore(splitList(([] as string[]).concat(flags.ignore)), "--ignore");
  const archs =
    flags["require-archs"] !== undefined
      ? { value: flags["require-archs"], from: "--require-archs" }
      : config.requireArchs !== undefined
        ? { value: config.requireArchs, from: fromFile("require-archs") }
        : null;
  return {
    ignore,
    strict: flags.strict ?? config.strict ?? false,
    macosTarget: target === null ? null : target.value.includes(".") ? target.value : `${target.value}.0`,
    requireArchs: archs === null ? [] : expandArchs(archs.value, archs.from),
    round: flags.round ?? config.round ?? "down",
    rehash: flags.rehash ?? false,
    origins: { ...(target === null ? {} : { macosTarget: target.from }), ...(archs === null ? {} : { requireArchs: archs.from }) },
  };
}
