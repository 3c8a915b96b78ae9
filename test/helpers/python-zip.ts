// Python's zipfile as an independent reader and writer for round-trip tests (python3 is on the
// machine; tests skip when it is not).
import { execFileSync, spawnSync } from "node:child_process";

export const hasPython = spawnSync("python3", ["-c", "import zipfile"]).status === 0;

export interface PyMember {
  name: string;
  date_time: number[];
  external_attr: number;
  compress_type: number;
  sha256: string;
  size: number;
}

/** Every member as Python's zipfile sees it, after `testzip()` (CRC of every member) passes. */
export function pythonListing(path: string): PyMember[] {
  const script = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad is not None:
        raise SystemExit("bad CRC in " + bad)
    out = []
    for i in z.infolist():
        data = z.read(i)
        out.append(dict(name=i.filename, date_time=list(i.date_time), external_attr=i.external_attr,
                        compress_type=i.compress_type, sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
    print(json.dumps(out))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" })) as PyMember[];
}

/** pip's own RECORD check, reimplemented in Python: every row's hash and size match the member. */
export function pythonVerifyRecord(path: string): string[] {
  const script = `
import base64, csv, hashlib, io, json, sys, zipfile
problems = []
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    record = [n for n in names if n.endswith(".dist-info/RECORD")]
    if len(record) != 1:
        raise SystemExit("no single RECORD")
    rows = list(csv.reader(io.StringIO(z.read(record[0]).decode("utf-8"))))
    seen = set()
    for path, digest, size in rows:
        seen.add(path)
        if path == record[0]:
            continue
        data = z.read(path)
        algo, _, value = digest.partition("=")
        want = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b"=").decode()
        if value != want: problems.append("hash " + path)
        if size and int(size) != len(data): problems.append("size " + path)
    for n in names:
        if not n.endswith("/") and n not in seen: problems.append("unrecorded " + n)
print(json.dumps(problems))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, path], { encoding: "utf8" })) as string[];
}

/**
 * A wheel written by Python's zipfile, as bdist_wheel would: a directory entry, a 0755 script, the
 * given extension, RECORD by csv.writer. `members` maps names to files on disk.
 */
export function pythonWheel(path: string, filename: string, members: { [name: string]: string }): void {
  const script = `
import base64, csv, hashlib, io, json, sys, zipfile
path, filename, members = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
name, version = filename.split("-")[:2]
tags = filename[:-4].split("-")[-3:]
dist = f"{name}-{version}.dist-info"
entries = [(n, open(p, "rb").read(), 0o644) for n, p in members.items()]
entries.append((f"{name}-{version}.data/scripts/tool", b"#!/bin/sh\\necho tool\\n", 0o755))
wheel = "Wheel-Version: 1.0\\nGenerator: bdist_wheel (0.45.1)\\nRoot-Is-Purelib: false\\n"
for py in tags[0].split("."):
    for abi in tags[1].split("."):
        for plat in tags[2].split("."):
            wheel += f"Tag: {py}-{abi}-{plat}\\n"
entries.append((f"{dist}/WHEEL", wheel.encode(), 0o644))
entries.append((f"{dist}/METADATA", f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode(), 0o644))
buf = io.StringIO()
w = csv.writer(buf)
for n, data, _ in entries:
    w.writerow([n, "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode(), len(data)])
w.writerow([f"{dist}/RECORD", "", ""])
entries.append((f"{dist}/RECORD", buf.getvalue().encode(), 0o644))
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    d = zipfile.ZipInfo(f"{name}/", (2023, 5, 6, 7, 8, 10))
    d.external_attr = (0o40755 << 16) | 0x10
    z.writestr(d, b"")
    for n, data, mode in entries:
        info = zipfile.ZipInfo(n, (2023, 5, 6, 7, 8, 10))
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_STORED if n.endswith(".so") else zipfile.ZIP_DEFLATED
        z.writestr(info, data)
`;
  execFileSync("python3", ["-c", script, path, filename, JSON.stringify(members)]);
}
