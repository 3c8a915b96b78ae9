// The fat files fuse makes while its inputs are read (src/flow/fuse-early.ts): a member's fat file
// once every input has handed in its copy, the inputs held in step when the copies waiting would pass
// the budget, and never a hold that cannot end (every other input held, or one finished reading).
import { describe, expect, it } from "vitest";
import { earlyFats } from "../../src/flow/fuse-early.js";
import type { BinaryReport } from "../../src/model/binary.js";
import { openZip, type ZipArchive } from "../../src/zip/index.js";
import { nodeCodecs, readMemberBytes } from "../helpers/core.js";
import { DYLIB, EXTENSION, lipoOutput, thinPair } from "./helpers.js";

const MACHO = { kind: "macho", error: null } as unknown as BinaryReport;
const TEXT = { kind: "elf", error: null } as unknown as BinaryReport;

/** Whether a promise has settled by the time the queued jobs have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
  return done;
}

describe("earlyFats", async () => {
  const wheels = await thinPair();
  const archives: ZipArchive[] = await Promise.all(wheels.map((w) => openZip(w.bytes)));
  const copy = async (input: number, name: string) => {
    const archive = archives[input]!;
    const member = archive.members.find((m) => m.name === name)!;
    return [archive, member, await readMemberBytes(archive, member)] as const;
  };

  it("makes a member's fat file once both inputs have handed in their copies: llvm-lipo's bytes, hashed", async () => {
    const early = earlyFats(2, nodeCodecs, 1 << 20, new Set([1]));
    const [a0, m0, b0] = await copy(0, EXTENSION);
    expect(await early.handler(0)(a0, m0, b0, MACHO, null)).toBe(true);
    expect(early.made.size).toBe(0);
    const [a1, m1, b1] = await copy(1, EXTENSION);
    expect(await early.handler(1)(a1, m1, b1, MACHO, null)).toBe(true);
    const fat = early.made.get(EXTENSION)!;
    expect(fat.archs).toEqual(["x86_64", "arm64"]);
    expect(fat.size).toBe(lipoOutput("universal2").length);
    expect(Buffer.from(fat.digest).equals(Buffer.from(await nodeCodecs.digest("sha256", lipoOutput("universal2"))))).toBe(true);
    expect(fat.deflated.size).toBe(fat.size);
    expect(fat.deflated.crc32).toBe(nodeCodecs.crc32(lipoOutput("universal2")));
    // The x86_64 input's slice came first: its streams are the ones to learn the final block of.
    expect(early.finalBlocks(1)()).toBe(true);
    expect(early.finalBlocks(0)()).toBe(false);
  });

  it("refuses what it cannot fuse: not Mach-O, or a second copy from one input", async () => {
    const early = earlyFats(2, nodeCodecs, 1 << 20, new Set());
    const [a0, m0, b0] = await copy(0, EXTENSION);
    expect(await early.handler(0)(a0, m0, b0, TEXT, null)).toBe(false);
    expect(await early.handler(0)(a0, m0, b0, MACHO, null)).toBe(true);
    expect(await early.handler(0)(a0, m0, b0, MACHO, null)).toBe(false);
  });

  it("holds an input whose copy passes the budget until the partner arrives; the other is refused, not held", async () => {
    const early = earlyFats(2, nodeCodecs, 0, new Set([1]));
    const [a0, m0, b0] = await copy(0, EXTENSION);
    const first = early.handler(0)(a0, m0, b0, MACHO, null);
    expect(await settled(first)).toBe(false);
    // Input 1 is ahead on another member: holding it too would hold both forever.
    const [a1d, m1d, b1d] = await copy(1, DYLIB);
    expect(await early.handler(1)(a1d, m1d, b1d, MACHO, null)).toBe(false);
    const [a1, m1, b1] = await copy(1, EXTENSION);
    expect(await early.handler(1)(a1, m1, b1, MACHO, null)).toBe(true);
    expect(await first).toBe(true);
    expect(early.made.has(EXTENSION)).toBe(true);
  });

  it("lets a held input go when another input's read ends (its partner may never come)", async () => {
    const early = earlyFats(2, nodeCodecs, 0, new Set());
    const [a0, m0, b0] = await copy(0, DYLIB);
    const held = early.handler(0)(a0, m0, b0, MACHO, null);
    expect(await settled(held)).toBe(false);
    early.finished();
    expect(await held).toBe(true);
    // From now on nothing is held: over the budget is refused.
    const [a0e, m0e, b0e] = await copy(0, EXTENSION);
    expect(await early.handler(0)(a0e, m0e, b0e, MACHO, null)).toBe(false);
  });
});
