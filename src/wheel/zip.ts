// The zip layer: retag reads and writes the zip format itself (PKWARE APPNOTE.TXT 6.3.x), with
// node:zlib for inflate/deflate, instead of going through jszip, because
//  (a) jszip keeps members in a name-keyed map, so a duplicate member name silently replaces the
//      first; a checker must see both, since an installer extracts both;
//  (b) jszip inflates in JavaScript (pako), several times slower than zlib, and the performance
//      target is ≤ 1.3 × `unzip -tq` (DESIGN §7);
//  (c) fix mode must carry untouched members over byte for byte (local header, extra fields,
//      compressed bytes, central entry), which jszip cannot (DESIGN §4);
//  (d) zip-bomb limits need control over inflation.
// jszip stays as an independent reader in the tests, to cross-check this one.
//
// The archive is read through a ByteSource (zip-source): bytes in memory, or a file read by ranges,
// so a check never holds the whole wheel.
//
// One job per file: zip-source (byte sources), zip-read (structure and validation), zip-inflate (member bytes), zip-names
// (unsafe and duplicate names as data), zip-write (record encoders, fresh archives), zip-rewrite
// (fix mode's copy-through rewrite), zip-format (constants and codecs), zip-crc32.
export { memorySource, toSource } from "./zip-source.js";
export { centralEntryOf, openZip, type MemberLayout, type ZipArchive } from "./zip-read.js";
export { readMember, readMemberHead, type ReadMemberOptions } from "./zip-inflate.js";
export { memberNameProblems, type MemberNameProblem } from "./zip-names.js";
export { rewriteZip, type ZipChanges } from "./zip-rewrite.js";
export { writeZip, type NewZipEntry } from "./zip-write.js";
