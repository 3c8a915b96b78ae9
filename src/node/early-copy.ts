// `retag fix -w DIR`: the input is copied into DIR while it is checked (issue 15: fix ≤ 1.1 × check).
// A rewrite keeps every member before WHEEL and RECORD, and an unchanged wheel is copied whole, so
// the output almost always starts with the input's bytes; copying them (in the kernel: copyFile)
// and flushing them to disk (fdatasync) after the check cost a fifth of the check's time on a 200
// MiB wheel, all of it waiting. Started with the check, they overlap it; the writer then writes the
// new tail over the copy's (src/node/write.ts). Nothing is created unless DIR exists, and a copy the
// writer does not take (a refused wheel, a target already there) is removed. Never in place: a
// correct wheel fixed in place is never written, and the copy would be waste.
import { constants as fsConstants } from "node:fs";
import { open, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { InputFile } from "./file-source.js";
import { activeTemporaries, KERNEL_COPY_MIN, kernelCopy, temporaryName } from "./write.js";

export interface EarlyCopy {
  input: InputFile;
  /** The temporary in the output folder that holds (or will hold) the input's bytes. */
  temp: string;
  /** True once the temporary holds the input, unchanged before and after the copy, flushed to disk. */
  ready: Promise<boolean>;
  /** Set when the writer took the temporary: it then owns it (and removes it on failure). */
  taken: boolean;
}

/**
 * Starts copying `input` into `dir`, or null when `dir` is not a folder yet (nothing is created
 * then) or the input is smaller than what the writer copies in the kernel (it would not use the copy).
 */
export async function startEarlyCopy(input: InputFile, dir: string): Promise<EarlyCopy | null> {
  if (input.size < KERNEL_COPY_MIN) return null;
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) return null;
  const temp = join(dir, temporaryName());
  const created = await open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o644).then(
    (handle) => handle.close().then(() => true),
    () => false,
  );
  if (!created) return null;
  activeTemporaries.add(temp);
  const ready = kernelCopy(temp, input)
    .then(async (copied) => {
      if (!copied) return false;
      // Flushed now, while the check runs: the writer's own sync then has only the new tail to write.
      const handle = await open(temp, "r+");
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
      return true;
    })
    .catch(() => false);
  return { input, temp, ready, taken: false };
}

/** The temporary for the writer, once the copy is ready; null when it failed (the writer then copies as usual). */
export async function takeEarlyCopy(copy: EarlyCopy): Promise<string | null> {
  if (copy.taken || !(await copy.ready)) return null;
  copy.taken = true;
  return copy.temp;
}

/** Removes the copy unless the writer took it; waits for it first, so nothing is left running. */
export async function discardEarlyCopy(copy: EarlyCopy | null): Promise<void> {
  if (copy === null) return;
  await copy.ready;
  if (copy.taken) return;
  copy.taken = true;
  await unlink(copy.temp).catch(() => undefined);
  activeTemporaries.delete(copy.temp);
}
