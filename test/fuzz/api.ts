// The harness (fuzz/harness.mjs) driven against the sources, so the tests need no build.
import type { FuzzApi } from "../../fuzz/harness.mjs";
import { checkWheel } from "../../src/check.js";
import { MachOError, RetagError, WheelError } from "../../src/model/errors.js";
import { FINDINGS } from "../../src/model/findings.js";
import { parseMachO } from "../../src/macho/index.js";
import { retagWheel } from "../../src/retag.js";
import { parseRecord } from "../../src/wheel/record.js";
import { openZip, readMember, writeZip } from "../../src/wheel/zip.js";

export const api: FuzzApi = { checkWheel, retagWheel, parseMachO, openZip, readMember, writeZip, parseRecord, FINDINGS, WheelError, MachOError, RetagError };
