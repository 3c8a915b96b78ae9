// Shared by the check tests: build a wheel in memory, check it, and read the result as plain data.
import { checkWheelSource } from "../../src/flow/check.js";
import { nodeCodecs } from "../../src/node/codecs.js";
import { memorySource } from "../../src/zip/index.js";
import type { CheckOptions, CheckResult } from "../../src/model/results.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";

export async function checkSpec(spec: WheelSpec, options: Partial<CheckOptions> = {}): Promise<CheckResult> {
  const wheel = await makeWheel(spec);
  return checkWheelSource(wheel.filename, memorySource(wheel.bytes), nodeCodecs, options);
}

/** The finding codes of a result, sorted, each once: what the tables compare. */
export function codesOf(result: CheckResult): string[] {
  return [...new Set(result.findings.map((f) => f.code))].sort();
}

/** A thin ELF header (64-bit, little-endian, ET_DYN, EM_X86_64): the first bytes of a Linux extension. */
export function elfHeader(): Uint8Array {
  const out = new Uint8Array(64);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // "\x7fELF", ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  const view = new DataView(out.buffer);
  view.setUint16(16, 3, true); // e_type ET_DYN
  view.setUint16(18, 62, true); // e_machine EM_X86_64
  return out;
}

/** A DOS stub whose e_lfanew (0x3c) points at a PE signature and an IMAGE_FILE_MACHINE_AMD64 file header. */
export function peHeader(): Uint8Array {
  const out = new Uint8Array(0x40 + 24);
  out.set([0x4d, 0x5a], 0); // "MZ"
  const view = new DataView(out.buffer);
  view.setUint32(0x3c, 0x40, true);
  out.set([0x50, 0x45, 0, 0], 0x40); // "PE\0\0"
  view.setUint16(0x44, 0x8664, true);
  return out;
}
