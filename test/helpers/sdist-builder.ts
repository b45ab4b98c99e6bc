// Builds source distributions for tests, with no network: a small ustar
// writer, gzip at a fixed mtime (so the same spec gives the same bytes, and
// caches keyed by sha256 hit), and an in-tree PEP 517 backend that needs
// nothing installed (build-system.requires = []): pip builds the sdist offline
// with build isolation, on every pip here (3.12's venvs have no setuptools).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface SdistSpec {
  /** The project name as METADATA spells it. */
  name: string;
  version: string;
  /** Files of the built wheel by their path in it (`pkg/__init__.py`); they sit at the sdist's root too. */
  files: Record<string, string>;
  /** Extra METADATA (PKG-INFO) header lines: `Requires-Dist: …`. */
  metadata?: string[];
  /** entry_points.txt sections, as WheelSpec.entryPoints. */
  entryPoints?: Record<string, Record<string, string>>;
  /** PKG-INFO's Metadata-Version (default 2.1: dependencies known only by building). */
  metadataVersion?: string;
}

/** PEP 625's file name: `{normalized_name}-{version}.tar.gz`, `-`, `_`, `.` runs as `_`. */
export function sdistFileName(spec: Pick<SdistSpec, "name" | "version">): string {
  return `${spec.name.replace(/[-_.]+/g, "_").toLowerCase()}-${spec.version}.tar.gz`;
}

// The backend: reads PKG-INFO for the metadata and writes a py3-none-any wheel
// of the `files` listed in _wheel_files.txt, with a fixed date (reproducible).
// prepare_metadata_for_build_wheel is left out on purpose: pip then builds
// the wheel to get the metadata, the path most in-tree backends take.
const BACKEND = `"""An in-tree PEP 517 backend for tests: no dependencies, no network."""
import base64
import hashlib
import os
import re
import zipfile


def _metadata():
    with open("PKG-INFO", encoding="utf-8") as f:
        text = f.read()
    fields = {}
    for line in text.split("\\n"):
        if not line.strip():
            break
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    return text, fields["Name"], fields["Version"]


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    text, name, version = _metadata()
    stem = re.sub(r"[-_.]+", "_", name).lower() + "-" + version
    dist_info = stem + ".dist-info"
    entries = []
    with open("_wheel_files.txt", encoding="utf-8") as f:
        for path in f.read().split("\\n"):
            if path:
                with open(path, "rb") as g:
                    entries.append((path, g.read()))
    entries.append((dist_info + "/METADATA", text.encode("utf-8")))
    entries.append((dist_info + "/WHEEL", b"Wheel-Version: 1.0\\nGenerator: in-tree-backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"))
    if os.path.exists("entry_points.txt"):
        with open("entry_points.txt", "rb") as g:
            entries.append((dist_info + "/entry_points.txt", g.read()))
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(dist_info + "/RECORD,,")
    entries.append((dist_info + "/RECORD", ("\\n".join(record) + "\\n").encode("utf-8")))
    filename = stem + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w") as z:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return filename
`;

/** Builds the sdist in `outDir` and answers its path. */
export function buildSdist(outDir: string, spec: SdistSpec): string {
  const root = `${spec.name.replace(/[-_.]+/g, "_").toLowerCase()}-${spec.version}`;
  const pkgInfo = [`Metadata-Version: ${spec.metadataVersion ?? "2.1"}`, `Name: ${spec.name}`, `Version: ${spec.version}`, ...(spec.metadata ?? [])].join("\n") + "\n";
  const entries = new Map<string, string>();
  entries.set("PKG-INFO", pkgInfo);
  entries.set("pyproject.toml", [
    "[build-system]",
    "requires = []",
    'build-backend = "_in_tree_backend"',
    'backend-path = ["."]',
    "",
    "[project]",
    `name = ${JSON.stringify(spec.name)}`,
    `version = ${JSON.stringify(spec.version)}`,
    'dynamic = ["dependencies", "entry-points", "scripts"]',
    "",
  ].join("\n"));
  entries.set("_in_tree_backend.py", BACKEND);
  entries.set("_wheel_files.txt", Object.keys(spec.files).join("\n") + "\n");
  if (spec.entryPoints) {
    entries.set("entry_points.txt", Object.entries(spec.entryPoints)
      .map(([section, items]) => `[${section}]\n${Object.entries(items).map(([k, v]) => `${k} = ${v}`).join("\n")}\n`)
      .join("\n"));
  }
  for (const [path, content] of Object.entries(spec.files)) entries.set(path, content);
  const files = new Map<string, Buffer>();
  for (const [path, content] of entries) files.set(`${root}/${path}`, Buffer.from(content, "utf8"));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, sdistFileName(spec));
  writeFileSync(file, gzipSync(tar(files)));
  return file;
}

/**
 * A ustar archive of regular files (mode 0644, mtime 0, owner 0): the
 * directories are implied by the paths, as in sdists made by `python -m build`.
 */
export function tar(files: Map<string, Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, data] of files) {
    const header = Buffer.alloc(512);
    let name = path;
    let prefix = "";
    if (Buffer.byteLength(name) > 100) {
      const cut = path.lastIndexOf("/", 155);
      if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`path too long for ustar: ${path}`);
      prefix = path.slice(0, cut);
      name = path.slice(cut + 1);
    }
    const field = (value: string, offset: number, length: number) => header.write(value, offset, length, "utf8");
    const octal = (value: number, offset: number, length: number) => field(value.toString(8).padStart(length - 1, "0") + "\0", offset, length);
    field(name, 0, 100);
    octal(0o644, 100, 8);
    octal(0, 108, 8);
    octal(0, 116, 8);
    octal(data.length, 124, 12);
    octal(0, 136, 12);
    field("        ", 148, 8); // the checksum counts itself as spaces
    field("0", 156, 1);
    field("ustar\u000000", 257, 8);
    field(prefix, 345, 155);
    let sum = 0;
    for (const b of header) sum += b;
    field(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
