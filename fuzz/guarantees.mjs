// @ts-check
// The guarantees retag makes for any input (issue 6), checked in-process on one fuzz case:
//  - checkWheel / retagWheel / parseMachO return data, or throw a typed error (WheelError,
//    MachOError, RetagError, ZipError); any other exception is an internal error;
//  - no call takes longer than HANG_MS (the work per member and per wheel is bounded);
//  - memory: the process's peak RSS does not grow by more than MEMORY_LIMIT in one case (a zip bomb
//    is not inflated);
//  - results are well-formed data (registered codes with their severities, JSON-serialisable, `ok`
//    agreeing with the findings) and the same for check and fix;
//  - the input bytes are not modified;
//  - a rewrite is a valid wheel: openZip reads it, every member's CRC holds, every RECORD hash and
//    size verifies, the output checks with no R0xx finding and needs no further rewrite (fix mode is
//    stable under the options that fixed it), untouched members are byte-identical to the input's
//    (local record and central entry, except the central entry's local header offset), and only the
//    platform part of the file name changes.
import { createHash } from "node:crypto";

export const HANG_MS = 2000;
export const MEMORY_LIMIT = 256 * 1024 * 1024;

const decoder = new TextDecoder();
/**
 * Warnings about what a rewrite keeps as it is (member names, the .dist-info folder's name, RECORD
 * paths): true of the input, so true of the output. R022: paths that are one path where case is ignored;
 * R019: the .dist-info folder names another version; R020: RECORD paths with backslashes.
 */
const KEPT_WARNINGS = new Set(["R019", "R020", "R022"]);
/** Characters no finding message may carry (src/text.ts escapes them). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * @typedef {object} Failure
 * @property {string} guarantee  internal-error | hang | memory | bad-result | input-modified | bad-rewrite | unstable-rewrite | macho-contract | native-contract
 * @property {string} where      the call that broke it
 * @property {string} message  short and stable (failures are grouped by it)
 * @property {string} [detail] the particulars (names, values)
 * @property {string} [stack]
 */

/**
 * @typedef {object} Outcome
 * @property {Failure[]} failures
 * @property {string | null} action       retag's action, or null when it threw
 * @property {string[]} codes             the codes checkWheel and retagWheel reported
 * @property {string[]} typedErrors       names of typed errors thrown (allowed, counted)
 * @property {number} ms                  time for the whole case
 * @property {{ filename: string, bytes: Uint8Array }} [output]  the rewrite, when retag wrote one (for Python's zipfile, fuzz/zipfile.mjs)
 */

function isTyped(api, error) {
  return error instanceof api.WheelError || error instanceof api.MachOError || error instanceof api.RetagError || error instanceof api.ZipError;
}

function describe(error) {
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, stack: error.stack };
  return { message: `non-Error thrown: ${String(error)}` };
}

/** Runs `fn`, sorting what it throws into allowed (typed) and failures; times it. */
async function guarded(api, where, fn, failures, typedErrors) {
  const start = performance.now();
  let value;
  let threw = false;
  try {
    value = await fn();
  } catch (error) {
    threw = true;
    if (isTyped(api, error)) typedErrors.push(`${where}:${error.name}`);
    else failures.push({ guarantee: "internal-error", where, ...describe(error) });
  }
  const ms = performance.now() - start;
  if (ms > HANG_MS) failures.push({ guarantee: "hang", where, message: `${where} took ${Math.round(ms)} ms (limit ${HANG_MS})` });
  return threw ? undefined : value;
}

/**
 * Whether a RECORD hash field holds for `data`. The binary distribution format spec allows sha256 or
 * a stronger hashlib algorithm; the digest is urlsafe base64 without padding.
 */
export function hashHolds(field, data) {
  // `=` padding is accepted, as retag reads it (src/wheel/hash.ts, like pypa/wheel's urlsafe_b64decode):
  // a rewrite keeps an input's row as it is spelled.
  const match = /^(sha256|sha384|sha512|sha3_256|sha3_384|sha3_512|blake2b)=([A-Za-z0-9_-]+)={0,2}$/.exec(field);
  if (match === null) return false;
  const algorithm = { sha3_256: "sha3-256", sha3_384: "sha3-384", sha3_512: "sha3-512", blake2b: "blake2b512" }[match[1]] ?? match[1];
  return createHash(algorithm).update(data).digest("base64url") === match[2];
}

/** Every file member's bytes read back (CRC-32 checked); `failed(name, error)` for one that cannot be. */
export async function readBack(api, archive, failed) {
  const data = new Map();
  for (const m of archive.members) {
    if (m.isDirectory) continue;
    try {
      data.set(m.name, await api.readMember(archive, m));
    } catch (error) {
      failed(m.name, error);
    }
  }
  return data;
}

/** A CheckResult is data users can rely on. */
function checkResultShape(api, result, options, where, failures) {
  const fail = (message) => failures.push({ guarantee: "bad-result", where, message });
  try {
    JSON.stringify(result);
  } catch (error) {
    fail(`result is not JSON-serialisable: ${describe(error).message}`);
  }
  // What a person reads stays readable whatever the input (issue 11, D2, D3, D10): at most the cap
  // of each code (and one summary), messages of bounded length without control characters.
  const perCode = new Map();
  for (const f of result.findings) {
    perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
    if (typeof f.message === "string" && f.message.length > api.MAX_MESSAGE + 40) fail(`a ${f.code} message is ${f.message.length} characters long`);
    if (typeof f.message === "string" && CONTROL.test(f.message)) fail(`a ${f.code} message has a control character`);
    const def = api.FINDINGS[f.code];
    if (def === undefined) fail(`unregistered finding code ${f.code}`);
    else if (def.severity !== f.severity) fail(`${f.code} has severity ${f.severity}, the registry says ${def.severity}`);
    if (typeof f.message !== "string" || f.message === "") fail(`${f.code} has no message`);
    if (f.member !== undefined && typeof f.member !== "string") fail(`${f.code} has a non-string member`);
    if (typeof f.data !== "object" || f.data === null) fail(`${f.code} has no data object`);
  }
  for (const [code, n] of perCode) if (n > api.MAX_FINDINGS_PER_CODE + 1) fail(`${n} findings of ${code}, more than the cap and its summary`);
  const strict = options.strict === true;
  const fails = result.findings.some((f) => f.severity === "error" || (strict && f.severity === "warning"));
  if (result.ok === fails) fail(`ok is ${result.ok} but the findings ${fails ? "include" : "have no"} failures`);
  if (result.needsRewrite && result.tags.expected === null) fail("needsRewrite without expected tags");
  if (result.expectedFilename !== null && !result.expectedFilename.endsWith(".whl")) fail(`expectedFilename ${result.expectedFilename}`);
}

/** parseMachO's contract: data inside the file, null, or a MachOError with an offset inside the file. */
function checkMacho(api, name, bytes, failures, typedErrors) {
  const where = `parseMachO(${name})`;
  const start = performance.now();
  try {
    const file = api.parseMachO(bytes);
    if (file !== null) {
      for (const s of file.slices) {
        if (!(s.offset >= 0 && s.offset + s.size <= bytes.length)) {
          failures.push({ guarantee: "macho-contract", where, message: `slice ${s.arch} (${s.offset}+${s.size}) is outside the ${bytes.length}-byte file` });
        }
        if (!s.exports.every((e) => typeof e === "string")) failures.push({ guarantee: "macho-contract", where, message: "non-string export" });
      }
    }
  } catch (error) {
    if (error instanceof api.MachOError) {
      typedErrors.push("parseMachO:MachOError");
      if (!(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= bytes.length)) {
        failures.push({ guarantee: "macho-contract", where, message: `MachOError offset ${error.offset} is outside the ${bytes.length}-byte file: ${error.message}` });
      }
    } else failures.push({ guarantee: "internal-error", where, ...describe(error) });
  }
  const ms = performance.now() - start;
  if (ms > HANG_MS) failures.push({ guarantee: "hang", where, message: `${where} took ${Math.round(ms)} ms` });
}

/**
 * The ELF, PE and wasm readers' contract (issue 16): data, or a FormatError of their format with an
 * offset inside the file; nothing else, and never slower than HANG_MS. iOS members are Mach-O.
 */
function checkNative(api, member, failures, typedErrors) {
  if (member.format === "macho") return checkMacho(api, member.name, member.bytes, failures, typedErrors);
  const parsers = { elf: api.parseElf, pe: api.parsePe, wasm: api.parseWasm };
  const parse = parsers[member.format];
  if (parse === undefined || api.FormatError === undefined) return;
  const name = { elf: "parseElf", pe: "parsePe", wasm: "parseWasm" }[member.format];
  const where = `${name}(${member.name})`;
  const start = performance.now();
  try {
    const file = parse(member.bytes);
    JSON.stringify(file);
    if (!file.exports.every((e) => typeof e === "string" || typeof e?.name === "string")) failures.push({ guarantee: "native-contract", where, message: "an export is not a name" });
  } catch (error) {
    if (error instanceof api.FormatError && error.format === member.format) {
      typedErrors.push(`${name}:FormatError`);
      if (!(Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= member.bytes.length)) {
        failures.push({ guarantee: "native-contract", where, message: `FormatError offset ${error.offset} is outside the ${member.bytes.length}-byte file: ${error.message}` });
      }
    } else failures.push({ guarantee: "internal-error", where, ...describe(error) });
  }
  const ms = performance.now() - start;
  if (ms > HANG_MS) failures.push({ guarantee: "hang", where, message: `${where} took ${Math.round(ms)} ms` });
}

function sameSet(a, b) {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The central entry without its local header offset field (4 bytes at 42, or 8 in the zip64 extra). */
function centralWithoutOffset(archive, bytes, index) {
  const place = archive.layout[index];
  const raw = bytes.slice(place.centralOffset, place.centralOffset + place.centralLength);
  raw.fill(0, place.offsetFieldAt, place.offsetFieldAt + (place.offsetFieldAt === 42 ? 4 : 8));
  return raw;
}

/** The name's parts, without the platform tags. */
function nameWithoutPlatform(filename) {
  const parts = filename.replace(/\.whl$/, "").split("-");
  return parts.slice(0, -1).join("-");
}

/** Everything a rewritten wheel must be (DESIGN §4). */
async function checkRewrite(api, fuzzCase, check, retag, failures, typedErrors) {
  const fail = (guarantee, message, detail) => failures.push({ guarantee, where: "retagWheel output", message, ...(detail === undefined ? {} : { detail }) });
  const out = retag.bytes;
  if (!(out instanceof Uint8Array)) return fail("bad-rewrite", "action is rewritten but bytes is not a Uint8Array");

  if (nameWithoutPlatform(retag.filename) !== nameWithoutPlatform(fuzzCase.filename)) {
    fail("bad-rewrite", "the new name changes more than the platform tags", `${fuzzCase.filename} → ${retag.filename}`);
  }
  // A rewrite that changes the tags carries the expected tags, sorted; one that keeps them (WHEEL
  // or RECORD alone) keeps the name's platform part as written (R015, an unsorted set, is information).
  const newPlatform = retag.filename.replace(/\.whl$/, "").split("-").at(-1);
  const oldPlatform = fuzzCase.filename.replace(/\.whl$/, "").split("-").at(-1);
  const changes = check.needsRewrite && check.tags.expected !== null && !sameSet(check.tags.expected, oldPlatform.split("."));
  const expected = changes ? [...new Set(check.tags.expected)].sort().join(".") : oldPlatform;
  if (newPlatform !== expected) fail("bad-rewrite", "the new name's platform is not the expected tags", `${newPlatform} vs [${expected}]`);

  let archive;
  try {
    archive = await api.openZip(out);
  } catch (error) {
    return fail("bad-rewrite", "openZip rejects the output", describe(error).message);
  }
  const input = await api.openZip(fuzzCase.bytes);

  // Which members retag may change: WHEEL and RECORD of the .dist-info, and the signatures it drops.
  const records = archive.members.filter((m) => /^[^/]+\.dist-info\/RECORD$/.test(m.name));
  if (records.length !== 1) return fail("bad-rewrite", "the output has not exactly one RECORD", String(records.length));
  const recordPath = records[0].name;
  const wheelPath = recordPath.replace(/RECORD$/, "WHEEL");
  const changed = new Set([recordPath, wheelPath]);
  const dropped = new Set(retag.dropped);

  const kept = input.members.filter((m) => !dropped.has(m.name));
  if (kept.map((m) => m.name).join("\n") !== archive.members.map((m) => m.name).join("\n")) {
    fail("bad-rewrite", "the output's members are not the input's, in order, minus the dropped signatures");
  } else {
    for (let i = 0; i < kept.length; i++) {
      const before = kept[i];
      const after = archive.members[i];
      if (changed.has(before.name)) continue;
      const a = input.layout[before.index];
      const b = archive.layout[after.index];
      if (!sameBytes(fuzzCase.bytes.subarray(a.localHeaderOffset, a.recordEnd), out.subarray(b.localHeaderOffset, b.recordEnd))) {
        fail("bad-rewrite", "an untouched member's local record changed", before.name);
      }
      if (!sameBytes(centralWithoutOffset(input, fuzzCase.bytes, before.index), centralWithoutOffset(archive, out, after.index))) {
        fail("bad-rewrite", "an untouched member's central directory entry changed beyond its offset", before.name);
      }
    }
  }

  // Every member reads back (CRC-32) and matches RECORD: what pip and uv verify on install.
  const data = await readBack(api, archive, (name, error) => fail("bad-rewrite", "a member cannot be read back", `${name}: ${describe(error).message}`));
  const recordBytes = data.get(recordPath);
  if (recordBytes !== undefined) {
    let record = null;
    try {
      record = api.parseRecord(decoder.decode(recordBytes));
    } catch (error) {
      fail("bad-rewrite", "the output's RECORD does not parse", describe(error).message);
    }
    if (record !== null) {
      const rows = new Map(record.rows.map((r) => [r.path, r]));
      for (const [name, bytes] of data) {
        if (name === recordPath) continue;
        const row = rows.get(name);
        if (row === undefined) fail("bad-rewrite", "a member has no RECORD row", name);
        else if (!hashHolds(row.hash, bytes)) fail("bad-rewrite", "a RECORD hash does not hold", `${name}: ${row.hash}`);
        // A blank size is allowed (installers check the hash); a size that is there must be right.
        else if (row.size !== "" && row.size !== String(bytes.length)) fail("bad-rewrite", "a RECORD size is wrong", `${name}: ${row.size}, not ${bytes.length}`);
      }
      for (const row of record.rows) {
        if (row.path !== recordPath && !data.has(row.path)) fail("bad-rewrite", "RECORD lists a file that is not in the output", row.path);
      }
    }
  }

  // Checked again under its new name, the output is a clean wheel that needs nothing more.
  const options = { ...fuzzCase.options, filename: retag.filename };
  const again = await guarded(api, "checkWheel(output)", () => api.checkWheel(out, options), failures, typedErrors);
  if (again !== undefined) {
    // R015 (an unsorted tag set) is information retag does not change: it keeps a set's spelling unless it rewrites the set.
    // Warnings about names the rewrite keeps as they are (KEPT_WARNINGS) stay true of the output too.
    const structural = again.findings.filter((f) => f.code.startsWith("R0") && f.code !== "R015" && !KEPT_WARNINGS.has(f.code));
    if (structural.length > 0) {
      const codes = [...new Set(structural.map((f) => f.code))].sort().join(" ");
      fail("bad-rewrite", `the output has wheel findings ${codes}`, structural.map((f) => `${f.code} ${f.message}`).join("; "));
    }
    if (again.needsRewrite) fail("unstable-rewrite", "the output still needs a rewrite", String(again.expectedFilename));
    // The exit code comes from the findings that remain true of the output (DESIGN §4); R012 (a
    // dropped signature, a warning) is about the rewrite itself and only counts under --strict.
    const signatureWarning = fuzzCase.options.strict === true && retag.dropped.length > 0;
    if (retag.ok !== again.ok && !signatureWarning) {
      fail("bad-result", `retag says ok is ${retag.ok}, but its output checks ok ${again.ok}`, again.findings.map((f) => f.code).join(" "));
    }
  }
  const second = await guarded(api, "retagWheel(output)", () => api.retagWheel(out, options), failures, typedErrors);
  if (second !== undefined && second.action !== "unchanged") fail("unstable-rewrite", `retag on its own output says ${second.action}`, second.filename);
}

/**
 * Runs one case through parseMachO (each mutated member alone), checkWheel and retagWheel.
 * @returns {Promise<Outcome>}
 */
export async function checkCase(api, fuzzCase) {
  const failures = [];
  const typedErrors = [];
  const start = performance.now();
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  const original = fuzzCase.bytes.slice();

  for (const m of fuzzCase.machos) checkMacho(api, m.name, m.bytes, failures, typedErrors);
  for (const m of fuzzCase.natives ?? []) checkNative(api, m, failures, typedErrors);

  const options = { ...fuzzCase.options, filename: fuzzCase.filename };
  const check = await guarded(api, "checkWheel", () => api.checkWheel(fuzzCase.bytes, options), failures, typedErrors);
  if (check !== undefined) checkResultShape(api, check, fuzzCase.options, "checkWheel", failures);
  const retag = await guarded(api, "retagWheel", () => api.retagWheel(fuzzCase.bytes, options), failures, typedErrors);
  if (retag !== undefined) {
    checkResultShape(api, retag.check, fuzzCase.options, "retagWheel", failures);
    if (check !== undefined && JSON.stringify(check) !== JSON.stringify(retag.check)) {
      failures.push({ guarantee: "bad-result", where: "retagWheel", message: "retagWheel's check differs from checkWheel on the same input" });
    }
    if (retag.action === "rewritten") await checkRewrite(api, fuzzCase, retag.check, retag, failures, typedErrors);
    else if (retag.bytes !== null) failures.push({ guarantee: "bad-result", where: "retagWheel", message: `action ${retag.action} with bytes` });
  }
  if (!sameBytes(original, fuzzCase.bytes)) failures.push({ guarantee: "input-modified", where: "retagWheel", message: "the input bytes changed" });

  const grown = process.resourceUsage().maxRSS * 1024 - rssBefore;
  if (grown > MEMORY_LIMIT) {
    failures.push({ guarantee: "memory", where: "case", message: `peak RSS grew by ${Math.round(grown / 2 ** 20)} MiB on a ${fuzzCase.bytes.length}-byte wheel` });
  }
  return {
    ...(retag?.action === "rewritten" && retag.bytes instanceof Uint8Array ? { output: { filename: retag.filename, bytes: retag.bytes } } : {}),
    failures,
    action: retag?.action ?? null,
    codes: [...new Set([...(check?.findings ?? []), ...(retag?.remaining ?? [])].map((f) => f.code))],
    typedErrors,
    ms: performance.now() - start,
  };
}

/** A stable key for "the same bug": the guarantee, the call, and the message with numbers and quoted names blurred. */
export function failureSignature(failure) {
  const text = failure.message
    .split("\n")[0]
    .replace(/\bR\d{3}\b|\d+/g, (m) => (m.startsWith("R") ? m : "N"))
    .replace(/"[^"]*"|'[^']*'/g, "S")
    .slice(0, 120);
  const frame = (failure.stack ?? "").split("\n").find((l) => l.includes("/src/") || l.includes("/dist/")) ?? "";
  const at = frame.replace(/.*\/(src|dist)\//, "").replace(/:\d+\)?$/, "");
  return `${failure.guarantee} | ${failure.where.replace(/\(.*\)/, "")} | ${text}${at ? ` | ${at}` : ""}`;
}
