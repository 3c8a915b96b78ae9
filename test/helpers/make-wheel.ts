// Builds wheels in memory for tests: a dist-info with WHEEL and a correct RECORD by default, each
// part overridable so a test can break exactly one thing.
import { createHash } from "node:crypto";
import { nodeCodecs } from "../../src/node/codecs.js";
import { writeZip } from "../../src/zip/index.js";
import { nativeFixtures, readNativeFixture, type NativeFormat } from "../fixtures/native.js";
import { readFixture } from "./fixtures.js";

export interface WheelSpec {
  /** The wheel's file name; its tags become WHEEL's Tag lines unless `tags` is given. */
  filename: string;
  /**
   * Members besides the dist-info files: path → bytes or text, a Mach-O fixture
   * (`{ fixture: "ext_universal2.so" }`), or an ELF, PE or wasm one (`{ native: "ext_win_amd64.pyd" }`).
   */
  members?: { [path: string]: MemberValue };
  /** WHEEL Tag lines to write instead of the product of the file name's tags. */
  tags?: string[];
  /** Replace the whole WHEEL text. */
  wheelText?: string;
  /** `auto` (correct), `omit`, or a function that edits the rows before they are written. */
  record?: "auto" | "omit" | ((rows: string[][]) => string[][]);
  /** Extra members after RECORD (e.g. RECORD.jws). */
  trailing?: { [path: string]: string };
}

export type MemberValue = Uint8Array | string | { fixture: string } | { native: string };

const encoder = new TextEncoder();

/** The bytes of an ELF, PE or wasm fixture by file name (test/fixtures/manifest.json keys elf, pe, wasm). */
export function readAnyNativeFixture(file: string): Uint8Array {
  const format = (["elf", "pe", "wasm"] as NativeFormat[]).find((f) => nativeFixtures(f).some((e) => e.file === file));
  if (format === undefined) throw new Error(`no ELF, PE or wasm fixture named ${file} in manifest.json`);
  return readNativeFixture(format, file);
}

function memberBytes(value: MemberValue): Uint8Array {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  return "fixture" in value ? readFixture(value.fixture) : readAnyNativeFixture(value.native);
}

export function sha256Field(data: Uint8Array): string {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** The expanded `Tag:` values of a wheel file name (sorted). */
export function tagsOfFilename(filename: string): string[] {
  const parts = filename.replace(/\.whl$/, "").split("-");
  const [py, abi, plat] = parts.slice(-3).map((p) => p.split("."));
  const tags: string[] = [];
  for (const p of py ?? []) for (const a of abi ?? []) for (const pl of plat ?? []) tags.push(`${p}-${a}-${pl}`);
  return tags.sort();
}

export async function makeWheel(spec: WheelSpec): Promise<{ filename: string; bytes: Uint8Array }> {
  const parts = spec.filename.replace(/\.whl$/, "").split("-");
  const distInfo = `${parts[0]}-${parts[1]}.dist-info`;
  const entries: Array<{ name: string; data: Uint8Array; mode?: number }> = [];
  for (const [path, value] of Object.entries(spec.members ?? {})) {
    const data = memberBytes(value);
    entries.push({ name: path, data, mode: path.includes(".data/scripts/") ? 0o755 : 0o644 });
  }
  const wheelText =
    spec.wheelText ??
    `Wheel-Version: 1.0\nGenerator: retag-tests (0.1)\nRoot-Is-Purelib: false\n${(spec.tags ?? tagsOfFilename(spec.filename)).map((t) => `Tag: ${t}\n`).join("")}`;
  entries.push({ name: `${distInfo}/METADATA`, data: encoder.encode(`Metadata-Version: 2.1\nName: ${parts[0]}\nVersion: ${parts[1]}\n`) });
  entries.push({ name: `${distInfo}/WHEEL`, data: encoder.encode(wheelText) });
  if (spec.record !== "omit") {
    let rows = entries.map((e) => [e.name, sha256Field(e.data), String(e.data.length)]);
    rows.push([`${distInfo}/RECORD`, "", ""]);
    if (typeof spec.record === "function") rows = spec.record(rows);
    const text = rows.map((r) => r.map(csvField).join(",") + "\r\n").join("");
    entries.push({ name: `${distInfo}/RECORD`, data: encoder.encode(text) });
  }
  for (const [path, text] of Object.entries(spec.trailing ?? {})) entries.push({ name: path, data: encoder.encode(text) });
  return {
    filename: spec.filename,
    bytes: await writeZip(entries.map((e) => ({ ...e, method: 8 as const, date: new Date(Date.UTC(2024, 0, 2, 3, 4, 6)) })), nodeCodecs),
  };
}

/** Python's csv module quotes a field that contains a delimiter, a quote or a line break. */
function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
