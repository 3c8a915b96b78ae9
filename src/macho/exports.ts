// Exported symbol names of one image: the export trie (LC_DYLD_EXPORTS_TRIE, or the export part of
// LC_DYLD_INFO / LC_DYLD_INFO_ONLY) or, for images without one, the external defined symbols of
// LC_SYMTAB. Both walks are bounded so a hostile file cannot make them loop, recurse, or allocate
// without limit: each costs O(size of the table) plus the names collected, and collection stops at
// MAX_EXPORT_NAMES names or MAX_EXPORT_NAME_BYTES bytes.

import { MachOError } from "../model/errors.js";
import type { Slice } from "../model/macho.js";
import { listHasExport } from "../model/export-list.js";
import { N_EXT, N_PBUD, N_STAB, N_TYPE, N_UNDF, NLIST_64_SIZE, NLIST_SIZE } from "./constants.js";
import { decode, hex, need, type Region } from "./reader.js";

/** At most this many names are collected per image (a real dylib has well under 500,000). */
export const MAX_EXPORT_NAMES = 1_000_000;
/** At most this many name bytes are decoded per image. */
export const MAX_EXPORT_NAME_BYTES = 64 * 1024 * 1024;
/** A longer symbol name is treated as corruption (mangled C++/Swift names stay far below this). */
export const MAX_SYMBOL_LENGTH = 64 * 1024;

/** Collects names until a budget is spent; later names are dropped (the walk still validates). */
interface NameSink {
  names: string[];
  bytes: number;
}

function newSink(): NameSink {
  return { names: [], bytes: 0 };
}

/** False once the sink is full. */
function collect(sink: NameSink, name: Uint8Array): boolean {
  if (sink.names.length >= MAX_EXPORT_NAMES || sink.bytes + name.length > MAX_EXPORT_NAME_BYTES) return false;
  sink.bytes += name.length;
  sink.names.push(decode(name));
  return true;
}

/**
 * Reads a ULEB128 at `cursor.pos` within `bytes` and advances the cursor. Only sizes and offsets are
 * decoded here, so a value that does not fit in 2^53 is corruption.
 */
function uleb(r: Region, cursor: { pos: number }, what: string): number {
  const bytes = r.bytes;
  let value = 0;
  let scale = 1;
  for (let p = cursor.pos; ; p++) {
    const b = bytes[p];
    if (b === undefined) {
      throw new MachOError(`${what}: ULEB128 at ${hex(r.base + cursor.pos)} runs past the end of the export trie`, r.base + cursor.pos);
    }
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) {
      cursor.pos = p + 1;
      return value;
    }
    scale *= 128;
    if (scale > 2 ** 49) {
      throw new MachOError(`${what}: ULEB128 at ${hex(r.base + cursor.pos)} is too large`, r.base + cursor.pos);
    }
  }
}

/**
 * Names of the terminal nodes of an export trie (<mach-o/loader.h>, "export information"): each
 * node is a ULEB128 terminal-info size, the terminal info, a one-byte child count, then per child a
 * NUL-terminated edge label and the ULEB128 offset of the child node from the trie start.
 * `trie` is exactly the trie's bytes. Throws MachOError for a node offset outside the trie, a node
 * reached twice (a loop; dyld rejects revisits too), a truncated node, or a name longer than
 * MAX_SYMBOL_LENGTH. Edge labels of a well-formed trie never share bytes, so more label bytes than
 * the trie holds also means corruption — that bound keeps the walk linear.
 */
export function readExportTrie(trie: Region): string[] {
  const sink = newSink();
  const bytes = trie.bytes;
  const size = bytes.length;
  if (size === 0) return sink.names;
  const at = (offset: number): number => trie.base + offset;
  const fail = (message: string, offset: number): never => {
    throw new MachOError(`export trie: ${message}`, at(offset));
  };

  const visited = new Uint8Array((size + 7) >>> 3);
  let prefix = new Uint8Array(256);
  let labelBudget = size;
  let full = false;
  const cursor = { pos: 0 };
  // Explicit stack (no recursion): where the next child entry is, how many are left, prefix length.
  const stackPos: number[] = [];
  const stackLeft: number[] = [];
  const stackLen: number[] = [];

  const enter = (node: number, prefixLen: number, from: number): void => {
    if (node >= size) fail(`child offset ${hex(node)} is outside the trie (size ${hex(size)})`, from);
    if ((visited[node >>> 3]! & (1 << (node & 7))) !== 0) fail(`node at ${hex(at(node))} is reached twice (loop)`, from);
    visited[node >>> 3]! |= 1 << (node & 7);
    if (stackPos.length >= MAX_SYMBOL_LENGTH) fail(`deeper than ${MAX_SYMBOL_LENGTH} nodes`, node);
    cursor.pos = node;
    const terminalSize = uleb(trie, cursor, "export trie");
    if (terminalSize > size - cursor.pos) fail(`terminal info of node ${hex(at(node))} runs past the end`, node);
    if (terminalSize > 0 && !full) full = !collect(sink, prefix.subarray(0, prefixLen));
    const countAt = cursor.pos + terminalSize;
    if (countAt >= size) fail(`child count of node ${hex(at(node))} is past the end`, node);
    stackPos.push(countAt + 1);
    stackLeft.push(bytes[countAt]!);
    stackLen.push(prefixLen);
  };

  enter(0, 0, 0);
  while (stackPos.length > 0) {
    const top = stackPos.length - 1;
    if (stackLeft[top] === 0) {
      stackPos.pop();
      stackLeft.pop();
      stackLen.pop();
      continue;
    }
    stackLeft[top]!--;
    const labelStart = stackPos[top]!;
    const baseLen = stackLen[top]!;
    // Look for the label's NUL no further than the name-length cap allows.
    const searchEnd = Math.min(size, labelStart + (MAX_SYMBOL_LENGTH - baseLen) + 1);
    const nul = labelStart >= size ? -1 : bytes.subarray(labelStart, searchEnd).indexOf(0);
    if (nul < 0) {
      if (searchEnd < size) fail(`symbol name longer than ${MAX_SYMBOL_LENGTH} bytes`, labelStart);
      fail(`edge label at ${hex(at(labelStart))} is not NUL-terminated`, labelStart);
    }
    labelBudget -= nul;
    if (labelBudget < 0) fail(`edge labels overlap (more label bytes than the trie holds)`, labelStart);
    const newLen = baseLen + nul;
    if (newLen > prefix.length) {
      const grown = new Uint8Array(Math.max(newLen, prefix.length * 2));
      grown.set(prefix.subarray(0, baseLen));
      prefix = grown;
    }
    prefix.set(bytes.subarray(labelStart, labelStart + nul), baseLen);
    cursor.pos = labelStart + nul + 1;
    const child = uleb(trie, cursor, "export trie");
    stackPos[top] = cursor.pos;
    enter(child, newLen, labelStart);
  }
  return sink.names;
}

/** Where LC_SYMTAB says the symbol and string tables are (offsets within the image). */
export interface SymtabLocation {
  symoff: number;
  nsyms: number;
  stroff: number;
  strsize: number;
}

/**
 * Names of the external defined symbols of a symbol table (<mach-o/nlist.h>): `n_type & N_EXT` set,
 * not a debugging (N_STAB) entry, and not undefined (N_UNDF, N_PBUD). `image` is the whole image;
 * the table locations were bounds-checked by the caller (`checkSymtab`).
 */
export function readSymtabExports(image: Region, symtab: SymtabLocation, bits: 32 | 64): string[] {
  const sink = newSink();
  const entrySize = bits === 64 ? NLIST_64_SIZE : NLIST_SIZE;
  const { view, bytes } = image;
  const strtab = bytes.subarray(symtab.stroff, symtab.stroff + symtab.strsize);
  for (let i = 0; i < symtab.nsyms; i++) {
    const entry = symtab.symoff + i * entrySize;
    const type = view.getUint8(entry + 4);
    if ((type & N_STAB) !== 0 || (type & N_EXT) === 0) continue;
    const kind = type & N_TYPE;
    if (kind === N_UNDF || kind === N_PBUD) continue;
    const strx = view.getUint32(entry, image.little);
    if (strx >= strtab.length) {
      throw new MachOError(
        `symbol ${i}: string index ${strx} is outside the string table (strsize ${symtab.strsize})`,
        image.base + entry,
      );
    }
    const searchEnd = Math.min(strtab.length, strx + MAX_SYMBOL_LENGTH + 1);
    let nul = strtab.subarray(strx, searchEnd).indexOf(0);
    if (nul < 0) {
      if (searchEnd < strtab.length) {
        throw new MachOError(`symbol ${i}: name longer than ${MAX_SYMBOL_LENGTH} bytes`, image.base + symtab.stroff + strx);
      }
      nul = strtab.length - strx; // the last string may end with the table (as LLVM reads it)
    }
    if (!collect(sink, strtab.subarray(strx, strx + nul))) break;
  }
  return sink.names;
}

/** Throws unless the symbol and string tables lie inside the image. */
export function checkSymtab(image: Region, symtab: SymtabLocation, bits: 32 | 64, commandOffset: number): void {
  const entrySize = bits === 64 ? NLIST_64_SIZE : NLIST_SIZE;
  const what = `LC_SYMTAB at ${hex(image.base + commandOffset)}`;
  need(image, symtab.symoff, symtab.nsyms * entrySize, `${what}: symbol table (symoff ${hex(symtab.symoff)}, nsyms ${symtab.nsyms})`);
  need(image, symtab.stroff, symtab.strsize, `${what}: string table (stroff ${hex(symtab.stroff)}, strsize ${hex(symtab.strsize)})`);
}

/** Does this slice export `symbol` (linker spelling, e.g. "_PyInit__x")? */
export function exportsSymbol(slice: Slice, symbol: string): boolean {
  return listHasExport(slice.exports, symbol);
}
