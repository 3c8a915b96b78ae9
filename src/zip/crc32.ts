// CRC-32 as zip uses it (APPNOTE 4.4.7: ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), in
// plain JavaScript for hosts without a native one (a browser). Node's codecs use zlib.crc32 (C).

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `bytes`, continuing from `initial` (the CRC of the bytes before them). */
export function crc32Portable(bytes: Uint8Array, initial = 0): number {
  const t = crcTable();
  let crc = ~initial >>> 0;
  for (const byte of bytes) crc = (t[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}
