// Member names that are dangerous or ambiguous to extract, reported as data for the caller's findings.
// An installer extracts every member (duplicates included: the last one wins on disk) and joins each
// name to the target folder, so a name that escapes it or a symlink can write outside the install.
import type { ArchiveMember } from "../model/zip.js";
import { FLAG_UTF8, S_IFLNK, S_IFMT, isAscii, isValidUtf8 } from "./format.js";

export interface MemberNameProblem {
  member: string;
  problem: "unsafe-path" | "duplicate" | "symlink" | "bad-encoding";
  detail: string;
}

/** Why a name is unsafe to join to an extraction folder, or null when it is safe. */
function unsafeReason(name: string): string | null {
  if (name === "") return "the name is empty";
  if (name.includes("\0")) return "the name contains a NUL byte";
  // A newline or an escape in a name is text output's problem everywhere it is printed (a line
  // GitHub runs as a workflow command, a terminal escape: issue 11, D3), and no build backend
  // writes one: refused like the other names that are unsafe to handle.
  const control = /[\u0001-\u001f\u007f-\u009f]/.exec(name);
  if (control !== null) return `the name contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")})`;
  // APPNOTE 4.4.17.1: names use forward slashes only; a backslash is a separator on Windows.
  if (name.includes("\\")) return "the name contains a backslash";
  if (name.startsWith("/")) return "the name is an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "the name starts with a drive letter";
  if (name.split("/").includes("..")) return "the name has a '..' segment";
  return null;
}

/** Unsafe names, invalid or undeclared encodings, duplicates and symlinks, in member order. */
export function memberNameProblems(members: ArchiveMember[]): MemberNameProblem[] {
  const problems: MemberNameProblem[] = [];
  const firstIndex = new Map<string, number>();
  for (const member of members) {
    const name = member.name;
    if (member.flags & FLAG_UTF8) {
      if (!isValidUtf8(member.nameBytes)) {
        problems.push({ member: name, problem: "bad-encoding", detail: "the name is flagged UTF-8 but is not valid UTF-8" });
      }
    } else if (!isAscii(member.nameBytes)) {
      // Without flag bit 11 the name is CP437 (APPNOTE appendix D), which is how Python's zipfile, and
      // so pip, reads it; writers that meant UTF-8 produce names that no longer match RECORD.
      problems.push({
        member: name,
        problem: "bad-encoding",
        detail: "the name has non-ASCII bytes but no UTF-8 flag (general purpose bit 11), so installers read it as CP437",
      });
    }
    const reason = unsafeReason(name);
    if (reason !== null) problems.push({ member: name, problem: "unsafe-path", detail: reason });
    const first = firstIndex.get(name);
    if (first === undefined) {
      firstIndex.set(name, member.index);
    } else {
      problems.push({
        member: name,
        problem: "duplicate",
        detail: `central directory entries ${first} and ${member.index} have the same name`,
      });
    }
    if (member.unixMode !== null && (member.unixMode & S_IFMT) === S_IFLNK) {
      problems.push({ member: name, problem: "symlink", detail: "the member is a symbolic link (Unix mode S_IFLNK)" });
    }
  }
  return problems;
}
