// Where the launcher keeps its V8 code cache (src/entry/code-cache.ts): the platform's per-user cache
// folder, never a shared one, and none when Node's switch turns compile caches off.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { codeCacheFolder, codeCacheName } from "../../src/entry/code-cache.js";

describe("codeCacheFolder", () => {
  const posix = path.posix;
  const win = path.win32;
  it.each([
    { why: "Linux: ~/.cache", env: {}, platform: "linux", home: "/home/u", p: posix, want: "/home/u/.cache/wheel-retag" },
    { why: "XDG_CACHE_HOME wins", env: { XDG_CACHE_HOME: "/x/cache" }, platform: "linux", home: "/home/u", p: posix, want: "/x/cache/wheel-retag" },
    { why: "a relative XDG_CACHE_HOME is ignored (the XDG spec)", env: { XDG_CACHE_HOME: "cache" }, platform: "linux", home: "/home/u", p: posix, want: "/home/u/.cache/wheel-retag" },
    { why: "macOS: ~/Library/Caches", env: {}, platform: "darwin", home: "/Users/u", p: posix, want: "/Users/u/Library/Caches/wheel-retag" },
    { why: "Windows: %LOCALAPPDATA%", env: { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, platform: "win32", home: "C:\\Users\\u", p: win, want: "C:\\Users\\u\\AppData\\Local\\wheel-retag" },
    { why: "Windows without LOCALAPPDATA: none", env: {}, platform: "win32", home: "C:\\Users\\u", p: win, want: undefined },
    { why: "no home: none (never the shared temp folder)", env: {}, platform: "linux", home: "", p: posix, want: undefined },
    { why: "NODE_DISABLE_COMPILE_CACHE: none", env: { NODE_DISABLE_COMPILE_CACHE: "1", XDG_CACHE_HOME: "/x" }, platform: "linux", home: "/home/u", p: posix, want: undefined },
    { why: "an empty NODE_DISABLE_COMPILE_CACHE does not turn it off", env: { NODE_DISABLE_COMPILE_CACHE: "" }, platform: "linux", home: "/home/u", p: posix, want: "/home/u/.cache/wheel-retag" },
  ] as const)("$why", ({ env, platform, home, p, want }) => {
    expect(codeCacheFolder(env, platform, home, p)).toBe(want);
  });
});

describe("codeCacheName", () => {
  it("differs for another bundle, Node release or arch", () => {
    const names = new Set([
      codeCacheName("0123456789abcdef", "20.19.0", "x64"),
      codeCacheName("fedcba9876543210", "20.19.0", "x64"),
      codeCacheName("0123456789abcdef", "20.20.0", "x64"),
      codeCacheName("0123456789abcdef", "20.19.0", "arm64"),
    ]);
    expect(names.size).toBe(4);
  });
});
