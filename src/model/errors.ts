// Typed errors. Each carries what a user needs to act on it; none is ever shown as a stack trace.
// Format leaves (src/macho/, src/elf/, src/pe/, src/wasm/, src/zip/, src/wheel/) throw the error of
// their format and know no finding code; the read stage (src/read/) turns them into findings.

/** A usage problem or an input that cannot be read at all (exit code 2). */
export class RetagError extends Error {
  override name = "RetagError";
}

/** The binary formats retag reads (DESIGN §3.1: every member is sniffed by its magic). */
export type BinaryFormatName = "macho" | "elf" | "pe" | "wasm";

/**
 * A binary that is malformed: `offset` is where in the file the reader gave up. Every reader of a
 * binary format throws this (or its subclass) and nothing else for bad input.
 */
export class FormatError extends Error {
  override name = "FormatError";
  constructor(
    readonly format: BinaryFormatName,
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
  }
}

/** A Mach-O image that is malformed (the Mach-O reader's FormatError). */
export class MachOError extends FormatError {
  override name = "MachOError";
  constructor(message: string, offset: number) {
    super("macho", message, offset);
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

/**
 * An archive the zip layer (src/zip/) cannot read: `corrupt` (not a zip a reader can trust, data
 * that fails its CRC or does not inflate), `unsupported` (encrypted, a compression method installers
 * do not read), `too-large` (more than the caller allows, or more than it declares: a zip bomb). The
 * zip layer knows no finding code; the read stage maps the kind to one.
 */
export class ZipError extends Error {
  override name = "ZipError";
  constructor(
    readonly kind: "corrupt" | "unsupported" | "too-large",
    message: string,
    readonly member?: string,
  ) {
    super(message);
  }
}

/** What a host codec reports for data it cannot inflate: more than allowed, or not deflate data. */
export class CodecError extends Error {
  override name = "CodecError";
  constructor(
    readonly kind: "too-large" | "corrupt",
    message: string,
  ) {
    super(message);
  }
}

/** Why writeFat refused its inputs. */
export type FatWriteProblem = "no-input" | "not-macho" | "duplicate-arch" | "too-many-slices";

/**
 * Inputs that cannot be combined into one fat file (src/macho/fat-write.ts); a malformed input is a
 * MachOError instead. `input` is the index of the input at fault, `arch` the slice's, when known.
 */
export class FatWriteError extends Error {
  override name = "FatWriteError";
  constructor(
    readonly problem: FatWriteProblem,
    message: string,
    readonly input: number | null,
    readonly arch: string | null = null,
  ) {
    super(message);
  }
}
