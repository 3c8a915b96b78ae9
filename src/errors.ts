// Typed errors. Each carries what a user needs to act on it; none is ever shown as a stack trace.

/** A usage problem or an input that cannot be read at all (exit code 2). */
export class RetagError extends Error {
  override name = "RetagError";
}

/** A Mach-O image that is malformed: `offset` is where in the file the reader gave up. */
export class MachOError extends Error {
  override name = "MachOError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
  }
}

/** A wheel whose archive or metadata is broken. `code` is the finding code it maps to. */
export class WheelError extends Error {
  override name = "WheelError";
  constructor(
    readonly code: string,
    message: string,
    readonly member?: string,
  ) {
    super(message);
  }
}
