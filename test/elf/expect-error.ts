import { expect } from "vitest";
import { FormatError, type BinaryFormatName } from "../../src/model/errors.js";

/** Asserts that `run` throws a FormatError of `format` at `offset` whose message matches `message`. */
export function expectFormatError(run: () => unknown, format: BinaryFormatName, offset: number, message: RegExp): void {
  let caught: unknown = null;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a FormatError").toBeInstanceOf(FormatError);
  const error = caught as FormatError;
  expect(error.format).toBe(format);
  expect(error.message).toMatch(message);
  expect(error.offset, error.message).toBe(offset);
}
