// The one pair of globals the core relies on beyond ECMAScript: the WHATWG Encoding API's
// TextEncoder and TextDecoder, present in Node and in every browser. Declared here (with just the
// members the core uses) for tsconfig.core.json, which compiles the core without Node or DOM types.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
