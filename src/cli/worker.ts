// A worker thread of src/cli/pool.ts: runs the tasks it is sent, one at a time.
import { parentPort } from "node:worker_threads";
import { runTask, type Task } from "./pool.js";

parentPort?.on("message", (task: Task) => {
  void runTask(task).then((outcome) => parentPort?.postMessage(outcome));
});
