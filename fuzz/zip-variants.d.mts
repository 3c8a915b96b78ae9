// Types of zip-variants.mjs for the TypeScript tests that build archives other writers' way.

export interface VariantEntry {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  nameBytes?: Uint8Array;
  utf8Flag?: boolean;
  mode?: number;
  descriptor?: "none" | "signed" | "unsigned";
  zip64?: boolean;
  extra?: Uint8Array;
  comment?: Uint8Array;
}

export interface VariantArchive {
  prefix?: Uint8Array;
  gap?: number;
  comment?: Uint8Array;
  zip64End?: boolean;
}

export function timestampExtra(seconds: number): Uint8Array;
export function writeVariantZip(entries: VariantEntry[], archive?: VariantArchive): Uint8Array;
export function withEndRecordInComment(
  random: { pick<T>(items: T[]): T; below(n: number): number; chance(p: number): boolean; u32(): number },
  bytes: Uint8Array,
): Uint8Array;
