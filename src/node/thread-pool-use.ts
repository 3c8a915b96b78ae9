// Whether the Node host may hand work to libuv's thread pool (large inflates in codecs.ts, large
// reads in file-source.ts). `--jobs N` means at most N cores (DESIGN §7): with `--jobs 1` a run
// stays on one core, so the pool is not used, as a user who sets -j1 on a shared runner expects.
// On by default: a single wheel with the default jobs uses the pool to inflate two members at once.
let poolAllowed = true;

export function allowThreadPool(allowed: boolean): void {
  poolAllowed = allowed;
}

export function threadPoolAllowed(): boolean {
  return poolAllowed;
}
