// `pypi:NAME[==VERSION]`: the release's wheels from an index's JSON API (here a fake one on a local
// server), narrowed by platform or glob, each then readable by range requests with the same bytes
// as the file the index lists.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteError, type IndexWheel } from "../../src/model/remote.js";
import { openHttpSource } from "../../src/remote/http-source.js";
import { fetchRelease, jsonApiUrl, normalizeProjectName, parsePypiSpec, parseReleaseJson } from "../../src/remote/pypi.js";
import { familiesOf, parseWheelSelector, selectWheels } from "../../src/remote/wheel-filter.js";
import { makeWheel } from "../helpers/make-wheel.js";
import { realPorts } from "./helpers.js";
import { serveFile, startServer, type TestServer } from "./server.js";
import { memorySource, peekZip } from "./zip-peek.js";

describe("parsePypiSpec", () => {
  it.each([
    ["pypi:numpy", { name: "numpy", normalized: "numpy", version: null }],
    ["pypi:python-ldap==3.4.4", { name: "python-ldap", normalized: "python-ldap", version: "3.4.4" }],
    ["pypi:Foo.Bar_baz==1.0rc1", { name: "Foo.Bar_baz", normalized: "foo-bar-baz", version: "1.0rc1" }],
    ["pypi:x==2!1.0.post1+local.7", { name: "x", normalized: "x", version: "2!1.0.post1+local.7" }],
  ])("%s", (text, spec) => {
    expect(parsePypiSpec(text)).toEqual(spec);
  });

  it.each([
    ["pypi:", '"" is not a project name'],
    ["pypi:-foo", '"-foo" is not a project name'],
    ["pypi:numpy>=1.0", "takes pypi:NAME or pypi:NAME==VERSION: one exact version, not a range"],
    ["pypi:numpy~=1.0", "takes pypi:NAME or pypi:NAME==VERSION: one exact version, not a range"],
    ["pypi:numpy==1.*", '"1.*" is not one exact version'],
    ["pypi:numpy===1.0", '"=1.0" is not one exact version'],
    ["pypi:numpy==", '"" is not one exact version'],
    ["numpy", "not pypi:NAME or pypi:NAME==VERSION"],
  ])("%s is a usage error", (text, detail) => {
    expect(() => parsePypiSpec(text)).toThrow(RemoteError);
    expect(() => parsePypiSpec(text)).toThrow(`${text}: ${detail}`);
  });

  // PEP 503's own example: all of these are the same project.
  it.each(["Friendly-Bar", "friendly-bar", "friendly.bar", "friendly_bar", "FRIENDLY-BAR", "friendly--bar", "FrIeNdLy-._.-bAr"])("%s normalises to friendly-bar", (name) => {
    expect(normalizeProjectName(name)).toBe("friendly-bar");
  });
});

describe("jsonApiUrl", () => {
  it.each([
    ["pypi:numpy", undefined, "https://pypi.org/pypi/numpy/json"],
    ["pypi:python_ldap==3.4.4", undefined, "https://pypi.org/pypi/python-ldap/3.4.4/json"],
    ["pypi:x==1.0+local", "https://mirror.example/", "https://mirror.example/pypi/x/1.0%2Blocal/json"],
    ["pypi:x", "https://mirror.example/root/simple/", "https://mirror.example/root/pypi/x/json"],
    ["pypi:x", "http://127.0.0.1:8080/simple", "http://127.0.0.1:8080/pypi/x/json"],
  ])("%s under %s", (text, index, url) => {
    expect(jsonApiUrl(parsePypiSpec(text), index)).toBe(url);
  });
});

describe("narrowing the wheels", () => {
  const names = [
    "pkg-1.0-cp313-cp313-macosx_10_13_universal2.whl",
    "pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl",
    "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "pkg-1.0-cp313-cp313-musllinux_1_2_aarch64.whl",
    "pkg-1.0-cp313-cp313-linux_armv7l.whl",
    "pkg-1.0-cp313-cp313-win_amd64.whl",
    "pkg-1.0-cp313-cp313-win32.whl",
    "pkg-1.0-cp313-cp313-ios_13_0_arm64_iphoneos.whl",
    "pkg-1.0-cp313-cp313-android_24_arm64_v8a.whl",
    "pkg-1.0-py3-none-any.whl",
    "pkg-1.0-cp313-cp313-pyodide_2024_0_wasm32.whl",
  ].map((filename) => ({ filename }));
  const pick = (selector: string) => selectWheels(names, parseWheelSelector(selector)).map((w) => w.filename.slice("pkg-1.0-".length));

  it.each([
    ["macos", ["cp313-cp313-macosx_10_13_universal2.whl", "cp313-cp313-macosx_11_0_arm64.whl"]],
    ["linux", ["cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "cp313-cp313-musllinux_1_2_aarch64.whl", "cp313-cp313-linux_armv7l.whl"]],
    ["windows", ["cp313-cp313-win_amd64.whl", "cp313-cp313-win32.whl"]],
    ["ios,android", ["cp313-cp313-ios_13_0_arm64_iphoneos.whl", "cp313-cp313-android_24_arm64_v8a.whl"]],
    ["any", ["py3-none-any.whl"]],
    ["MacOS", ["cp313-cp313-macosx_10_13_universal2.whl", "cp313-cp313-macosx_11_0_arm64.whl"]],
    ["*arm64*", ["cp313-cp313-macosx_11_0_arm64.whl", "cp313-cp313-ios_13_0_arm64_iphoneos.whl", "cp313-cp313-android_24_arm64_v8a.whl"]],
    ["*_x86_64.whl", ["cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]],
    ["pkg-1.0-cp313-cp313-win??????.whl", ["cp313-cp313-win_amd64.whl"]],
    ["pkg-1.0-[!c]*", ["py3-none-any.whl"]],
    ["*-win[_3]*", ["cp313-cp313-win_amd64.whl", "cp313-cp313-win32.whl"]],
    ["pkg-1.0-py3-none-any.whl", ["py3-none-any.whl"]],
    ["*.[", []],
  ])("--platform %s", (selector, expected) => {
    expect(pick(selector)).toEqual(expected);
  });

  it("a compressed tag set belongs to every family of its tags", () => {
    expect(familiesOf("pkg-1.0-py3-none-macosx_11_0_arm64.manylinux_2_17_aarch64.whl")).toEqual(["macos", "linux"]);
  });

  it.each(["mac", "osx", "macos,mac"])("--platform %s is a usage error naming the choices", (selector) => {
    expect(() => parseWheelSelector(selector)).toThrow("not a platform (macos, linux, windows, ios, android, any, several joined with ',')");
  });
});

describe("parseReleaseJson", () => {
  const spec = parsePypiSpec("pypi:pkg==1.0");
  const resolve = (ref: string) => new URL(ref, "https://index.example/pypi/pkg/1.0/json").href;
  const file = { filename: "pkg-1.0-py3-none-any.whl", url: "https://files.example/pkg-1.0-py3-none-any.whl" };

  it.each<[string, unknown, string]>([
    ["an array", [], "the answer is not a JSON object"],
    ["no info", { urls: [] }, "no 'info' object"],
    ["no version", { info: { name: "pkg" }, urls: [] }, "no 'info.version'"],
    ["no urls", { info: { version: "1.0" } }, `no 'urls' list (nor 'releases["1.0"]')`],
    ["a file that is not an object", { info: { version: "1.0" }, urls: [7] }, "urls[0] is not an object"],
    ["a file name with a slash", { info: { version: "1.0" }, urls: [{ ...file, filename: "../x.whl" }] }, "urls[0].filename is not a file name"],
    ["a file without a URL", { info: { version: "1.0" }, urls: [{ filename: file.filename }] }, "urls[0].url (pkg-1.0-py3-none-any.whl) is not a string"],
    ["a file: URL", { info: { version: "1.0" }, urls: [{ ...file, url: "file:///etc/passwd" }] }, "urls[0].url (pkg-1.0-py3-none-any.whl) is not an http(s) URL: file:///etc/passwd"],
  ])("%s is a bad-json error", (_, json, detail) => {
    expect(() => parseReleaseJson(json, spec, "https://index.example/pypi/pkg/1.0/json", resolve)).toThrow(`https://index.example/pypi/pkg/1.0/json: ${detail}`);
  });

  it("reads optional fields leniently and releases[version] when urls is absent", () => {
    const json = {
      info: { name: "Pkg", version: "1.0" },
      releases: {
        "1.0": [
          { ...file, url: "/files/a.whl", size: 12, digests: { sha256: "AB".repeat(32) }, yanked: true, yanked_reason: "broken" },
          { ...file, filename: "pkg-1.0-cp313-cp313-win32.whl", size: -1, digests: { sha256: "nothex" } },
          { filename: "pkg-1.0.tar.gz", url: "https://files.example/pkg-1.0.tar.gz", packagetype: "sdist" },
        ],
      },
    };
    expect(parseReleaseJson(json, spec, "https://index.example/pypi/pkg/1.0/json", resolve)).toEqual({
      name: "Pkg",
      version: "1.0",
      url: "https://index.example/pypi/pkg/1.0/json",
      wheels: [
        { filename: file.filename, url: "https://index.example/files/a.whl", size: 12, sha256: "ab".repeat(32), yanked: true, yankedReason: "broken" },
        { filename: "pkg-1.0-cp313-cp313-win32.whl", url: file.url, size: null, sha256: null, yanked: false, yankedReason: null },
      ],
      skipped: ["pkg-1.0.tar.gz"],
    });
  });
});

describe("fetchRelease from a JSON API", async () => {
  let server: TestServer;
  const wheels = await Promise.all(
    [
      "my_pkg-1.0-cp313-cp313-macosx_10_13_universal2.whl",
      "my_pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl",
      "my_pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
      "my_pkg-1.0-cp313-cp313-win_amd64.whl",
    ].map((filename) => makeWheel({ filename, members: { "my_pkg/__init__.py": `# ${filename}\n` } })),
  );
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  function release(version: string, base: string) {
    return {
      info: { name: "My-Pkg", version },
      urls: [
        ...wheels.map((w, i) => ({
          filename: w.filename,
          // Absolute and relative URLs both occur in mirrors' answers.
          url: i % 2 === 0 ? `${base}/files/${w.filename}` : `../../../files/${w.filename}`,
          packagetype: "bdist_wheel",
          size: w.bytes.length,
          digests: { sha256: sha256(w.bytes), md5: "00" },
          yanked: i === 3,
          yanked_reason: i === 3 ? "wrong tag" : null,
        })),
        { filename: "my_pkg-1.0.tar.gz", url: `${base}/files/my_pkg-1.0.tar.gz`, packagetype: "sdist", size: 10, digests: {} },
      ],
    };
  }

  function json(body: unknown, status = 200): Parameters<TestServer["route"]>[1] {
    return (req, res) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) });
      res.end(text);
    };
  }

  beforeAll(async () => {
    server = await startServer();
    const base = server.url("");
    server.route("/pypi/my-pkg/1.0/json", json(release("1.0", base)));
    server.route("/pypi/my-pkg/json", json(release("1.0", base)));
    server.route("/pypi/my-pkg/9.9/json", json({ message: "Not Found" }, 404));
    server.route("/pypi/broken/json", json("{not json"));
    server.route("/pypi/flaky/json", (req, res, hit) => (hit < 2 ? json({}, 503)(req, res, hit) : json(release("2.0", base))(req, res, hit)));
    server.route("/pypi/moved/json", (req, res) => {
      res.writeHead(301, { Location: "/pypi/my-pkg/json", "Content-Length": "0" });
      res.end();
    });
    for (const w of wheels) server.route(`/files/${w.filename}`, serveFile(w.bytes, { etag: `"${sha256(w.bytes)}"` }));
  });
  afterAll(async () => {
    await server.close();
  });

  it("lists a release's wheels with size, digest and yanked flag, skipping the sdist", async () => {
    const result = await fetchRelease(parsePypiSpec("pypi:My_Pkg==1.0"), realPorts(), { indexUrl: server.url("/simple/") });
    expect(server.hits("/pypi/my-pkg/1.0/json")).toHaveLength(1);
    expect(result.version).toBe("1.0");
    expect(result.skipped).toEqual(["my_pkg-1.0.tar.gz"]);
    expect(result.wheels).toEqual(
      wheels.map((w, i) => ({
        filename: w.filename,
        url: server.url(`/files/${w.filename}`),
        size: w.bytes.length,
        sha256: sha256(w.bytes),
        yanked: i === 3,
        yankedReason: i === 3 ? "wrong tag" : null,
      })),
    );
  });

  it("each listed macOS wheel reads, by ranges, as the file the index lists", async () => {
    const { wheels: listed } = await fetchRelease(parsePypiSpec("pypi:my-pkg"), realPorts(), { indexUrl: server.url("") });
    const macos: IndexWheel[] = selectWheels(listed, parseWheelSelector("macos"));
    expect(macos.map((w) => w.filename)).toEqual(wheels.slice(0, 2).map((w) => w.filename));
    for (const wheel of macos) {
      const source = await openHttpSource(wheel.url, realPorts());
      expect(source.size).toBe(wheel.size);
      expect(sha256(await source.read(0, source.size))).toBe(wheel.sha256);
      const local = wheels.find((w) => w.filename === wheel.filename)!.bytes;
      const names = ["my_pkg-1.0.dist-info/WHEEL", "my_pkg-1.0.dist-info/RECORD"];
      expect(await peekZip(source, names)).toEqual(await peekZip(memorySource(local), names));
    }
  });

  it.each([
    ["pypi:my-pkg==9.9", "/pypi/my-pkg/9.9/json", "http", 'HTTP 404 Not Found (no release 9.9 of "my-pkg" on this index)'],
    ["pypi:nothing", "/pypi/nothing/json", "http", 'HTTP 404 Not Found (no project "nothing" on this index)'],
    ["pypi:broken", "/pypi/broken/json", "bad-json", "the answer is not JSON"],
  ])("%s is a clear error", async (text, path, kind, detail) => {
    const error = await fetchRelease(parsePypiSpec(text), realPorts(), { indexUrl: server.url("") }).then(
      () => null,
      (e: unknown) => e as RemoteError,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect(error!.kind).toBe(kind);
    expect(error!.message.startsWith(`${server.url(path)}: ${detail}`)).toBe(true);
    expect(server.hits(path)).toHaveLength(1);
  });

  it("a 503 is retried with back-off; a redirect is followed", async () => {
    const slept: number[] = [];
    const flaky = await fetchRelease(parsePypiSpec("pypi:flaky"), realPorts(slept), { indexUrl: server.url("") });
    expect(flaky.version).toBe("2.0");
    expect(flaky.stats).toMatchObject({ requests: 3, retries: 2 });
    expect(slept).toEqual([500, 1000]);
    const moved = await fetchRelease(parsePypiSpec("pypi:moved"), realPorts(), { indexUrl: server.url("") });
    expect(moved.wheels).toHaveLength(4);
  });

  it("an answer larger than the limit is refused", async () => {
    const error = await fetchRelease(parsePypiSpec("pypi:my-pkg"), realPorts(), { indexUrl: server.url(""), maxBytes: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "too-large" });
  });
});
