// `retag show` (and check -v / JSON) shows every format's facts: arch, platform, minimum OS / API
// level, libc and glibc floor, hybrid kind, init export — text and JSON (version 1: fields added).
import { describe, expect, it } from "vitest";
import { binaryJson, showJson, showText } from "../../src/cli/render.js";
import { showSource } from "../../src/flow/show.js";
import { memorySource } from "../../src/zip/index.js";
import { readNativeFixture } from "../fixtures/native.js";
import { nodeCodecs } from "../helpers/core.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { macho, native } from "./rows.js";

async function shown() {
  const wheel = await makeWheel({
    filename: "pkg-1.0-cp313-cp313-manylinux_2_28_x86_64.whl",
    members: {
      "pkg/_m.cpython-313-x86_64-linux-gnu.so": native("ext_linux_x86_64_glibc2.28.so"),
      "pkg/a/_m.cpython-313-aarch64-linux-android.so": native("ext_android_aarch64_24.so"),
      "pkg/w/_m.cp313-win_amd64.pyd": native("ext_win_arm64ec.pyd"),
      "pkg/e/_m.cpython-313-wasm32-emscripten.so": native("ext_emscripten_wasm32.so"),
      "pkg/d/_m.cpython-313-darwin.so": macho("ext_arm64_11.0.so"),
    },
  });
  return showSource(wheel.filename, memorySource(wheel.bytes), nodeCodecs);
}

describe("retag show for every format", () => {
  it("text: one table per binary, with each format's facts", async () => {
    const text = showText("w.whl", await shown());
    const lines = text.split("\n").map((l) => l.trim().replace(/\s+/g, " "));
    expect(lines).toContain("pkg/_m.cpython-313-x86_64-linux-gnu.so (ELF)");
    expect(lines).toContain("x86_64 linux - glibc 2.28 dyn yes");
    expect(lines).toContain("aarch64 android 24 bionic dyn yes"); // the API level from .note.android.ident
    expect(lines).toContain("pkg/w/_m.cp313-win_amd64.pyd (PE)");
    expect(lines).toContain("win_amd64 windows - arm64ec dll yes");
    expect(lines).toContain("wasm32 emscripten - side-module yes");
    expect(lines).toContain("pkg/d/_m.cpython-313-darwin.so (thin)"); // Mach-O keeps its slice table
    expect(text).toMatch(/exports PyInit__m/);
    expect(text).toMatch(/exports _PyInit__m/);
  });

  it("JSON: format and images for every binary, Mach-O slices as before", async () => {
    const doc = JSON.parse(showJson([{ path: "w.whl", binaries: await shown() }])) as { version: number; files: { binaries: Array<Record<string, unknown>> }[] };
    expect(doc.version).toBe(1);
    const byMember = new Map(doc.files[0]!.binaries.map((b) => [b.member, b]));
    expect(byMember.get("pkg/_m.cpython-313-x86_64-linux-gnu.so")).toMatchObject({
      format: "elf",
      container: null,
      slices: [],
      images: [{ arch: "x86_64", platform: "linux", minos: null, type: "dyn", loaded: true, initExported: true, libc: "glibc", glibc: "2.28", hybrid: null }],
    });
    expect(byMember.get("pkg/a/_m.cpython-313-aarch64-linux-android.so")).toMatchObject({ images: [{ platform: "android", minos: "24", libc: "bionic" }] });
    expect(byMember.get("pkg/w/_m.cp313-win_amd64.pyd")).toMatchObject({ format: "pe", images: [{ arch: "win_amd64", hybrid: "arm64ec", type: "dll" }] });
    expect(byMember.get("pkg/d/_m.cpython-313-darwin.so")).toMatchObject({
      format: "macho",
      container: "thin",
      slices: [{ arch: "arm64", platform: "macos", minos: "11.0", pyinit: true }],
      images: [{ arch: "arm64", platform: "macos", minos: "11.0", type: "bundle", loaded: true, initExported: true }],
    });
  });

  it("a plain ELF file given to show is read by its own name", async () => {
    const bytes = readNativeFixture("elf", "ext_linux_x86_64_noinit.so");
    const [report] = await showSource("/tmp/_m.cpython-313-x86_64-linux-gnu.so", memorySource(bytes), nodeCodecs);
    expect(binaryJson(report!)).toMatchObject({ member: null, format: "elf", initSymbol: "PyInit__m", images: [{ initExported: false }] });
    expect(showText("_m.so", [report!])).toMatch(/dyn\s+NO/);
  });
});
