// The table the family tests share: a wheel built from real fixtures, what `retag check` reports
// about it (every code, nothing more), the tags fix mode would write, and what `retag` then does.
import { expect } from "vitest";
import type { Finding } from "../../src/model/findings.js";
import type { CheckOptions } from "../../src/model/results.js";
import { checkSpec, codesOf } from "../check/check-helpers.js";
import { checkBytes, retagBytes } from "../helpers/core.js";
import { makeWheel, type WheelSpec } from "../helpers/make-wheel.js";

export interface FamilyRow {
  name: string;
  /** The platform tag part of the file name (`pkg-1.0-cp313-cp313-<platform>.whl`), or a whole file name. */
  platform: string;
  members: NonNullable<WheelSpec["members"]>;
  tags?: string[];
  options?: Partial<CheckOptions>;
  /** Every finding code the check reports, sorted. */
  codes: string[];
  /** The tags fix mode would write (null: nothing true can be written). */
  expected: string[] | null;
  /** The file name fix mode writes, when it rewrites; absent when it does not. */
  rewrite?: string;
  /** Findings that must be among the results (compared field by field). */
  findings?: Array<Partial<Finding>>;
}

export const native = (file: string) => ({ native: file });
export const macho = (file: string) => ({ fixture: file });

export function filenameOf(row: Pick<FamilyRow, "platform">): string {
  return row.platform.endsWith(".whl") ? row.platform : `pkg-1.0-cp313-cp313-${row.platform}.whl`;
}

/** Runs one row through check and fix and compares what a user sees. */
export async function runRow(row: FamilyRow): Promise<void> {
  const spec: WheelSpec = { filename: filenameOf(row), members: row.members, ...(row.tags === undefined ? {} : { tags: row.tags }) };
  const result = await checkSpec(spec, row.options);
  expect(codesOf(result)).toEqual(row.codes);
  expect(result.tags.expected).toEqual(row.expected);
  expect(result.needsRewrite).toBe(row.rewrite !== undefined);
  expect(result.expectedFilename).toBe(row.rewrite ?? null);
  for (const f of row.findings ?? []) expect(result.findings).toContainEqual(expect.objectContaining(f));

  const wheel = await makeWheel(spec);
  const fixed = await retagBytes(wheel.filename, wheel.bytes, row.options);
  if (row.rewrite === undefined) {
    expect(fixed.action).not.toBe("rewritten");
    expect(fixed.bytes).toBeNull();
  } else if (result.findings.some((f) => f.severity === "error" && !["R011", "R201", "R202", "R203", "R211"].includes(f.code))) {
    // An error a rewrite does not repair blocks it: the wheel is never made to look right.
    expect(fixed.action).toBe("refused");
  } else {
    expect(fixed.action).toBe("rewritten");
    expect(fixed.filename).toBe(row.rewrite);
    // The output checks clean under its new name: nothing more to rewrite, nothing the repair claimed left.
    const again = await checkBytes(fixed.filename, fixed.bytes!, row.options);
    expect(again.needsRewrite).toBe(false);
    expect(codesOf(again).filter((c) => ["R011", "R021", "R201", "R202", "R203", "R211"].includes(c))).toEqual([]);
  }
}
