// Member names that are dangerous or ambiguous to extract, reported as data for the caller's findings.
// An installer extracts every member (duplicates included: the last one wins on disk) and joins each
// name to the target folder, so a name that escapes it or a symlink can write outside the install.
import type { ArchiveMember } from "../model/zip.js";
import { clip } from "../text.js";
import { FLAG_UTF8, S_IFLNK, S_IFMT, isAscii, isValidUtf8 } from "./format.js";

export interface MemberNameProblem {
  member: string;
  problem: "unsafe-path" | "duplicate" | "symlink" | "bad-encoding" | "case-collision";
  detail: string;
}

/**
 * A path segment as a case-insensitive file system compares it: APFS and HFS+ (macOS's default) and NTFS
 * (Windows') ignore case, and APFS and HFS+ ignore Unicode normalization too. Lower case of NFD is
 * close to their folding (it misses only the few full case foldings such as ß → ss).
 */
function foldedSegment(segment: string): string {
  // ASCII needs no normalization (and most names are ASCII).
  return /^[\x00-\x7f]*$/.test(segment) ? segment.toLowerCase() : segment.normalize("NFD").toLowerCase();
}

/** A file or folder of the case-folded tree: the spelling that made it (an id) and where it is spelled. */
interface Node {
  spelling: number;
  /** The member that made it, and where in that member's name this path ends. */
  name: string;
  end: number;
}

/**
 * Members whose paths are one path on a case-insensitive file system: two files that differ only in
 * case or normalization (installed there, the second overwrites the first), or a file whose path is
 * another member's folder (the install fails). Each later member is reported once, naming the first.
 * Paths are walked segment by segment through two trees of ids (as folded, and as spelled), so the
 * work is linear in the names' length however deep they are.
 */
function caseCollisions(members: readonly ArchiveMember[], problems: MemberNameProblem[]): void {
  const foldedIds = new Map<string, number>();
  const spelledIds = new Map<string, number>();
  const files = new Map<number, Node>();
  const folders = new Map<number, Node>();
  const idOf = (ids: Map<string, number>, key: string): number => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size + 1));
    return id;
  };
  for (const member of members) {
    const name = member.name;
    const segments = name.split("/");
    if (member.isDirectory) segments.pop();
    let folded = 0;
    let spelled = 0;
    let end = -1;
    let clash: Node | undefined;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      end += segment.length + 1;
      folded = idOf(foldedIds, `${folded}/${foldedSegment(segment)}`);
      spelled = idOf(spelledIds, `${spelled}/${segment}`);
      const node: Node = { spelling: spelled, name, end };
      // Only paths spelled differently collide here: the same spelling twice is R003, and a file where
      // another member needs a folder of the same spelling fails on every file system.
      const file = files.get(folded);
      const folder = folders.get(folded);
      if (i < segments.length - 1 || member.isDirectory) {
        clash ??= file !== undefined && file.spelling !== spelled ? file : undefined;
        if (folder === undefined) folders.set(folded, node);
      } else {
        clash ??= file !== undefined && file.spelling !== spelled ? file : folder !== undefined && folder.spelling !== spelled ? folder : undefined;
        if (file === undefined) files.set(folded, node);
      }
    }
    if (clash !== undefined) {
      problems.push({
        member: name,
        problem: "case-collision",
        detail: `the same path as ${clip(clash.name.slice(0, clash.end))} where case is ignored (the default file systems of macOS and Windows; macOS also ignores Unicode normalization)`,
      });
    }
  }
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
  caseCollisions(members, problems);
  return problems;
}
