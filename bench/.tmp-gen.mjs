import { ensureWheel, SHAPES, FUSE_PLATFORMS } from "./generate.mjs";
const folder = "/tmp/fusebench";
const log = (l) => console.error(l);
for (const [id, shape, seed] of [["fuse_big", SHAPES.big, 5], ["fuse", SHAPES.large, 4]]) {
  for (const arch of ["arm64", "x86_64"]) await ensureWheel(folder, { dist: `bench_${id}`, shape, platform: FUSE_PLATFORMS[arch], seed, arch }, log);
}
await ensureWheel(folder, { dist: "bench_large", shape: SHAPES.large, platform: "macosx_10_9_universal2", seed: 3 }, log);
