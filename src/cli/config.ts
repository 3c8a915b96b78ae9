// Project configuration: `[tool.retag]` in pyproject.toml, found as ruff finds `[tool.ruff]`.
// Precedence: command-line flag > environment (MACOSX_DEPLOYMENT_TARGET) > config > default.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
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
export async function parseConfig(text: string, path: string): Promise<FileConfig> {
  let doc: Record<string, unknown>;
  try {
    doc = (await parseToml())(text) as Record<string, unknown>;
  } catch (error) {
    throw new RetagError(`${path}: not valid TOML: ${tomlError(error)}`);
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

/**
 * smol-toml's parser, loaded on first use: most runs read no TOML at all (no pyproject.toml, or one
 * that never says "retag"), and a run's start-up pays for every module it loads (issue 13).
 */
async function parseToml(): Promise<(text: string) => unknown> {
  return (await import("smol-toml")).parse;
}

/**
 * True when a TOML text cannot hold a `[tool.retag]` table: the key is spelt out somewhere in any
 * spelling TOML allows (bare, quoted, dotted, `[ tool . retag ]`), except through a `\u` escape in a
 * quoted key, so a text with neither "retag" nor such an escape needs no parsing.
 */
function cannotMentionRetag(text: string): boolean {
  return !text.includes("retag") && !/\\[uU]/.test(text);
}

function stringList(value: unknown, what: string): string[] {
  if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
  throw new RetagError(`${what} must be a string or a list of strings`);
}

/** A config that was found (or not), and what the search passed over, for `-v`. */
export interface FoundConfig {
  config: FileConfig;
  /** The file `[tool.retag]` came from; null when none was used. */
  path: string | null;
  /** One line per pyproject.toml passed over on the way (no `[tool.retag]`, or not TOML and not about retag). */
  passed: string[];
}

/** A line that opens `[tool.retag]` (or a sub-table) or sets a `tool.retag` key: text that is about retag. */
const MENTIONS_RETAG = /^\s*(\[\s*tool\s*\.\s*retag\s*[\].]|tool\s*\.\s*retag\s*[.=])/m;

/** Folders that end the search upwards: a repository's root (its config is the project's). */
const REPOSITORY_MARKERS = [".git", ".hg", ".svn"];

/**
 * The project's `[tool.retag]`: the nearest pyproject.toml from `start` upwards that has one,
 * stopping after the repository root (a folder with `.git`, `.hg` or `.svn`) or the file system's
 * root. A pyproject.toml without `[tool.retag]` is passed over, as ruff passes over one without
 * `[tool.ruff]`. One that is not valid TOML is an error only when its text is about retag (a
 * `[tool.retag]` line); otherwise it is another tool's problem and is passed over too (DESIGN §2.1).
 */
export async function findConfig(start: string): Promise<FoundConfig> {
  const passed: string[] = [];
  let folder = resolve(start);
  for (;;) {
    const path = join(folder, "pyproject.toml");
    // existsSync first: most folders on the way up have none, and a failed read costs an error object.
    const text = existsSync(path) ? await readFile(path, "utf8").catch(() => null) : null;
    if (text !== null && cannotMentionRetag(text)) passed.push(`${path}: no [tool.retag]: passed over`);
    else if (text !== null) {
      let doc: Record<string, unknown> | null = null;
      try {
        doc = (await parseToml())(text) as Record<string, unknown>;
      } catch (error) {
        if (MENTIONS_RETAG.test(text)) return { config: await parseConfig(text, path), path, passed };
        passed.push(`${path}: not valid TOML, and no [tool.retag] in it: passed over (${tomlError(error)})`);
      }
      if (doc !== null) {
        const tool = doc.tool as Record<string, unknown> | undefined;
        if (tool !== undefined && typeof tool === "object" && tool !== null && "retag" in tool) return { config: await parseConfig(text, path), path, passed };
        passed.push(`${path}: no [tool.retag]: passed over`);
      }
    }
    if (REPOSITORY_MARKERS.some((m) => existsSync(join(folder, m)))) break;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return { config: {}, path: null, passed };
}

function tomlError(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}
