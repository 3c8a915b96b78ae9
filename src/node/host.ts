// This machine as an audit host (DESIGN §9.3): on a Mac, its macOS release (`sw_vers -productVersion`)
// and its hardware arch; an arm64 Mac also runs x86_64 Pythons under Rosetta 2, which `--host all`
// adds. Node itself may run under Rosetta (an x64 build on Apple silicon): `sysctl.proc_translated`
// says so, and the hardware arch is then arm64. Anything else is no host retag can model yet.
import { execFile } from "node:child_process";
import { release } from "node:os";
import type { Host } from "../model/audit.js";
import type { MacVersion } from "../model/tags.js";

/** Runs a command and gives its trimmed stdout, or null when it fails or takes longer than `timeoutMs`. */
export type RunCommand = (file: string, args: readonly string[], timeoutMs?: number) => Promise<string | null>;

export const runCommand: RunCommand = (file, args, timeoutMs = 2000) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, encoding: "utf8" }, (error, stdout) => resolve(error === null ? stdout.trim() : null));
  });

export interface MachineFacts {
  platform: NodeJS.Platform;
  /** Node's own arch (`process.arch`). */
  arch: string;
  run: RunCommand;
}

/** Darwin 20 is macOS 11, …, 24 is 15; Darwin 25 is macOS 26 (the numbering jump). Majors only. */
function macosFromDarwin(darwin: string): MacVersion | null {
  const major = Number(darwin.split(".")[0]);
  if (!Number.isInteger(major) || major < 4) return null;
  if (major >= 25) return { major: major + 1, minor: 0, patch: 0 };
  if (major >= 20) return { major: major - 9, minor: 0, patch: 0 };
  return { major: 10, minor: major - 4, patch: 0 };
}

/**
 * The hosts of this machine: its own arch first, then (with `all`, on an arm64 Mac) x86_64 under
 * Rosetta. Empty when this is not a Mac.
 */
export async function machineHosts(all: boolean, facts: MachineFacts = { platform: process.platform, arch: process.arch, run: runCommand }): Promise<Host[]> {
  if (facts.platform !== "darwin") return [];
  const text = await facts.run("sw_vers", ["-productVersion"]);
  const m = text === null ? null : /^(\d+)\.(\d+)/.exec(text);
  const version = m !== null ? { major: Number(m[1]), minor: Number(m[2]), patch: 0 } : macosFromDarwin(release());
  if (version === null) return [];
  const translated = facts.arch === "x64" && (await facts.run("sysctl", ["-in", "sysctl.proc_translated"])) === "1";
  const hardware = facts.arch === "arm64" || translated ? "arm64" : "x86_64";
  const hosts: Host[] = [{ platform: "macos", version, arch: hardware, rosetta: false }];
  if (all && hardware === "arm64") hosts.push({ platform: "macos", version, arch: "x86_64", rosetta: true });
  return hosts;
}
