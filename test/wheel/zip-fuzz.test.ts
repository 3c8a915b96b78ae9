// Fuzzing with fast-check (fixed seed, so a failure reproduces): valid archives with random bytes
// overwritten, cut or inserted. The zip layer may only return data or throw ZipError; and whatever
// openZip accepts, rewriteZip turns into an archive openZip accepts again.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ZipError } from "../../src/model/errors.js";
import { openZip } from "../../src/zip/index.js";
import { readMemberBytes as readMember, readMemberHeadBytes as readMemberHead, rewriteZipBytes as rewriteZip, zipBytes as writeZip } from "../helpers/core.js";
import { concatBytes, encode } from "../helpers/make-zip.js";

const seeds = await Promise.all([
  writeZip([
    { name: "pkg/__init__.py", data: encode("print('hi')\n".repeat(40)) },
    { name: "pkg/_x.so", data: encode("\xcf\xfa\xed\xfe".repeat(30)), method: 0 },
    { name: "pkg/dir/", data: new Uint8Array(0) },
    { name: "pkg-1.0.dist-info/RECORD", data: encode("a,b,c\n") },
  ]),
  writeZip([
    { name: "a", data: encode("same") },
    { name: "a", data: encode("same") },
    { name: "ü", data: new Uint8Array(0) },
  ]),
  writeZip([]),
]);

/** Where each seed's local records end: mutations limited to them keep the central directory intact. */
const localEnds = await Promise.all(seeds.map(async (bytes) => Math.min(bytes.length, ...(await openZip(bytes)).layout.map((place) => place.centralOffset))));

/** Runs `fn`; a ZipError counts as an answer, any other exception fails the property. */
async function answers<T>(fn: () => Promise<T>): Promise<T | ZipError> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
}

type Mutation =
  | { kind: "set"; at: number; value: number }
  | { kind: "max"; at: number }
  | { kind: "cut"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("max" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
);

function mutate(input: Uint8Array, mutations: Mutation[], within: number): Uint8Array {
  let bytes: Uint8Array = input.slice();
  for (const m of mutations) {
    if (bytes.length === 0 || within === 0) break;
    const at = m.at % Math.min(within, bytes.length);
    if (m.kind === "set") bytes[at] = m.value;
    else if (m.kind === "max") bytes.fill(0xff, at, at + 4); // 0xFFFF / 0xFFFFFFFF: zip64 placeholders
    else if (m.kind === "cut") bytes = bytes.slice(0, at);
    else bytes = concatBytes([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
  }
  return bytes;
}

describe("zip layer under random corruption", () => {
  it("only returns data or throws ZipError", async () => {
    await fc.assert(
      // Half the runs corrupt only the local records (headers and data), which leaves most archives
      // openable, so readMember and rewriteZip see broken data and not only openZip.
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (which, mutations, localOnly) => {
        const seed = seeds[which]!;
        const bytes = mutate(seed, mutations.filter((m) => !localOnly || m.kind === "set" || m.kind === "max"), localOnly ? localEnds[which]! : seed.length);
        const archive = await answers(() => openZip(bytes));
        if (archive instanceof ZipError) {
          expect(archive.kind).toBe("corrupt");
          return;
        }
        for (const member of archive.members) {
          const data = await answers(() => readMember(archive, member, { maxMemberSize: 1 << 20 }));
          if (!(data instanceof ZipError)) expect(data).toHaveLength(member.size);
          await answers(() => readMemberHead(archive, member, 64));
        }
        const first = archive.members[0];
        const last = archive.members[archive.members.length - 1];
        const replace = new Map(first ? [[first.name, encode("replaced")]] : []);
        const drop = new Set(last && last.name !== first?.name ? [last.name] : []);
        const rewritten = await openZip(concatBytes(await rewriteZip(archive, { replace, drop })));
        expect(rewritten.members.length).toBe(archive.members.filter((m) => !drop.has(m.name)).length);
      }),
      { seed: 20240517, numRuns: 5000 },
    );
  });
});
