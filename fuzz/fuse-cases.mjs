// @ts-check
// Fuse and split cases (issue 17): a pair of thin wheels of one build made from the Mach-O fixtures
// (an arm64 and an x86_64 extension module, perhaps vendored libraries and static archives, shared
// pure-Python members), then mutated: a binary's bytes, a shared member made to differ, a member in
// one wheel only, a name or tag changed, a fat file in place of a thin one, a RECORD row, the zip
// itself. The pair is fused, and the fused wheel split again. What must hold:
//  - fuseWheels and splitWheel return data, or throw a usage error (RetagError and its FuseError /
//    SplitError): what the CLI reports with exit 2; anything else would be an internal error (exit 3);
//  - a fused output is a valid wheel: every member reads back (CRC), RECORD holds, it checks with no
//    error and needs no rewrite, its name is the inputs' but for the platform tags, which are the
//    result's tags; `ok` agrees with its findings;
//  - every slice of every input binary is in the fused binary, byte for byte;
//  - split(fuse(a, b)): each split wheel is valid too, and holds each input binary's slice for its
//    arch byte for byte;
//  - the inputs are not modified; nothing takes longer than HANG_MS.
import { createHash } from "node:crypto";
import { flipBit, machoField, machoMeaning, machoTargets, mutateText, truncate, zipField, zipTargets } from "./mutate.mjs";
import { hashHolds, readBack } from "./guarantees.mjs";
import { caseSeed, makeRandom } from "./random.mjs";

/** Every FUSE_EVERY-th wheel case of a run also carries a fuse case (made from the same seed and index). */
export const FUSE_EVERY = 20;
/** A fuse case reads two wheels, fuses, checks, splits and checks again: twice a wheel case's budget. */
const HANG_MS = 4000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const ARM_EXTENSIONS = ["ext_arm64_11.0.so", "ext_arm64_11.0.so", "ext_arm64_12.0.so", "ext_arm64_13.3.so", "ext_arm64_10.15.so"];
const INTEL_EXTENSIONS = ["ext_x86_64_10.9.so", "ext_x86_64_10.9.so", "ext_x86_64_10.13.so", "ext_x86_64_10.14.so", "ext_x86_64_11.0.so", "ext_x86_64_10.9_buildversion.so"];
const FAT_EXTENSIONS = ["ext_universal2.so", "ext_universal2_fat64.so", "ext_arm64e_x86_64h.so", "ext_universal2_x86_64_noinit.so"];
const EXTENSION = "pkg/_m.cpython-313-darwin.so";
const DYLIB = "pkg/.dylibs/libfoo.dylib";
const ARCHIVE = "pkg/lib/libm.a";

/** The tag an arch's build would carry, from its extension's minimum (a wrong one now and then). */
function platformFor(arch, fixture, random) {
  if (random.chance(0.1)) return random.pick(["macosx_10_9_x86_64", "macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_10_13_x86_64"]);
  const minos = /_(\d+)\.(\d+)/.exec(fixture);
  const major = Number(minos?.[1] ?? 11);
  const minor = Number(minos?.[2] ?? 0);
  if (arch === "arm64") return `macosx_${Math.max(major, 11)}_0_arm64`;
  return major >= 11 ? `macosx_${major}_0_x86_64` : `macosx_10_${minor}_x86_64`;
}

function sha256Field(data) {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** A wheel as a build backend writes it: members, METADATA, WHEEL, RECORD (perhaps one row wrong). */
async function writeWheel(api, random, filename, members, notes) {
  const parts = filename.replace(/\.whl$/, "").split("-");
  const distInfo = `${parts[0]}-${parts[1]}.dist-info`;
  const [py, abi, plat] = parts.slice(-3);
  const tags = [];
  for (const p of py.split(".")) for (const a of abi.split(".")) for (const pl of plat.split(".")) tags.push(`${p}-${a}-${pl}`);
  const entries = Object.entries(members).map(([name, data]) => ({ name, data }));
  entries.push({ name: `${distInfo}/METADATA`, data: encoder.encode(`Metadata-Version: 2.1\nName: ${parts[0]}\nVersion: ${parts[1]}\n`) });
  entries.push({ name: `${distInfo}/WHEEL`, data: encoder.encode(`Wheel-Version: 1.0\nGenerator: retag-fuzz (0.1)\nRoot-Is-Purelib: false\n${tags.map((t) => `Tag: ${t}\n`).join("")}`) });
  const rows = entries.map((e) => [e.name, sha256Field(e.data), String(e.data.length)]);
  if (random.chance(0.04)) {
    notes.push("record:wrong");
    rows[random.below(rows.length)][1] = sha256Field(encoder.encode("something else"));
  }
  const record = `${rows.map((r) => r.join(",")).join("\n")}\n${distInfo}/RECORD,,\n`;
  entries.push({ name: `${distInfo}/RECORD`, data: encoder.encode(record) });
  if (random.chance(0.04)) entries.push({ name: `${distInfo}/RECORD.jws`, data: encoder.encode("{}") });
  return api.writeZip(entries.map((e) => ({ ...e, method: random.chance(0.85) ? 8 : 0 })));
}

function mutateBinary(random, bytes, notes) {
  const op = random.pick(["meaning", "meaning", "field", "flip", "truncate"]);
  notes.push(`macho:${op}`);
  if (op === "meaning") return machoMeaning(random, bytes, machoTargets(bytes));
  if (op === "field") return machoField(random, bytes, machoTargets(bytes));
  if (op === "flip") return flipBit(random, bytes);
  return truncate(random, bytes);
}

/**
 * @typedef {object} FuseCase
 * @property {number} runSeed
 * @property {number} index
 * @property {Array<{ filename: string, bytes: Uint8Array }>} wheels
 * @property {object} options   Partial<FuseOptions>
 * @property {string[]} notes
 */

/** @returns {Promise<FuseCase>} */
export async function makeFuseCase(api, pool, runSeed, index) {
  const random = makeRandom(caseSeed((runSeed ^ 0xf05e0017) >>> 0, index));
  const notes = [];
  const fixture = (file) => {
    const found = pool.fixtures.find((f) => f.file === file);
    if (found === undefined) throw new Error(`fuse cases: no fixture ${file} in the seed pool`);
    return found.bytes;
  };
  const armExt = random.pick(ARM_EXTENSIONS);
  const intelExt = random.pick(INTEL_EXTENSIONS);
  const common = { "pkg/__init__.py": encoder.encode("from ._m import *\n"), "pkg/data/config.json": encoder.encode('{"a": 1}\n') };
  const arm = { ...common, [EXTENSION]: fixture(armExt) };
  const intel = { ...common, [EXTENSION]: fixture(intelExt) };
  if (random.chance(0.6)) {
    arm[DYLIB] = fixture("lib_rpath_arm64.dylib");
    intel[DYLIB] = fixture("lib_libsystem_x86_64.dylib");
  }
  if (random.chance(0.2)) {
    // archive_fat.a holds the same arm64 archive as archive_arm64.a: an identical slice is kept once.
    arm[ARCHIVE] = fixture(random.pick(["archive_arm64.a", "archive_fat.a"]));
    intel[ARCHIVE] = fixture("archive_fat.a");
  }
  let armName = `pkg-1.0-cp313-cp313-${platformFor("arm64", armExt, random)}.whl`;
  let intelName = `pkg-1.0-cp313-cp313-${platformFor("x86_64", intelExt, random)}.whl`;
  const options = {};

  const count = random.pick([0, 0, 1, 1, 1, 2]);
  for (let i = 0; i < count; i++) {
    const side = random.chance(0.5) ? arm : intel;
    const op = random.pick(["binary", "binary", "binary", "text", "extra", "fat", "name", "name"]);
    notes.push(`fuse:${op}`);
    if (op === "binary") {
      const name = random.pick(Object.keys(side).filter((n) => n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".a")));
      side[name] = mutateBinary(random, side[name], notes);
    } else if (op === "text") {
      side["pkg/data/config.json"] = encoder.encode(mutateText(random, decoder.decode(side["pkg/data/config.json"])));
    } else if (op === "extra") {
      side[random.pick(["pkg/extra.py", "pkg/.dylibs/libextra.dylib", "pkg-1.0.dist-info/entry_points.txt"])] = random.chance(0.5) ? fixture("lib_rpath_arm64.dylib") : encoder.encode("x = 1\n");
    } else if (op === "fat") {
      side[EXTENSION] = fixture(random.pick(FAT_EXTENSIONS));
    } else if (side === arm) {
      armName = random.pick(["pkg-1.1-cp313-cp313-macosx_11_0_arm64.whl", "pkg-1.0-cp312-cp312-macosx_11_0_arm64.whl", "pkg-1.0-cp313-cp313-macosx_10_9_x86_64.whl", "pkg-1.0-cp313-cp313-linux_aarch64.whl", "pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl", "pkg-1.0-1-cp313-cp313-macosx_11_0_arm64.whl"]);
    } else {
      intelName = random.pick(["pkg-1.0-cp313-cp313-macosx_10_9_intel.whl", "pkg-1.0-cp313-cp313-macosx_10_6_i386.whl", "pkg-1.0-cp313-abi3-macosx_10_9_x86_64.whl", "pkg-1.0-cp313-cp313-win_amd64.whl"]);
    }
  }
  if (random.chance(0.3)) options.prefer = random.pick(["1", "2", "arm64", "x86_64", "3", 0]);
  if (random.chance(0.1)) options.preferMembers = [{ member: random.pick(["pkg/data/config.json", "pkg/extra.py", EXTENSION]), input: random.pick(["1", "2"]) }];
  if (random.chance(0.1)) options.macosTarget = random.pick(["10.13", "11.0", "12.3"]);
  if (random.chance(0.1)) options.strict = true;

  let wheels = [
    { filename: armName, bytes: await writeWheel(api, random, armName, arm, notes) },
    { filename: intelName, bytes: await writeWheel(api, random, intelName, intel, notes) },
  ];
  if (random.chance(0.08)) {
    notes.push("zip");
    const i = random.below(2);
    const bytes = random.chance(0.7) ? zipField(random, wheels[i].bytes, zipTargets(wheels[i].bytes)) : flipBit(random, wheels[i].bytes);
    wheels[i] = { ...wheels[i], bytes };
  }
  if (random.chance(0.5)) wheels = [wheels[1], wheels[0]];
  return { runSeed, index, wheels, options, notes };
}

/** Usage errors are the only exceptions fuse and split may throw (the CLI: exit 2). */
function isUsage(api, error) {
  return error instanceof api.RetagError;
}

function describeError(error) {
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, stack: error.stack };
  return { message: `non-Error thrown: ${String(error)}` };
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Everything a wheel fuse or split wrote must be; `where` names it in failures. */
async function checkOutput(api, filename, bytes, strict, where, fail) {
  let archive;
  try {
    archive = await api.openZip(bytes);
  } catch (error) {
    fail("bad-output", where, "openZip rejects the output", describeError(error).message);
    return null;
  }
  const data = await readBack(api, archive, (name, error) => fail("bad-output", where, "a member cannot be read back", `${name}: ${describeError(error).message}`));
  const recordPath = [...data.keys()].find((n) => /^[^/]+\.dist-info\/RECORD$/.test(n));
  if (recordPath === undefined) fail("bad-output", where, "the output has no RECORD");
  else {
    const record = api.parseRecord(decoder.decode(data.get(recordPath)));
    const rows = new Map(record.rows.map((r) => [r.path, r]));
    for (const [name, bytesOf] of data) {
      if (name === recordPath) continue;
      const row = rows.get(name);
      if (row === undefined) fail("bad-output", where, "a member has no RECORD row", name);
      else if (!hashHolds(row.hash, bytesOf) || row.size !== String(bytesOf.length)) fail("bad-output", where, "a RECORD row does not hold", name);
    }
  }
  const check = await api.checkWheel(bytes, { filename, strict });
  const errors = check.findings.filter((f) => f.severity === "error");
  if (errors.length > 0) fail("bad-output", where, `the output has errors ${[...new Set(errors.map((f) => f.code))].sort().join(" ")}`, errors.map((f) => f.message).join("; "));
  if (check.needsRewrite) fail("bad-output", where, "the output needs a rewrite", String(check.expectedFilename));
  return { archive, data };
}

/**
 * Runs one fuse case: fuse, check the output, split it, check the split wheels.
 * @returns {Promise<{ failures: any[], typedErrors: string[], action: string | null, ms: number }>}
 */
export async function checkFuseCase(api, fuseCase) {
  const failures = [];
  const typedErrors = [];
  const started = performance.now();
  const fail = (guarantee, where, message, detail) => failures.push({ guarantee, where, message, ...(detail === undefined ? {} : { detail }) });
  const originals = fuseCase.wheels.map((w) => w.bytes.slice());
  const guarded = async (where, fn) => {
    const t = performance.now();
    try {
      return await fn();
    } catch (error) {
      if (isUsage(api, error)) typedErrors.push(`${where}:${error.name}`);
      else failures.push({ guarantee: "internal-error", where, ...describeError(error) });
      return undefined;
    } finally {
      if (performance.now() - t > HANG_MS) fail("hang", where, `${where} took ${Math.round(performance.now() - t)} ms (limit ${HANG_MS})`);
    }
  };

  const fused = await guarded("fuseWheels", () => api.fuseWheels(fuseCase.wheels, fuseCase.options));
  let action = fused === undefined ? null : fused.action;
  if (fused !== undefined) {
    try {
      JSON.stringify({ ...fused, bytes: null });
    } catch (error) {
      fail("bad-result", "fuseWheels", "the result is not JSON-serialisable", describeError(error).message);
    }
    const strict = fuseCase.options.strict === true;
    const failing = fused.findings.some((f) => f.severity === "error" || (strict && f.severity === "warning"));
    if (fused.action === "fused" && fused.ok === failing) fail("bad-result", "fuseWheels", `ok is ${fused.ok} but the findings ${failing ? "include" : "have no"} failures`);
    if (fused.action === "fused" && fused.bytes === null) fail("bad-result", "fuseWheels", "fused without bytes");
    if (fused.action !== "fused" && fused.bytes !== null) fail("bad-result", "fuseWheels", `${fused.action} with bytes`);
  }
  if (fused !== undefined && fused.action === "fused" && fused.bytes !== null) {
    const stem = (name) => name.replace(/\.whl$/, "").split("-").slice(0, -1).join("-");
    if (stem(fused.filename) !== stem(fuseCase.wheels[0].filename)) fail("bad-output", "fuseWheels", "the name changes more than the platform tags", fused.filename);
    const platform = fused.filename.replace(/\.whl$/, "").split("-").at(-1);
    if (platform !== [...fused.tags].sort().join(".")) fail("bad-output", "fuseWheels", "the name's platform is not the result's tags", `${platform} vs ${fused.tags.join(".")}`);
    const output = await checkOutput(api, fused.filename, fused.bytes, fuseCase.options.strict === true, "fused output", fail);
    if (output !== null) await checkSlices(api, fuseCase, fused, output.data, fail);
  }
  if (!fuseCase.wheels.every((w, i) => sameBytes(w.bytes, originals[i]))) fail("input-modified", "fuseWheels", "an input's bytes changed");
  return { failures, typedErrors, action, ms: performance.now() - started };

  /** Each input slice is in the fused binary, and in the split wheel of its arch, byte for byte. */
  async function checkSlices(api, fuseCase, fused, fusedData, fail) {
    const inputs = [];
    for (const w of fuseCase.wheels) {
      const archive = await api.openZip(w.bytes);
      inputs.push({ archive, filename: w.filename });
    }
    const slicesOf = (bytes) => {
      try {
        return api.sliceRanges(bytes) ?? [];
      } catch {
        return [];
      }
    };
    const expected = [];
    for (const f of fused.fused) {
      const out = fusedData.get(f.member);
      if (out === undefined) {
        fail("bad-output", "fused output", "a fused member is missing", f.member);
        continue;
      }
      for (const i of f.inputs) {
        const { archive } = inputs[i];
        const member = archive.members.find((m) => m.name === f.member);
        const input = await api.readMember(archive, member);
        const outSlices = slicesOf(out);
        for (const slice of slicesOf(input)) {
          // By its bytes: an archive slice is named by its members' arch, which a fat input's entry may misstate.
          const back = outSlices.find((s) => sameBytes(s.bytes, slice.bytes));
          if (back === undefined) fail("bad-output", "fused output", "an input slice is not in the fat file byte for byte", `${f.member} ${slice.arch}`);
          else expected.push({ member: f.member, arch: back.arch, bytes: slice.bytes });
        }
      }
    }
    const split = await guarded("splitWheel(fused)", () => api.splitWheel(fused.bytes, { filename: fused.filename, strict: fuseCase.options.strict === true, macosTarget: fuseCase.options.macosTarget }));
    if (split === undefined) return;
    for (const w of split.wheels) {
      const output = await checkOutput(api, w.filename, w.bytes, fuseCase.options.strict === true, `split output ${w.arch}`, fail);
      if (output === null) continue;
      for (const e of expected.filter((x) => x.arch === w.arch)) {
        const got = output.data.get(e.member);
        if (got === undefined || !sameBytes(got, e.bytes)) fail("bad-output", `split output ${w.arch}`, "split(fuse(a, b)) does not give an input binary back byte for byte", e.member);
      }
    }
  }
}

/**
 * Runs fuse cases `start` … `start + count - 1` of seed `runSeed` (for a test, or on their own).
 * @param {any} api
 * @param {any} pool
 * @param {{ runSeed: number, start?: number, count: number, onFailure?: (fuseCase: FuseCase, outcome: any) => void | Promise<void> }} options
 */
export async function runFuseCases(api, pool, { runSeed, start = 0, count, onFailure = async () => {} }) {
  const summary = { cases: 0, actions: {}, typedErrors: {}, failures: 0 };
  for (let index = start; index < start + count; index++) {
    const fuseCase = await makeFuseCase(api, pool, runSeed, index);
    const outcome = await checkFuseCase(api, fuseCase);
    summary.cases++;
    const action = outcome.action ?? "threw";
    summary.actions[action] = (summary.actions[action] ?? 0) + 1;
    for (const t of outcome.typedErrors) summary.typedErrors[t] = (summary.typedErrors[t] ?? 0) + 1;
    if (outcome.failures.length > 0) {
      summary.failures++;
      await onFailure(fuseCase, outcome);
    }
  }
  return summary;
}
