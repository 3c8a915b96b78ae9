// Preloaded (`node --import`) into the CLI under test by hostile-fs.test.ts: in worker threads only,
// opening a wheel whose name says so kills the worker as a real failure would: the heap runs out
// (`crash_oom`, as a 3 MB wheel with a 60 MB RECORD field once did), an uncaught error
// (`crash_throw`), or the thread exits (`crash_exit`). The main thread is left alone.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { isMainThread } from "node:worker_threads";

if (!isMainThread) {
  const openSync = fs.openSync;
  fs.openSync = function (path, ...rest) {
    const name = String(path);
    if (name.includes("crash_oom")) {
      const hog = [];
      for (;;) hog.push(new Array(1e6).fill(1.5));
    }
    // Thrown from a microtask: uncaught, while the wheel's check is still under way.
    if (name.includes("crash_throw")) queueMicrotask(() => {
      throw new Error("injected crash");
    });
    if (name.includes("crash_exit")) process.exit(7);
    return openSync.call(this, path, ...rest);
  };
  syncBuiltinESMExports();
}
