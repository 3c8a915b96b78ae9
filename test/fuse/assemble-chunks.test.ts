// The assembler's chunked member data (fuse writes each fat file this way): the archive is the one
// the joined bytes would give, the chunks are never joined when the host deflates chunk by chunk,
// and each entry's chunks are made only when the assembler reaches it, one entry at a time.
import { describe, expect, it } from "vitest";
import type { Codecs } from "../../src/model/ports.js";
import { assembleZip, joinParts, openZip, type ChunkedData } from "../../src/zip/index.js";
import { nodeCodecs, readMemberBytes } from "../helpers/core.js";
import { lipoOutput } from "./helpers.js";

const fat = lipoOutput("universal2");
/** The fat file cut the way writeFat cuts one: header, padding, slice, padding, slice (any cut must do). */
const cuts = [0, 28, 4096, 4096 + 12552, 32768, fat.length];
const pieces = cuts.slice(1).map((end, i) => fat.subarray(cuts[i], end));
const chunked = (chunks: readonly Uint8Array[]): ChunkedData => ({ chunks: async () => chunks });

/** Node's codecs without the streaming methods: a host that only has the one-shot ones. */
const oneShot: Codecs = { ...nodeCodecs, deflateRawChunks: undefined, digestChunks: undefined };

async function archiveOf(data: Uint8Array | ChunkedData, method: 0 | 8, codecs: Codecs): Promise<Uint8Array> {
  const entry = data instanceof Uint8Array ? { name: "pkg/_m.so", data, method } : { name: "pkg/_m.so", data, method };
  return joinParts(await assembleZip({ entries: [{ kind: "new", entry }] }, codecs));
}

describe("chunked member data", () => {
  it.each([
    ["deflated, streaming codecs", 8, nodeCodecs],
    ["deflated, one-shot codecs", 8, oneShot],
    ["stored, streaming codecs", 0, nodeCodecs],
    ["stored, one-shot codecs", 0, oneShot],
  ] as const)("%s: the same archive as the joined bytes, and the member reads back", async (_label, method, codecs) => {
    const joined = await archiveOf(fat, method, nodeCodecs);
    const fromChunks = await archiveOf(chunked(pieces), method, codecs);
    expect(Buffer.from(fromChunks).equals(Buffer.from(joined))).toBe(true);
    const zip = await openZip(fromChunks);
    expect(Buffer.from(await readMemberBytes(zip, zip.members[0]!)).equals(Buffer.from(fat))).toBe(true);
  });

  it("deflates chunk by chunk when the host can: no buffer of the member's size is ever deflated", async () => {
    const sizes: number[] = [];
    const spy: Codecs = {
      ...nodeCodecs,
      deflateRaw: (data) => (sizes.push(data.length), nodeCodecs.deflateRaw(data)),
      deflateRawChunks: (chunks) => (sizes.push(...chunks.map((c) => c.length)), nodeCodecs.deflateRawChunks!(chunks)),
    };
    await assembleZip({ entries: [{ kind: "new", entry: { name: "a", data: chunked(pieces) } }] }, spy);
    expect(sizes).toEqual(pieces.map((p) => p.length));
    expect(Math.max(...sizes)).toBeLessThan(fat.length);
  });

  it("a stored member's parts are the chunks themselves (views, not copies)", async () => {
    const zip = await assembleZip({ entries: [{ kind: "new", entry: { name: "a", data: chunked(pieces), method: 0 } }] }, nodeCodecs);
    for (const piece of pieces) expect(zip.parts).toContain(piece);
  });

  it("makes each entry's chunks when it gets to that entry, in order, once", async () => {
    const events: string[] = [];
    const lazy = (name: string): ChunkedData => ({
      chunks: async () => {
        events.push(`make ${name}`);
        return [new TextEncoder().encode(name)];
      },
    });
    const spy: Codecs = { ...nodeCodecs, deflateRaw: (data) => (events.push(`deflate ${new TextDecoder().decode(data)}`), nodeCodecs.deflateRaw(data)) };
    await assembleZip({ entries: ["a", "b", "c"].map((name) => ({ kind: "new" as const, entry: { name, data: lazy(name) } })) }, spy);
    expect(events).toEqual(["make a", "deflate a", "make b", "deflate b", "make c", "deflate c"]);
  });

  it("a replaced member given as chunks keeps its name, time, attributes and stored method", async () => {
    const input = await joinParts(
      await assembleZip({ entries: [{ kind: "new", entry: { name: "pkg/_m.so", data: new Uint8Array(3), method: 0, mode: 0o755, date: new Date(Date.UTC(2024, 4, 6, 7, 8, 10)) } }] }, nodeCodecs),
    );
    const archive = await openZip(input);
    const out = await openZip(await joinParts(await assembleZip({ entries: [{ kind: "replace", archive, index: 0, data: chunked(pieces) }] }, nodeCodecs)));
    const [before, after] = [archive.members[0]!, out.members[0]!];
    expect({ ...after, size: 0, crc32: 0, compressedSize: 0 }).toEqual({ ...before, size: 0, crc32: 0, compressedSize: 0 });
    expect(after.method).toBe(0);
    expect(Buffer.from(await readMemberBytes(out, after)).equals(Buffer.from(fat))).toBe(true);
  });
});
