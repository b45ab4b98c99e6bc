// The core metadata inside a downloaded distribution: a wheel's
// *.dist-info/METADATA (ZipArchive), an sdist's top-level PKG-INFO from a
// .tar.gz (gunzip, then a walk over ustar/pax/GNU headers: the vendored
// `tar` package is a stream parser built for unpacking trees, far more than
// finding one small file needs) or a .zip. An sdist's PKG-INFO counts only
// when it is Metadata-Version 2.2 or later and no `Dynamic:` names
// Requires-Dist or Requires-Python (PEP 643): otherwise building is the only
// honest way to learn its dependencies.
// The client imports this module lazily: only a metadata fallback loads it (and zlib).
import { gunzipSync } from "node:zlib";
import { parseHeaders } from "../standards/metadata.js";
import { canonicalizeName } from "../standards/names.js";
import { ZipArchive, ZipFormatError } from "../wheel/zip.js";

/** The archive is not what its name says, or lacks its metadata. */
export class ArchiveMetadataError extends Error {}

/** A zip's entries, or ArchiveMetadataError for data that is not one. */
function openZip(data: Buffer): { entries: ZipArchive["entries"]; read: (e: ZipArchive["entries"][number]) => Buffer } {
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ZipFormatError) throw new ArchiveMetadataError(`it is not a readable zip: ${err.message}`);
      throw err;
    }
  };
  const zip = guard(() => new ZipArchive(data));
  return { entries: zip.entries, read: (e) => guard(() => zip.read(e)) };
}

/** A wheel's METADATA: the one in the `*.dist-info` directory of `project` (canonical), else the only one. */
export function wheelMetadata(data: Buffer, project: string): string {
  const zip = openZip(data);
  const candidates = zip.entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  const own = candidates.filter((e) => canonicalizeName(e.name.split("/")[0]!.replace(/\.dist-info$/, "").replace(/-[^-]*$/, "")) === project);
  const entry = (own.length === 1 ? own : candidates)[0];
  if (!entry || (own.length !== 1 && candidates.length !== 1)) throw new ArchiveMetadataError("it has no single .dist-info/METADATA");
  return zip.read(entry).toString("utf8");
}

/** An sdist's top-level PKG-INFO (`NAME-VERSION/PKG-INFO`), from a .tar.gz or a .zip. */
export function sdistPkgInfo(data: Buffer, filename: string): string | undefined {
  const top = (path: string) => /^[^/]+\/PKG-INFO$/.test(path.replace(/^\.\//, ""));
  if (/\.zip$/i.test(filename)) {
    const zip = openZip(data);
    const entry = zip.entries.find((e) => top(e.name));
    return entry ? zip.read(entry).toString("utf8") : undefined;
  }
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (err) {
    throw new ArchiveMetadataError(`it is not gzip data: ${(err as Error).message}`);
  }
  return tarFile(tar, top)?.toString("utf8");
}

const octal = (b: Buffer) => {
  // GNU base-256 for large values: the high bit of the first byte set.
  if (b[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]!;
    return n;
  }
  const s = b.toString("latin1").replace(/\0.*$/s, "").trim();
  return s ? parseInt(s, 8) : 0;
};
const cstr = (b: Buffer) => b.toString("utf8").replace(/\0.*$/s, "");

/** The content of the first regular file in a tar whose path `wanted` accepts (ustar, pax `path`, GNU long names). */
export function tarFile(tar: Buffer, wanted: (path: string) => boolean): Buffer | undefined {
  let at = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) return undefined; // the end-of-archive blocks
    const size = octal(h.subarray(124, 136));
    if (!Number.isFinite(size) || size < 0) throw new ArchiveMetadataError(`a tar header at ${at} has no size`);
    const type = String.fromCharCode(h[156]!);
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length < size) throw new ArchiveMetadataError("the tar data ends in the middle of a file");
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = cstr(body);
      continue;
    }
    if (type === "x") {
      // pax records: "LEN key=value\n"
      for (let i = 0; i < body.length;) {
        const sp = body.indexOf(0x20, i);
        const len = parseInt(body.subarray(i, sp).toString("latin1"), 10);
        if (sp < 0 || !(len > 0)) break;
        const rec = body.subarray(sp + 1, i + len - 1).toString("utf8");
        if (rec.startsWith("path=")) paxPath = rec.slice(5);
        i += len;
      }
      continue;
    }
    if (type === "g") continue;
    const magic = h.subarray(257, 262).toString("latin1");
    const prefix = magic === "ustar" ? cstr(h.subarray(345, 500)) : "";
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100)));
    paxPath = longName = undefined;
    if ((type === "0" || type === "\0" || type === "7") && wanted(name)) return body;
  }
  return undefined;
}

/**
 * Whether an sdist's PKG-INFO can stand for the built wheel's metadata
 * (PEP 643): Metadata-Version 2.2 or later, and neither Requires-Dist nor
 * Requires-Python marked Dynamic.
 */
export function isStaticMetadata(text: string): boolean {
  const headers = parseHeaders(text);
  const m = /^(\d+)\.(\d+)/.exec(headers.get("Metadata-Version")?.trim() ?? "");
  if (!m || Number(m[1]) < 2 || (Number(m[1]) === 2 && Number(m[2]) < 2)) return false;
  return !headers.getAll("Dynamic").some((d) => ["requires-dist", "requires-python"].includes(d.trim().toLowerCase()));
}
