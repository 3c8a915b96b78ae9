// RECORD hashes: `<algorithm>=<urlsafe base64 digest without padding>` (PEP 376 / PEP 427, "Recording
// installed projects" and "Binary distribution format" specs). The algorithm must be one of Python's
// `hashlib.algorithms_guaranteed` and sha256 or stronger; md5 and sha1 are forbidden outright. The
// digests themselves come from the host's codecs.
import type { Codecs, DigestAlgorithm } from "../model/ports.js";

export type RecordHashStatus = "ok" | "mismatch" | "forbidden-algorithm" | "unknown-algorithm" | "malformed";

/** hashlib names the spec accepts, with their digest lengths in bytes. */
const ACCEPTED: ReadonlyMap<string, { algorithm: DigestAlgorithm; bytes: number }> = new Map([
  ["sha256", { algorithm: "sha256", bytes: 32 }],
  ["sha384", { algorithm: "sha384", bytes: 48 }],
  ["sha512", { algorithm: "sha512", bytes: 64 }],
  ["sha3_256", { algorithm: "sha3_256", bytes: 32 }],
  ["sha3_384", { algorithm: "sha3_384", bytes: 48 }],
  ["sha3_512", { algorithm: "sha3_512", bytes: 64 }],
  ["blake2b", { algorithm: "blake2b", bytes: 64 }],
  ["blake2s", { algorithm: "blake2s", bytes: 32 }],
]);

/** In algorithms_guaranteed but weaker than sha256 (the spec names md5 and sha1; sha224 is shorter). */
const FORBIDDEN: ReadonlySet<string> = new Set(["md5", "sha1", "sha224", "sha3_224"]);

const URLSAFE_B64 = /^[A-Za-z0-9_-]+={0,2}$/;
const B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Character code → its value in the urlsafe alphabet, -1 for any other character. */
const B64_VALUES: readonly number[] = Array.from({ length: 128 }, (_, code) => B64_ALPHABET.indexOf(String.fromCharCode(code)));

/** Urlsafe base64 without `=` padding (RFC 4648 §5), as RECORD writes digests. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]! + B64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64_ALPHABET[n >>> 18]! + B64_ALPHABET[(n >>> 12) & 63]! + B64_ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes urlsafe base64 with or without padding, as Python's urlsafe_b64decode accepts it; null for
 * text that is not base64 (a length of 4n+1 characters cannot be).
 */
export function base64UrlDecode(text: string): Uint8Array | null {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 0x3d) length--; // "=" padding
  if (length % 4 === 1) return null;
  // One table lookup per character (this runs for every RECORD row: 20,000 in a many-member wheel).
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? (B64_VALUES[code] as number) : -1;
    if (digit < 0) return null;
    value = ((value << 6) | digit) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/** The RECORD hash field for a sha256 digest: `sha256=` and the urlsafe base64 digest without padding. */
export function formatRecordHash(sha256: Uint8Array): string {
  return `sha256=${base64UrlEncode(sha256)}`;
}

/** The RECORD hash field for `data` (sha256). */
export async function recordHash(data: Uint8Array, codecs: Codecs): Promise<string> {
  return formatRecordHash(await codecs.digest("sha256", data));
}

/** Splits a hash field at its first `=`; null when either side is empty. */
export function parseRecordHash(field: string): { algorithm: string; digest: string } | null {
  const at = field.indexOf("=");
  if (at <= 0 || at === field.length - 1) return null;
  return { algorithm: field.slice(0, at), digest: field.slice(at + 1) };
}

/**
 * Whether an algorithm name is acceptable in RECORD. hashlib.new() looks names up case-insensitively,
 * so `SHA256` is accepted as sha256. An accepted algorithm the host cannot compute is "unknown".
 */
export function hashAlgorithmStatus(algorithm: string, digests: ReadonlySet<DigestAlgorithm>): "ok" | "forbidden-algorithm" | "unknown-algorithm" {
  const name = algorithm.toLowerCase();
  if (FORBIDDEN.has(name)) return "forbidden-algorithm";
  const accepted = ACCEPTED.get(name);
  if (accepted === undefined || !digests.has(accepted.algorithm)) return "unknown-algorithm";
  return "ok";
}

/** A RECORD hash field read for checking: the algorithm and expected digest, or why it cannot be checked. */
export type RecordHashField =
  | { status: "ok"; algorithm: DigestAlgorithm; expected: Uint8Array }
  | { status: "forbidden-algorithm" | "unknown-algorithm" | "malformed" };

/**
 * Reads a hash field for checking. Digests are decoded to bytes, so a digest written with `=`
 * padding (which Python's urlsafe_b64decode accepts) still matches.
 */
export function readRecordHash(field: string, digests: ReadonlySet<DigestAlgorithm>): RecordHashField {
  const parsed = parseRecordHash(field);
  if (parsed === null) return { status: "malformed" };
  const status = hashAlgorithmStatus(parsed.algorithm, digests);
  if (status !== "ok") return { status };
  const accepted = ACCEPTED.get(parsed.algorithm.toLowerCase())!;
  if (!URLSAFE_B64.test(parsed.digest)) return { status: "malformed" };
  const expected = base64UrlDecode(parsed.digest);
  if (expected === null || expected.length !== accepted.bytes) return { status: "malformed" };
  return { status: "ok", algorithm: accepted.algorithm, expected };
}

export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks a RECORD hash field against the member's bytes. */
export async function checkRecordHash(field: string, data: Uint8Array, codecs: Codecs): Promise<RecordHashStatus> {
  const read = readRecordHash(field, codecs.digests);
  if (read.status !== "ok") return read.status;
  return sameDigest(await codecs.digest(read.algorithm, data), read.expected) ? "ok" : "mismatch";
}
