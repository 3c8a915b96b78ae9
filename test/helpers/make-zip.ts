// Builds zip archives for the zip layer's tests with writers other than retag's own (jszip, Python's
// zipfile, Info-ZIP's zip), and patches bytes of archives to make them malformed.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import JSZip from "jszip";

export interface JszipEntry {
  name: string;
  data: Uint8Array;
  compression?: "STORE" | "DEFLATE";
  date?: Date;
  unixPermissions?: number;
}

/** An archive written by jszip (made on Unix, so permissions are kept). */
export async function jszipArchive(entries: JszipEntry[]): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const entry of entries) {
    zip.file(entry.name, entry.data, {
      compression: entry.compression ?? "DEFLATE",
      ...(entry.date ? { date: entry.date } : {}),
      ...(entry.unixPermissions !== undefined ? { unixPermissions: entry.unixPermissions } : {}),
      createFolders: false,
    });
  }
  return zip.generateAsync({ type: "uint8array", platform: "UNIX" });
}

export interface JszipMember {
  name: string;
  dir: boolean;
  date: Date;
  unixPermissions: number | null;
  data: Uint8Array;
}

/** What jszip, an independent reader, sees in an archive (duplicate names collapse: jszip keeps one). */
export async function readWithJszip(bytes: Uint8Array): Promise<JszipMember[]> {
  const zip = await JSZip.loadAsync(bytes, { createFolders: false, checkCRC32: true });
  const members: JszipMember[] = [];
  for (const file of Object.values(zip.files)) {
    members.push({
      name: file.name,
      dir: file.dir,
      date: file.date,
      unixPermissions: typeof file.unixPermissions === "number" ? file.unixPermissions : null,
      data: await file.async("uint8array"),
    });
  }
  return members;
}

function hasCommand(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const hasPython = hasCommand("python3", ["-c", "import zipfile"]);
export const hasInfoZip = hasCommand("zip", ["-v"]);

/** Runs `fn` with a fresh temporary folder and removes it afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "retag-zip-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a Python script with `sys.argv[1]` set to a temporary archive path and returns that archive. */
export function pythonArchive(script: string): Uint8Array {
  return withTempDir((dir) => {
    const path = join(dir, "out.zip");
    execFileSync("python3", ["-c", script, path], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(path));
  });
}

/**
 * Runs a Python script with `sys.argv[1]` set to a temporary file holding `bytes`; returns its stdout.
 * A Python exception becomes a thrown error with Python's message.
 */
export function pythonOnArchive(bytes: Uint8Array | Uint8Array[], script: string): string {
  return withTempDir((dir) => {
    const path = join(dir, "in.zip");
    writeFileSync(path, Array.isArray(bytes) ? Buffer.concat(bytes) : bytes);
    return execFileSync("python3", ["-c", script, path], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  });
}

/** `zipfile.testzip()` on the archive: null when every member reads back with the right CRC, else the first bad name. */
export function pythonTestzip(bytes: Uint8Array | Uint8Array[]): string | null {
  const out = pythonOnArchive(bytes, "import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).testzip())").trim();
  return out === "None" ? null : out;
}

/** An archive written by Info-ZIP's `zip` from files (path → content), run in a temporary folder. */
export function infoZipArchive(files: { [path: string]: { data: string | Uint8Array; mode?: number } }, args: string[] = []): Uint8Array {
  return withTempDir((dir) => {
    mkdirSync(join(dir, "src"));
    for (const [path, file] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, "src", path)), { recursive: true });
      writeFileSync(join(dir, "src", path), file.data);
      chmodSync(join(dir, "src", path), file.mode ?? 0o644);
    }
    execFileSync("zip", ["-q", ...args, join(dir, "out.zip"), ...Object.keys(files)], { cwd: join(dir, "src") });
    return new Uint8Array(readFileSync(join(dir, "out.zip")));
  });
}

// ── Patching bytes ──

export function setU16(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(offset, value, true);
  return bytes;
}

export function setU32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value >>> 0, true);
  return bytes;
}

export function getU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

/** Offset of the last end of central directory record (signature PK\5\6), or -1. */
export function eocdOffset(bytes: Uint8Array): number {
  for (let at = bytes.length - 22; at >= 0; at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 5 && bytes[at + 3] === 6) return at;
  }
  return -1;
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** Byte equality without vitest's element-by-element deep compare (slow on big arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
