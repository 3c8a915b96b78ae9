// The default --jobs (issue 15): a thread per CPU, never more than there are wheels, so one wheel
// never pays for a worker's start-up.
import { describe, expect, it } from "vitest";
import { defaultJobs } from "../../src/cli/commands.js";

describe("defaultJobs", () => {
  it.each([
    // wheels, CPUs → jobs
    [40, 2, 2],
    [1, 8, 1],
    [3, 8, 3],
    [40, 8, 8],
    [0, 4, 1],
  ])("%i wheels, %i CPUs → %i", (wheels, cpus, jobs) => {
    expect(defaultJobs(wheels, cpus)).toBe(jobs);
  });
});
