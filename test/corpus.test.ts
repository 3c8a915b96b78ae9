// retag against the real-world corpus in ../shared/corpus (never copied into the repo): every expected
// tag, error, warning, dropped member and byte-identical output must match expected.json.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FINDINGS } from "../src/model/findings.js";
import { parseWheelMetadata } from "../src/wheel/metadata.js";
import { openZip } from "../src/zip/index.js";
import { readMemberBytes as readMember, retagBytes } from "./helpers/core.js";

const corpus = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const present = existsSync(`${corpus}expected.json`);

interface Expected {
  file: string;
  expected_tag: string | null;
  expected_error: string | null;
  expected_changed: boolean;
  expected_warning: string | null;
  expected_dropped: string[];
  expected_file: string | null;
  expected_wheel_tags: string[];
}

const names = (codes: string[]): string[] => codes.map((c) => FINDINGS[c as keyof typeof FINDINGS]?.name ?? c);

describe.skipIf(!present)("corpus (../shared/corpus)", () => {
  const entries: Expected[] = present ? JSON.parse(readFileSync(`${corpus}expected.json`, "utf8")) : [];

  it.each(entries.map((e) => [e.file.replace("wheels/", ""), e] as const))("%s", async (_name, e) => {
    const bytes = new Uint8Array(readFileSync(`${corpus}${e.file}`));
    const result = await retagBytes(e.file, bytes, {});
    const errors = names(result.remaining.filter((f) => f.severity === "error").map((f) => f.code));
    const all = names(result.check.findings.map((f) => f.code));

    if (e.expected_error !== null) {
      expect(result.action).not.toBe("rewritten");
      expect(errors).toContain(e.expected_error);
      return;
    }
    expect(errors).toEqual([]);
    if (e.expected_warning !== null) expect(all).toContain(e.expected_warning);
    expect(result.filename).toBe(e.expected_file);
    if (!e.expected_changed) {
      expect(result.action).toBe("unchanged");
      return;
    }
    expect(result.action).toBe("rewritten");
    const out = await openZip(result.bytes ?? new Uint8Array(0));
    const wheelMember = out.members.find((m) => m.name.endsWith(".dist-info/WHEEL"));
    expect(wheelMember).toBeDefined();
    const meta = parseWheelMetadata(new TextDecoder().decode(await readMember(out, wheelMember!)));
    expect([...meta.tags].sort()).toEqual([...e.expected_wheel_tags].sort());
    expect(result.dropped.map((p) => p.slice(p.lastIndexOf("/") + 1))).toEqual(e.expected_dropped);
  });
});

describe.skipIf(present)("corpus", () => {
  it("is skipped: ../shared/corpus is not on this machine", () => {
    expect(present).toBe(false);
  });
});
