// The CRC-32 of two pieces joined, from each piece's CRC-32 and the second's length, without reading
// either (zlib's crc32_combine, as zlib 1.2.12 computes it: CRC-32 is the remainder of a polynomial
// over GF(2), so appending n bytes multiplies the first CRC by x^(8n) mod the polynomial). A fat file
// whose slices are whole input members gets its CRC from theirs, which their read checked already.

/** The reflected polynomial of APPNOTE 4.4.7 (ISO 3309). */
const POLY = 0xedb88320;
/** x^0 = 1 in the reflected representation: the top bit. */
const ONE = 0x80000000;

/** a(x) · b(x) modulo the polynomial (both reflected). */
function multiply(a: number, b: number): number {
  let m = ONE;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0 … 31 (x^1 is 1 << 30 reflected). */
const POWERS = (() => {
  const table = new Array<number>(32);
  let p = ONE >>> 1;
  for (let k = 0; k < 32; k++) {
    table[k] = p;
    p = multiply(p, p);
  }
  return table;
})();

/** x^(n · 2^k) modulo the polynomial. */
function power(n: number, k: number): number {
  let p = ONE;
  while (n > 0) {
    if (n % 2 === 1) p = multiply(POWERS[k % 32]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC-32 of A followed by B, from crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8 · lengthB) = x^(lengthB · 2^3).
  return (multiply(power(lengthB, 3), crcA >>> 0) ^ (crcB >>> 0)) >>> 0;
}
