// Runs one task per wheel with at most `jobs` at once. The work is synchronous CPU (inflate, hash,
// parse), so a batch uses worker threads to use more than one core; a single wheel, or --jobs 1,
// runs in this thread and pays no worker start-up.
import { Worker } from "node:worker_threads";
import type { CheckOptions } from "../model/results.js";
import { checkOne, fixTask, type CheckOutcome, type FixTaskOptions, type FixTaskOutcome } from "./tasks.js";

export type Task =
  | { kind: "check"; path: string; checkOptions: CheckOptions }
  | { kind: "fix"; path: string; checkOptions: CheckOptions; fixOptions: FixTaskOptions };

export type TaskOutcome<T extends Task> = T extends { kind: "check" } ? CheckOutcome : FixTaskOutcome;

export function runTask(task: Task): Promise<CheckOutcome | FixTaskOutcome> {
  return task.kind === "check" ? checkOne(task.path, task.checkOptions) : fixTask(task.path, task.checkOptions, task.fixOptions);
}

const WORKER_URL = new URL("./worker.js", import.meta.url);

export async function runTasks<T extends Task>(tasks: readonly T[], jobs: number, onDone: (done: number, task: T) => void): Promise<Array<TaskOutcome<T>>> {
  const results = new Array<TaskOutcome<T>>(tasks.length);
  let next = 0;
  let done = 0;
  const threads = Math.max(1, Math.min(jobs, tasks.length));
  // Workers need the compiled worker.js beside this file (dist/); under a TS test runner it is absent.
  const useWorkers = threads > 1 && WORKER_URL.protocol === "file:" && import.meta.url.endsWith(".js");
  const lane = async (): Promise<void> => {
    const worker = useWorkers ? new Worker(WORKER_URL) : null;
    try {
      while (next < tasks.length) {
        const i = next++;
        const task = tasks[i] as T;
        results[i] = (await (worker === null ? runTask(task) : inWorker(worker, task))) as TaskOutcome<T>;
        onDone(++done, task);
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}

function inWorker(worker: Worker, task: Task): Promise<CheckOutcome | FixTaskOutcome> {
  return new Promise((resolve, reject) => {
    const onMessage = (outcome: CheckOutcome | FixTaskOutcome): void => {
      worker.off("error", onError);
      resolve(outcome);
    };
    const onError = (error: Error): void => {
      worker.off("message", onMessage);
      reject(error);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
    worker.postMessage(task);
  });
}
