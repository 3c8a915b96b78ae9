// Reusing compressed members: the deflate block walker (src/zip/deflate-blocks.ts) agrees with zlib on
// where a stream's last block starts and where it ends, for every kind of block zlib writes; and a
// spliced stream (src/zip/splice.ts) inflates, with zlib, to the pieces joined, whatever bit the
// reused streams end on. Streams the walker cannot follow are deflated anew, never mis-spliced.
import { inflateRawSync, deflateRawSync, constants } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinParts, memorySource, spliceDeflate, type SplicePiece } from "../../src/zip/index.js";
import { deflateBlocks, DeflateWalkError, finalBlockAt } from "../../src/zip/deflate-blocks.js";
import { deflateFinalBlock, inflateRawBlocks } from "../../src/node/deflate-final-block.js";
import { CodecError } from "../../src/model/errors.js";
import { isSourceRange } from "../../src/zip/index.js";
import { nodeCodecs } from "../helpers/core.js";
import { lipoOutput, readFixture } from "./helpers.js";

const fixtures = ["ext_arm64_11.0.so", "ext_x86_64_10.9.so", "lib_rpath_arm64.dylib", "obj_i386.o"].map(readFixture);
const text = new TextEncoder().encode("retag fuse ".repeat(5000));
const zeros = new Uint8Array(300_000);

const ways: Array<[string, (d: Uint8Array) => Uint8Array]> = [
  ["level 6", (d) => deflateRawSync(d, { level: 6 })],
  ["level 1", (d) => deflateRawSync(d, { level: 1 })],
  ["level 9", (d) => deflateRawSync(d, { level: 9 })],
  ["stored (level 0)", (d) => deflateRawSync(d, { level: 0 })],
  ["fixed Huffman", (d) => deflateRawSync(d, { strategy: constants.Z_FIXED })],
  ["Huffman only", (d) => deflateRawSync(d, { strategy: constants.Z_HUFFMAN_ONLY })],
  ["run lengths", (d) => deflateRawSync(d, { strategy: constants.Z_RLE })],
  ["small window and memory", (d) => deflateRawSync(d, { windowBits: 9, memLevel: 1 })],
];
const inputs: Array<[string, Uint8Array]> = [
  ["an arm64 extension", fixtures[0]!],
  ["text", text],
  ["zeros", zeros],
  ["one byte", new Uint8Array([7])],
  ["nothing", new Uint8Array(0)],
  ["a fat file", lipoOutput("universal2")],
];

/** The bit at `bit` of `bytes` (LSB first, as deflate packs them). */
const bitAt = (bytes: Uint8Array, bit: number): number => (bytes[bit >>> 3]! >>> (bit & 7)) & 1;

describe("deflateBlocks", () => {
  for (const [way, deflate] of ways) {
    it.each(inputs)(`${way}, %s: the size zlib inflates to, a final block at lastBlockBit, the end in the last byte`, (_label, data) => {
      const stream = deflate(data);
      const blocks = deflateBlocks(stream, data.length);
      expect(blocks.size).toBe(data.length);
      expect(bitAt(stream, blocks.lastBlockBit)).toBe(1);
      expect(Math.ceil(blocks.endBit / 8)).toBe(stream.length);
      // zlib, handed only the bytes up to the end, reads the whole stream.
      expect(Buffer.from(inflateRawSync(stream.subarray(0, Math.ceil(blocks.endBit / 8)))).equals(Buffer.from(data))).toBe(true);
    });
  }

  it.each([
    ["cut short", deflateRawSync(fixtures[0]!).subarray(0, 500), /ends inside/],
    ["a reserved block type", new Uint8Array([0b111, 0, 0, 0]), /reserved type 3/],
    ["a stored block whose NLEN is wrong", new Uint8Array([0b001, 5, 0, 0, 0, 1, 2, 3, 4, 5]), /LEN and NLEN disagree/],
    // A fixed-Huffman block whose first symbol is a match (length 3, distance 1): zlib says "invalid distance too far back".
    ["a distance before the start", new Uint8Array([0x03, 0x02, 0x00, 0x00]), /distance back past the start/],
    ["nothing", new Uint8Array(0), /ends inside/],
  ])("throws DeflateWalkError for %s", (_label, stream, message) => {
    expect(() => deflateBlocks(stream, 10_000_000)).toThrow(DeflateWalkError);
    expect(() => deflateBlocks(stream, 10_000_000)).toThrow(message);
  });

  it("throws DeflateWalkError when the stream inflates to more than it may", () => {
    expect(() => deflateBlocks(deflateRawSync(zeros), 1000)).toThrow(/more than 1000 bytes/);
  });

  it("never throws anything else, and ends, on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 1999 }), (bytes, cut) => {
        for (const data of [bytes, deflateRawSync(bytes).subarray(0, cut)]) {
          try {
            const blocks = deflateBlocks(data, 1_000_000);
            expect(blocks.endBit).toBeLessThanOrEqual(data.length * 8);
          } catch (error) {
            expect(error).toBeInstanceOf(DeflateWalkError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

// zlib's Z_BLOCK stops (src/node/deflate-final-block.ts), then a walk of the final block alone, must
// find what the whole walk finds, for every kind of stream zlib writes; and never a wrong place.
describe("deflateFinalBlock + finalBlockAt", () => {
  // Bytes of 16 values, pseudo-random: Huffman coded, many blocks at every level.
  let seed = 17;
  const noise = Uint8Array.from({ length: 400_000 }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24) & 15);
  const big = Buffer.concat([fixtures[0]!, text, noise, fixtures[1]!, zeros, fixtures[2]!]);
  it("the big input is several blocks", () => {
    expect(deflateFinalBlock(deflateRawSync(big), big.length)!.start.input).toBeGreaterThan(0);
  });
  for (const [way, deflate] of ways) {
    it.each([...inputs, ["several blocks", big] as [string, Uint8Array]])(`${way}, %s: the final block and the end the whole walk finds`, (_label, data) => {
      const stream = deflate(data);
      const bounds = deflateFinalBlock(stream, data.length);
      expect(bounds).not.toBeNull();
      expect(bounds!.end).toEqual({ input: stream.length, output: data.length });
      expect(finalBlockAt(stream, bounds!, data.length)).toEqual(deflateBlocks(stream, data.length));
    });
  }

  it.each(ways)("inflateRawBlocks, %s: zlib's bytes and the same final block", (_way, deflate) => {
    const stream = deflate(big);
    const inflated = inflateRawBlocks(stream, big.length)!;
    expect(Buffer.from(inflated.bytes).equals(big)).toBe(true);
    expect(inflated.finalBlock).toEqual(deflateFinalBlock(stream, big.length));
    // A declared size above the real one is not an error here (readMember compares the sizes).
    expect(inflateRawBlocks(stream, big.length + 10)!.bytes.length).toBe(big.length);
  });

  it.each([
    ["more than allowed", deflateRawSync(big), big.length - 1, "too-large"],
    ["cut short", deflateRawSync(big).subarray(0, 5000), big.length, "corrupt"],
    ["cut just before its end", deflateRawSync(big).subarray(0, deflateRawSync(big).length - 1), big.length, "corrupt"],
    ["not deflate", new Uint8Array([0b111, 0, 0, 0]), 100, "corrupt"],
  ] as const)("inflateRawBlocks throws CodecError for data %s, as inflateRaw does", async (_label, data, max, kind) => {
    expect(() => inflateRawBlocks(data, max)).toThrow(CodecError);
    expect(() => inflateRawBlocks(data, max)).toThrow(expect.objectContaining({ kind }));
    await expect(nodeCodecs.inflateRaw(data, max)).rejects.toMatchObject({ kind });
  });

  it("is null for a stream that is not valid deflate, is cut short, or is not the size it should be", () => {
    const stream = deflateRawSync(big);
    expect(deflateFinalBlock(new Uint8Array([0b111, 0, 0, 0]), 10)).toBeNull();
    expect(deflateFinalBlock(stream.subarray(0, stream.length >> 1), big.length)).toBeNull();
    expect(deflateFinalBlock(stream, big.length - 1)).toBeNull();
    expect(deflateFinalBlock(stream, big.length + 1)).toBeNull();
  });

  it("finalBlockAt is null for places that are not a final block's (the caller then walks the whole stream)", () => {
    const stream = deflateRawSync(big);
    const bounds = deflateFinalBlock(stream, big.length)!;
    // The start of the stream is a block's start, but not the final one's.
    expect(finalBlockAt(stream, { start: { input: 0, output: 0 }, end: bounds.end }, big.length)).toBeNull();
    expect(finalBlockAt(stream, { start: bounds.start, end: { input: bounds.end.input - 2, output: big.length } }, big.length)).toBeNull();
    expect(finalBlockAt(stream, { ...bounds, end: { ...bounds.end, output: big.length - 1 } }, big.length)).toBeNull();
  });

  it("on any bytes, deflateFinalBlock ends and finalBlockAt agrees with the whole walk or is null", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 2999 }), (bytes, cut) => {
        for (const data of [bytes, deflateRawSync(bytes).subarray(0, cut), deflateRawSync(bytes)]) {
          const bounds = deflateFinalBlock(data, bytes.length);
          if (bounds === null) continue;
          const found = finalBlockAt(data, bounds, bytes.length);
          if (found !== null) expect(found).toEqual(deflateBlocks(data, bytes.length));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** Pieces as a fat file has them: a header, padding, and slices whose members are deflated streams. */
function pieces(slices: Uint8Array[], deflate: (d: Uint8Array) => Uint8Array): SplicePiece[] {
  const out: SplicePiece[] = [{ bytes: new Uint8Array(48).fill(0xca) }];
  for (const slice of slices) {
    out.push({ bytes: new Uint8Array(1000) });
    const stream = deflate(slice);
    out.push({ bytes: slice, deflated: { source: memorySource(stream), offset: 0, length: stream.length } });
  }
  return out;
}

const joined = (ps: SplicePiece[]): Buffer => Buffer.concat(ps.map((p) => p.bytes));

describe("spliceDeflate", () => {
  // Node's codecs find the final block with zlib (deflateFinalBlock); a host without it walks.
  const hosts = [
    ["zlib's block ends", nodeCodecs],
    ["the walk", { ...nodeCodecs, deflateFinalBlock: undefined }],
  ] as const;
  it.each(hosts.flatMap(([host, codecs]) => ways.map(([way, deflate]) => [way, host, deflate, codecs] as const)))("%s streams, %s: the spliced stream inflates to the pieces joined, and reuses the streams' bytes", async (_way, _host, deflate, codecs) => {
    const ps = pieces([fixtures[1]!, fixtures[0]!], deflate);
    const spliced = (await spliceDeflate(ps, codecs))!;
    const stream = await joinParts({ parts: spliced.parts, size: spliced.parts.reduce((s, p) => s + p.length, 0) });
    expect(Buffer.from(inflateRawSync(stream)).equals(joined(ps))).toBe(true);
    expect(spliced.size).toBe(joined(ps).length);
    expect(spliced.crc32).toBe(nodeCodecs.crc32(joined(ps)));
    // The last stream is copied whole, the other all but its last block's first byte and its end.
    const reused = spliced.parts.filter(isSourceRange).reduce((s, p) => s + p.length, 0);
    const streams = ps.flatMap((p) => (p.deflated === undefined ? [] : [p.deflated.length]));
    expect(reused).toBeGreaterThanOrEqual(streams.reduce((a, b) => a + b, 0) - 2);
  });

  it.each(ways)("%s streams whose final block the inflate told: the same splice, and only the stream's tail is read again", async (_way, deflate) => {
    // The slices 200 KiB of 16 values: several blocks, so the told final block is not at the start.
    let seed = 5;
    const slice = Uint8Array.from({ length: 200_000 }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24) & 15);
    const stream = deflate(slice);
    let read = 0;
    const source = memorySource(stream);
    const counting = { size: source.size, read: (offset: number, length: number) => ((read += length), source.read(offset, length)) };
    const told = deflateFinalBlock(stream, slice.length);
    const ps: SplicePiece[] = [
      { bytes: slice, deflated: { source: counting, offset: 0, length: stream.length, finalBlock: told } },
      { bytes: fixtures[0]!, deflated: { source: memorySource(deflateRawSync(fixtures[0]!)), offset: 0, length: deflateRawSync(fixtures[0]!).length } },
    ];
    const spliced = (await spliceDeflate(ps, { ...nodeCodecs, deflateFinalBlock: undefined }))!;
    // Read to splice (the assembler reads the copied ranges later, as for any copied member).
    const readToSplice = read;
    const bytes = await joinParts({ parts: spliced.parts, size: spliced.parts.reduce((n, p) => n + p.length, 0) });
    expect(Buffer.from(inflateRawSync(bytes)).equals(joined(ps))).toBe(true);
    expect(told!.start.input).toBeGreaterThan(1);
    expect(readToSplice).toBe(stream.length - (told!.start.input - 1));
  });

  it("splices streams ending on every bit of their last byte", async () => {
    const seen = new Set<number>();
    for (let n = 1; seen.size < 8 && n < 400; n++) {
      const slice = text.subarray(0, n * 37);
      const stream = deflateRawSync(slice);
      seen.add(deflateBlocks(stream, slice.length).endBit & 7);
      const ps: SplicePiece[] = [
        { bytes: slice, deflated: { source: memorySource(stream), offset: 0, length: stream.length } },
        { bytes: fixtures[2]!, deflated: { source: memorySource(deflateRawSync(fixtures[2]!)), offset: 0, length: deflateRawSync(fixtures[2]!).length } },
      ];
      const spliced = (await spliceDeflate(ps, nodeCodecs))!;
      const bytes = await joinParts({ parts: spliced.parts, size: spliced.parts.reduce((s, p) => s + p.length, 0) });
      expect(Buffer.from(inflateRawSync(bytes)).equals(joined(ps)), `${n * 37} bytes`).toBe(true);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("deflates anew a stream that does not inflate to its piece (the walk checks the size)", async () => {
    const stream = deflateRawSync(fixtures[0]!);
    const ps: SplicePiece[] = [
      { bytes: fixtures[1]!, deflated: { source: memorySource(stream), offset: 0, length: stream.length } },
      { bytes: fixtures[0]! },
    ];
    const spliced = (await spliceDeflate(ps, nodeCodecs))!;
    expect(spliced.parts.some(isSourceRange)).toBe(false);
    const bytes = await joinParts({ parts: spliced.parts, size: spliced.parts.reduce((s, p) => s + p.length, 0) });
    expect(Buffer.from(inflateRawSync(bytes)).equals(joined(ps))).toBe(true);
  });

  it("is null for a host that cannot deflate a part without ending the stream", async () => {
    expect(await spliceDeflate(pieces([fixtures[0]!], (d) => deflateRawSync(d)), { ...nodeCodecs, deflateRawPart: undefined })).toBeNull();
  });
});
