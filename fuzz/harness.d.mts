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
}

export interface SeedPool {
  fixtures: Array<{ file: string; module: string | null; member: string; bytes: Uint8Array }>;
  wheels: Array<{ filename: string; bytes: Uint8Array }>;
}

export interface FuzzCase {
  runSeed: number;
  index: number;
  filename: string;
  bytes: Uint8Array;
  options: { [option: string]: unknown };
  machos: Array<{ name: string; bytes: Uint8Array }>;
  notes: string[];
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
export function saveFailure(outDir: string, fuzzCase: FuzzCase, failures: Failure[], note?: string): string;
export function checkCli(
  cliMain: (argv: string[], out: { stdout(text: string): void; stderr(text: string): void }, env: NodeJS.ProcessEnv) => Promise<number>,
  api: FuzzApi,
  fuzzCase: FuzzCase,
  tmpRoot: string,
): Promise<Failure[]>;
