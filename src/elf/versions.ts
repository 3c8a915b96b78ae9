// Symbol version needs, `.gnu.version_r` (the LSB's "Symbol Versioning": Elf_Verneed / Elf_Vernaux,
// both classes alike): for each needed file, the version names whose symbols are bound from it —
// for glibc, the GLIBC_2.N that set the manylinux floor. Located by the SHT_GNU_verneed section (its
// sh_info is the entry count), or without section headers by DT_VERNEED / DT_VERNEEDNUM.

import type { ElfSection, ElfSegment, ElfVersionNeed } from "../model/elf.js";
import * as C from "./constants.js";
import type { DynamicTable } from "./dynamic.js";
import { addressToOffset, sectionStrings } from "./headers.js";
import { fail, hex, inFile, need, stringAt, u16, u32, type ElfBytes, type StringTable } from "./reader.js";

const VERNEED_SIZE = 16;
const VERNAUX_SIZE = 16;

export function readVersionNeeds(f: ElfBytes, segments: readonly ElfSegment[], sections: readonly ElfSection[], dynamic: DynamicTable | null): ElfVersionNeed[] {
  const index = sections.findIndex((s) => s.type === C.SHT_GNU_VERNEED);
  const section = sections[index];
  if (section !== undefined) {
    const what = `.gnu.version_r (section ${index})`;
    need(f, section.offset, section.size, what);
    const strtab = sections[section.link];
    if (strtab === undefined) fail(`${what}: sh_link ${section.link} is not a section`, inFile(f, section.offset));
    const strings = sectionStrings(f, strtab, `the string table of ${what} (section ${section.link})`);
    return walk(f, { offset: section.offset, size: section.size }, section.info, strings, what);
  }
  if (sections.length > 0 || dynamic === null) return [];
  const verneed = dynamic.values.get(C.DT_VERNEED);
  if (verneed === undefined) return [];
  const count = dynamic.values.get(C.DT_VERNEEDNUM);
  if (count === undefined) fail("dynamic section: DT_VERNEED without DT_VERNEEDNUM", verneed.at);
  if (dynamic.strings === null) fail("dynamic section: DT_VERNEED without DT_STRTAB", verneed.at);
  const what = `the version needs (DT_VERNEED ${hex(verneed.value)})`;
  // Without a section size, the entries may run to the end of the segment that holds them.
  const offset = addressToOffset(f, segments, verneed.value, VERNEED_SIZE, what, verneed.at);
  const load = segments.find((s) => s.type === C.PT_LOAD && offset >= s.offset && offset < s.offset + s.fileSize)!;
  return walk(f, { offset, size: load.offset + load.fileSize - offset }, count.value, dynamic.strings, what);
}

/**
 * Follows `count` Elf_Verneed entries from the start of `region` (each vn_next is relative to its
 * entry, vn_aux to its entry, vna_next to its aux). Every entry must lie inside the region; the entry
 * count and the total aux count are bounded by what the region can hold, so a loop in the links
 * cannot make the walk run on.
 */
function walk(f: ElfBytes, region: { offset: number; size: number }, count: number, strings: StringTable, what: string): ElfVersionNeed[] {
  const end = region.offset + region.size;
  // `from` is the field whose link led there (where a failure is reported).
  const inside = (at: number, size: number, entry: string, from: number): void => {
    if (!(at >= region.offset && at + size <= end)) fail(`${what}: ${entry} at ${hex(at)} is outside ${hex(region.offset)}..${hex(end)}`, from);
  };
  if (count > region.size / VERNEED_SIZE) fail(`${what}: ${count} entries cannot fit in ${region.size} bytes`, region.offset);
  let auxBudget = Math.floor(region.size / VERNAUX_SIZE);
  const needs: ElfVersionNeed[] = [];
  let at = region.offset;
  let from = region.offset;
  for (let i = 0; i < count; i++) {
    inside(at, VERNEED_SIZE, `Elf_Verneed ${i}`, from);
    const version = u16(f, at, what);
    if (version !== 1) fail(`${what}: Elf_Verneed ${i} has vn_version ${version}, not 1`, at);
    const cnt = u16(f, at + 2, what);
    const file = stringAt(f, strings, u32(f, at + 4, what), `${what}: Elf_Verneed ${i} vn_file`);
    auxBudget -= cnt;
    if (auxBudget < 0) fail(`${what}: more Elf_Vernaux entries than the table can hold`, at + 2);
    const versions: string[] = [];
    let aux = at + u32(f, at + 8, what);
    let auxFrom = at + 8;
    for (let j = 0; j < cnt; j++) {
      inside(aux, VERNAUX_SIZE, `Elf_Vernaux ${j} of Elf_Verneed ${i}`, auxFrom);
      versions.push(stringAt(f, strings, u32(f, aux + 8, what), `${what}: Elf_Vernaux ${j} of ${file} vna_name`));
      auxFrom = aux + 12;
      aux += u32(f, aux + 12, what);
    }
    needs.push({ file, versions });
    from = at + 12;
    at += u32(f, at + 12, what);
  }
  return needs;
}

/** The highest GLIBC_2.N (GLIBC_2.2.5 counts as 2.2) among the needs, or null. */
export function maxGlibc(needs: readonly ElfVersionNeed[]): { major: number; minor: number; name: string } | null {
  let best: { major: number; minor: number; name: string } | null = null;
  for (const need of needs) {
    for (const name of need.versions) {
      const match = /^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$/.exec(name);
      if (!match) continue;
      const version = { major: Number(match[1]), minor: Number(match[2]), name };
      if (best === null || version.major > best.major || (version.major === best.major && version.minor > best.minor)) best = version;
    }
  }
  return best;
}
