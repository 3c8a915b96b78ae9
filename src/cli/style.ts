// Colours for text output: only on a terminal, never when NO_COLOR is set, always when FORCE_COLOR
// is (https://no-color.org, and the FORCE_COLOR convention of chalk / supports-color).
export interface Style {
  error(s: string): string;
  warning(s: string): string;
  info(s: string): string;
  ok(s: string): string;
  bold(s: string): string;
}

const plain = (s: string): string => s;
export const PLAIN: Style = { error: plain, warning: plain, info: plain, ok: plain, bold: plain };

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = { error: sgr(31, 39), warning: sgr(33, 39), info: sgr(2, 22), ok: sgr(32, 39), bold: sgr(1, 22) };

export function wantsColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY && env.TERM !== "dumb";
}

/** The label of a finding line, coloured by what it means for the user. */
export function paintLabel(style: Style, label: string): string {
  if (label === "error") return style.error(label);
  if (label === "warning") return style.warning(label);
  if (label === "fixed") return style.ok(label);
  return style.info(label);
}
