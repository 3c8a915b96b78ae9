// Which non-Apple binary format a member is, by its first bytes (DESIGN §3.1: members are sniffed by
// magic, never by name). Cheap and total: it reads at most the PE signature, never throws, and says
// nothing about whether the rest is well-formed (the format's reader does that).

/**
 * - `elf`: `\x7fELF` (gABI e_ident). A file with the magic and nothing valid after it is a malformed
 *   ELF file, for parseElf to report, not something else.
 * - `pe`: `MZ`, an e_lfanew (at 0x3c) past the 64-byte MS-DOS header and inside the file, and
 *   `PE\0\0` there (PE Format, "Signature"). `MZ` alone is an MS-DOS program, or just text.
 * - `wasm`: `\0asm` and version 1 (core spec, "Binary Format"). Another version is a component-model
 *   binary, which is not a core module.
 * - null: anything else (Mach-O, archives, scripts, data).
 */
export function sniffNative(bytes: Uint8Array): "elf" | "pe" | "wasm" | null {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return "elf";
  if (bytes.length >= 8 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
    return bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0 ? "wasm" : null;
  }
  if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const lfanew = (bytes[0x3c]! | (bytes[0x3d]! << 8) | (bytes[0x3e]! << 16) | (bytes[0x3f]! << 24)) >>> 0;
    if (lfanew < 0x40 || lfanew > bytes.length - 4) return null;
    return bytes[lfanew] === 0x50 && bytes[lfanew + 1] === 0x45 && bytes[lfanew + 2] === 0 && bytes[lfanew + 3] === 0 ? "pe" : null;
  }
  return null;
}
