// Where a raw deflate stream's blocks are (RFC 1951 §3.2), without producing its output: the start
// of its last block and the bit where the stream ends. With them a stream can be made non-final and
// followed by another one (splice.ts), so that a fused binary reuses its inputs' compressed bytes
// instead of being deflated again. Decoding the Huffman codes is needed to find a block's end (blocks
// carry no length), but the literals and matches are only counted, never written.
//
// Untrusted input: every read is bounds-checked, each step consumes at least one bit (the loop ends
// within 8 × length steps), tables are at most 2^15 entries, and a stream that is not valid deflate
// (a code that decodes to nothing, a distance before the start, more output than `maxOutput`) throws
// DeflateWalkError; the caller then deflates afresh.
import type { FinalBlockBounds } from "../model/ports.js";

/** A stream the walker cannot follow: invalid deflate, or not the size it should inflate to. */
export class DeflateWalkError extends Error {
  override name = "DeflateWalkError";
  constructor(
    message: string,
    readonly bit: number,
  ) {
    super(`${message} (at bit ${bit})`);
  }
}

export interface DeflateBlocks {
  /** Bit offset (from the first byte, LSB first) of the last block's header: its BFINAL bit. */
  lastBlockBit: number;
  /** Bit offset just after the last block's end (its end-of-block code, or a stored block's data). */
  endBit: number;
  /** Bytes the stream inflates to. */
  size: number;
}

const MAX_BITS = 15;
// RFC 1951 §3.2.5: base lengths and extra bits of length codes 257..285, distance codes 0..29.
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** §3.2.7: the order in which code length code lengths are stored. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A decoding table for a canonical Huffman code (§3.2.2): indexed by the next `bits` bits of the
 * stream (LSB first), each entry is `symbol << 4 | length`, or 0 where no code of the set starts
 * (an incomplete code; zlib accepts some, and a valid stream never reaches those entries).
 */
interface Table {
  entries: Int32Array;
  bits: number;
}

function buildTable(lengths: ArrayLike<number>, count: number, bit: number, store?: Int32Array): Table {
  const perLength = new Int32Array(MAX_BITS + 1);
  let maxLen = 0;
  for (let s = 0; s < count; s++) {
    const l = lengths[s]!;
    perLength[l]!++;
    if (l > maxLen) maxLen = l;
  }
  perLength[0] = 0;
  // An over-subscribed set is not a prefix code (zlib refuses it too).
  let left = 1;
  for (let l = 1; l <= MAX_BITS; l++) {
    left = left * 2 - perLength[l]!;
    if (left < 0) throw new DeflateWalkError("an over-subscribed Huffman code", bit);
  }
  const bits = Math.max(maxLen, 1);
  // Dynamic blocks come every few thousand symbols: their tables reuse one buffer per walk.
  const entries = store === undefined ? new Int32Array(1 << bits) : store.subarray(0, 1 << bits).fill(0);
  const next = new Int32Array(MAX_BITS + 2);
  let code = 0;
  for (let l = 1; l <= MAX_BITS; l++) {
    code = (code + perLength[l - 1]!) << 1;
    next[l] = code;
  }
  for (let s = 0; s < count; s++) {
    const l = lengths[s]!;
    if (l === 0) continue;
    const c = next[l]!++;
    // Codes are stored most significant bit first; the stream is read LSB first: reverse them.
    let reversed = 0;
    for (let i = 0; i < l; i++) reversed |= ((c >>> i) & 1) << (l - 1 - i);
    for (let i = reversed; i < entries.length; i += 1 << l) entries[i] = (s << 4) | l;
  }
  return { entries, bits };
}

const FIXED_LITERALS: Table = buildTable(
  Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
  288,
  0,
);
const FIXED_DISTANCES: Table = buildTable(Array.from({ length: 30 }, () => 5), 30, 0);

/**
 * Where a walk starts when it is not the stream's first bit: a block header at `bit`, after `output`
 * bytes of output (matches may reach back into them). With `oneBlock`, that block must be the final one.
 */
export interface WalkStart {
  bit: number;
  output: number;
  oneBlock: boolean;
}

/**
 * Walks the raw deflate stream `data` (RFC 1951) to its final block, counting what it inflates to.
 * Throws DeflateWalkError for a stream that is not valid deflate, ends before its final block, or
 * inflates to more than `maxOutput` bytes.
 */
export function deflateBlocks(data: Uint8Array, maxOutput: number, start: WalkStart = { bit: 0, output: 0, oneBlock: false }): DeflateBlocks {
  const totalBits = data.length * 8;
  // A bit buffer: `buf` holds `count` bits (LSB first) read from data[0 .. next); the stream position
  // is next × 8 − count. Bytes past the end read as 0, so a peek near the end needs no special case;
  // whether bits that were used lie inside the stream is checked against totalBits.
  let buf = 0;
  let count = 0;
  let next = start.bit >>> 3;
  let out = start.output;
  // Reading zeros past the end is harmless for a few bits, but a code table may read zeros as a
  // literal: the walk is stopped once it is 4 bytes past the end, so it ends within 8 × length steps.
  const limit = data.length + 4;
  const length = data.length;
  const fill = (): void => {
    if (next > limit) throw new DeflateWalkError("the stream ends inside a block", totalBits);
    while (count <= 24) {
      buf |= (next < length ? data[next]! : 0) << count;
      next++;
      count += 8;
    }
  };
  const position = (): number => next * 8 - count;
  const take = (n: number): number => {
    if (count < n) fill();
    const v = buf & ((1 << n) - 1);
    buf >>>= n;
    count -= n;
    return v;
  };
  const decode = (table: Table): number => {
    if (count < MAX_BITS) fill();
    const entry = table.entries[buf & ((1 << table.bits) - 1)]!;
    const length = entry & 15;
    if (length === 0) throw new DeflateWalkError("a Huffman code that stands for no symbol", position());
    buf >>>= length;
    count -= length;
    return entry >>> 4;
  };
  /** Skips to the next byte boundary (a stored block's LEN). */
  const align = (): void => {
    const drop = count & 7;
    buf >>>= drop;
    count -= drop;
  };
  let pos: number;
  if ((start.bit & 7) !== 0) take(start.bit & 7);
  const literalStore = new Int32Array(1 << MAX_BITS);
  const distanceStore = new Int32Array(1 << MAX_BITS);
  const clStore = new Int32Array(1 << 7);

  for (;;) {
    const header = position();
    const final = take(1);
    const type = take(2);
    if (type === 0) {
      // Stored (§3.2.4): to the byte boundary, LEN, NLEN (its complement), LEN bytes.
      align();
      const len = take(16);
      const nlen = take(16);
      if (position() > totalBits) throw new DeflateWalkError("the stream ends inside a stored block's header", header);
      if ((len ^ 0xffff) !== nlen) throw new DeflateWalkError("a stored block whose LEN and NLEN disagree", header);
      pos = position() + len * 8;
      if (pos > totalBits) throw new DeflateWalkError("a stored block runs past the end", header);
      // Restart the bit buffer after the stored bytes (the position is byte-aligned here).
      next = pos >>> 3;
      buf = 0;
      count = 0;
      out += len;
    } else if (type === 3) {
      throw new DeflateWalkError("a block of the reserved type 3", header);
    } else {
      let literals = FIXED_LITERALS;
      let distances = FIXED_DISTANCES;
      if (type === 2) {
        // Dynamic (§3.2.7): the code lengths, themselves Huffman coded.
        const hlit = take(5) + 257;
        const hdist = take(5) + 1;
        const hclen = take(4) + 4;
        if (position() > totalBits) throw new DeflateWalkError("the stream ends inside a block header", header);
        const clLengths = new Uint8Array(19);
        for (let i = 0; i < hclen; i++) clLengths[CL_ORDER[i]!] = take(3);
        const clTable = buildTable(clLengths, 19, position(), clStore);
        const lengths = new Uint8Array(hlit + hdist);
        for (let i = 0; i < hlit + hdist; ) {
          const sym = decode(clTable);
          if (sym < 16) lengths[i++] = sym;
          else {
            let repeat: number;
            let value = 0;
            if (sym === 16) {
              if (i === 0) throw new DeflateWalkError("a repeat of no previous code length", position());
              value = lengths[i - 1]!;
              repeat = 3 + take(2);
            } else repeat = sym === 17 ? 3 + take(3) : 11 + take(7);
            if (i + repeat > hlit + hdist) throw new DeflateWalkError("code lengths run past their count", position());
            lengths.fill(value, i, i + repeat);
            i += repeat;
          }
        }
        if (lengths[256] === 0) throw new DeflateWalkError("a block with no end-of-block code", position());
        literals = buildTable(lengths.subarray(0, hlit), hlit, position(), literalStore);
        distances = buildTable(lengths.subarray(hlit), hdist, position(), distanceStore);
      }
      // The symbols up to end-of-block (256): literals count one byte, matches their length. The
      // literal / length decode is written out here: it runs once per symbol of the stream.
      const entries = literals.entries;
      const mask = (1 << literals.bits) - 1;
      for (;;) {
        if (count < MAX_BITS) fill();
        const entry = entries[buf & mask]!;
        const bits = entry & 15;
        if (bits === 0) throw new DeflateWalkError("a Huffman code that stands for no symbol", position());
        buf >>>= bits;
        count -= bits;
        const sym = entry >>> 4;
        if (sym < 256) {
          out++;
          continue;
        }
        if (sym === 256) break;
        const li = sym - 257;
        if (li >= 29) throw new DeflateWalkError(`the invalid length code ${sym}`, position());
        const length = LENGTH_BASE[li]! + take(LENGTH_EXTRA[li]!);
        const di = decode(distances);
        if (di >= 30) throw new DeflateWalkError(`the invalid distance code ${di}`, position());
        const distance = DIST_BASE[di]! + take(DIST_EXTRA[di]!);
        if (distance > out) throw new DeflateWalkError("a distance back past the start of the stream", position());
        out += length;
      }
      if (position() > totalBits) throw new DeflateWalkError("the stream ends inside a block", totalBits);
    }
    if (out > maxOutput) throw new DeflateWalkError(`the stream inflates to more than ${maxOutput} bytes`, position());
    if (final === 1) return { lastBlockBit: header, endBit: position(), size: out };
    if (start.oneBlock) throw new DeflateWalkError("not the final block", header);
  }
}

/**
 * The stream's final block, found from where an inflater saw it end (Codecs.deflateFinalBlock) by
 * walking that block alone. The inflater counts whole bytes, so the block's header is one of the 8
 * bits ending at `bounds.start.input`: each is walked as the final block, and it is taken only when
 * exactly one of them inflates to the rest of `size` and ends within the 8 bits ending at
 * `bounds.end.input` (the true one always does). Null otherwise: the caller walks the whole stream.
 */
export function finalBlockAt(data: Uint8Array, bounds: FinalBlockBounds, size: number): DeflateBlocks | null {
  if (bounds.end.output !== size || bounds.start.output > size) return null;
  const endMax = bounds.end.input * 8;
  let found: DeflateBlocks | null = null;
  for (let bit = Math.max(0, bounds.start.input * 8 - 7); bit <= bounds.start.input * 8; bit++) {
    if (bit >= data.length * 8) break;
    let blocks: DeflateBlocks;
    try {
      blocks = deflateBlocks(data, size, { bit, output: bounds.start.output, oneBlock: true });
    } catch (error) {
      if (error instanceof DeflateWalkError) continue;
      throw error;
    }
    if (blocks.size !== size || blocks.endBit > endMax || blocks.endBit <= endMax - 8) continue;
    if (found !== null) return null;
    found = blocks;
  }
  return found;
}
