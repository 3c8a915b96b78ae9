// Placeholder entry until the commands land; replaced by the yargs CLI.
export async function main(_argv: string[]): Promise<number> {
  return 0;
}
