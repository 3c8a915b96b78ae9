// Buffers for members whose bytes outlive their turn in the read loop, handed back by whoever ends
// up holding them (issue 17: fuse keeps each input's binary until its partners are read, so the
// check's arena cannot hold them; a fresh buffer per member made ~1 GB of allocations for a pair
// of 200 MiB wheels, V8 started a full garbage collection for every 64 MiB of them and the kernel
// zeroed every page). A buffer given back is reused for a later member of about its size; one never
// given back is simply collected. Nothing may keep a view of a buffer once it is given back: the
// next member is written there.

export interface Recycler {
  /** A buffer of exactly `length` bytes (a view of the start of a reused buffer, or a new one). */
  take(length: number): Uint8Array;
  /** Gives back a buffer from take (or a view of one); any other buffer, or one already back, is ignored. */
  give(bytes: Uint8Array): void;
}

/**
 * A recycler whose idle buffers never take memory past the most its buffers were ever in use at
 * once: idle + in use ≤ that peak, so keeping buffers for reuse adds nothing to the peak, and at
 * most `maxIdleBytes` are idle. A request takes the smallest idle buffer that holds it: a large
 * buffer serving a small member costs nothing more (it is resident either way), and a pool that
 * only reused buffers of about the same size missed half the time on a wheel of binaries from 1 to
 * 21 MiB.
 */
export function bufferRecycler(maxIdleBytes: number): Recycler {
  // Every buffer this recycler made, so that a foreign one given back is ignored. Weak: one the
  // holder drops is collected as usual.
  const ours = new WeakSet<ArrayBufferLike>();
  // Idle buffers, smallest first.
  const idle: ArrayBufferLike[] = [];
  let idleBytes = 0;
  // Bytes of buffers taken and not given back (one never given back stays counted: that only makes
  // the pool keep less), and the most there ever were.
  let inUse = 0;
  let peak = 0;
  const trim = (): void => {
    // The largest go first (the next members are likely smaller).
    while (idleBytes > Math.min(maxIdleBytes, peak - inUse)) {
      const largest = idle.pop();
      if (largest === undefined) break;
      idleBytes -= largest.byteLength;
    }
  };
  return {
    take(length) {
      const at = idle.findIndex((b) => b.byteLength >= length);
      const found = at < 0 ? undefined : idle[at];
      let bytes: Uint8Array;
      if (found !== undefined) {
        idle.splice(at, 1);
        idleBytes -= found.byteLength;
        bytes = new Uint8Array(found, 0, length);
      } else {
        bytes = new Uint8Array(length);
        ours.add(bytes.buffer);
      }
      inUse += bytes.buffer.byteLength;
      peak = Math.max(peak, inUse);
      trim();
      return bytes;
    },
    give(bytes) {
      const buffer = bytes.buffer;
      if (!ours.has(buffer) || idle.includes(buffer)) return;
      inUse -= buffer.byteLength;
      const larger = idle.findIndex((b) => b.byteLength >= buffer.byteLength);
      idle.splice(larger < 0 ? idle.length : larger, 0, buffer);
      idleBytes += buffer.byteLength;
      trim();
    },
  };
}
