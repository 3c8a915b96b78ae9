// The `Content-Range` response header (RFC 9110 §14.4):
//   Content-Range     = range-unit SP ( range-resp / unsatisfied-range )
//   range-resp        = incl-range "/" ( complete-length / "*" )
//   incl-range        = first-pos "-" last-pos
//   unsatisfied-range = "*/" complete-length
// A 206 to a single range carries a `range-resp`; a 416 carries an `unsatisfied-range`. retag needs the
// complete length (the file's size), so a `*` there is treated as unusable.

/** `end` is exclusive (last-pos + 1); `total` is the complete length. */
export type ContentRange = { start: number; end: number; total: number } | { unsatisfied: true; total: number };

// At most 15 digits, so every value is a safe integer (2^53 ≈ 9.0e15).
const RANGE = /^bytes ([0-9]{1,15})-([0-9]{1,15})\/([0-9]{1,15})$/i;
const UNSATISFIED = /^bytes \*\/([0-9]{1,15})$/i;

/** The parsed header, or null when it is not a byte range with a known complete length. */
export function parseContentRange(value: string | null): ContentRange | null {
  if (value === null) return null;
  const text = value.trim();
  const range = RANGE.exec(text);
  if (range) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    const total = Number(range[3]);
    // RFC 9110: "a Content-Range field value is invalid if it contains a range-resp that has a
    // last-pos value less than its first-pos value, or a complete-length value less than or equal to
    // its last-pos value".
    if (last < first || total <= last) return null;
    return { start: first, end: last + 1, total };
  }
  const unsatisfied = UNSATISFIED.exec(text);
  if (unsatisfied) return { unsatisfied: true, total: Number(unsatisfied[1]) };
  return null;
}
