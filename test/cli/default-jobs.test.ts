// The default --jobs (issue 15): never more threads than CPUs other processes leave idle, nor than
// wheels, so the default is never slower than --jobs 1 on a busy machine.
import { describe, expect, it } from "vitest";
import { defaultJobs } from "../../src/cli/commands.js";

describe("defaultJobs", () => {
  it.each([
    // wheels, CPUs, 1-minute load → jobs
    [40, 2, 0, 2],
    [40, 2, 0.3, 2],
    [40, 2, 1, 1], // one core taken: one thread, no worker start-up
    [40, 2, 1.6, 1],
    [40, 2, 5, 1], // overloaded: still one
    [1, 8, 0, 1], // one wheel: the main thread
    [3, 8, 0, 3],
    [40, 8, 2.2, 6],
    [0, 4, 0, 1],
  ])("%i wheels, %i CPUs, load %f → %i", (wheels, cpus, load, jobs) => {
    expect(defaultJobs(wheels, cpus, load)).toBe(jobs);
  });
});
