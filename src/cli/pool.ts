// Runs one task per wheel with at most `jobs` at once. The work is synchronous CPU (inflate, hash,
// parse), so a batch uses worker threads to use more than one core; a single wheel, or --jobs 1,
// runs in this thread and pays no worker start-up.
//
// A worker that dies (a heap out of memory, a crash in a native module) takes only its wheel with
// it: that wheel's result is an internal error (exit 3), the lane starts a new worker, and the batch
// goes on, so every other wheel is still reported.
import type { Worker } from "node:worker_threads";
import type { CheckOptions } from "../model/results.js";
import { allowThreadPool } from "../node/thread-pool-use.js";
import { aloneTurn, type CommitOrder, type Turn, type Verdict } from "./order.js";
import { checkOne, fixTask, type CheckOutcome, type FixOutcome, type FixTaskOptions } from "./tasks.js";

export type Task =
  | { kind: "check"; path: string; checkOptions: CheckOptions }
  | { kind: "fix"; path: string; checkOptions: CheckOptions; fixOptions: FixTaskOptions };

export type TaskOutcome<T extends Task> = T extends { kind: "check" } ? CheckOutcome : FixOutcome;

/** Messages between this thread and a worker (src/cli/worker.ts). */
export type ToWorker = { type: "task"; task: Task } | { type: "verdict"; verdict: Verdict };
export type FromWorker = { type: "turn"; claim: Parameters<Turn>[0] } | { type: "done"; outcome: CheckOutcome | FixOutcome };

export function runTask(task: Task, turn: Turn): Promise<CheckOutcome | FixOutcome> {
  return task.kind === "check" ? checkOne(task.path, task.checkOptions) : fixTask(task.path, task.checkOptions, task.fixOptions, turn);
}

const WORKER_URL = new URL("./worker.js", import.meta.url);

export interface PoolOptions {
  jobs: number;
  /** The cores the run may use (`--jobs` as given, else the machine's); with 1, libuv's thread pool is not used either. Default: jobs. */
  cores?: number;
  /** The fix batch's commit order (src/cli/order.ts); absent for checks. */
  order?: CommitOrder;
  /** The worker script (tests run a stand-in that crashes); default: the compiled worker.js beside this file. */
  workerUrl?: URL;
  onDone?: (done: number, path: string) => void;
}

export async function runTasks<T extends Task>(tasks: readonly T[], options: PoolOptions): Promise<Array<TaskOutcome<T>>> {
  const results = new Array<TaskOutcome<T>>(tasks.length);
  let next = 0;
  let done = 0;
  const threads = Math.max(1, Math.min(options.jobs, tasks.length));
  const url = options.workerUrl ?? WORKER_URL;
  // Workers need the compiled worker.js beside this file (dist/); under a TS test runner it is absent.
  const useWorkers = threads > 1 && url.protocol === "file:" && (options.workerUrl !== undefined || import.meta.url.endsWith(".js"));
  // Loaded only when threads are used: one wheel (cibuildwheel's run per wheel) never pays for it.
  const Thread = useWorkers ? (await import("node:worker_threads")).Worker : null;
  const cores = options.cores ?? options.jobs;
  // One core asked for (--jobs 1): inflate and read on this thread, not in libuv's pool (DESIGN §7).
  if (Thread === null) allowThreadPool(cores > 1);
  // Workers that fill the cores inflate on their own threads too: the pool's inflates would only
  // compete with the other workers for the same cores, at the cost of the hand-offs (DESIGN §7).
  const setup: WorkerSetup = { threadPool: threads < cores };
  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    try {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks[i] as T;
        const turn = options.order?.turn(i) ?? aloneTurn;
        let result: CheckOutcome | FixOutcome;
        if (Thread !== null) {
          if (worker === null || !alive.has(worker)) worker = startWorker(Thread, url, setup);
          try {
            result = await inWorker(worker, task, turn);
          } catch (death) {
            result = workerDied(task, death);
            const dead: Worker = worker;
            worker = null;
            await dead.terminate().catch(() => undefined);
          }
        } else {
          result = await runTask(task, turn);
        }
        results[i] = result as TaskOutcome<T>;
        if (task.kind === "fix") {
          const fix = result as FixOutcome;
          options.order?.finish(i, { wrote: fix.wrote, removedInput: fix.removedInput });
        }
        options.onDone?.(++done, task.path);
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}

/** Workers that have not exited: one that died between two wheels is replaced before the next. */
const alive = new WeakSet<Worker>();

/** What a worker is told when it starts (its `workerData`). */
export interface WorkerSetup {
  /** Whether it may inflate and read in libuv's thread pool (thread-pool-use.ts). */
  threadPool: boolean;
}

function startWorker(Thread: typeof Worker, url: URL, setup: WorkerSetup): Worker {
  const worker = new Thread(url, { workerData: setup });
  alive.add(worker);
  worker.once("exit", () => alive.delete(worker));
  // An error between two wheels (nobody is waiting for a result) must not end the batch: without a
  // listener, an "error" event would be thrown in this thread. The exit listener above notes it.
  worker.on("error", () => undefined);
  return worker;
}

/** The outcome of a wheel whose worker died while it was being processed. */
function workerDied(task: Task, death: unknown): CheckOutcome | FixOutcome {
  const why = death instanceof Error ? death.message : String(death);
  const error = `internal error: the worker thread processing it died (${why})`;
  if (task.kind === "check") return { path: task.path, result: null, error, internal: true };
  return { input: task.path, status: "error", target: null, result: null, error, note: null, wrote: null, removedInput: false, internal: true };
}

function inWorker(worker: Worker, task: Task, turn: Turn): Promise<CheckOutcome | FixOutcome> {
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      worker.off("messageerror", onError);
    };
    const onMessage = (message: FromWorker): void => {
      if (message.type === "turn") {
        void turn(message.claim).then((verdict) => worker.postMessage({ type: "verdict", verdict } satisfies ToWorker));
        return;
      }
      stop();
      resolve(message.outcome);
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    const onExit = (code: number): void => {
      stop();
      reject(new Error(`it exited with code ${code}`));
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
    worker.once("messageerror", onError);
    worker.once("exit", onExit);
    worker.postMessage({ type: "task", task } satisfies ToWorker);
  });
}
