import { describe, expect, it } from "vitest";
import { sliceRanges, thinSlice } from "../../src/macho/thin.js";
import { MachOError } from "../../src/model/errors.js";
import { firstDifference, readCases, readFatOracle, readFixture, retagArchName, thinOracles } from "../fixtures/fat/oracle.js";
import { buildFat, buildImage } from "./builder.js";

describe("thinSlice against llvm-lipo -thin", () => {
  const oracles = thinOracles();

  it("has a lipo -thin output for every slice of every fat fixture", () => {
    expect(new Set(oracles.map((o) => o.fixture))).toEqual(
      new Set(["ext_universal2.so", "ext_universal2_fat64.so", "ext_universal2_x86_64_noinit.so", "ext_arm64e_x86_64h.so", "archive_fat.a"]),
    );
  });

  it.each(oracles)("$fixture, $arch: the bytes lipo takes out, as a view of the file", ({ fixture, arch, file }) => {
    const fat = readFixture(`macho/${fixture}`);
    const slice = thinSlice(fat, arch);
    expect(slice).not.toBeNull();
    expect(firstDifference(slice!.bytes, readFixture(file))).toBe(-1);
    expect(slice!.bytes.buffer).toBe(fat.buffer);
    expect(slice!.bytes.byteOffset - fat.byteOffset).toBe(slice!.offset);
  });
});

describe("thinning lipo's fat files back gives each input's bytes", () => {
  const cases = readCases().filter((c) => c.refused === null);
  // Every slice of every input: a thin input is one slice, a fat one contributes each of its own.
  const rows = cases.flatMap((c) =>
    c.inputs.flatMap((input) => sliceRanges(readFixture(input))!.map((slice) => ({ name: c.name, input, arch: slice.arch, bytes: slice.bytes }))),
  );

  it.each(rows)("$name: $arch from $input", ({ name, arch, bytes }) => {
    const slice = thinSlice(readFixture(`fat/out/${name}`), arch);
    expect(slice).not.toBeNull();
    expect(firstDifference(slice!.bytes, bytes)).toBe(-1);
  });

  it.each(cases)("$name: sliceRanges reads the entries llvm-objdump reads", ({ name }) => {
    const oracle = readFatOracle(name);
    const ranges = sliceRanges(readFixture(`fat/out/${name}`))!;
    expect(ranges.map(({ arch, offset, size, align }) => ({ name: arch, offset, size, align }))).toEqual(
      oracle.archs.map((a) => ({ ...a, name: retagArchName(a.name) })),
    );
  });
});

describe("thin files", () => {
  const rows: { file: string; arch: string; kind: "image" | "archive"; other: string }[] = [
    { file: "macho/ext_arm64_11.0.so", arch: "arm64", kind: "image", other: "x86_64" },
    { file: "macho/ext_x86_64_10.9.so", arch: "x86_64", kind: "image", other: "x86_64h" },
    { file: "fat/thin/ext_arm64e_x86_64h.so.arm64e", arch: "arm64e", kind: "image", other: "arm64" },
    { file: "macho/obj_i386.o", arch: "i386", kind: "image", other: "x86_64" },
    { file: "macho/archive_arm64.a", arch: "arm64", kind: "archive", other: "x86_64" },
  ];

  it.each(rows)("$file is its own $arch slice, and has no $other slice", ({ file, arch, kind, other }) => {
    const bytes = readFixture(file);
    const slice = thinSlice(bytes, arch);
    expect(slice).toMatchObject({ arch, kind, offset: 0, size: bytes.length, align: null });
    expect(slice!.bytes.length).toBe(bytes.length);
    expect(slice!.bytes.buffer).toBe(bytes.buffer);
    expect(slice!.bytes.byteOffset).toBe(bytes.byteOffset);
    expect(thinSlice(bytes, other)).toBeNull();
  });

  it("an arch not in a fat file is null, even a close one", () => {
    expect(thinSlice(readFixture("macho/ext_arm64e_x86_64h.so"), "arm64")).toBeNull();
    expect(thinSlice(readFixture("macho/ext_arm64e_x86_64h.so"), "x86_64")).toBeNull();
  });
});

describe("what is not a Mach-O file", () => {
  it.each([
    { name: "text", bytes: new TextEncoder().encode("hello, world\n") },
    { name: "three bytes", bytes: new Uint8Array([0xcf, 0xfa, 0xed]) },
  ])("$name: sliceRanges is null and thinSlice throws", ({ bytes }) => {
    expect(sliceRanges(bytes)).toBeNull();
    expect(() => thinSlice(bytes, "arm64")).toThrow(MachOError);
  });

  it("a fat file whose slice runs past the end is a MachOError", () => {
    const fat = buildFat([{ bytes: buildImage().bytes }]).bytes;
    expect(() => thinSlice(fat.subarray(0, fat.length - 1), "arm64")).toThrow(/runs past the end of the file/);
  });
});
