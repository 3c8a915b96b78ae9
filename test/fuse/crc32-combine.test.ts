// crc32Combine (src/zip/crc32-combine.ts): the CRC-32 of two pieces joined from their CRCs and the
// second's length, as zlib computes the joined bytes' CRC, for any pieces and lengths.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32Combine } from "../../src/zip/crc32-combine.js";
import { nodeCodecs } from "../helpers/core.js";

const crcOf = (bytes: Uint8Array): number => nodeCodecs.crc32(bytes);

describe("crc32Combine", () => {
  it("is the CRC-32 of the pieces joined, for any two pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        expect(crc32Combine(crcOf(a), crcOf(b), b.length)).toBe(crcOf(Buffer.concat([a, b])));
      }),
      { numRuns: 500 },
    );
  });

  it.each([0, 1, 7, 4096, 16_384, 1_000_003, 5 * 2 ** 20])("holds for a second piece of %i zero bytes (a fat file's padding, a slice)", (n) => {
    const a = new TextEncoder().encode("retag fuse");
    const b = new Uint8Array(n);
    expect(crc32Combine(crcOf(a), crcOf(b), n)).toBe(crcOf(Buffer.concat([a, b])));
  });

  it("joins many pieces in order, as a fat file's header, padding and slices", () => {
    const pieces = [new Uint8Array(48).fill(0xca), new Uint8Array(4000), new Uint8Array(70_000).map((_, i) => i * 7), new Uint8Array(12_000), new Uint8Array(9).fill(1)];
    let crc = 0;
    for (const p of pieces) crc = crc32Combine(crc, crcOf(p), p.length);
    expect(crc).toBe(crcOf(Buffer.concat(pieces)));
  });
});
