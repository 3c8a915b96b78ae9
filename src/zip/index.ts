// The zip layer: retag reads and writes the zip format itself (PKWARE APPNOTE.TXT 6.3.x), through
// the host's codecs for inflate / deflate / CRC, instead of going through jszip, because
//  (a) jszip keeps members in a name-keyed map, so a duplicate member name silently replaces the
//      first; a checker must see both, since an installer extracts both;
//  (b) jszip inflates in JavaScript (pako), several times slower than zlib (DESIGN §7);
//  (c) fix mode must carry untouched members over byte for byte (local header, extra fields,
//      compressed bytes, central entry), which jszip cannot (DESIGN §4);
//  (d) zip-bomb limits need control over inflation.
// jszip stays as an independent reader in the tests, to cross-check this one. The zip layer knows no
// wheel and no finding code: it throws ZipError, which the read stage maps to findings.
//
// One job per file: source (bytes in memory as a source), read (structure and validation), member
// (member bytes), names (unsafe and duplicate names as data), records (record encoders), assemble
// (the one writer: copies and new members), format (constants and codecs), crc32 (portable CRC).
export { memorySource, toSource } from "./source.js";
export { centralEntryOf, openZip, type MemberLayout, type ZipArchive } from "./read.js";
export { readMember, readMemberHead, MAX_MEMBER_BYTES, MAX_INFLATE_RATIO, BOMB_FLOOR, type ReadMemberOptions } from "./member.js";
export { streamMember } from "./member-stream.js";
export { memberNameProblems, type MemberNameProblem } from "./names.js";
export {
  assembleZip,
  isSourceRange,
  joinParts,
  rewriteZip,
  writeZip,
  type AssembledZip,
  type Assembly,
  type AssemblyEntry,
  type ChunkedData,
  type MemberData,
  type NewChunkedEntry,
  type NewZipEntry,
  type OutputPart,
  type SourceRange,
  type ZipChanges,
} from "./assemble.js";
export { crc32Portable } from "./crc32.js";
export { spliceDeflate, type DeflatedData, type SplicePiece } from "./splice.js";
export { deflateBlocks, DeflateWalkError, type DeflateBlocks } from "./deflate-blocks.js";
