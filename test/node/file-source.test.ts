// The CLI reads wheels through a file source (openInput) instead of holding them (issue 5: memory
// bounded by the largest member, not the wheel). A file source must give the same archive, members,
// check and rewrite as the bytes in memory, read only what it needs, and notice a file that changes.
import { randomBytes } from "node:crypto";
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { concatBytes } from "../../src/bytes.js";
import { checkWheelSource } from "../../src/flow/check.js";
import { retagWheelSource } from "../../src/flow/fix.js";
import { RetagError } from "../../src/model/errors.js";
import type { ByteSource } from "../../src/model/ports.js";
import { CHANGED_WHILE_READ, openInput, type InputFile } from "../../src/node/file-source.js";
import { chunksOf, fileEquals } from "../../src/node/write.js";
import { joinParts, openZip } from "../../src/zip/index.js";
import { checkBytes, nodeCodecs, readMemberBytes as readMember, retagBytes } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";

// Two members of incompressible data make most of the file, so "read the whole file" and "read the
// records only" are far apart.
const big = randomBytes(1_500_000);
const filename = "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl"; // mistagged: fix mode rewrites it
const { bytes } = await makeWheel({
  filename,
  members: {
    "pkg/__init__.py": "",
    "pkg/data.bin": big,
    "pkg/more.bin": big.subarray(0, 700_000),
    "pkg/_m.cpython-313-darwin.so": { fixture: "ext_arm64_11.0.so" },
  },
});

const dir = mkdtempSync(join(tmpdir(), "retag-source-"));
const path = join(dir, filename);
writeFileSync(path, bytes);

/** A source that counts what is read through it. */
function counting(source: ByteSource): ByteSource & { total: number; largest: number } {
  const counter = {
    size: source.size,
    total: 0,
    largest: 0,
    read(offset: number, length: number): Promise<Uint8Array> {
      counter.total += length;
      counter.largest = Math.max(counter.largest, length);
      return source.read(offset, length);
    },
  };
  return counter;
}

const opened: InputFile[] = [];
function open(p: string): InputFile {
  const input = openInput(p);
  opened.push(input);
  return input;
}
afterEach(() => {
  for (const input of opened.splice(0)) input.close();
});

describe("a file source", () => {
  it("gives small reads their own bytes: later reads that reuse its blocks never change them", async () => {
    const bytes = randomBytes(9 * 2 ** 20 + 123);
    const p = join(mkdtempSync(join(tmpdir(), "retag-blocks-")), "f.bin");
    writeFileSync(p, bytes);
    const input = open(p);
    // Small reads spread over every 1 MiB block (more blocks than are held, so their buffers are read into again), kept.
    const kept: Array<[number, Uint8Array]> = [];
    for (let offset = 17; offset + 300 < bytes.length; offset += 300_001) kept.push([offset, await input.read(offset, 300)]);
    // The file's last block is shorter than the others: its buffer is then read into for a whole block.
    kept.push([bytes.length - 100, await input.read(bytes.length - 100, 100)]);
    for (let offset = 5; offset + 70_000 < bytes.length; offset += 1_000_003) await input.read(offset, 40);
    for (const [offset, got] of kept) expect(Buffer.from(got).equals(bytes.subarray(offset, offset + got.length)), `at ${offset}`).toBe(true);
  });

  it("reads the same archive and members as the bytes in memory", async () => {
    const fromFile = await openZip(open(path));
    const fromMemory = await openZip(bytes);
    expect(fromFile.members.map((m) => ({ ...m, nameBytes: [...m.nameBytes] }))).toEqual(fromMemory.members.map((m) => ({ ...m, nameBytes: [...m.nameBytes] })));
    expect(fromFile.layout).toEqual(fromMemory.layout);
    for (const m of fromFile.members) {
      expect(Buffer.from(await readMember(fromFile, m)).equals(await readMember(fromMemory, m))).toBe(true);
    }
  });

  it("opens the archive by its records alone, never its members' data", async () => {
    const source = counting(open(path));
    await openZip(source);
    // The tail (EOCD search span), the central directory and one local header per member.
    expect(source.total).toBeLessThan(100_000);
    expect(source.total).toBeLessThan(bytes.length / 20);
  });

  it("checks the wheel reading each part about once and never the whole file at once", async () => {
    const source = counting(open(path));
    const result = await checkWheelSource(path, source, nodeCodecs);
    expect(result).toEqual(await checkBytes(path, bytes));
    expect(result.needsRewrite).toBe(true);
    // The largest read is one member's compressed data (the incompressible one: about its size).
    expect(source.largest).toBeLessThan(1_600_000);
    expect(source.largest).toBeLessThan(bytes.length * 0.7);
    // Every member's data once, plus the records the reader needs (the 64 KiB tail, headers).
    expect(source.total).toBeLessThan(bytes.length + 100_000);
  });

  it("rewrites to the same bytes as the rewrite in memory", async () => {
    const fromFile = await retagWheelSource(path, open(path), nodeCodecs);
    const fromMemory = await retagBytes(path, bytes);
    expect(fromFile.action).toBe("rewritten");
    expect(Buffer.from(await joinParts(fromFile.output!)).equals(fromMemory.bytes!)).toBe(true);
  });

  it("gives the whole file in pieces, each read when asked for into one reused buffer", async () => {
    const input = open(path);
    const pieces: Uint8Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const piece of chunksOf([{ source: input, offset: 0, length: input.size }], 1 << 20)) {
      // A piece is valid until the next is asked for: a consumer that keeps one copies it.
      pieces.push(piece.slice());
      buffers.add(piece.buffer);
    }
    expect(pieces.map((p) => p.length)).toEqual([1 << 20, 1 << 20, bytes.length - 2 * (1 << 20)]);
    expect(Buffer.from(concatBytes(pieces)).equals(bytes)).toBe(true);
    expect(buffers.size).toBe(1);
  });

  it("fails a read with 'changed while it was being read' when the file became shorter, and says it changed", async () => {
    const copy = join(dir, "shrinking.whl");
    writeFileSync(copy, bytes);
    const input = open(copy);
    expect(input.isUnchanged()).toBe(true);
    truncateSync(copy, 1000);
    expect(input.isUnchanged()).toBe(false);
    await expect(input.read(2000, 10)).rejects.toThrow(RetagError);
    await expect(input.read(2000, 10)).rejects.toThrow(CHANGED_WHILE_READ);
  });

  it("refuses reads outside the file it opened, and reads after close", async () => {
    const input = open(path);
    await expect(input.read(bytes.length - 1, 2)).rejects.toThrow(RangeError);
    await expect(input.read(-1, 1)).rejects.toThrow(RangeError);
    input.close();
    await expect(input.read(0, 1)).rejects.toThrow(/closed/);
    input.close(); // twice is harmless
  });

  // Reads of 1 MiB and more run in the thread pool: the same answers as reads on the main thread.
  it.each([
    ["a small read (main thread)", 10],
    ["a large read (thread pool)", 1_200_000],
  ])("%s: changed-while-read, out-of-range and closed are refused as before", async (_, length) => {
    const copy = join(dir, `shrinking-${length}.whl`);
    writeFileSync(copy, bytes);
    const input = open(copy);
    await expect(input.read(bytes.length - length + 1, length)).rejects.toThrow(RangeError);
    truncateSync(copy, 1000);
    await expect(input.read(2000, length)).rejects.toThrow(CHANGED_WHILE_READ);
    input.close();
    await expect(input.read(0, length)).rejects.toThrow(/closed/);
  });

  it("a large read under way when the file is closed still gives its bytes (the file is closed after it)", async () => {
    const input = open(path);
    const pending = input.read(100, 1_300_000);
    input.close();
    expect(Buffer.from(await pending).equals(bytes.subarray(100, 1_300_100))).toBe(true);
    await expect(input.read(0, 1_300_000)).rejects.toThrow(/closed/);
  });

  it("refuses a directory without opening it", async () => {
    expect(() => openInput(dir)).toThrow(/is a directory/);
  });
});

describe("fileEquals (fix mode writes nothing when the target already holds the output)", () => {
  const chunks = [bytes.subarray(0, 1000), bytes.subarray(1000)];
  it.each([
    ["the same bytes", bytes, true],
    ["one byte different", Uint8Array.from(bytes, (b, i) => (i === bytes.length - 5 ? b ^ 1 : b)), false],
    ["one byte shorter", bytes.subarray(1), false],
  ])("%s → %s", async (_what, content, expected) => {
    const target = join(dir, `target-${String(_what).replace(/ /g, "-")}.whl`);
    writeFileSync(target, content);
    expect(await fileEquals(target, chunks, bytes.length)).toBe(expected);
  });

  it("is false for a missing file", async () => {
    expect(await fileEquals(join(dir, "missing.whl"), chunks, bytes.length)).toBe(false);
  });
});

describe("small reads come from blocks of the file", () => {
  // 3 MiB and a bit: blocks are 1 MiB, so reads fall inside one, across two, and at the end.
  const data = randomBytes(3 * 1024 * 1024 + 12_345);
  const path = join(mkdtempSync(join(tmpdir(), "retag-blocks-")), "data.bin");
  writeFileSync(path, data);
  const MiB = 1024 * 1024;

  it.each([
    ["the first bytes", 0, 30],
    ["inside a block", 5000, 4096],
    ["across a block boundary", MiB - 10, 20],
    ["the last bytes", data.length - 7, 7],
    ["a read larger than a small read (past the blocks)", 100, 200_000],
    ["an empty read at the end", data.length, 0],
  ])("%s: the file's bytes", async (_what, offset, length) => {
    const file = openInput(path);
    try {
      expect(Buffer.from(await file.read(offset, length)).equals(data.subarray(offset, offset + length))).toBe(true);
    } finally {
      file.close();
    }
  });

  it("a view handed out stays the same while later reads fill and drop other blocks", async () => {
    const file = openInput(path);
    try {
      const first = await file.read(10, 64);
      const copy = Uint8Array.from(first);
      for (let at = 0; at + 100 < data.length; at += 200_000) await file.read(at, 100); // every block, more than are kept
      expect(first).toEqual(copy);
      expect(Buffer.from(first).equals(data.subarray(10, 74))).toBe(true);
    } finally {
      file.close();
    }
  });

  it("a read past the end is refused, as before", async () => {
    const file = openInput(path);
    try {
      await expect(file.read(data.length - 3, 10)).rejects.toThrow(RangeError);
    } finally {
      file.close();
    }
  });
});
