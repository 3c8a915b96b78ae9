// Seeded xorshift bytes for tests that need members of a given compressed size: `mask` 0xff is
// incompressible, 0x0f deflates about 2:1.
export function noise(seed: number, length: number, mask = 0xff): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & mask;
  }
  return out;
}
