// A worker thread of src/cli/pool.ts: runs the tasks it is sent, one at a time. A fix asks the main
// thread for its turn before it writes (src/cli/order.ts) and waits for the verdict.
import { parentPort, workerData } from "node:worker_threads";
import { allowThreadPool } from "../node/thread-pool-use.js";
import type { Claim, Verdict } from "./order.js";
import { runTask, type FromWorker, type ToWorker, type WorkerSetup } from "./pool.js";

// Whether this worker may also inflate in libuv's pool: only when the batch leaves cores spare.
allowThreadPool((workerData as Partial<WorkerSetup> | null)?.threadPool !== false);

let verdictWanted: ((verdict: Verdict) => void) | null = null;

parentPort?.on("message", (message: ToWorker) => {
  if (message.type === "verdict") {
    const wanted = verdictWanted;
    verdictWanted = null;
    wanted?.(message.verdict);
    return;
  }
  const turn = (claim: Claim): Promise<Verdict> =>
    new Promise((resolve) => {
      verdictWanted = resolve;
      parentPort?.postMessage({ type: "turn", claim } satisfies FromWorker);
    });
  void runTask(message.task, turn).then((outcome) => parentPort?.postMessage({ type: "done", outcome } satisfies FromWorker));
});
