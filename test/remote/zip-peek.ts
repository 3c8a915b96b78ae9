// Just enough zip (PKWARE APPNOTE 4.3.12, 4.3.16) to read a wheel through an asynchronous ByteSource
// the way the zip layer will: the EOCD from the tail, the central directory, then one member's local
// header and data. The real zip reader is still synchronous, so the network tests use this to check
// which byte ranges a member read costs. No zip64, no encryption: the test wheels have neither.
import { inflateRawSync } from "node:zlib";
import type { ByteSource } from "../../src/model/ports.js";

export interface PeekEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export interface Peeked {
  entries: PeekEntry[];
  /** The central directory's [start, end). */
  centralDirectory: [number, number];
  /** The chosen members: their uncompressed bytes and the [start, end) of local header + data. */
  members: Array<{ name: string; data: Uint8Array; span: [number, number] }>;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const decoder = new TextDecoder();

/** Reads the directory, then `names` (each member's local header and data); `prefetch` first when asked. */
export async function peekZip(source: ByteSource, names: readonly string[], usePrefetch = false): Promise<Peeked> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - tailLength, tailLength);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("no EOCD");
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  const cd = await source.read(cdOffset, cdSize);
  const cdView = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries: PeekEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (cdView.getUint32(at, true) !== CENTRAL) throw new Error(`no central entry at ${cdOffset + at}`);
    const nameLength = cdView.getUint16(at + 28, true);
    const extraLength = cdView.getUint16(at + 30, true);
    const commentLength = cdView.getUint16(at + 32, true);
    entries.push({
      name: decoder.decode(cd.subarray(at + 46, at + 46 + nameLength)),
      method: cdView.getUint16(at + 10, true),
      compressedSize: cdView.getUint32(at + 20, true),
      localOffset: cdView.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  const chosen = names.map((name) => {
    const entry = entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no member ${name}`);
    return entry;
  });
  // The local header's name is the central one's; its extra field may differ, so this is a guess the
  // reads below correct (as the zip layer will do).
  if (usePrefetch && source.prefetch) {
    await source.prefetch(chosen.map((e) => ({ offset: e.localOffset, length: 30 + new TextEncoder().encode(e.name).length + e.compressedSize })));
  }
  const members = [];
  for (const entry of chosen) {
    const header = await source.read(entry.localOffset, 30);
    const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (headerView.getUint32(0, true) !== LOCAL) throw new Error(`no local header at ${entry.localOffset}`);
    const dataStart = entry.localOffset + 30 + headerView.getUint16(26, true) + headerView.getUint16(28, true);
    const raw = await source.read(dataStart, entry.compressedSize);
    const data = entry.method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw.slice();
    members.push({ name: entry.name, data, span: [entry.localOffset, dataStart + entry.compressedSize] as [number, number] });
  }
  return { entries, centralDirectory: [cdOffset, cdOffset + cdSize], members };
}

/** A ByteSource over bytes in memory: the local file the remote results must equal. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}
