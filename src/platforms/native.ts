// What the ELF, PE and WebAssembly families share (DESIGN §3.7): which binaries count, and the
// findings met on the way. A binary of another format is foreign (R106), a malformed one R111,
// objects and archives are static code (R107), an extension module must export its init function
// (R102). Each family then judges the counted images against its tags.
import type { BinaryFormat, BinaryReport, ImageReport } from "../model/binary.js";
import { finding, type Finding } from "../model/findings.js";
import { isStaticCode, kindName, staticCodeFinding } from "./common.js";

export interface CountedImage {
  binary: BinaryReport;
  member: string;
  image: ImageReport;
}

export interface Collected {
  /** Loaded images of the family's format that are readable and, for extension modules, export their init function. */
  counted: CountedImage[];
  /**
   * True when some binary contradicts every tag of the family (foreign, malformed, an extension that
   * imports nowhere): no tag is true of the wheel, so there is nothing for fix mode to write.
   */
  contradicted: boolean;
}

const FORMAT_NAMES: { [format: string]: string } = { elf: "ELF", pe: "PE", wasm: "WebAssembly" };

/**
 * Sorts a wheel's binaries for a family whose binaries are `format` (`platform` names it in
 * messages: "a Linux wheel"), pushing the findings on the way.
 */
export function collectImages(binaries: readonly BinaryReport[], format: BinaryFormat, platform: string, findings: Finding[]): Collected {
  const counted: CountedImage[] = [];
  let contradicted = false;
  for (const b of binaries) {
    const member = b.member ?? "";
    // A thin `!<arch>` archive holds objects of any format and is never loaded: static code anywhere.
    if (b.format !== format && b.format !== "ar") {
      findings.push(finding("R106", `${member} is ${kindName(b.format)} binary in ${platform} wheel`, { member }));
      contradicted = true;
      continue;
    }
    if (b.error !== null) {
      findings.push(finding("R111", `${member} is not a valid ${FORMAT_NAMES[format] ?? format} file: ${b.error}`, { member, data: { format } }));
      contradicted = true;
      continue;
    }
    if (isStaticCode(b)) {
      findings.push(staticCodeFinding(b));
      continue;
    }
    for (const image of b.images) {
      if (!image.loaded) continue;
      if (image.initExported === false) {
        findings.push(
          finding("R102", `${member} does not export ${b.initSymbol}: it cannot be imported anywhere`, { member, arch: image.arch, data: { symbol: b.initSymbol } }),
        );
        contradicted = true;
        continue;
      }
      counted.push({ binary: b, member, image });
    }
  }
  return { counted, contradicted };
}

/** R206: a platform wheel with no loaded binary of its format. */
export function noBinariesFinding(platformTags: readonly string[], what: string): Finding {
  return finding("R206", `the wheel is tagged ${platformTags.join(".")} but has no ${what} binary loaded at run time`);
}

/** The tag list for messages. */
export function tagList(tags: readonly string[]): string {
  return tags.join(".");
}
