// [tool.retag] in pyproject.toml: parsed strictly, and overridden by flags and the environment.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findConfig, parseConfig } from "../../src/cli/config.js";
import { main } from "../../src/cli/main.js";
import { makeWheel } from "../helpers/make-wheel.js";

describe("parseConfig", () => {
  it.each([
    ["[tool.retag]\nignore = [\"R205\", \"R1\"]\n", { ignore: ["R205", "R1"] }],
    ["[tool.retag]\nignore = \"R205,R1\"\n", { ignore: ["R205", "R1"] }],
    ["[tool.retag]\nrequire-archs = [\"arm64\", \"x86_64\"]\nmacos-target = \"10.13\"\nround = \"up\"\nstrict = true\n", { requireArchs: "arm64,x86_64", macosTarget: "10.13", round: "up", strict: true }],
    ["[project]\nname = \"x\"\n", {}],
    ["[tool.black]\nline-length = 100\n", {}],
  ])("%j", async (text, expected) => {
    expect(await parseConfig(text, "pyproject.toml")).toEqual(expected);
  });

  it.each([
    ["[tool.retag]\nignored = [\"R205\"]\n", /pyproject\.toml \[tool\.retag\]: unknown key "ignored"/],
    ["[tool.retag]\nround = \"sideways\"\n", /round must be "down" or "up"/],
    ["[tool.retag]\nstrict = \"yes\"\n", /strict must be true or false/],
    ["[tool.retag]\nignore = [1, 2]\n", /ignore must be a string or a list of strings/],
    ["[tool.retag\n", /pyproject\.toml: not valid TOML/],
  ])("rejects %j", async (text, message) => {
    await expect(parseConfig(text, "pyproject.toml")).rejects.toThrow(message);
  });
});

describe("configuration on the command line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "retag-config-"));
  const wheel = join(dir, "t-1.0-cp313-cp313-macosx_10_9_x86_64.whl");
  writeFileSync(wheel, (await makeWheel({ filename: "t-1.0-cp313-cp313-macosx_10_9_x86_64.whl", members: { "t/_m.cpython-313-darwin.so": { fixture: "ext_x86_64_10.13.so" } } })).bytes);
  const config = join(dir, "pyproject.toml");
  writeFileSync(config, '[tool.retag]\nignore = ["R202"]\nmacos-target = "10.9"\n');

  async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
    let out = "";
    const code = await main(argv, { stdout: (s) => void (out += `${s}\n`), stderr: (s) => void (out += `${s}\n`) }, env);
    return { code, out };
  }

  it("applies the file's options, and flags override them", async () => {
    const configured = await run(["check", "--config", config, wheel]);
    expect(configured.out).not.toContain("R202 ");
    expect(configured.out).toContain(`R108 above-target: x86_64 slice of t/_m.cpython-313-darwin.so needs macOS 10.13, above the deployment target 10.9 (${config} [tool.retag] macos-target)`);
    const flagged = await run(["check", "--config", config, "--ignore", "R108", wheel]);
    expect(flagged.out).toContain("R202 "); // --ignore replaces the file's list
    expect(flagged.out).not.toContain("R108 above-target");
    const env = await run(["check", "--config", config, wheel], { MACOSX_DEPLOYMENT_TARGET: "10.13" });
    expect(env.out).not.toContain("R108 above-target"); // the environment overrides the file
  });

  it("reads nothing with --no-config, and exits 2 for a missing or broken config", async () => {
    expect((await run(["check", "--no-config", "--config", config, wheel])).out).toContain("R202");
    expect((await run(["check", "--config", join(dir, "missing.toml"), wheel])).code).toBe(2);
    const broken = join(dir, "broken.toml");
    writeFileSync(broken, "[tool.retag]\nnope = 1\n");
    const r = await run(["check", "--config", broken, wheel]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('unknown key "nope"');
  });

  const bin = fileURLToPath(new URL("../../bin/retag.js", import.meta.url));
  const built = existsSync(fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url)));
  it.skipIf(!built)("finds ./pyproject.toml in the current folder", () => {
    let out = "";
    try {
      out = execFileSync(process.execPath, [bin, "check", wheel], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout);
    }
    expect(out).toContain("R108");
    expect(out).not.toContain("R202");
  });
});

describe("finding [tool.retag] without parsing every pyproject.toml", () => {
  // A text that never says "retag" is passed over unparsed; TOML can still spell the key through an
  // escape in a quoted key, and such a file must be read as any other.
  it.each([
    ['[tool."\\u0072etag"]\nstrict = true\n', { strict: true }],
    ["[tool . retag]\nstrict = true\n", { strict: true }],
    ["[tool]\nretag.strict = true\n", { strict: true }],
    ['[project]\nname = "x"\n', {}],
  ])("%j", async (text, expected) => {
    const dir = mkdtempSync(join(tmpdir(), "retag-find-config-"));
    mkdirSync(join(dir, ".git"));
    writeFileSync(join(dir, "pyproject.toml"), text);
    expect((await findConfig(dir)).config).toEqual(expected);
  });
});
