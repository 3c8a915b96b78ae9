// Types of harness.mjs for the TypeScript tests (test/fuzz/), which run it against src/.
import type { FindingDefinition } from "../src/model/findings.js";

/** The parts of retag the harness drives; `npm run fuzz` passes dist/, the tests pass src/. */
export interface FuzzApi {
  checkWheel(bytes: Uint8Array, options: { filename: string }): Promise<unknown>;
  retagWheel(bytes: Uint8Array, options: { filename: string }): Promise<unknown>;
  parseMachO(bytes: Uint8Array): unknown;
  openZip(bytes: Uint8Array): Promise<unknown>;
  readMember(archive: never, member: never): Promise<Uint8Array>;
  writeZip(entries: Array<{ name: string; data: Uint8Array; method?: 0 | 8 }>): Promise<Uint8Array>;
  parseRecord(text: string): unknown;
  FINDINGS: { [code: string]: FindingDefinition };
  MAX_FINDINGS_PER_CODE: number;
  MAX_MESSAGE: number;
  WheelError: abstract new (...args: never[]) => Error;
  MachOError: abstract new (...args: never[]) => Error;
  RetagError: abstract new (...args: never[]) => Error;
  ZipError: abstract new (...args: never[]) => Error;
  /** The ELF, PE and wasm readers and their error (issue 16); the harness skips their contract when absent. */
  parseElf?(bytes: Uint8Array): unknown;
  parsePe?(bytes: Uint8Array): unknown;
  parseWasm?(bytes: Uint8Array): unknown;
  FormatError?: abstract new (...args: never[]) => Error;
  /** retag fuse / split on bytes (fuse-cases.mjs); without them the harness makes no fuse cases. */
  fuseWheels?(wheels: Array<{ filename: string; bytes: Uint8Array }>, options: object): Promise<unknown>;
  splitWheel?(bytes: Uint8Array, options: { filename: string }): Promise<unknown>;
  sliceRanges?(bytes: Uint8Array): unknown;
  thinSlice?(bytes: Uint8Array, arch: string): unknown;
}

export interface FuseCase {
  runSeed: number;
  index: number;
  wheels: Array<{ filename: string; bytes: Uint8Array }>;
  options: { [option: string]: unknown };
  notes: string[];
}

export interface SeedPool {
  fixtures: Array<{ file: string; module: string | null; member: string; bytes: Uint8Array }>;
  wheels: Array<{ filename: string; bytes: Uint8Array }>;
  /** ELF, PE, wasm and iOS Mach-O fixtures for the other platform families' wheels. */
  natives?: Array<{ file: string; module: string | null; member: string; format: string; bytes: Uint8Array }>;
}

export interface FuzzCase {
  runSeed: number;
  index: number;
  filename: string;
  bytes: Uint8Array;
  options: { [option: string]: unknown };
  machos: Array<{ name: string; bytes: Uint8Array }>;
  natives?: Array<{ name: string; format: string; bytes: Uint8Array }>;
  notes: string[];
  /** Every FUSE_EVERY-th case: a pair of thin wheels to fuse and split (fuse-cases.mjs). */
  fuse?: FuseCase;
}

export interface Failure {
  guarantee: string;
  where: string;
  message: string;
  detail?: string;
  stack?: string;
}

export interface Outcome {
  failures: Failure[];
  action: string | null;
  codes: string[];
  typedErrors: string[];
  ms: number;
  /** The rewrite, when retag wrote one. */
  output?: { filename: string; bytes: Uint8Array };
}

export interface Summary {
  cases: number;
  actions: { [action: string]: number };
  codes: { [code: string]: number };
  typedErrors: { [name: string]: number };
  failures: { [signature: string]: { count: number; first: number } };
  slowestMs: number;
}

export const HANG_MS: number;
export const MEMORY_LIMIT: number;
export function loadSeedPool(root: string): SeedPool;
export function makeCase(api: FuzzApi, pool: SeedPool, runSeed: number, index: number): Promise<FuzzCase>;
export function checkCase(api: FuzzApi, fuzzCase: FuzzCase): Promise<Outcome>;
export function failureSignature(failure: Failure): string;
export function emptySummary(): Summary;
export function record(summary: Summary, index: number, outcome: Outcome): string[];
export function recordFailures(summary: Summary, index: number, failures: Failure[]): string[];
export function runCases(
  api: FuzzApi,
  pool: SeedPool,
  options: {
    runSeed: number;
    start?: number;
    count: number;
    onFailure?: (fuzzCase: FuzzCase, outcome: Outcome) => void | Promise<void>;
    onRewrite?: (fuzzCase: FuzzCase, output: { filename: string; bytes: Uint8Array }) => void;
  },
): Promise<Summary>;
export function hasZipfile(): boolean;
/** What Python's zipfile said about each archive (by key) it could not open or read back. */
export function zipfileProblems(archives: Array<{ key: string; bytes: Uint8Array }>): Map<string, string>;
export function loadSavedCase(dir: string): FuzzCase;
export const FUSE_EVERY: number;
export function makeFuseCase(api: FuzzApi, pool: SeedPool, runSeed: number, index: number): Promise<FuseCase>;
export function checkFuseCase(api: FuzzApi, fuseCase: FuseCase): Promise<{ failures: Failure[]; typedErrors: string[]; action: string | null; ms: number }>;
export function runFuseCases(
  api: FuzzApi,
  pool: SeedPool,
  options: { runSeed: number; start?: number; count: number; onFailure?: (fuseCase: FuseCase, outcome: { failures: Failure[] }) => void | Promise<void> },
): Promise<{ cases: number; actions: { [action: string]: number }; typedErrors: { [name: string]: number }; failures: number }>;
export function saveFailure(outDir: string, fuzzCase: FuzzCase, failures: Failure[], note?: string): string;
export function checkCli(
  cliMain: (argv: string[], out: { stdout(text: string): void; stderr(text: string): void }, env: NodeJS.ProcessEnv) => Promise<number>,
  api: FuzzApi,
  fuzzCase: FuzzCase,
  tmpRoot: string,
): Promise<Failure[]>;
