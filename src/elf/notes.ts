// ELF notes (gABI, "Note Section"): namesz, descsz, type, then the name and the descriptor, each
// padded to the note alignment (4, or 8 for .note.gnu.property in 64-bit files). Read from the
// SHT_NOTE sections, or without section headers from the PT_NOTE segments. Three owners' notes are
// decoded: Android's ident (bionic's crtbrand.S / abi_note), GNU's ABI tag, build id and properties.

import type { ElfAndroidIdent, ElfNote, ElfSection, ElfSegment } from "../model/elf.js";
import * as C from "./constants.js";
import { decode, fail, hex, need, u32, type ElfBytes } from "./reader.js";

export interface NoteFacts {
  notes: ElfNote[];
  android: ElfAndroidIdent | null;
  abiTag: { os: number; kernel: string } | null;
  gnuProperties: string[];
  buildId: string | null;
}

export function readNotes(f: ElfBytes, segments: readonly ElfSegment[], sections: readonly ElfSection[]): NoteFacts {
  const regions =
    sections.length > 0
      ? sections.flatMap((s, i) => (s.type === C.SHT_NOTE ? [{ offset: s.offset, size: s.size, align: s.align, what: `note section ${i} (${s.name})` }] : []))
      : segments.flatMap((s, i) => (s.type === C.PT_NOTE ? [{ offset: s.offset, size: s.fileSize, align: s.align, what: `PT_NOTE segment ${i}` }] : []));
  const facts: NoteFacts = { notes: [], android: null, abiTag: null, gnuProperties: [], buildId: null };
  for (const region of regions) {
    need(f, region.offset, region.size, region.what);
    // gABI: 4-byte alignment; 8 is used (and honoured by readelf and the loader) for 8-aligned notes.
    const align = region.align === 8 ? 8 : 4;
    const end = region.offset + region.size;
    let at = region.offset;
    while (at < end) {
      if (end - at < 12) fail(`${region.what}: a note header at ${hex(at)} is cut off`, at);
      const namesz = u32(f, at, region.what);
      const descsz = u32(f, at + 4, region.what);
      const type = u32(f, at + 8, region.what);
      const nameAt = at + 12;
      const descAt = roundUp(nameAt + namesz, align);
      const next = roundUp(descAt + descsz, align);
      if (namesz > end - nameAt || descAt + descsz > end) fail(`${region.what}: the note at ${hex(at)} (namesz ${namesz}, descsz ${descsz}) runs past its end`, at);
      const owner = decode(trimNul(f.bytes.subarray(nameAt, nameAt + namesz)));
      facts.notes.push({ owner, type, descriptionSize: descsz, offset: at });
      decodeNote(f, facts, owner, type, descAt, descsz);
      at = Math.min(next, end);
    }
  }
  return facts;
}

function decodeNote(f: ElfBytes, facts: NoteFacts, owner: string, type: number, at: number, size: number): void {
  const desc = f.bytes.subarray(at, at + size);
  if (owner === "Android" && type === C.NT_ANDROID_TYPE_IDENT && size >= 4 && facts.android === null) {
    // u32 android_api, then (NDK r14 on) char ndk_version[64] and char ndk_build_number[64].
    const text = (from: number): string | null => (size >= from + 64 ? decode(trimNul(desc.subarray(from, from + 64))) : null);
    facts.android = { apiLevel: u32(f, at, "Android note"), ndkVersion: text(4), ndkBuildNumber: text(68) };
  } else if (owner === "GNU" && type === C.NT_GNU_ABI_TAG && size >= 16 && facts.abiTag === null) {
    const word = (i: number): number => u32(f, at + 4 * i, "GNU ABI tag");
    facts.abiTag = { os: word(0), kernel: `${word(1)}.${word(2)}.${word(3)}` };
  } else if (owner === "GNU" && type === C.NT_GNU_BUILD_ID && facts.buildId === null) {
    facts.buildId = Array.from(desc, (b) => b.toString(16).padStart(2, "0")).join("");
  } else if (owner === "GNU" && type === C.NT_GNU_PROPERTY_TYPE_0) {
    readProperties(f, facts, at, size);
  }
}

/** GNU property array (the x86-64 and AArch64 psABIs): pr_type, pr_datasz, data padded to the word size. */
function readProperties(f: ElfBytes, facts: NoteFacts, at: number, size: number): void {
  const end = at + size;
  const pad = f.bits / 8;
  while (end - at >= 8) {
    const type = u32(f, at, "GNU property");
    const datasz = u32(f, at + 4, "GNU property");
    if (datasz > end - at - 8) fail(`GNU property at ${hex(at)}: pr_datasz ${datasz} runs past the note`, at);
    if (datasz >= 4 && (type === C.GNU_PROPERTY_X86_FEATURE_1_AND || type === C.GNU_PROPERTY_AARCH64_FEATURE_1_AND)) {
      const bits = u32(f, at + 8, "GNU property");
      const names = type === C.GNU_PROPERTY_X86_FEATURE_1_AND ? ["IBT", "SHSTK"] : ["BTI", "PAC", "GCS"];
      names.forEach((name, i) => {
        if ((bits & (1 << i)) !== 0 && !facts.gnuProperties.includes(name)) facts.gnuProperties.push(name);
      });
    }
    at = roundUp(at + 8 + datasz, pad);
  }
}

function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function trimNul(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}
