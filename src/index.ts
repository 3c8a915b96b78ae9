// Public API: re-exports only.
export * from "./types.js";
export { RetagError, MachOError, WheelError } from "./errors.js";
