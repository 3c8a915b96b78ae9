// Project configuration: `[tool.retag]` in pyproject.toml, as check-wheel-contents and cibuildwheel
// read theirs. Precedence: command-line flag > environment (MACOSX_DEPLOYMENT_TARGET) > config > default.
import { parse } from "smol-toml";
import { RetagError } from "../model/errors.js";

export interface FileConfig {
  ignore?: string[];
  requireArchs?: string;
  macosTarget?: string;
  round?: "down" | "up";
  strict?: boolean;
}

const KEYS = ["ignore", "require-archs", "macos-target", "round", "strict"] as const;

/**
 * Reads `[tool.retag]` from a pyproject.toml text (or, for a file that has no `[tool]` table, the
 * top-level keys: a dedicated `retag.toml`). Unknown keys and wrong types are errors naming the file,
 * so a typo never silently does nothing.
 */
export function parseConfig(text: string, path: string): FileConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new RetagError(`${path}: not valid TOML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const table = path.endsWith("pyproject.toml") || tool !== undefined ? tool?.retag : doc;
  if (table === undefined) return {};
  if (typeof table !== "object" || table === null || Array.isArray(table)) throw new RetagError(`${path}: [tool.retag] must be a table`);
  const t = table as Record<string, unknown>;
  const where = path.endsWith("pyproject.toml") || tool !== undefined ? `${path} [tool.retag]` : path;
  for (const key of Object.keys(t)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new RetagError(`${where}: unknown key ${JSON.stringify(key)} (known: ${KEYS.join(", ")})`);
    }
  }
  const config: FileConfig = {};
  if (t.ignore !== undefined) config.ignore = stringList(t.ignore, `${where}: ignore`);
  if (t["require-archs"] !== undefined) config.requireArchs = stringList(t["require-archs"], `${where}: require-archs`).join(",");
  if (t["macos-target"] !== undefined) {
    const v = t["macos-target"];
    if (typeof v !== "string" && typeof v !== "number") throw new RetagError(`${where}: macos-target must be a string such as "10.13"`);
    config.macosTarget = String(v);
  }
  if (t.round !== undefined) {
    if (t.round !== "down" && t.round !== "up") throw new RetagError(`${where}: round must be "down" or "up"`);
    config.round = t.round;
  }
  if (t.strict !== undefined) {
    if (typeof t.strict !== "boolean") throw new RetagError(`${where}: strict must be true or false`);
    config.strict = t.strict;
  }
  return config;
}

function stringList(value: unknown, what: string): string[] {
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  throw new RetagError(`${what} must be a string or a list of strings`);
}
