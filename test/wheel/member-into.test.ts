// readMemberInto (src/zip/member-into.ts): a member read into the caller's buffer with its
// compressed data in pieces. It must give readMember's bytes and readMember's errors, word for word,
// for stored and deflated members of one piece or many, from a source that reads into a buffer and
// from one that does not, and leave nothing running when it returns (the pieces and the target are
// reused at once by the next member).
import { describe, expect, it } from "vitest";
import { ZipError } from "../../src/model/errors.js";
import type { ByteSource } from "../../src/model/ports.js";
import { nodeCodecs } from "../../src/node/codecs.js";
import { openZip, readMember } from "../../src/zip/index.js";
import { PIECE_BYTES, readMemberInto } from "../../src/zip/member-into.js";
import { streamMember } from "../../src/zip/member-stream.js";
import { memorySource } from "../../src/zip/source.js";
import { jszipArchive } from "../helpers/make-zip.js";
import { noise } from "../helpers/noise.js";

// Half-entropy bytes (mask 0x0f) deflate ~2:1: the compressed data spans several pieces.
const MEMBERS = {
  "small.txt": new TextEncoder().encode("print('hello')\n".repeat(50)),
  "big.bin": noise(1, 3 * PIECE_BYTES + 12345, 0x0f),
  "stored.bin": noise(2, 2 * PIECE_BYTES + 7, 0x0f),
  "empty.txt": new Uint8Array(0),
};

async function archiveBytes(): Promise<Uint8Array> {
  return jszipArchive(Object.entries(MEMBERS).map(([name, data]) => ({ name, data, compression: name.startsWith("stored") ? "STORE" : "DEFLATE" })));
}

/** A source that reads into the caller's buffer (as the file source does), counting what it reads. */
function intoSource(bytes: Uint8Array): ByteSource & { reads: number } {
  const base = memorySource(bytes);
  const source = {
    ...base,
    reads: 0,
    readInto: async (offset: number, target: Uint8Array) => {
      source.reads++;
      target.set(await base.read(offset, target.length));
      return target;
    },
  };
  return source;
}

const SOURCES = [
  ["a source that reads into a buffer", intoSource],
  ["a source in memory (views)", memorySource],
] as const;

/** What readMember and readMemberInto make of `name` in `bytes`: the bytes, or the error message. */
async function both(bytes: Uint8Array, name: string, makeSource: (b: Uint8Array) => ByteSource): Promise<[string, string]> {
  const outcome = async (read: () => Promise<Uint8Array | null>): Promise<string> => {
    try {
      const data = await read();
      return data === null ? "null" : Buffer.from(data).toString("base64");
    } catch (error) {
      if (error instanceof ZipError) return `${error.kind}: ${error.message}`;
      throw error;
    }
  };
  const archive = await openZip(makeSource(bytes));
  const member = archive.members.find((m) => m.name === name)!;
  const pieces = [new Uint8Array(PIECE_BYTES), new Uint8Array(PIECE_BYTES)] as const;
  return [
    await outcome(() => readMember(archive, member, nodeCodecs)),
    await outcome(() => readMemberInto(archive, member, nodeCodecs, new Uint8Array(member.size + 1), { pieces })),
  ];
}

/** The archive with one byte of `name`'s compressed data flipped at `where` (0–1 of the way in). */
async function damaged(name: string, where: number): Promise<Uint8Array> {
  const bytes = (await archiveBytes()).slice();
  const archive = await openZip(bytes);
  const place = archive.layout[archive.members.find((m) => m.name === name)!.index]!;
  const at = place.dataOffset + Math.floor((place.dataEnd - place.dataOffset - 1) * where);
  bytes[at] = (bytes[at] ?? 0) ^ 0x55;
  return bytes;
}

/** The archive with `name`'s declared size changed by `delta` (local header and central entry agree). */
async function resized(name: string, delta: number): Promise<Uint8Array> {
  const bytes = (await archiveBytes()).slice();
  const archive = await openZip(bytes);
  const member = archive.members.find((m) => m.name === name)!;
  const place = archive.layout[member.index]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(place.localHeaderOffset + 22, member.size + delta, true);
  view.setUint32(place.centralOffset + 24, member.size + delta, true);
  return bytes;
}

/** Archives with one member broken, each as readMember reports it. */
const DAMAGES: Array<[string, () => Promise<Uint8Array>]> = [
  ["big.bin damaged at the start", () => damaged("big.bin", 0)],
  ["big.bin damaged in its last piece", () => damaged("big.bin", 0.95)],
  ["stored.bin damaged (a CRC mismatch)", () => damaged("stored.bin", 0.5)],
  ["small.txt damaged", () => damaged("small.txt", 0.5)],
  ["big.bin declaring a byte less (more than declared)", () => resized("big.bin", -1)],
  ["big.bin declaring a byte more (short)", () => resized("big.bin", 1)],
];

describe.each(SOURCES)("readMemberInto from %s", (_label, makeSource) => {
  it.each(Object.keys(MEMBERS))("%s: readMember's bytes", async (name) => {
    const [expected, got] = await both(await archiveBytes(), name, makeSource);
    expect(got).toBe(expected);
    expect(Buffer.from(got, "base64").equals(Buffer.from(MEMBERS[name as keyof typeof MEMBERS]))).toBe(true);
  });

  it.each(DAMAGES)("%s: readMember's error, word for word", async (label, make) => {
    const name = label.split(" ")[0]!;
    const [expected, got] = await both(await make(), name, makeSource);
    expect(expected).toMatch(/^(corrupt|too-large): /);
    expect(got).toBe(expected);
  });
});

describe("readMemberInto", () => {
  it("reads the compressed data in pieces, into the caller's buffers, and hands on every byte in order", async () => {
    const bytes = await archiveBytes();
    const source = intoSource(bytes);
    const archive = await openZip(source);
    const member = archive.members.find((m) => m.name === "big.bin")!;
    const pieces = [new Uint8Array(PIECE_BYTES), new Uint8Array(PIECE_BYTES)] as const;
    const parts: Uint8Array[] = [];
    source.reads = 0;
    const got = await readMemberInto(archive, member, nodeCodecs, new Uint8Array(member.size + 1), { pieces, onOutput: (p) => parts.push(p.slice()) });
    expect(source.reads).toBe(Math.ceil(member.compressedSize / PIECE_BYTES));
    expect(parts.length).toBeGreaterThan(1);
    expect(Buffer.concat(parts).equals(Buffer.from(MEMBERS["big.bin"]))).toBe(true);
    expect(Buffer.from(got!).equals(Buffer.from(MEMBERS["big.bin"]))).toBe(true);
  });

  it("refuses a buffer without room for the member and one byte more", async () => {
    const archive = await openZip(await archiveBytes());
    const member = archive.members.find((m) => m.name === "small.txt")!;
    await expect(readMemberInto(archive, member, nodeCodecs, new Uint8Array(member.size))).rejects.toThrow(/cannot hold/);
  });

  it("returns null when the host cannot inflate into a buffer", async () => {
    const archive = await openZip(await archiveBytes());
    const member = archive.members.find((m) => m.name === "big.bin")!;
    const { inflateRawInto: _, ...without } = nodeCodecs;
    expect(await readMemberInto(archive, member, without, new Uint8Array(member.size + 1))).toBeNull();
  });
});

/** What streamMember makes of `name` in `bytes`: the parts joined, or the error message (as `both`). */
async function streamed(bytes: Uint8Array, name: string, makeSource: (b: Uint8Array) => ByteSource, until?: number): Promise<string> {
  const archive = await openZip(makeSource(bytes));
  const member = archive.members.find((m) => m.name === name)!;
  const parts: Uint8Array[] = [];
  try {
    // A part is valid until its promise settles: kept as a copy.
    const ok = await streamMember(archive, member, nodeCodecs, async (p) => void parts.push(p.slice()), until === undefined ? {} : { until });
    return ok ? Buffer.concat(parts).toString("base64") : "null";
  } catch (error) {
    if (error instanceof ZipError) return `${error.kind}: ${error.message}`;
    throw error;
  }
}

// streamMember (src/zip/member-stream.ts): the same bytes and errors, never holding the member.
describe.each(SOURCES)("streamMember from %s", (_label, makeSource) => {
  it.each(Object.keys(MEMBERS))("%s: readMember's bytes, a part at a time", async (name) => {
    const [expected] = await both(await archiveBytes(), name, makeSource);
    expect(await streamed(await archiveBytes(), name, makeSource)).toBe(expected);
  });

  it.each(DAMAGES)("%s: readMember's error, word for word", async (label, make) => {
    const name = label.split(" ")[0]!;
    const [expected] = await both(await make(), name, makeSource);
    expect(expected).toMatch(/^(corrupt|too-large): /);
    expect(await streamed(await make(), name, makeSource)).toBe(expected);
  });

  it("stops once `until` bytes are handed on: a prefix of the member, at least that long", async () => {
    const got = Buffer.from(await streamed(await archiveBytes(), "big.bin", makeSource, PIECE_BYTES), "base64");
    const whole = Buffer.from(MEMBERS["big.bin"]);
    expect(got.length).toBeGreaterThanOrEqual(PIECE_BYTES);
    expect(got.length).toBeLessThan(whole.length);
    expect(got.equals(whole.subarray(0, got.length))).toBe(true);
  });
});
