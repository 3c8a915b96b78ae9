// The one lookup every format's reader answers "does this image export X?" with (Mach-O slices, ELF
// .dynsym, PE export directories): a linear scan for short lists, a Set built on first use for long
// ones (numpy's extensions export thousands of names, and a wheel asks once per slice).

/** Set views of export lists, built on first lookup (keyed by the array, so a new list gets a new set). */
const exportSets = new WeakMap<readonly string[], Set<string>>();

/** Whether `list` holds `symbol`. */
export function listHasExport(list: readonly string[], symbol: string): boolean {
  if (list.length < 32) return list.includes(symbol);
  let set = exportSets.get(list);
  if (set === undefined) {
    set = new Set(list);
    exportSets.set(list, set);
  }
  return set.has(symbol);
}
