// A wheel opened for reading by ranges: the core reads the records and members it needs, so a check
// holds one member at a time instead of the whole wheel (DESIGN §7).
import { closeSync, fstatSync, openSync, read, readSync, statSync, type BigIntStats } from "node:fs";
import { RetagError } from "../model/errors.js";
import type { ByteSource } from "../model/ports.js";
import { threadPoolAllowed } from "./thread-pool-use.js";

/**
 * What a file was when it was opened: if any of this changed, someone replaced or rewrote it since.
 * The change time is the one a writer cannot set back (utimes sets mtime, and itself changes ctime),
 * so a same-size write that restores the mtime is still seen (DESIGN §4). Nanoseconds, as bigints:
 * a float of milliseconds would round away a change made within the same microsecond.
 */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** The identity of what a (bigint) stat describes. */
export function identityOf(info: BigIntStats): FileIdentity {
  return { dev: info.dev, ino: info.ino, size: Number(info.size), mtimeNs: info.mtimeNs, ctimeNs: info.ctimeNs };
}

/** Same file (device and inode), same size, same modification and change times. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** The message of every error that says an input changed under retag while it was read. */
export const CHANGED_WHILE_READ = "changed while it was being read";

/**
 * Reads never go past the size the file had when opened; a file that became shorter fails them with
 * a RetagError.
 */
export interface InputFile extends ByteSource {
  path: string;
  identity: FileIdentity;
  /** True when the open file still has the size, modification and change times it had when opened. */
  isUnchanged(): boolean;
  /** Closes the file; later reads fail. Closing twice is harmless. */
  close(): void;
}

/** The most one read(2) call is asked for (Node refuses lengths from 2 GiB on). */
const MAX_READ_CALL = 2 ** 30;

/**
 * Small reads are served from blocks of BLOCK bytes, each read whole when first touched: the read
 * stage walks a wheel mostly in file order (a local header, then its member's data), so a wheel of
 * 20,000 small members costs a read(2) per block instead of two per member (issue 15: the system
 * calls were a third of the per-member cost). What a small read returns is a copy (from Node's
 * buffer pool for the smallest), so the blocks are the source's own: BLOCKS buffers, allocated once
 * and read into again. A fresh 1 MiB buffer per block cost 256 page faults each, and a wheel's
 * blocks are read twice (the local headers when it is opened, the members after): ~0.1 s of a
 * 20,000-member check. A small view kept by the core no longer holds a whole block either.
 */
const BLOCK = 256 * 1024;
/** Two: the walk is in file order, so the block before is all it returns to (4 cost 0.5 MiB more peak RSS, no fewer reads). */
const BLOCKS = 2;
/** Reads above this go to the file directly (a member's data is read once; a block would only copy it). */
const SMALL_READ = 64 * 1024;
/**
 * Reads from this size on run in libuv's thread pool: a large member's data (MiBs) read on this
 * thread held it up for ~0.6 s of a 200 MiB wheel's check while the pool inflated other members, the
 * members read ahead (src/read/wheel.ts) waiting behind it. Smaller reads stay here: a trip to the
 * pool costs more than the read.
 */
const POOL_READ = 1 << 20;

/** Opens a file to process, refusing what is not a regular file (a directory, a FIFO that would block). */
export function openInput(path: string): InputFile {
  const info = statSync(path, { bigint: true });
  if (!info.isFile()) throw new RetagError(info.isDirectory() ? "is a directory" : "is not a regular file (a FIFO, socket or device)");
  const fd = openSync(path, "r");
  let identity: FileIdentity;
  try {
    const opened = fstatSync(fd, { bigint: true });
    // Replaced between the stat and the open: what was checked to be a regular file is not what is open.
    if (!opened.isFile() || opened.dev !== info.dev || opened.ino !== info.ino) throw new RetagError(CHANGED_WHILE_READ);
    identity = identityOf(opened);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let open = true;
  /** `length` bytes at `offset` read into the start of `buffer`; the view of them. */
  const readInto = (buffer: Uint8Array, offset: number, length: number): Uint8Array => {
    if (!open) throw new Error(`${path} is closed`);
    if (offset < 0 || length < 0 || offset + length > identity.size) {
      throw new RangeError(`read of ${length} bytes at offset ${offset} is outside the ${identity.size} bytes of ${path}`);
    }
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, Math.min(length - done, MAX_READ_CALL), offset + done);
      if (n === 0) throw new RetagError(CHANGED_WHILE_READ);
      done += n;
    }
    return buffer.subarray(0, length);
  };
  // A fresh buffer per read: what the zip layer keeps (a member's bytes) must not be overwritten later.
  const readRange = (offset: number, length: number): Uint8Array => {
    const buffer = Buffer.allocUnsafe(length);
    readInto(buffer, offset, length);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  };
  // Reads in the pool still running: the file is closed when the last one ends, never under one
  // (a closed descriptor's number may already name another file).
  let inPool = 0;
  let closeWhenIdle = false;
  const readInPool = (offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      if (!open) throw new Error(`${path} is closed`);
      if (offset < 0 || length < 0 || offset + length > identity.size) {
        throw new RangeError(`read of ${length} bytes at offset ${offset} is outside the ${identity.size} bytes of ${path}`);
      }
      const buffer = into ?? Buffer.allocUnsafe(length);
      let done = 0;
      inPool++;
      const finish = (error: Error | null): void => {
        inPool--;
        if (closeWhenIdle && inPool === 0) closeSync(fd);
        if (error === null) resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, length));
        else reject(error);
      };
      const step = (): void =>
        read(fd, buffer, done, Math.min(length - done, MAX_READ_CALL), offset + done, (error, n) => {
          if (error !== null) return finish(error);
          if (n === 0) return finish(new RetagError(CHANGED_WHILE_READ));
          done += n;
          if (done < length) step();
          else finish(null);
        });
      step();
    });
  // Block start → its bytes, least recently used first (a Map keeps insertion order). A block's
  // bytes are a view of the start of its buffer: the file's last block is shorter than BLOCK.
  const blocks = new Map<number, Uint8Array>();
  const readSmall = (offset: number, length: number, into?: Uint8Array): Uint8Array => {
    const start = offset - (offset % BLOCK);
    if (length > SMALL_READ || offset < 0 || length < 0 || offset + length > start + BLOCK || offset + length > identity.size) {
      return into === undefined ? readRange(offset, length) : readInto(into, offset, length);
    }
    let block = blocks.get(start);
    if (block === undefined) {
      // The least recently used block's buffer is read into again (or a new one, up to BLOCKS).
      let buffer: Uint8Array;
      if (blocks.size >= BLOCKS) {
        const oldest = blocks.keys().next().value as number;
        const bytes = blocks.get(oldest)!;
        buffer = new Uint8Array(bytes.buffer, bytes.byteOffset, BLOCK);
        blocks.delete(oldest);
      } else buffer = new Uint8Array(BLOCK);
      block = readInto(buffer, start, Math.min(BLOCK, identity.size - start));
    } else {
      blocks.delete(start);
    }
    blocks.set(start, block);
    const copy = into ?? Buffer.allocUnsafe(length);
    copy.set(block.subarray(offset - start, offset - start + length));
    return new Uint8Array(copy.buffer, copy.byteOffset, length);
  };
  return {
    path,
    identity,
    size: identity.size,
    // pread on this thread for short reads (a promise per read costs less than a round trip through
    // libuv's thread pool), in the pool for a large member's data.
    read: (offset, length) => (length >= POOL_READ && threadPoolAllowed() ? readInPool(offset, length) : new Promise((resolve) => resolve(readSmall(offset, length)))),
    readInto: (offset, target) =>
      target.length >= POOL_READ && threadPoolAllowed() ? readInPool(offset, target.length, target) : new Promise((resolve) => resolve(readSmall(offset, target.length, target))),
    isUnchanged(): boolean {
      if (!open) throw new Error(`${path} is closed`);
      return sameIdentity(identityOf(fstatSync(fd, { bigint: true })), identity);
    },
    close(): void {
      if (open && inPool === 0) closeSync(fd);
      else if (open) closeWhenIdle = true;
      open = false;
    },
  };
}
