// Codecs.inflateRawInto on Node (src/node/inflate-into.ts): in the thread pool (a node:zlib stream
// writing into the caller's buffer) and on this thread (a reused handle), fed in pieces. Both must
// give zlib's one-shot bytes for any stream cut into any pieces, refuse what it refuses (cut short,
// not deflate, more than allowed) as CodecError, and leave nothing written past the target.
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError } from "../../src/model/errors.js";
import type { PieceInflater } from "../../src/model/ports.js";
import { backgroundInflater, foregroundInflater } from "../../src/node/inflate-into.js";

const text = Buffer.from("def f():\n    return 1\n".repeat(3000));
const INFLATERS = [
  ["in the thread pool", backgroundInflater],
  ["on this thread", foregroundInflater],
] as const;

/** `data` fed to a new inflater in pieces of `piece` bytes, into a target of `room` bytes: what it wrote, or the CodecError. */
async function inflate(make: (target: Uint8Array) => PieceInflater | null, data: Uint8Array, room: number, piece: number): Promise<Buffer | CodecError> {
  const target = new Uint8Array(room);
  const inflater = make(target);
  if (inflater === null) throw new Error("this Node's zlib is not as expected");
  try {
    let written = 0;
    for (let at = 0; at < data.length || at === 0; at += piece) {
      written = await inflater.write(data.subarray(at, at + piece), at + piece >= data.length);
    }
    return Buffer.from(target.subarray(0, written));
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  } finally {
    inflater.close();
  }
}

describe.each(INFLATERS)("inflateRawInto %s", (_where, make) => {
  it.each([
    ["level 6, one piece", deflateRawSync(text), 1 << 20],
    ["level 6, 1 KiB pieces", deflateRawSync(text), 1024],
    ["stored blocks, 100-byte pieces", deflateRawSync(text, { level: 0 }), 100],
    ["fixed Huffman, 1-byte pieces", deflateRawSync(text.subarray(0, 3000), { strategy: constants.Z_FIXED }), 1],
    ["an empty stream", deflateRawSync(Buffer.alloc(0)), 16],
    ["trailing bytes after the stream (ignored, as by the one-shot call)", Buffer.concat([deflateRawSync(text), Buffer.from("garbage after the end")]), 4096],
  ])("%s: zlib's bytes", async (_label, stream, piece) => {
    const expected = inflateRawSync(stream);
    const got = await inflate(make, stream, expected.length + 1, piece);
    expect(got).toBeInstanceOf(Buffer);
    expect((got as Buffer).equals(expected)).toBe(true);
  });

  it.each([
    ["cut short", deflateRawSync(text).subarray(0, 200), text.length + 1, "corrupt", /unexpected end of file/],
    ["not deflate", Buffer.from([0b111, 1, 2, 3]), 100, "corrupt", /invalid block type/],
    ["one byte more than allowed", deflateRawSync(text), text.length, "too-large", /more than/],
    // 64 MiB of zeros (~64 KiB compressed) into 1 KiB: refused at once, not inflated to the end.
    ["a bomb", deflateRawSync(Buffer.alloc(64 << 20)), 1024, "too-large", /more than 1023 bytes/],
  ] as const)("refuses data %s with CodecError(%s)", async (_label, data, room, kind, message) => {
    for (const piece of [data.length, 512]) {
      const got = await inflate(make, data, room, piece);
      expect(got).toBeInstanceOf(CodecError);
      expect((got as CodecError).kind).toBe(kind);
      expect((got as CodecError).message).toMatch(message);
    }
    // The next stream inflates as usual (a reused handle is reset).
    expect(await inflate(make, deflateRawSync(text), text.length + 1, 4096)).toEqual(text);
  });

  it("writes only into the target, after what it already wrote", async () => {
    const backing = new Uint8Array(text.length + 101).fill(0xee);
    const target = backing.subarray(50, 50 + text.length + 1);
    const inflater = make(target)!;
    const data = deflateRawSync(text);
    let written = 0;
    for (let at = 0; at < data.length; at += 700) written = await inflater.write(data.subarray(at, at + 700), at + 700 >= data.length);
    inflater.close();
    expect(written).toBe(text.length);
    expect(Buffer.from(target.subarray(0, written)).equals(text)).toBe(true);
    expect(backing.subarray(0, 50).every((b) => b === 0xee)).toBe(true);
    expect(backing.subarray(50 + text.length).every((b) => b === 0xee)).toBe(true);
  });

  it("agrees with zlib's one-shot call on any bytes, cut stream and piece size", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.nat({ max: 3100 }), fc.integer({ min: 1, max: 4000 }), async (bytes, cut, piece) => {
        for (const data of [Buffer.from(bytes), deflateRawSync(bytes).subarray(0, cut), deflateRawSync(bytes)]) {
          let expected: Buffer | null;
          try {
            expected = inflateRawSync(data, { maxOutputLength: 4000 });
          } catch {
            expected = null;
          }
          const got = await inflate(make, data, 4001, piece);
          if (expected === null) expect(got).toBeInstanceOf(CodecError);
          else expect(got).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
