import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatBytes } from "../../src/bytes.js";
import * as C from "../../src/macho/constants.js";
import { layoutFat, writeFat, type FatOutput } from "../../src/macho/fat-write.js";
import { sliceRanges } from "../../src/macho/thin.js";
import { FatWriteError, MachOError } from "../../src/model/errors.js";
import { firstDifference, readCases, readFatOracle, readFixture, readLipoError, retagArchName } from "../fixtures/fat/oracle.js";
import { buildArchive, buildFat, buildImage, setU32 } from "./builder.js";

const cases = readCases();
// retag has no -segalign: those cases only make inputs for others.
const written = cases.filter((c) => c.refused === null && !c.flags.includes("-segalign"));

function bytesOf(output: FatOutput): Uint8Array {
  return concatBytes(output.chunks);
}

function write(c: { inputs: string[]; flags: string[] }): FatOutput {
  return writeFat(c.inputs.map(readFixture), { fat64: c.flags.includes("-fat64") });
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("writeFat against llvm-lipo -create", () => {
  it("has cases of every kind the oracle is meant to cover", () => {
    expect(written.length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.refused !== null).length).toBeGreaterThanOrEqual(3);
  });

  it.each(written)("$name: the same bytes as lipo", (c) => {
    const output = write(c);
    const actual = bytesOf(output);
    const expected = readFixture(`fat/out/${c.name}`);
    expect(output.size).toBe(actual.length);
    expect(firstDifference(actual, expected)).toBe(-1);
  });

  it.each(written)("$name: the archs, offsets, sizes and alignments that llvm-objdump reads", (c) => {
    const output = write(c);
    const oracle = readFatOracle(c.name);
    expect(output.container).toBe(oracle.magic === "FAT_MAGIC_64" ? "fat64" : "fat");
    expect(output.archs.map(({ arch, offset, size, align }) => ({ name: arch, offset, size, align }))).toEqual(
      oracle.archs.map((a) => ({ ...a, name: retagArchName(a.name) })),
    );
  });

  it.each(written)("$name: slices are views of the inputs, and padding is zeros", (c) => {
    const inputs = c.inputs.map(readFixture);
    const output = writeFat(inputs, { fat64: c.flags.includes("-fat64") });
    const [header, ...rest] = output.chunks;
    expect(header!.length).toBe(C.FAT_HEADER_SIZE + output.archs.length * (output.container === "fat64" ? C.FAT_ARCH_64_SIZE : C.FAT_ARCH_SIZE));
    const bodies = rest.filter((chunk) => inputs.some((input) => chunk.buffer === input.buffer));
    expect(bodies.map((b) => b.length)).toEqual(output.archs.map((a) => a.size));
    bodies.forEach((body, i) => expect(body.buffer).toBe(inputs[output.archs[i]!.input]!.buffer));
    const padding = rest.filter((chunk) => !bodies.includes(chunk));
    for (const gap of padding) expect(gap.every((b) => b === 0)).toBe(true);
  });
});

describe("inputs llvm-lipo refuses", () => {
  const refused = cases.filter((c) => c.refused !== null);

  it.each(refused.filter((c) => c.refused !== null && "writes" in c.refused))("$name: retag writes the file lipo would write without the duplicate", (c) => {
    const target = c.refused !== null && "writes" in c.refused ? c.refused.writes : "";
    expect(readLipoError(c.name)).toMatch(/^llvm-lipo: error: /);
    expect(firstDifference(bytesOf(write(c)), readFixture(target))).toBe(-1);
  });

  it.each(refused.filter((c) => c.refused !== null && "refuses" in c.refused))("$name: retag refuses too, naming the arch lipo names", (c) => {
    const problem = c.refused !== null && "refuses" in c.refused ? c.refused.refuses : "";
    const lipoArch = /have the same architecture (\S+)/.exec(readLipoError(c.name))?.[1];
    const error = caught(() => write(c));
    expect(error).toBeInstanceOf(FatWriteError);
    expect((error as FatWriteError).problem).toBe(problem);
    expect((error as FatWriteError).arch).toBe(lipoArch);
    expect((error as FatWriteError).input).toBe(c.inputs.length - 1);
  });
});

describe("writeFat refuses what cannot be one fat file", () => {
  const arm64 = readFixture("macho/ext_arm64_11.0.so");
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array<number>(56).fill(0)]);
  // 31 images of 31 different (unknown) CPUs: one more than a fat file retag can read holds.
  const tooMany = Array.from({ length: 31 }, (_, i) => buildImage({ cputype: 100 + i }).bytes);
  const rows: { name: string; inputs: Uint8Array[]; problem: string; input: number | null }[] = [
    { name: "no inputs", inputs: [], problem: "no-input", input: null },
    { name: "an ELF file", inputs: [arm64, elf], problem: "not-macho", input: 1 },
    { name: "text", inputs: [new TextEncoder().encode("#!/bin/sh\necho hi\n")], problem: "not-macho", input: 0 },
    { name: "31 slices", inputs: tooMany, problem: "too-many-slices", input: null },
  ];
  it.each(rows)("$name", ({ inputs, problem, input }) => {
    const error = caught(() => writeFat(inputs));
    expect(error).toBeInstanceOf(FatWriteError);
    expect((error as FatWriteError).problem).toBe(problem);
    expect((error as FatWriteError).input).toBe(input);
  });

  it("takes 30 slices", () => {
    expect(writeFat(tooMany.slice(0, 30)).archs).toHaveLength(30);
  });

  // The duplicate check compares four bytes at a time when it can: odd lengths and views that do not
  // start on a multiple of 4 must give the same answer.
  const odd = buildImage({ trailing: 3 }).bytes;
  const lastByteDiffers = odd.slice();
  lastByteDiffers[odd.length - 1] = 1;
  const unaligned = (bytes: Uint8Array): Uint8Array => {
    const buffer = new Uint8Array(bytes.length + 1);
    buffer.set(bytes, 1);
    return buffer.subarray(1);
  };
  const duplicates: { name: string; second: Uint8Array; same: boolean }[] = [
    { name: "identical, odd length", second: odd.slice(), same: true },
    { name: "the last byte differs", second: lastByteDiffers, same: false },
    { name: "identical, a view at an odd offset", second: unaligned(odd), same: true },
    { name: "the last byte differs, a view at an odd offset", second: unaligned(lastByteDiffers), same: false },
  ];
  it.each(duplicates)("a duplicate arm64 slice: $name", ({ second, same }) => {
    const x86 = readFixture("macho/ext_x86_64_10.9.so");
    if (same) expect(writeFat([odd, x86, second]).archs.map((a) => [a.arch, a.input])).toEqual([["x86_64", 1], ["arm64", 0]]);
    else expect((caught(() => writeFat([odd, x86, second])) as FatWriteError).problem).toBe("duplicate-arch");
  });

  it("treats cpusubtypes that differ only in capability bits as one arch (lipo would write both)", () => {
    const plain = buildImage({ cpusubtype: C.CPU_SUBTYPE_ARM64E }).bytes;
    const ptrauth = buildImage({ cpusubtype: (C.CPU_SUBTYPE_ARM64E | 0x80000000) >>> 0 }).bytes;
    const error = caught(() => writeFat([plain, ptrauth]));
    expect(error).toBeInstanceOf(FatWriteError);
    expect((error as FatWriteError).arch).toBe("arm64e");
  });

  const archive = (members: Uint8Array[]): Uint8Array => {
    // <ar.h>: "!<arch>\n", then per member a 60-byte header (name, date, uid, gid, mode, size, "`\n").
    const parts: Uint8Array[] = [new TextEncoder().encode(C.ARMAG)];
    members.forEach((m, i) => {
      const size = m.length + (m.length % 2);
      const name = `m${i}.o/`.padEnd(16);
      parts.push(new TextEncoder().encode(`${name}${"0".padEnd(12)}${"0".padEnd(6)}${"0".padEnd(6)}${"644".padEnd(8)}${String(size).padEnd(10)}\`\n`));
      parts.push(m, new Uint8Array(size - m.length));
    });
    return concatBytes(parts);
  };
  const x86Object = buildImage({ cputype: C.CPU_TYPE_X86_64, cpusubtype: 3, filetype: C.MH_OBJECT }).bytes;
  const armObject = buildImage({ filetype: C.MH_OBJECT }).bytes;
  const badArchives: { name: string; bytes: Uint8Array; message: RegExp }[] = [
    { name: "members of two archs", bytes: archive([armObject, x86Object]), message: /is x86_64 .* but "m0.o\/" is arm64/ },
    { name: "no Mach-O member", bytes: buildArchive(), message: /is not a Mach-O object/ },
    { name: "no members", bytes: archive([]), message: /no Mach-O member/ },
    { name: "a fat member", bytes: archive([buildFat([{ bytes: armObject }]).bytes]), message: /is a fat file/ },
    { name: "an LLVM bitcode member", bytes: archive([new Uint8Array([0x42, 0x43, 0xc0, 0xde, 1, 2, 3, 4])]), message: /LLVM bitcode/ },
    { name: "a truncated member", bytes: archive([armObject]).subarray(0, 90), message: /ar_size \d+ runs past the end/ },
  ];
  it.each(badArchives)("an archive with $name is a MachOError", ({ bytes, message }) => {
    const error = caught(() => writeFat([bytes]));
    expect(error).toBeInstanceOf(MachOError);
    expect((error as MachOError).message).toMatch(message);
  });

  it("aligns a 32-bit archive slice to 2^2 and a 64-bit one to 2^3 (Slice::create)", () => {
    const i386 = buildImage({ bits: 32, filetype: C.MH_OBJECT }).bytes;
    const output = writeFat([archive([i386]), archive([armObject])]);
    expect(output.archs.map((a) => [a.arch, a.align])).toEqual([
      ["i386", 2],
      ["arm64", 3],
    ]);
  });

  it("throws the reader's MachOError for a malformed image", () => {
    const image = buildImage().bytes;
    setU32(image, 20, 0xffff, true); // sizeofcmds past the end
    expect(caught(() => writeFat([image]))).toBeInstanceOf(MachOError);
  });
});

describe("layoutFat: FAT_MAGIC_64 only when a field needs 64 bits", () => {
  const GiB4 = 0x1_0000_0000;
  // Two entries: the header is 8 + 2 × 20 = 48 bytes (FAT_MAGIC) or 8 + 2 × 32 = 72 (FAT_MAGIC_64).
  const rows: { name: string; sizes: [number, number]; align: number; fat64: boolean; container: string; second: number }[] = [
    { name: "small slices", sizes: [100, 100], align: 0, fat64: false, container: "fat", second: 148 },
    { name: "small slices, -fat64 asked", sizes: [100, 100], align: 0, fat64: true, container: "fat64", second: 172 },
    { name: "the last offset is UINT32_MAX", sizes: [GiB4 - 1 - 48, 1], align: 0, fat64: false, container: "fat", second: GiB4 - 1 },
    { name: "the last offset is 2^32", sizes: [GiB4 - 48, 1], align: 0, fat64: false, container: "fat64", second: GiB4 - 48 + 72 },
    { name: "a slice of 4 GiB", sizes: [16, GiB4], align: 0, fat64: false, container: "fat64", second: 88 },
    { name: "an offset past 2^32 after alignment", sizes: [GiB4 - 0x8000 + 1, 16], align: 14, fat64: false, container: "fat64", second: GiB4 },
  ];
  it.each(rows)("$name", ({ sizes, align, fat64, container, second }) => {
    const slices = sizes.map((size, i) => ({ cputype: C.CPU_TYPE_X86_64, cpusubtype: i, align, size }));
    const layout = layoutFat(slices, fat64);
    expect(layout.container).toBe(container);
    expect(layout.archs[1]!.offset).toBe(second);
    expect(layout.size).toBe(second + sizes[1]);
  });
});

describe("under mutation, only typed errors", () => {
  // Seeds where the fat writer reads more than the parser does: archive members, segment and section
  // alignments, fat_arch.align of fat inputs.
  const seeds = ["macho/archive_arm64.a", "macho/archive_fat.a", "macho/obj_i386.o", "fat/crafted/hppa_object.bin", "fat/crafted/hppa64_bundle.bin", "fat/out/skewed-x86"].map(readFixture);
  const mutation = fc.oneof(
    // Most fields that matter are in the first few hundred bytes.
    fc.record({ at: fc.nat({ max: 512 }), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ truncate: fc.nat() }),
  );
  it("writeFat and sliceRanges return, or throw MachOError / FatWriteError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        let bytes = seeds[index]!.slice();
        for (const m of mutations) {
          if ("truncate" in m) bytes = bytes.subarray(0, m.truncate % (bytes.length + 1));
          else if (bytes.length > 0) bytes[m.at % bytes.length] = m.value;
        }
        for (const run of [() => writeFat([bytes]), () => sliceRanges(bytes)]) {
          try {
            run();
          } catch (error) {
            if (!(error instanceof MachOError || error instanceof FatWriteError)) throw error;
          }
        }
      }),
      { seed: 20250601, numRuns: 2000 },
    );
  });
});
