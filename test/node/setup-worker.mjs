// A stand-in for dist-bundle/worker.js (thread-pool-use.test.ts): answers each check task with the
// workerData it was started with, so the test sees what runTasks told its workers.
import { parentPort, workerData } from "node:worker_threads";

parentPort?.on("message", (message) => {
  if (message.type !== "task") return;
  parentPort?.postMessage({ type: "done", outcome: { path: message.task.path, result: null, error: JSON.stringify(workerData), internal: false } });
});
