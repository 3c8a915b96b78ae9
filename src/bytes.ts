// Byte helpers shared by the zip writer and the public API.

/** One buffer holding `parts` in order (the only place retag joins chunks into a copy). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
