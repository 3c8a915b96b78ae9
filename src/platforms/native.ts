// DESIGN §3.7: in a Linux or Windows wheel, every ELF / PE binary must be of an arch the platform
// tags name (no policy: manylinux symbol versions are auditwheel's job), and a binary of another
// operating system has no place. Shared by the Linux and Windows rule modules.
import type { BinaryReport } from "../model/binary.js";
import { finding, type Finding } from "../model/findings.js";
import { tagArch } from "../native/foreign.js";
import { kindName } from "./common.js";

/** The family a platform tag set belongs to, decided by its first tag that names a system. */
export function nativeSystem(platformTags: readonly string[]): "linux" | "windows" | null {
  for (const tag of platformTags) {
    const named = tagArch(tag);
    if (named !== null) return named.system;
  }
  return null;
}

export function foreignArchFindings(platformTags: string[], binaries: BinaryReport[]): Finding[] {
  const findings: Finding[] = [];
  const named = platformTags.map(tagArch).filter((t) => t !== null);
  if (named.length === 0) return findings;
  const system = named[0]!.system;
  const archs = new Set(named.map((t) => t.arch));
  for (const b of binaries) {
    const member = b.member ?? "";
    const expectedKind = system === "linux" ? "elf" : "pe";
    if (b.kind !== expectedKind) {
      if (b.kind === "macho" || b.kind === "fat" || b.kind === "elf" || b.kind === "pe") {
        findings.push(finding("R106", `${member} is ${kindName(b.kind)} binary in a ${system === "linux" ? "Linux" : "Windows"} wheel`, { member }));
      }
      continue;
    }
    const arch = b.foreignArch ?? null;
    if (arch !== null && !archs.has(arch)) {
      findings.push(
        finding("R211", `${member} is ${arch}, but the wheel is tagged ${platformTags.join(".")}`, { member, arch, data: { tags: platformTags } }),
      );
    }
  }
  return findings;
}

/** R209: retag's tag model is macOS's; other families get the checks that need no policy. */
export function notMacosFinding(platformTags: readonly string[]): Finding {
  return finding("R209", `platform tag ${platformTags.join(".")} is not macOS; only the generic checks ran`);
}
