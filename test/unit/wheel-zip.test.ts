// The ZIP reader: archives from the test wheel builder and from Python's
// zipfile (ZIP64 forced, a comment, stored and deflated entries), and the
// damage it must notice: CRC, truncation, a broken deflate stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { zip } from "../helpers/wheel-builder.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip, which } from "../helpers/require.js";
import { crc32, crc32ByTable, ZipArchive, ZipFormatError } from "../../src/wheel/zip.js";

const contents = new Map<string, Buffer>([
  ["pkg/__init__.py", Buffer.from("print('hello')\n".repeat(50))],
  ["pkg/empty.txt", Buffer.alloc(0)],
  ["pkg/ünïcode.txt", Buffer.from("names are UTF-8\n")],
  ["pkg/data.bin", Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff))],
]);

function readAll(buf: Buffer): Map<string, Buffer> {
  const z = new ZipArchive(buf);
  return new Map(z.entries.filter((e) => !e.isDirectory).map((e) => [e.name, z.read(e)]));
}

test("reads deflated and stored archives, with their modes", () => {
  for (const deflate of [true, false]) {
    const buf = zip(contents, deflate, (p) => (p.endsWith(".py") ? 0o755 : 0o644));
    assert.deepEqual(readAll(buf), contents);
    const modes = new Map(new ZipArchive(buf).entries.map((e) => [e.name, e.unixMode & 0o777]));
    assert.equal(modes.get("pkg/__init__.py"), 0o755);
    assert.equal(modes.get("pkg/empty.txt"), 0o644);
  }
});

test("CRC-32, zlib's and the table fallback alike, gives the standard check value and agrees on data", () => {
  // The check value of the CRC-32 that ZIP uses (ISO-HDLC): crc("123456789").
  for (const f of [crc32, crc32ByTable]) {
    assert.equal(f(Buffer.from("123456789")), 0xcbf43926, f.name);
    assert.equal(f(Buffer.alloc(0)), 0, f.name);
  }
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff));
  for (const data of [...contents.values(), bytes]) assert.equal(crc32ByTable(data), crc32(data));
});

test("reads what Python's zipfile writes: ZIP64 records, an archive comment, directories", (t) => {
  const python = which("python3", "/usr/bin:/bin");
  if (!requireOrSkip(t, python !== undefined, "python3 is needed to write the reference archives")) return;
  const sb = makeSandbox(t);
  const out = join(sb.work, "py.zip");
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.comment = b"a comment that follows the end record"
    z.writestr(zipfile.ZipInfo("pkg/"), b"")
    with z.open("pkg/big.txt", "w", force_zip64=True) as f:
        f.write(b"0123456789" * 1000)
    z.writestr("pkg/stored.txt", b"stored", compress_type=zipfile.ZIP_STORED)
`;
  const r = spawnSync(python!, ["-c", script, out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const z = new ZipArchive(readFileSync(out));
  assert.deepEqual(z.entries.map((e) => e.name), ["pkg/", "pkg/big.txt", "pkg/stored.txt"]);
  assert.ok(z.entries[0]!.isDirectory);
  assert.equal(z.read(z.entries[1]!).toString(), "0123456789".repeat(1000));
  assert.equal(z.read(z.entries[2]!).toString(), "stored");
});

test("reads an archive with a ZIP64 end of central directory", (t) => {
  const python = which("python3", "/usr/bin:/bin");
  if (!requireOrSkip(t, python !== undefined, "python3 is needed to write the reference archives")) return;
  const sb = makeSandbox(t);
  const out = join(sb.work, "z64.zip");
  // zipfile writes the ZIP64 end records once there are more than 0xFFFF entries.
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(0x10000 + 5):
        z.writestr("f/%d" % i, b"")
`;
  const r = spawnSync(python!, ["-c", script, out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const z = new ZipArchive(readFileSync(out));
  assert.equal(z.entries.length, 0x10000 + 5);
  assert.equal(z.entries.at(-1)!.name, `f/${0x10000 + 4}`);
});

test("a changed byte is caught by the CRC", () => {
  const buf = zip(new Map([["a.txt", Buffer.from("hello, world\n")]]), false);
  const at = buf.indexOf("hello");
  buf[at] = "j".charCodeAt(0);
  const z = new ZipArchive(buf);
  assert.throws(() => z.read(z.entries[0]!), (e: unknown) => e instanceof ZipFormatError && /CRC-32 mismatch/.test(e.message));
});

test("a broken deflate stream fails to inflate", () => {
  const data = Buffer.from("some text that deflates ".repeat(40));
  const buf = zip(new Map([["a.txt", data]]), true);
  for (let i = 40; i < 60; i++) buf[i] = 0xff;
  const z = new ZipArchive(buf);
  assert.throws(() => z.read(z.entries[0]!), ZipFormatError);
});

test("truncated or foreign files are not archives", () => {
  const buf = zip(contents, true);
  assert.throws(() => new ZipArchive(buf.subarray(0, buf.length - 10)), ZipFormatError);
  assert.throws(() => new ZipArchive(buf.subarray(0, buf.length >> 1)), ZipFormatError);
  assert.throws(() => new ZipArchive(Buffer.from("#!/bin/sh\necho not a zip\n")), /no end of central directory/);
  assert.throws(() => new ZipArchive(Buffer.alloc(0)), ZipFormatError);
  // Data prepended: the central directory is no longer where the end record says.
  assert.throws(() => new ZipArchive(Buffer.concat([Buffer.from("junk"), buf])), /central directory is not where/);
});
