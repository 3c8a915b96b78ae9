// Constants and small codecs of the zip format, as PKWARE's APPNOTE.TXT (6.3.x) defines them.
// Shared by the reader and the writers; nothing here knows about wheels.

// Record signatures (APPNOTE 4.3.7, 4.3.9, 4.3.12, 4.3.14, 4.3.15, 4.3.16).
export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;
export const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
export const ZIP64_EOCD_SIGNATURE = 0x06064b50;
export const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
export const EOCD_SIGNATURE = 0x06054b50;

// Fixed parts of the records, in bytes.
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_ENTRY_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
/** The EOCD comment is at most 65535 bytes, so the EOCD starts within this many bytes of the end. */
export const EOCD_SEARCH_SPAN = 0xffff + EOCD_SIZE;

/** Extra field header id of the zip64 extended information (APPNOTE 4.5.3). */
export const ZIP64_EXTRA_ID = 0x0001;
/** A 16- or 32-bit field holding this value means "the real value is in a zip64 record". */
export const MAX16 = 0xffff;
export const MAX32 = 0xffffffff;

// General purpose bit flag (APPNOTE 4.4.4).
export const FLAG_ENCRYPTED = 1 << 0;
export const FLAG_DATA_DESCRIPTOR = 1 << 3;
export const FLAG_PATCHED = 1 << 5;
export const FLAG_STRONG_ENCRYPTION = 1 << 6;
export const FLAG_UTF8 = 1 << 11;

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

/** "version made by" high byte for Unix (APPNOTE 4.4.2.2): external attributes hold `st_mode` << 16. */
export const HOST_UNIX = 3;
/** Version needed to extract: 2.0 for deflate and folders, 4.5 for zip64 (APPNOTE 4.4.3.2). */
export const VERSION_DEFAULT = 20;
export const VERSION_ZIP64 = 45;

// <sys/stat.h> file type bits, as found in the high half of Unix external attributes.
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/** Reads a little-endian u64 as a number; null when it is above 2^53 (no real archive is that big). */
export function readU64(view: DataView, offset: number): number | null {
  const low = view.getUint32(offset, true);
  const high = view.getUint32(offset + 4, true);
  if (high > 0x1fffff) return null;
  return high * 0x1_0000_0000 + low;
}

export function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 0x1_0000_0000, true);
  view.setUint32(offset + 4, Math.floor(value / 0x1_0000_0000), true);
}

/**
 * DOS date and time (APPNOTE 4.4.6) to a Date. DOS times carry no zone; retag reads them as UTC, as
 * jszip does, so results never depend on the machine's zone.
 */
export function dosDateTimeToDate(date: number, time: number): Date {
  return new Date(
    Date.UTC(1980 + (date >>> 9), ((date >>> 5) & 0xf) - 1, date & 0x1f, time >>> 11, (time >>> 5) & 0x3f, (time & 0x1f) * 2),
  );
}

/** A Date to DOS date and time (UTC, 2-second resolution, clamped to the years DOS can hold). */
export function dateToDosDateTime(when: Date): { date: number; time: number } {
  const year = when.getUTCFullYear();
  if (Number.isNaN(year) || year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) return { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >>> 1),
  };
}

// Code page 437, upper half: what a name without the UTF-8 flag means (APPNOTE appendix D), and
// what Python's zipfile (so pip) decodes it as.
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

export function decodeCp437(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return text;
}

const utf8Lenient = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** UTF-8 with invalid sequences replaced by U+FFFD (`isValidUtf8` tells whether any were). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Lenient.decode(bytes);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return false;
  return true;
}

/** A member name as installers read it: UTF-8 when flag bit 11 says so, else CP437 (APPNOTE appendix D). */
export function decodeMemberName(bytes: Uint8Array, flags: number): string {
  if (flags & FLAG_UTF8) return decodeUtf8(bytes);
  return isAscii(bytes) ? decodeUtf8(bytes) : decodeCp437(bytes);
}
