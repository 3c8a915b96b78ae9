import { expect } from "vitest";
import { MachOError } from "../../src/model/errors.js";

/** Asserts that `run` throws a MachOError at `offset` whose message matches `message`. */
export function expectMachOError(run: () => unknown, offset: number, message: RegExp): void {
  let caught: unknown = null;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a MachOError").toBeInstanceOf(MachOError);
  const error = caught as MachOError;
  expect(error.message).toMatch(message);
  expect(error.offset, error.message).toBe(offset);
}
