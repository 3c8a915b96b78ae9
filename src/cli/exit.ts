// The exit code is a pure function of what happened (DESIGN §5): 3 internal error, 2 usage or an
// input that could not be read, 1 an error finding remains, 0 clean (or fixed).
export interface RunSummary {
  internalErrors: number;
  inputErrors: number;
  failed: number;
}

export function exitCode(s: RunSummary): 0 | 1 | 2 | 3 {
  if (s.internalErrors > 0) return 3;
  if (s.inputErrors > 0) return 2;
  if (s.failed > 0) return 1;
  return 0;
}
