// `retag show`: the binaries of a wheel, or of one binary file, as reports. A wheel is read by the
// same read stage as a check (same limits: each member inflated once, within the wheel's budget);
// any other file is parsed once as one binary.
import type { BinaryReport } from "../model/binary.js";
import { RetagError } from "../model/errors.js";
import type { ByteSource, Codecs } from "../model/ports.js";
import { analyzeBinary, MAX_MEMBER_SIZE, maxTotalSize, readWheel, type MemberSelection } from "../read/index.js";
import { baseName } from "./check.js";

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The binaries `source` holds. Throws RetagError when the file is neither a binary nor a readable
 * wheel, or a member of the wheel cannot be read (the message says why).
 */
export async function showSource(path: string, source: ByteSource, codecs: Codecs, read: { select?: MemberSelection } = {}): Promise<BinaryReport[]> {
  const magic = await source.read(0, Math.min(4, source.size));
  const isZip = magic.length === 4 && ZIP_MAGIC.every((b, i) => magic[i] === b);
  if (!isZip) {
    // Named by the file's own name, so an extension module given directly is checked for its init symbol.
    const report = analyzeBinary(baseName(path), await source.read(0, source.size), { python2Only: false });
    if (report === null) throw new RetagError("not a Mach-O file or a wheel");
    return [{ ...report, member: null }];
  }
  const { facts } = await readWheel(source, codecs, { python2Only: false, maxMemberSize: MAX_MEMBER_SIZE, maxTotalSize: maxTotalSize(source.size), sha256: false, ...read });
  // What makes a check report R001 / R014 makes show fail: its table would be incomplete.
  const unreadable = facts.findings.find((f) => f.code === "R001" || (f.code === "R014" && f.data.problem !== "symlink"));
  if (unreadable !== undefined) throw new RetagError(unreadable.message);
  return facts.binaries;
}
