// Builds small, well-formed PE images (PE32 or PE32+) for tests to break: the headers in the first
// 0x200 bytes, then one `.rdata` section (RVA 0x1000, file offset 0x200) holding the export
// directory, the import and delay-load descriptors, the load configuration and the CHPE metadata.
// The builder returns where it put each part, so a test can patch exactly the field it means.

export interface PeSpec {
  plus?: boolean;
  machine?: number;
  dll?: boolean;
  exports?: string[];
  imports?: string[];
  delayImports?: string[];
  /** Write a load configuration; with `chpe`, one whose CHPEMetadataPointer points at a code map. */
  loadConfig?: boolean;
  chpe?: { start: number; length: number; kind: number }[];
}

export interface BuiltPe {
  bytes: Uint8Array;
  lfanew: number;
  coff: number;
  optional: number;
  /** File offset of data directory entry 0. */
  directories: number;
  sectionTable: number;
  imageBase: number;
  /** File offsets of each part inside .rdata (-1 when absent). */
  at: { exportDir: number; names: number; imports: number; delayImports: number; loadConfig: number; chpe: number; codeMap: number };
}

const SECTION_RVA = 0x1000;
const SECTION_OFFSET = 0x200;
const text = new TextEncoder();

export function buildPe(spec: PeSpec = {}): BuiltPe {
  const plus = spec.plus ?? true;
  const imageBase = plus ? 0x180000000 : 0x10000000;
  const data: number[] = [];
  const here = (): number => data.length;
  const u16 = (v: number): void => void data.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number): void => void data.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const align = (n: number): void => {
    while (data.length % n !== 0) data.push(0);
  };
  const patch32 = (at: number, v: number): void => {
    data[at] = v & 0xff;
    data[at + 1] = (v >>> 8) & 0xff;
    data[at + 2] = (v >>> 16) & 0xff;
    data[at + 3] = (v >>> 24) & 0xff;
  };
  const rva = (offset: number): number => SECTION_RVA + offset;
  const string = (s: string): number => {
    const at = here();
    data.push(...text.encode(s), 0);
    return at;
  };
  const at = { exportDir: -1, names: -1, imports: -1, delayImports: -1, loadConfig: -1, chpe: -1, codeMap: -1 };
  const dirs: { index: number; offset: number; size: number }[] = [];

  const exports = spec.exports ?? ["PyInit__m"];
  if (exports.length > 0 || spec.exports !== undefined) {
    at.exportDir = here();
    for (let i = 0; i < 10; i++) u32(0);
    const name = string("_m.pyd");
    align(4);
    at.names = here();
    exports.forEach(() => u32(0));
    const ordinals = here();
    exports.forEach((_n, i) => u16(i));
    align(4);
    const functions = here();
    exports.forEach(() => u32(0x2000));
    const nameOffsets = exports.map((n) => string(n));
    nameOffsets.forEach((o, i) => patch32(at.names + 4 * i, rva(o)));
    patch32(at.exportDir + 12, rva(name));
    patch32(at.exportDir + 16, 1);
    patch32(at.exportDir + 20, exports.length);
    patch32(at.exportDir + 24, exports.length);
    patch32(at.exportDir + 28, rva(functions));
    patch32(at.exportDir + 32, rva(at.names));
    patch32(at.exportDir + 36, rva(ordinals));
    dirs.push({ index: 0, offset: at.exportDir, size: here() - at.exportDir });
    align(4);
  }
  const descriptors = (names: string[], size: number, nameAt: number, index: number): number => {
    const start = here();
    for (let i = 0; i <= names.length; i++) for (let o = 0; o < size; o += 4) u32(0);
    names.forEach((n, i) => {
      const name = string(n);
      patch32(start + i * size + nameAt, rva(name));
      if (size === 32) patch32(start + i * size, 1); // delay-load Attributes: RVA-based
      else patch32(start + i * size, rva(start + names.length * size)); // OriginalFirstThunk: the zero descriptor
    });
    align(4);
    dirs.push({ index, offset: start, size: (names.length + 1) * size });
    return start;
  };
  const imports = spec.imports ?? ["python313.dll"];
  if (imports.length > 0) at.imports = descriptors(imports, 20, 12, 1);
  if (spec.delayImports?.length) at.delayImports = descriptors(spec.delayImports, 32, 4, 13);
  if (spec.loadConfig || spec.chpe) {
    align(8);
    at.loadConfig = here();
    const size = plus ? 0x140 : 0xc0;
    u32(size);
    while (here() < at.loadConfig + size) data.push(0);
    dirs.push({ index: 10, offset: at.loadConfig, size });
    if (spec.chpe) {
      at.chpe = here();
      u32(1);
      u32(0);
      u32(spec.chpe.length);
      at.codeMap = here();
      for (const r of spec.chpe) {
        u32(r.start | r.kind);
        u32(r.length);
      }
      patch32(at.chpe + 4, rva(at.codeMap));
      const va = imageBase + rva(at.chpe);
      const pointer = at.loadConfig + (plus ? 0xc8 : 0x7c);
      patch32(pointer, va % 0x1_0000_0000);
      if (plus) patch32(pointer + 4, Math.floor(va / 0x1_0000_0000));
    }
  }
  align(0x200);
  if (data.length === 0) data.push(...new Array(0x200).fill(0));
  const rawSize = data.length;

  // Headers: MS-DOS stub header (e_lfanew 0x40), PE\0\0, COFF header, optional header, section table.
  const h: number[] = [];
  const hu16 = (v: number): void => void h.push(v & 0xff, (v >> 8) & 0xff);
  const hu32 = (v: number): void => void h.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const hu64 = (v: number): void => (hu32(v % 0x1_0000_0000), hu32(Math.floor(v / 0x1_0000_0000)));
  hu16(0x5a4d);
  while (h.length < 0x3c) h.push(0);
  hu32(0x40);
  const lfanew = h.length;
  hu32(0x00004550);
  const coff = h.length;
  const optionalSize = plus ? 240 : 224;
  hu16(spec.machine ?? (plus ? 0x8664 : 0x14c));
  hu16(1); // NumberOfSections
  hu32(0x12345678);
  hu32(0);
  hu32(0);
  hu16(optionalSize);
  hu16((spec.dll ?? true) ? 0x2022 : 0x0022);
  const optional = h.length;
  hu16(plus ? 0x20b : 0x10b);
  h.push(14, 0);
  hu32(0); // SizeOfCode
  hu32(rawSize);
  hu32(0);
  hu32(0); // AddressOfEntryPoint
  hu32(SECTION_RVA); // BaseOfCode
  if (plus) hu64(imageBase);
  else {
    hu32(SECTION_RVA); // BaseOfData
    hu32(imageBase);
  }
  hu32(0x1000); // SectionAlignment
  hu32(0x200); // FileAlignment
  hu16(6);
  hu16(0);
  hu16(0);
  hu16(0);
  hu16(6);
  hu16(0);
  hu32(0);
  hu32(SECTION_RVA + Math.ceil(rawSize / 0x1000) * 0x1000); // SizeOfImage
  hu32(SECTION_OFFSET); // SizeOfHeaders
  hu32(0);
  hu16(3); // Subsystem: console
  hu16(0x160);
  for (let i = 0; i < 4; i++) (plus ? hu64 : hu32)(0x100000);
  hu32(0); // LoaderFlags
  hu32(16); // NumberOfRvaAndSizes
  const directories = h.length;
  for (let i = 0; i < 16; i++) {
    const dir = dirs.find((d) => d.index === i);
    hu32(dir ? rva(dir.offset) : 0);
    hu32(dir ? dir.size : 0);
  }
  const sectionTable = h.length;
  h.push(...text.encode(".rdata\0\0"));
  hu32(rawSize); // VirtualSize
  hu32(SECTION_RVA);
  hu32(rawSize); // SizeOfRawData
  hu32(SECTION_OFFSET);
  hu32(0);
  hu32(0);
  hu16(0);
  hu16(0);
  hu32(0x40000040);
  while (h.length < SECTION_OFFSET) h.push(0);

  const bytes = Uint8Array.from([...h, ...data]);
  const file = (o: number): number => (o < 0 ? -1 : SECTION_OFFSET + o);
  return {
    bytes,
    lfanew,
    coff,
    optional,
    directories,
    sectionTable,
    imageBase,
    at: { exportDir: file(at.exportDir), names: file(at.names), imports: file(at.imports), delayImports: file(at.delayImports), loadConfig: file(at.loadConfig), chpe: file(at.chpe), codeMap: file(at.codeMap) },
  };
}

export function setU16(pe: BuiltPe, offset: number, value: number): void {
  new DataView(pe.bytes.buffer, pe.bytes.byteOffset).setUint16(offset, value, true);
}

export function setU32(pe: BuiltPe, offset: number, value: number): void {
  new DataView(pe.bytes.buffer, pe.bytes.byteOffset).setUint32(offset, value >>> 0, true);
}

export function getU32(pe: BuiltPe, offset: number): number {
  return new DataView(pe.bytes.buffer, pe.bytes.byteOffset).getUint32(offset, true);
}
