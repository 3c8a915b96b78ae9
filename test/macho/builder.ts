// Writes synthetic Mach-O files — thin 32/64-bit in either byte order, fat / fat64 wrappers, static
// archives, export tries, symbol tables — so tests can state exactly which bytes are wrong.
// Layouts from <mach-o/loader.h>, <mach-o/fat.h>, <mach-o/nlist.h>.

import { concatBytes } from "../../src/bytes.js";
import * as C from "../../src/macho/constants.js";

/** One load command: `cmd`, `cmdsize`, then `words` (u32), then an optional NUL-terminated string, padded. */
export interface Command {
  cmd: number;
  words: number[];
  /** Appended after the words (the caller puts its lc_str offset, 8 + 4 × words.length, in `words`). */
  str?: string;
  /** Written into the cmdsize field instead of the real size (the bytes written stay the real size). */
  cmdsize?: number;
  /** Extra zero bytes after the string, before alignment padding. */
  extra?: number;
  /** Skip alignment padding (to make a command whose size is not a multiple of 4). */
  noPad?: boolean;
}

const encoder = new TextEncoder();

/** Encodes X.Y.Z as xxxx.yy.zz in a u32 (<mach-o/loader.h>). */
export function version(x: number, y = 0, z = 0): number {
  return ((x << 16) | (y << 8) | z) >>> 0;
}

/** Load command makers, named after <mach-o/loader.h>. */
export const lc = {
  buildVersion(platform: number, minos: number, sdk: number, ntools = 0): Command {
    return { cmd: C.LC_BUILD_VERSION, words: [platform, minos, sdk, ntools, ...new Array<number>(ntools * 2).fill(0)] };
  },
  versionMin(cmd: number, minos: number, sdk: number): Command {
    return { cmd, words: [minos, sdk] };
  },
  /** dylib_command: name offset 24, timestamp, current and compatibility version. */
  dylib(cmd: number, name: string): Command {
    return { cmd, words: [C.DYLIB_COMMAND_SIZE, 2, 0x10000, 0x10000], str: name };
  },
  rpath(path: string): Command {
    return { cmd: C.LC_RPATH, words: [C.RPATH_COMMAND_SIZE], str: path };
  },
  dylinker(name = "/usr/lib/dyld"): Command {
    return { cmd: C.LC_LOAD_DYLINKER, words: [C.DYLINKER_COMMAND_SIZE], str: name };
  },
  /** segment_command_64 with `nsects` zeroed section_64 records. */
  segment64(nsects = 0): Command {
    return { cmd: C.LC_SEGMENT_64, words: [...new Array<number>(14).fill(0), nsects, 0, ...new Array<number>(nsects * 20).fill(0)] };
  },
  /** segment_command with `nsects` zeroed section records. */
  segment(nsects = 0): Command {
    return { cmd: C.LC_SEGMENT, words: [...new Array<number>(10).fill(0), nsects, 0, ...new Array<number>(nsects * 17).fill(0)] };
  },
  uuid(): Command {
    return { cmd: C.LC_UUID, words: [1, 2, 3, 4] };
  },
};

export interface Symbol {
  name: string;
  /** n_type (default N_SECT | N_EXT: an external defined symbol). */
  type?: number;
}

export interface ImageSpec {
  bits?: 32 | 64;
  little?: boolean;
  cputype?: number;
  cpusubtype?: number;
  filetype?: number;
  commands?: Command[];
  /** Names for an export trie, or its raw bytes; `via` says which command points at it. */
  exportTrie?: { names?: string[]; raw?: Uint8Array; via?: "exports-trie" | "dyld-info" | "dyld-info-only" };
  /** Adds LC_SYMTAB with these symbols. */
  symbols?: Symbol[];
  /** Header overrides, written instead of the true values. */
  ncmds?: number;
  sizeofcmds?: number;
  /** Zero bytes added at the end of the image. */
  trailing?: number;
}

export interface BuiltImage {
  bytes: Uint8Array;
  little: boolean;
  bits: 32 | 64;
  headerSize: number;
  /** Offset of each load command, in order (the builder's own trie / symtab commands last). */
  commandOffsets: number[];
  trieCommandOffset: number | null;
  symtabCommandOffset: number | null;
  trieOffset: number | null;
  symtabOffset: number | null;
  stringTableOffset: number | null;
}

/** Writes u32 `value` at `offset` in the given byte order (for building and for patching). */
export function setU32(bytes: Uint8Array, offset: number, value: number, little: boolean): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value >>> 0, little);
}

export function getU32(bytes: Uint8Array, offset: number, little: boolean): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, little);
}

function commandBytes(c: Command, little: boolean, align: number): Uint8Array {
  const str = c.str === undefined ? new Uint8Array(0) : encoder.encode(`${c.str}\0`);
  let size = 8 + 4 * c.words.length + str.length + (c.extra ?? 0);
  if (!c.noPad) size = Math.ceil(size / align) * align;
  const out = new Uint8Array(size);
  setU32(out, 0, c.cmd, little);
  setU32(out, 4, c.cmdsize ?? size, little);
  c.words.forEach((w, i) => setU32(out, 8 + 4 * i, w, little));
  out.set(str, 8 + 4 * c.words.length);
  return out;
}

/** A well-formed image from `spec` (unless its overrides say otherwise). Defaults: 64-bit little-endian arm64 MH_BUNDLE. */
export function buildImage(spec: ImageSpec = {}): BuiltImage {
  const bits = spec.bits ?? 64;
  const little = spec.little ?? true;
  const align = bits === 64 ? 8 : 4;
  const headerSize = bits === 64 ? C.MACH_HEADER_64_SIZE : C.MACH_HEADER_SIZE;
  const cputype = spec.cputype ?? (bits === 64 ? C.CPU_TYPE_ARM64 : C.CPU_TYPE_I386);
  const cpusubtype = spec.cpusubtype ?? (cputype === C.CPU_TYPE_ARM64 ? 0 : 3);

  const commands = [...(spec.commands ?? [])];
  const trie = spec.exportTrie === undefined ? null : (spec.exportTrie.raw ?? exportTrie(spec.exportTrie.names ?? []));
  const symbols = spec.symbols ?? null;
  // Placeholders: offsets are filled in once the size of the load commands is known.
  let trieIndex = -1;
  if (trie !== null) {
    const via = spec.exportTrie?.via ?? "exports-trie";
    trieIndex = commands.length;
    if (via === "exports-trie") commands.push({ cmd: C.LC_DYLD_EXPORTS_TRIE, words: [0, 0] });
    else commands.push({ cmd: via === "dyld-info" ? C.LC_DYLD_INFO : C.LC_DYLD_INFO_ONLY, words: new Array<number>(10).fill(0) });
  }
  let symtabIndex = -1;
  if (symbols !== null) {
    symtabIndex = commands.length;
    commands.push({ cmd: C.LC_SYMTAB, words: [0, 0, 0, 0] });
  }

  const sizes = commands.map((c) => commandBytes(c, little, align).length);
  const commandsSize = sizes.reduce((a, b) => a + b, 0);
  const linkedit = Math.ceil((headerSize + commandsSize) / 8) * 8;
  let at = linkedit;
  let trieOffset: number | null = null;
  if (trie !== null) {
    trieOffset = at;
    at += Math.ceil(trie.length / 8) * 8;
    const c = commands[trieIndex]!;
    if (c.cmd === C.LC_DYLD_EXPORTS_TRIE) c.words = [trieOffset, trie.length];
    else c.words.splice(8, 2, trieOffset, trie.length); // export_off, export_size
  }
  let symtabOffset: number | null = null;
  let stringTableOffset: number | null = null;
  let strtab: Uint8Array = new Uint8Array(0);
  let nlists: Uint8Array = new Uint8Array(0);
  if (symbols !== null) {
    const entry = bits === 64 ? C.NLIST_64_SIZE : C.NLIST_SIZE;
    // String index 0 is the customary empty string.
    const strings = [encoder.encode("\0"), ...symbols.map((s) => encoder.encode(`${s.name}\0`))];
    strtab = concatBytes(strings);
    nlists = new Uint8Array(symbols.length * entry);
    let strx = strings[0]!.length;
    symbols.forEach((s, i) => {
      setU32(nlists, i * entry, strx, little);
      nlists[i * entry + 4] = s.type ?? C.N_SECT | C.N_EXT;
      nlists[i * entry + 5] = 1;
      strx += strings[i + 1]!.length;
    });
    symtabOffset = at;
    stringTableOffset = at + nlists.length;
    at = stringTableOffset + strtab.length;
    commands[symtabIndex]!.words = [symtabOffset, symbols.length, stringTableOffset, strtab.length];
  }

  const total = at + (spec.trailing ?? 0);
  const out = new Uint8Array(total);
  setU32(out, 0, bits === 64 ? C.MH_MAGIC_64 : C.MH_MAGIC, little);
  setU32(out, 4, cputype, little);
  setU32(out, 8, cpusubtype, little);
  setU32(out, 12, spec.filetype ?? C.MH_BUNDLE, little);
  setU32(out, 16, spec.ncmds ?? commands.length, little);
  setU32(out, 20, spec.sizeofcmds ?? commandsSize, little);
  setU32(out, 24, 0, little);
  const commandOffsets: number[] = [];
  let p = headerSize;
  for (const c of commands) {
    const b = commandBytes(c, little, align);
    commandOffsets.push(p);
    out.set(b, p);
    p += b.length;
  }
  if (trie !== null && trieOffset !== null) out.set(trie, trieOffset);
  if (symtabOffset !== null && stringTableOffset !== null) {
    out.set(nlists, symtabOffset);
    out.set(strtab, stringTableOffset);
  }
  return {
    bytes: out,
    little,
    bits,
    headerSize,
    commandOffsets,
    trieCommandOffset: trieIndex >= 0 ? commandOffsets[trieIndex]! : null,
    symtabCommandOffset: symtabIndex >= 0 ? commandOffsets[symtabIndex]! : null,
    trieOffset,
    symtabOffset,
    stringTableOffset,
  };
}

export function uleb128(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

interface TrieNode {
  terminal: number | null; // the symbol's address, when a symbol ends here
  children: Map<string, TrieNode>;
}

/**
 * A well-formed export trie for `names` (each exported at address 0x1000 × (index + 1), flags 0),
 * with edges compressed the way ld64 writes them.
 */
export function exportTrie(names: string[]): Uint8Array {
  const root: TrieNode = { terminal: null, children: new Map() };
  names.forEach((name, i) => {
    let node = root;
    for (const ch of name) {
      let next = node.children.get(ch);
      if (next === undefined) {
        next = { terminal: null, children: new Map() };
        node.children.set(ch, next);
      }
      node = next;
    }
    node.terminal = 0x1000 * (i + 1);
  });
  // Compress chains of single-child, non-terminal nodes into one edge.
  const compress = (node: TrieNode): void => {
    const merged = new Map<string, TrieNode>();
    for (const [label, child] of node.children) {
      let l = label;
      let c = child;
      while (c.terminal === null && c.children.size === 1) {
        const [nextLabel, next] = [...c.children][0]!;
        l += nextLabel;
        c = next;
      }
      compress(c);
      merged.set(l, c);
    }
    node.children = merged;
  };
  compress(root);

  const order: TrieNode[] = [];
  const visit = (node: TrieNode): void => {
    order.push(node);
    for (const child of node.children.values()) visit(child);
  };
  visit(root);
  const offsets = new Map<TrieNode, number>(order.map((n) => [n, 0]));
  const encode = (node: TrieNode): number[] => {
    const out: number[] = [];
    if (node.terminal === null) out.push(0);
    else {
      const info = [0, ...uleb128(node.terminal)]; // flags, address
      out.push(...uleb128(info.length), ...info);
    }
    out.push(node.children.size);
    for (const [label, child] of node.children) out.push(...encoder.encode(label), 0, ...uleb128(offsets.get(child)!));
    return out;
  };
  // Offsets are ULEB128s whose sizes depend on the offsets: iterate to a fixed point (as ld64 does).
  for (let changed = true; changed; ) {
    changed = false;
    let at = 0;
    for (const node of order) {
      if (offsets.get(node) !== at) {
        offsets.set(node, at);
        changed = true;
      }
      at += encode(node).length;
    }
  }
  return Uint8Array.from(order.flatMap(encode));
}

export interface FatSliceSpec {
  bytes: Uint8Array;
  /** Default: read from the slice's mach header (required for archives). */
  cputype?: number;
  cpusubtype?: number;
  /** log2 of the alignment (default 4, kept small so test files stay small). */
  align?: number;
}

export interface BuiltFat {
  bytes: Uint8Array;
  /** File offset of each fat_arch entry. */
  entryOffsets: number[];
  sliceOffsets: number[];
}

/** A fat file (big-endian header, as on disk) holding `slices` in order. */
export function buildFat(slices: FatSliceSpec[], options: { fat64?: boolean } = {}): BuiltFat {
  const fat64 = options.fat64 ?? false;
  const entrySize = fat64 ? C.FAT_ARCH_64_SIZE : C.FAT_ARCH_SIZE;
  const headerEnd = C.FAT_HEADER_SIZE + slices.length * entrySize;
  const sliceOffsets: number[] = [];
  let at = headerEnd;
  for (const s of slices) {
    const alignment = 2 ** (s.align ?? 4);
    at = Math.ceil(at / alignment) * alignment;
    sliceOffsets.push(at);
    at += s.bytes.length;
  }
  const out = new Uint8Array(at);
  setU32(out, 0, fat64 ? C.FAT_MAGIC_64 : C.FAT_MAGIC, false);
  setU32(out, 4, slices.length, false);
  const entryOffsets: number[] = [];
  slices.forEach((s, i) => {
    const e = C.FAT_HEADER_SIZE + i * entrySize;
    entryOffsets.push(e);
    const little = s.bytes[0] === 0xce || s.bytes[0] === 0xcf;
    setU32(out, e, s.cputype ?? getU32(s.bytes, 4, little), false);
    setU32(out, e + 4, s.cpusubtype ?? getU32(s.bytes, 8, little), false);
    const offset = sliceOffsets[i]!;
    if (fat64) {
      setU32(out, e + 12, offset, false); // low half of the u64 offset
      setU32(out, e + 20, s.bytes.length, false); // low half of the u64 size
      setU32(out, e + 24, s.align ?? 4, false);
    } else {
      setU32(out, e + 8, offset, false);
      setU32(out, e + 12, s.bytes.length, false);
      setU32(out, e + 16, s.align ?? 4, false);
    }
    out.set(s.bytes, offset);
  });
  return { bytes: out, entryOffsets, sliceOffsets };
}

/** A minimal static archive (`!<arch>\n` and one 4-byte member, <ar.h> layout). */
export function buildArchive(): Uint8Array {
  const header = `${"a.o/".padEnd(16)}${"0".padEnd(12)}${"0".padEnd(6)}${"0".padEnd(6)}${"644".padEnd(8)}${"4".padEnd(10)}\`\n`;
  return encoder.encode(`${C.ARMAG}${header}\0\0\0\0`);
}
