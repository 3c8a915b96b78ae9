// How CPython names extension modules and their init functions (PEP 489, importlib's
// EXTENSION_SUFFIXES, PEP 3149): what makes a binary in a wheel a module Python imports.

/**
 * The module name of a file named like an extension module: `<mod>.so` or `<mod>.<tag>.so`
 * (`_ldap.cpython-313-darwin.so` → `_ldap`, `_x.abi3.so` → `_x`), or on Windows `<mod>.pyd` /
 * `<mod>.<tag>.pyd` (`_x.cp313-win_amd64.pyd`). CPython's importer takes the part before the first
 * dot as the module name and calls `PyInit_<mod>` (PEP 489, importlib's EXTENSION_SUFFIXES), so that
 * is the symbol a slice must export.
 */
export function extensionModuleName(path: string): string | null {
  // delocate's vendoring folder holds libraries the extensions load, never modules Python imports
  // (some are named `libfoo.so`).
  if (/(^|\/)\.dylibs\//.test(path)) return null;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (!base.endsWith(".so") && !base.endsWith(".pyd")) return null;
  const mod = base.slice(0, base.indexOf("."));
  // `libfoo.so` with no interpreter tag is a shared library by the linker's naming (`-lfoo`), as
  // wheels for Pyodide and unaudited Linux builds ship them; Python modules are not named so.
  if (/^lib/.test(mod) && (base === `${mod}.so` || base === `${mod}.pyd`)) return null;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(mod) ? mod : null;
}

/**
 * The symbol the linker spells for the init function: `_PyInit_<mod>` (Python 3), or `_init<mod>`
 * when every python tag of the wheel is Python 2 (`cp27`, `py2`): Python 2 looked for `init<mod>`.
 */
export function initSymbolName(mod: string, python2Only: boolean): string {
  return python2Only ? `_init${mod}` : `_PyInit_${mod}`;
}

/** True when the python tags name only Python 2 (`cp27`, `py2`, `pp27`), so `init<mod>` is the export to look for. */
export function isPython2Only(pythonTags: readonly string[]): boolean {
  return pythonTags.length > 0 && pythonTags.every((t) => /^[a-z]+2\d*$/.test(t));
}
