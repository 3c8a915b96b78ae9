// Linux wheels (`manylinux_X_Y_<arch>` and its aliases, `musllinux_X_Y_<arch>`, `linux_<arch>`;
// DESIGN §3.7): every ELF file's arch (class and byte order included) against each tag's, its C
// library against the policy's (glibc for manylinux, musl for musllinux), its glibc floor against a
// manylinux tag's, each extension's init export and suffix. Fix mode rewrites only the arch of a
// `linux_<arch>` tag: a manylinux or musllinux tag is a policy claim only auditwheel establishes.
import type { ElfLibc } from "../model/binary.js";
import { finding, type Finding } from "../model/findings.js";
import { agreedElfArch, elfArchFits, formatLinuxTag, parseLinuxTag, type LinuxTag } from "../tags/linux.js";
import { suffixPlatformFindings, type ExtensionSuffix } from "./common.js";
import { collectImages, noBinariesFinding, tagList } from "./native.js";
import type { PlatformRules, PlatformVerdict } from "./rules.js";

export const linuxRules: PlatformRules = {
  family: "linux",
  applies: (tags) => tags.length > 0 && tags.every((t) => parseLinuxTag(t) !== null),
  check({ name, facts }): PlatformVerdict {
    const findings: Finding[] = [];
    const platformTags = name.platformTags;
    const tags = platformTags.map(parseLinuxTag).filter((t) => t !== null);
    const { counted, contradicted } = collectImages(facts.binaries, "elf", "a Linux", findings);
    const done = (expected: string[] | null): PlatformVerdict => {
      findings.push(...suffixPlatformFindings(name, facts.binaries, expected, linuxSuffixFits, "Linux"));
      return { findings, expected, widest: [] };
    };
    if (counted.length === 0 && !contradicted) {
      findings.push(noBinariesFinding(platformTags, "ELF"));
      return done(platformTags);
    }

    let wrongArch = false;
    let unrepairable = contradicted;
    for (const { member, image } of counted) {
      const misfits = tags.filter((t) => !elfArchFits(image.arch, t.arch));
      if (misfits.length > 0) {
        wrongArch = true;
        findings.push(
          finding("R211", `${member} is ${describeArch(image.arch)}, but the wheel is tagged ${tagList(platformTags)}`, {
            member,
            arch: image.arch,
            data: { tags: platformTags },
          }),
        );
      }
      const libcs = allowedLibcs(tags);
      if (image.libc !== null && !libcs.includes(image.libc)) {
        unrepairable = true;
        findings.push(
          finding("R112", `${member} links ${LIBC_NAMES[image.libc]}, but ${tagList(platformTags)} promises ${libcs.map((l) => LIBC_NAMES[l]).join(" or ")}`, {
            member,
            data: { libc: image.libc, expected: libcs },
          }),
        );
      }
      const glibc = glibcFinding(member, image.glibc, tags);
      if (glibc !== null) {
        unrepairable = true;
        findings.push(glibc);
      }
    }
    if (unrepairable) return done(null);
    if (!wrongArch) return done(platformTags);
    // A wrong arch: only `linux_<arch>` (a local build, no policy) is repaired, and only when every
    // file names one arch.
    const agreed = agreedElfArch(counted.map((c) => c.image.arch));
    if (agreed === null || tags.some((t) => t.policy !== "linux")) return done(null);
    return done([...new Set(tags.map((t) => formatLinuxTag(t, agreed)))]);
  },
};

const LIBC_NAMES: { [libc in ElfLibc]: string } = { glibc: "glibc (libc.so.6)", musl: "musl", bionic: "Android's bionic (libc.so)" };

/** manylinux needs glibc, musllinux musl, and `linux_<arch>` either (a local build of any distribution). */
function allowedLibcs(tags: readonly LinuxTag[]): ElfLibc[] {
  const out = new Set<ElfLibc>();
  for (const t of tags) {
    if (t.libc === null) {
      out.add("glibc");
      out.add("musl");
    } else out.add(t.libc);
  }
  return [...out];
}

/** R212 for the lowest manylinux tag below the file's highest GLIBC_2.N, or null. */
function glibcFinding(member: string, needs: string | null, tags: readonly LinuxTag[]): Finding | null {
  if (needs === null) return null;
  const [major = 0, minor = 0] = needs.split(".").map(Number);
  const below = tags.filter((t) => t.libc === "glibc" && t.version !== null && (t.version.major < major || (t.version.major === major && t.version.minor < minor)));
  if (below.length === 0) return null;
  const lowest = below.reduce((a, t) => (t.version!.major * 1000 + t.version!.minor < a.version!.major * 1000 + a.version!.minor ? t : a));
  const promised = `${lowest.version!.major}.${lowest.version!.minor}`;
  return finding("R212", `${member} needs GLIBC_${needs}, but ${tagList(below.map((t) => t.tag))} promises glibc ${promised}`, {
    member,
    data: { tag: lowest.tag, needs, tagVersion: promised },
  });
}

function describeArch(arch: string): string {
  return arch === "arm" ? "32-bit ARM" : arch;
}

/** The CPU part of a GNU triple (`x86_64-linux-gnu`, `powerpc64le-linux-gnu`) as `uname -m` / the ELF reader names it. */
const TRIPLE_CPUS: { [cpu: string]: string } = {
  x86_64: "x86_64",
  i386: "i686",
  i486: "i686",
  i586: "i686",
  i686: "i686",
  aarch64: "aarch64",
  aarch64_be: "aarch64_be",
  arm: "arm",
  armeb: "armeb",
  powerpc64le: "ppc64le",
  powerpc64: "ppc64",
  powerpc: "ppc",
  s390x: "s390x",
  riscv64: "riscv64",
  mips64: "mips64",
  mips64el: "mips64",
  mips: "mips",
  mipsel: "mips",
  loongarch64: "loongarch64",
  sparc64: "sparc64",
  ia64: "ia64",
  hppa: "parisc",
  m68k: "m68k",
  sh4: "sh4",
  alpha: "alpha",
};

/**
 * A Linux interpreter's suffixes: `.cpython-3XY-<multiarch>.so` (`x86_64-linux-gnu`, `arm-linux-gnueabihf`,
 * `x86_64-linux-musl`), `.abi3.so`, `.so`. The multiarch's CPU must fit the tag's arch and its libc
 * (`gnu*` / `musl*`) the policy; a CPU retag does not know is let through.
 */
function linuxSuffixFits(s: ExtensionSuffix, tagNames: readonly string[]): boolean {
  const tags = tagNames.map(parseLinuxTag).filter((t) => t !== null);
  if (s.kind !== "so") return false;
  if (s.platform === null) return true;
  const m = /^([a-z0-9_]+)-linux-(gnu|musl)[a-z0-9]*$/.exec(s.platform);
  if (m === null) return false;
  const libc = m[2] === "gnu" ? "glibc" : "musl";
  const cpu = TRIPLE_CPUS[m[1]!];
  return tags.every((t) => (t.libc === null || t.libc === libc) && (cpu === undefined || (cpu === "arm" ? /^armv\d+[a-z]*l$/.test(t.arch) : cpu === "armeb" ? /^armv\d+[a-z]*b$/.test(t.arch) : elfArchFits(cpu, t.arch))));
}
