// The reused inflater for small members (src/node/inflate-small.ts): zlib's bytes for every stream
// zlib's one-shot call inflates, the same refusals (cut short, not deflate, more than allowed), and
// a handle that still works after each refusal.
import { deflateRawSync, inflateRawSync, constants } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError } from "../../src/model/errors.js";
import { inflateSmall } from "../../src/node/inflate-small.js";

const text = Buffer.from("def f():\n    return 1\n".repeat(300));

describe("inflateSmall", () => {
  it.each([
    ["level 6", deflateRawSync(text)],
    ["level 0 (stored)", deflateRawSync(text, { level: 0 })],
    ["fixed Huffman", deflateRawSync(text, { strategy: constants.Z_FIXED })],
    ["nothing", deflateRawSync(Buffer.alloc(0))],
  ])("%s: the bytes zlib gives", (_label, stream) => {
    const expected = inflateRawSync(stream);
    expect(Buffer.from(inflateSmall(stream, expected.length)!).equals(expected)).toBe(true);
    // A declared size above the real one: the real bytes (readMember compares the sizes).
    expect(inflateSmall(stream, expected.length + 100)!.length).toBe(expected.length);
  });

  it.each([
    ["cut short", deflateRawSync(text).subarray(0, 20), text.length, "corrupt", /unexpected end of file/],
    ["cut before its last byte", deflateRawSync(text).subarray(0, deflateRawSync(text).length - 1), text.length, "corrupt", /unexpected end of file/],
    ["not deflate", Buffer.from([0b111, 1, 2]), 100, "corrupt", /invalid block type/],
    ["more than allowed", deflateRawSync(text), text.length - 1, "too-large", /more than/],
  ] as const)("refuses data %s with CodecError(%s), then inflates the next member", (_label, data, max, kind, message) => {
    expect(() => inflateSmall(data, max)).toThrow(CodecError);
    expect(() => inflateSmall(data, max)).toThrow(message);
    try {
      inflateSmall(data, max);
    } catch (error) {
      expect((error as CodecError).kind).toBe(kind);
    }
    expect(Buffer.from(inflateSmall(deflateRawSync(text), text.length)!).equals(text)).toBe(true);
  });

  it("agrees with zlib's one-shot call on any bytes and any cut stream", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat({ max: 2100 }), (bytes, cut) => {
        for (const data of [Buffer.from(bytes), deflateRawSync(bytes).subarray(0, cut), deflateRawSync(bytes)]) {
          let expected: Buffer | null = null;
          try {
            expected = inflateRawSync(data, { maxOutputLength: 4000 });
          } catch {
            expected = null;
          }
          let got: Uint8Array | null = null;
          try {
            got = inflateSmall(data, 4000);
          } catch (error) {
            expect(error).toBeInstanceOf(CodecError);
          }
          if (expected === null) expect(got).toBeNull();
          else expect(Buffer.from(got!).equals(expected)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
