// Reading a wheel and proving it sound before anything is written: the ZIP
// (CRC-32 and size of every entry), one .dist-info matching the file name, a
// WHEEL of version 1.x, every file listed in RECORD with a matching hash and
// size, and no path that would land outside the install directories.
// Loaded only when a wheel is unpacked (it brings zlib and the ZIP reader).
import {
  canonicalizeName, CorruptWheelError, readWheelBytes, isSafeArchivePath, routeArchivePath, SCHEME_KEYS,
  type WheelFileInfo, type WheelInfo,
} from "./contents.js";
import { parseWheelFileName } from "../standards/wheel-tags.js";
import { EntryPointError, launcherEntries, parseEntryPoints } from "./entry-points.js";
import { hasPythonPlaceholder } from "./launchers.js";
import { hashMatches, parseRecord, parseRecordHash, recordHash, type RecordRow } from "../standards/record.js";
import { ZipArchive, ZipFormatError, type ZipEntry } from "./zip.js";
import { parseHeaders } from "../standards/metadata.js";

/** A verified wheel: its metadata, its files' bytes, and the file's sha256. */
export interface VerifiedWheel extends WheelInfo {
  /** The wheel file. */
  wheel: string;
  /** sha256 of the wheel file (hex): the unpack cache's key. */
  sha256: string;
  /** File contents by archive path. */
  data: Map<string, Buffer>;
}

/** Reads `wheel` and verifies all of it; throws CorruptWheelError naming what is wrong. */
export function readWheel(wheel: string): VerifiedWheel {
  const { bytes, sha256 } = readWheelBytes(wheel);
  return verifyWheelBytes(wheel, bytes, sha256);
}

/** Verifies a wheel already read into memory. */
export function verifyWheelBytes(wheel: string, bytes: Buffer, sha256: string): VerifiedWheel {
  const fail = (reason: string, cause?: unknown): never => {
    throw new CorruptWheelError(wheel, reason, cause);
  };

  let zip: ZipArchive;
  try {
    zip = new ZipArchive(bytes);
  } catch (err) {
    if (err instanceof ZipFormatError) fail(`bad ZIP archive: ${err.message}`);
    throw err;
  }

  // Names: unique, safe, and a valid .data routing; no file that is also a directory.
  const files: ZipEntry[] = [];
  const seen = new Set<string>();
  const dirs = new Set<string>();
  for (const entry of zip.entries) {
    if (seen.has(entry.name)) fail(`${JSON.stringify(entry.name)} appears twice in the archive`);
    seen.add(entry.name);
    if (entry.isDirectory) continue;
    if (!isSafeArchivePath(entry.name)) {
      fail(`${JSON.stringify(entry.name)} would be installed outside the target directories`);
    }
    if (!routeArchivePath(entry.name)) {
      fail(`${JSON.stringify(entry.name)}: .data contents must be named <scheme key>/<path>, with a key among ${SCHEME_KEYS.join(", ")}`);
    }
    files.push(entry);
    for (let i = entry.name.indexOf("/"); i >= 0; i = entry.name.indexOf("/", i + 1)) dirs.add(entry.name.slice(0, i));
  }
  for (const f of files) if (dirs.has(f.name)) fail(`${JSON.stringify(f.name)} is both a file and a directory`);

  // Exactly one .dist-info directory, named after the project (pip's wheel_dist_info_dir).
  const infoDirs = [...new Set(files.map((f) => f.name.split("/", 1)[0]!))].filter((d) => d.endsWith(".dist-info"));
  if (infoDirs.length === 0) fail("no .dist-info directory");
  if (infoDirs.length > 1) fail(`more than one .dist-info directory: ${infoDirs.join(", ")}`);
  const distInfo = infoDirs[0]!;
  const fromName = parseWheelFileName(wheel);
  if (fromName && !canonicalizeName(distInfo).startsWith(canonicalizeName(fromName.name) + "-")) {
    fail(`its .dist-info directory ${distInfo} is not for ${fromName.name}`);
  }

  // Inflate everything: CRC-32 and sizes.
  const data = new Map<string, Buffer>();
  for (const entry of files) {
    try {
      data.set(entry.name, zip.read(entry));
    } catch (err) {
      if (err instanceof ZipFormatError) fail(`bad ZIP archive: ${err.message}`);
      throw err;
    }
  }

  const text = (name: string): string | undefined => data.get(`${distInfo}/${name}`)?.toString("utf8");
  const wheelText = text("WHEEL") ?? fail(`no ${distInfo}/WHEEL`);
  const wheelMeta = parseHeaders(wheelText);
  const wheelVersion = wheelMeta.get("wheel-version") ?? fail(`${distInfo}/WHEEL has no Wheel-Version`);
  if (!/^1(\.\d+)*$/.test(wheelVersion.trim())) fail(`Wheel-Version ${wheelVersion} is not supported (1.x is)`);
  const rootIsPurelib = (wheelMeta.get("root-is-purelib") ?? "").trim().toLowerCase() === "true";

  const metadata = parseHeaders(text("METADATA") ?? fail(`no ${distInfo}/METADATA`));
  const name = metadata.get("name")?.trim() || fail(`${distInfo}/METADATA has no Name`);
  const version = metadata.get("version")?.trim() || fail(`${distInfo}/METADATA has no Version`);

  // RECORD: every file is listed, with a hash and size that match.
  const recordPath = `${distInfo}/RECORD`;
  const recordText = text("RECORD") ?? fail(`no ${recordPath}`);
  const record = parseRecord(recordText);
  const byPath = new Map<string, RecordRow>();
  for (const row of record) {
    const prior = byPath.get(row[0]);
    if (prior && (prior[1] !== row[1] || prior[2] !== row[2])) fail(`RECORD lists ${row[0]} twice, differently`);
    byPath.set(row[0], row);
  }
  const unsigned = new Set([recordPath, `${recordPath}.jws`, `${recordPath}.p7s`]);
  const infos: WheelFileInfo[] = [];
  for (const entry of files) {
    const content = data.get(entry.name)!;
    const row = byPath.get(entry.name);
    // RECORD and its signatures carry no hash of their own; the cache still
    // wants one, to tell a changed file from an intact one.
    let hash = recordHash(content);
    if (!unsigned.has(entry.name)) {
      if (!row) fail(`${entry.name} is not listed in RECORD`);
      hash = row![1];
      if (!hash) fail(`RECORD has no hash for ${entry.name}`);
      if (!parseRecordHash(hash)) fail(`RECORD hash for ${entry.name} is not sha256 or stronger: ${hash}`);
      if (!hashMatches(content, hash)) fail(`RECORD hash mismatch for ${entry.name}`);
      const size = row![2];
      if (size !== "" && (!/^\d+$/.test(size) || Number(size) !== content.length)) {
        fail(`RECORD size mismatch for ${entry.name}: ${size}, the file has ${content.length} bytes`);
      }
    }
    const route = routeArchivePath(entry.name)!;
    infos.push({
      path: entry.name,
      size: content.length,
      hash,
      // pip's zip_item_is_executable: a regular file with any x bit.
      executable: (entry.unixMode & 0o170000) === 0o100000 && (entry.unixMode & 0o111) !== 0,
      placeholder: route.key === "scripts" && hasPythonPlaceholder(content),
    });
  }

  // Entry points that cannot become launchers fail now, not half-way into an env.
  const entryPoints = text("entry_points.txt") ?? "";
  try {
    launcherEntries(parseEntryPoints(entryPoints), { major: 3, minor: 0 });
  } catch (err) {
    if (err instanceof EntryPointError) fail(err.message);
    throw err;
  }

  return {
    wheel,
    sha256,
    name,
    version,
    distInfo,
    rootIsPurelib,
    record,
    entryPoints,
    files: infos,
    facts: {
      requiresPython: metadata.get("requires-python")?.trim() || undefined,
      requiresDist: metadata.getAll("requires-dist").map((v) => v.trim()),
      providesExtra: metadata.getAll("provides-extra").map((v) => v.trim()),
    },
    data,
  };
}

