// Where audit looks by default (src/node/locations.ts) and which hosts this machine is (src/node/host.ts),
// with the environment, the platform and the commands injected.
import { describe, expect, it } from "vitest";
import { resolveHosts } from "../../src/cli/audit.js";
import { formatHost } from "../../src/flow/host.js";
import { machineHosts, type RunCommand } from "../../src/node/host.js";
import { defaultCaches, defaultLocations, type LocationFacts } from "../../src/node/locations.js";

const facts = (over: Partial<LocationFacts>): LocationFacts => ({
  env: {},
  platform: "linux",
  home: "/home/me",
  run: async () => null,
  exists: async () => true,
  list: async () => [],
  ...over,
});

describe("the caches pip and uv use", () => {
  it.each([
    ["linux", {}, { pip: "/home/me/.cache/pip", uv: "/home/me/.cache/uv" }],
    ["linux", { XDG_CACHE_HOME: "/xdg" }, { pip: "/xdg/pip", uv: "/xdg/uv" }],
    ["darwin", {}, { pip: "/home/me/Library/Caches/pip", uv: "/home/me/.cache/uv" }],
    ["darwin", { XDG_CACHE_HOME: "/xdg" }, { pip: "/home/me/Library/Caches/pip", uv: "/xdg/uv" }],
    ["win32", { LOCALAPPDATA: "/appdata" }, { pip: "/appdata/pip/Cache", uv: "/appdata/uv/cache" }],
    ["darwin", { PIP_CACHE_DIR: "/p", UV_CACHE_DIR: "/u" }, { pip: "/p", uv: "/u" }],
  ] as const)("%s with %j", (platform, env, expected) => {
    expect(defaultCaches({ platform, env, home: "/home/me" })).toEqual(expected);
  });
});

describe("the current environment", () => {
  it("$VIRTUAL_ENV: its lib/python3.*/site-packages, without asking python3", async () => {
    const asked: string[] = [];
    const found = await defaultLocations(
      facts({
        env: { VIRTUAL_ENV: "/v" },
        run: async (file) => (asked.push(file), null),
        list: async (p) => (p === "/v/lib" ? ["python3.13", "site-python"] : []),
        exists: async (p) => p === "/v/lib/python3.13/site-packages",
      }),
    );
    expect(found).toEqual([{ path: "/v/lib/python3.13/site-packages", why: "$VIRTUAL_ENV" }]);
    expect(asked).toEqual([]);
  });

  it("otherwise python3's sysconfig purelib and platlib, then the caches that exist", async () => {
    const run: RunCommand = async (file, args) => (file === "python3" && args[0] === "-c" ? JSON.stringify(["/usr/lib/python3/site", "/usr/lib64/python3/site"]) : null);
    const found = await defaultLocations(facts({ run, exists: async (p) => p !== "/home/me/.cache/uv" }));
    expect(found).toEqual([
      { path: "/usr/lib/python3/site", why: "python3's sysconfig" },
      { path: "/usr/lib64/python3/site", why: "python3's sysconfig" },
      { path: "/home/me/.cache/pip", why: "pip's cache folder" },
    ]);
  });

  it("no python3 and no caches: nothing", async () => {
    expect(await defaultLocations(facts({ exists: async () => false }))).toEqual([]);
  });
});

describe("this machine's hosts", () => {
  const mac = (arch: string, translated: string | null, version = "14.4.1") => ({
    platform: "darwin" as const,
    arch,
    run: (async (file) => (file === "sw_vers" ? version : file === "sysctl" ? translated : null)) satisfies RunCommand,
  });

  it.each([
    ["an arm64 Mac", mac("arm64", null), false, ["macosx_14_4_arm64"]],
    ["an arm64 Mac, all", mac("arm64", null), true, ["macosx_14_4_arm64", "macosx_14_4_x86_64 (Rosetta)"]],
    ["node under Rosetta on an arm64 Mac", mac("x64", "1"), false, ["macosx_14_4_arm64"]],
    ["an Intel Mac, all", mac("x64", "0", "13.6"), true, ["macosx_13_6_x86_64"]],
    ["Linux", { platform: "linux" as const, arch: "x64", run: async () => null }, true, []],
  ])("%s", async (_what, machine, all, expected) => {
    const hosts = await machineHosts(all, machine);
    expect(hosts.map((h) => `${formatHost(h)}${h.rosetta ? " (Rosetta)" : ""}`)).toEqual(expected);
  });

  it("--host values: repeated, comma-separated, deduplicated, and all expanded", async () => {
    const machine = (all: boolean) => machineHosts(all, mac("arm64", null));
    const hosts = await resolveHosts(["macosx_14_0_x86_64,all", "macosx_14_0_x86_64"], machine);
    expect(hosts.map(formatHost)).toEqual(["macosx_14_0_x86_64", "macosx_14_4_arm64", "macosx_14_4_x86_64"]);
    expect((await resolveHosts(undefined, machine)).map(formatHost)).toEqual(["macosx_14_4_arm64"]);
  });
});
