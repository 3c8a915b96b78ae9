// The order in which a fix batch touches the file system (DESIGN §2.1). Wheels are checked in
// parallel, in any order; what each then writes, replaces or removes is decided as if the batch ran
// one wheel at a time in argument order, so the outcome never depends on worker timing: two inputs
// that become the same file are a collision the first in argument order wins, and a target that an
// earlier wheel of the batch removed or created is seen as the real run will see it.
//
// Only wheels that can touch the same names wait for each other. A fix changes only the platform
// part of a file name (§4), so two wheels can meet only when their names agree up to the last dash
// in the same folder; every other wheel goes ahead at once.
import { basename, dirname, resolve } from "node:path";

/** What a wheel is about to write: the target, and whether its input goes away afterwards. */
export interface Claim {
  target: string;
  /** In place under a new name: the input is removed once the target is in place. */
  removesInput: boolean;
}

/** What the earlier wheels of the batch did (or, in a dry run, would have done) to the target name. */
export interface Verdict {
  /** An earlier input of the batch already writes this target: this one is not written. */
  collidesWith: string | null;
  /** The target is a later input of the batch: it is never replaced (it has not been read yet). */
  targetIsLaterInput: boolean;
  /** An earlier wheel removed (in a dry run: would remove) the file at the target name. */
  targetRemoved: boolean;
}

/** Asks for a wheel's turn to write; resolves once every earlier wheel that could meet it is done. */
export type Turn = (claim: Claim) => Promise<Verdict>;

/** The key of the names a wheel can write or be: its folder and its name up to the last dash. */
function meetingKey(folder: string, name: string): string {
  const stem = name.toLowerCase();
  const dash = stem.lastIndexOf("-");
  return `${resolve(folder)}\u0000${dash < 0 ? stem : stem.slice(0, dash)}`;
}

export interface CommitOrder {
  /** The turn function of input `index`. */
  turn(index: number): Turn;
  /** Input `index` is done; `written` is what it wrote (or would write) and whether it removed its input. */
  finish(index: number, done: { wrote: Claim | null; removedInput: boolean }): void;
}

/**
 * The coordinator of one fix batch over `inputs` (in argument order), writing into `wheelDir` or
 * in place.
 */
export function commitOrder(inputs: readonly string[], wheelDir: string | null): CommitOrder {
  const keys = inputs.map((p) => meetingKey(wheelDir ?? dirname(p), basename(p)));
  const finished = inputs.map(() => false);
  const waiting = new Map<number, () => void>();
  const claimed = new Map<string, string>(); // resolved target → input that wrote it
  const removed = new Set<string>(); // resolved paths removed by an earlier wheel
  const inputIndex = new Map(inputs.map((p, i) => [resolve(p), i] as const));

  const earlierPending = (index: number): boolean => {
    for (let j = 0; j < index; j++) if (!finished[j] && keys[j] === keys[index]) return true;
    return false;
  };
  const wake = (): void => {
    for (const [index, go] of waiting) {
      if (!earlierPending(index)) {
        waiting.delete(index);
        go();
      }
    }
  };

  return {
    turn: (index) => async (claim) => {
      if (earlierPending(index)) await new Promise<void>((go) => waiting.set(index, go));
      const target = resolve(claim.target);
      const later = inputIndex.get(target);
      return {
        collidesWith: claimed.get(target) ?? null,
        targetIsLaterInput: later !== undefined && later > index,
        targetRemoved: removed.has(target),
      };
    },
    finish(index, done) {
      if (finished[index] === true) return;
      finished[index] = true;
      const input = inputs[index];
      if (done.wrote !== null && input !== undefined) {
        const target = resolve(done.wrote.target);
        claimed.set(target, input);
        removed.delete(target);
      }
      if (done.removedInput && input !== undefined) removed.add(resolve(input));
      wake();
    },
  };
}

/** The turn of a wheel that runs alone: nothing earlier can meet it. */
export const aloneTurn: Turn = () => Promise.resolve({ collidesWith: null, targetIsLaterInput: false, targetRemoved: false });
