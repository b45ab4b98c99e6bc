// Builds wheels for tests, with no network and no build backend: a small ZIP
// writer (stored or deflated entries) and the files the wheel format asks for
// (PEP 427/491): {dist}.dist-info/METADATA, WHEEL, entry_points.txt, RECORD.
// Tests use it to give pip and venvctl real wheels, including broken ones.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { crc32 } from "../../src/wheel/zip.js";

export interface WheelSpec {
  /** The project name as METADATA spells it (`Foo.Bar_baz`). */
  name: string;
  version: string;
  /** Files in the wheel by their path in the archive (`foo/__init__.py`, `foo-1.0.data/scripts/run`). */
  files?: Record<string, string | Buffer>;
  /** Extra METADATA header lines: `Summary: …`, `Requires-Dist: bar>=1; extra == "x"`. */
  metadata?: string[];
  /** METADATA body (the long description). */
  description?: string;
  /** entry_points.txt sections: `{ console_scripts: { foo: "foo.cli:main" } }`. */
  entryPoints?: Record<string, Record<string, string>>;
  /** Compatibility tag, default `py3-none-any`. */
  tag?: string;
  /** Root-Is-Purelib, default true. */
  rootIsPurelib?: boolean;
  /** Extra files inside the .dist-info directory (`top_level.txt`, `LICENSE`). */
  distInfoFiles?: Record<string, string | Buffer>;
  /** File modes by archive path; `.data/scripts/` files default to 0755, others to 0644. */
  modes?: Record<string, number>;
  /** Compress entries (default) or store them. */
  deflate?: boolean;
  /**
   * Tampering, for the error paths: called with every entry (path → bytes),
   * RECORD included, just before the archive is written.
   */
  tamper?: (entries: Map<string, Buffer>) => void;
}

/** The dist-info directory stem: the name with runs of `-` escaped, as bdist_wheel writes it. */
export function distInfoStem(spec: Pick<WheelSpec, "name" | "version">): string {
  return `${spec.name.replace(/[^\w\d.]+/g, "_")}-${spec.version.replace(/-/g, "_")}`;
}

/** The wheel file name (binary distribution format: normalized, lower-case name). */
export function wheelFileName(spec: Pick<WheelSpec, "name" | "version" | "tag">): string {
  const name = spec.name.replace(/[-_.]+/g, "_").toLowerCase();
  return `${name}-${spec.version.replace(/-/g, "_")}-${spec.tag ?? "py3-none-any"}.whl`;
}

const asBuffer = (c: string | Buffer) => (typeof c === "string" ? Buffer.from(c, "utf8") : c);

/** RECORD's hash form: sha256=<urlsafe base64, no padding>. */
export function recordHash(data: Buffer): string {
  return "sha256=" + createHash("sha256").update(data).digest("base64url");
}

/** Builds the wheel in `outDir` and answers its path. */
export function buildWheel(outDir: string, spec: WheelSpec): string {
  const stem = distInfoStem(spec);
  const distInfo = `${stem}.dist-info`;
  const entries = new Map<string, Buffer>();
  for (const [path, content] of Object.entries(spec.files ?? {})) entries.set(path, asBuffer(content));

  const metadata = [
    "Metadata-Version: 2.1",
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    ...(spec.metadata ?? []),
  ].join("\n") + "\n" + (spec.description !== undefined ? `\n${spec.description}` : "");
  entries.set(`${distInfo}/METADATA`, Buffer.from(metadata, "utf8"));
  entries.set(`${distInfo}/WHEEL`, Buffer.from(
    `Wheel-Version: 1.0\nGenerator: venvctl-tests\nRoot-Is-Purelib: ${spec.rootIsPurelib === false ? "false" : "true"}\nTag: ${spec.tag ?? "py3-none-any"}\n`,
  ));
  if (spec.entryPoints) {
    const text = Object.entries(spec.entryPoints)
      .map(([section, items]) => `[${section}]\n${Object.entries(items).map(([k, v]) => `${k} = ${v}`).join("\n")}\n`)
      .join("\n");
    entries.set(`${distInfo}/entry_points.txt`, Buffer.from(text));
  }
  for (const [path, content] of Object.entries(spec.distInfoFiles ?? {})) entries.set(`${distInfo}/${path}`, asBuffer(content));

  const record = [...entries].map(([path, data]) => `${csvField(path)},${recordHash(data)},${data.length}`);
  record.push(`${distInfo}/RECORD,,`);
  entries.set(`${distInfo}/RECORD`, Buffer.from(record.join("\n") + "\n"));
  spec.tamper?.(entries);

  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, wheelFileName(spec));
  const mode = (path: string) => spec.modes?.[path] ?? (/\.data\/scripts\//.test(path) ? 0o755 : 0o644);
  writeFileSync(file, zip(entries, spec.deflate !== false, mode));
  return file;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A ZIP archive of `entries` (no ZIP64: test wheels are small). */
export function zip(entries: Map<string, Buffer>, deflate = true, mode: (path: string) => number = () => 0o644): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00, the earliest DOS date: builds are reproducible.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const [path, data] of entries) {
    const name = Buffer.from(path, "utf8");
    const body = deflate ? deflateRawSync(data) : data;
    const method = deflate ? 8 : 0;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | mode(path)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
