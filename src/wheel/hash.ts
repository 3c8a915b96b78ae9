// RECORD hashes: `<algorithm>=<urlsafe base64 digest without padding>` (PEP 376 / PEP 427, "Recording
// installed projects" and "Binary distribution format" specs). The algorithm must be one of Python's
// `hashlib.algorithms_guaranteed` and sha256 or stronger; md5 and sha1 are forbidden outright.
import { createHash, getHashes } from "node:crypto";

export type RecordHashStatus = "ok" | "mismatch" | "forbidden-algorithm" | "unknown-algorithm" | "malformed";

/** hashlib name → node:crypto name and digest length in bytes, for the algorithms the spec accepts. */
const ACCEPTED: ReadonlyMap<string, { node: string; bytes: number }> = new Map([
  ["sha256", { node: "sha256", bytes: 32 }],
  ["sha384", { node: "sha384", bytes: 48 }],
  ["sha512", { node: "sha512", bytes: 64 }],
  ["sha3_256", { node: "sha3-256", bytes: 32 }],
  ["sha3_384", { node: "sha3-384", bytes: 48 }],
  ["sha3_512", { node: "sha3-512", bytes: 64 }],
  ["blake2b", { node: "blake2b512", bytes: 64 }],
  ["blake2s", { node: "blake2s256", bytes: 32 }],
]);

/** In algorithms_guaranteed but weaker than sha256 (the spec names md5 and sha1; sha224 is shorter). */
const FORBIDDEN: ReadonlySet<string> = new Set(["md5", "sha1", "sha224", "sha3_224"]);

const URLSAFE_B64 = /^[A-Za-z0-9_-]+={0,2}$/;

/** The RECORD hash field for `data`: `sha256=` and the urlsafe base64 digest without `=` padding. */
export function recordHash(data: Uint8Array): string {
  return `sha256=${createHash("sha256").update(data).digest("base64url")}`;
}

/** Splits a hash field at its first `=`; null when either side is empty. */
export function parseRecordHash(field: string): { algorithm: string; digest: string } | null {
  const at = field.indexOf("=");
  if (at <= 0 || at === field.length - 1) return null;
  return { algorithm: field.slice(0, at), digest: field.slice(at + 1) };
}

/**
 * Whether an algorithm name is acceptable in RECORD. hashlib.new() looks names up case-insensitively,
 * so `SHA256` is accepted as sha256. An accepted algorithm that this Node build lacks is "unknown".
 */
export function hashAlgorithmStatus(algorithm: string): "ok" | "forbidden-algorithm" | "unknown-algorithm" {
  const name = algorithm.toLowerCase();
  if (FORBIDDEN.has(name)) return "forbidden-algorithm";
  const accepted = ACCEPTED.get(name);
  if (accepted === undefined || !availableHashes().has(accepted.node)) return "unknown-algorithm";
  return "ok";
}

/**
 * Checks a RECORD hash field against the member's bytes. Digests are compared as bytes, so a digest
 * written with `=` padding (which Python's urlsafe_b64decode accepts) still matches.
 */
export function checkRecordHash(field: string, data: Uint8Array): RecordHashStatus {
  const parsed = parseRecordHash(field);
  if (parsed === null) return "malformed";
  const status = hashAlgorithmStatus(parsed.algorithm);
  if (status !== "ok") return status;
  const accepted = ACCEPTED.get(parsed.algorithm.toLowerCase())!;
  if (!URLSAFE_B64.test(parsed.digest)) return "malformed";
  const expected = Buffer.from(parsed.digest, "base64url");
  if (expected.length !== accepted.bytes) return "malformed";
  const actual = createHash(accepted.node).update(data).digest();
  return actual.equals(expected) ? "ok" : "mismatch";
}

let hashes: Set<string> | null = null;
function availableHashes(): Set<string> {
  hashes ??= new Set(getHashes());
  return hashes;
}
