// Writing a prepared wheel (install.ts) into an environment, as pip's
// _install_wheel does: files routed to the scheme (linked or copied from the
// unpack cache, or written from the verified wheel), .data/scripts `#!python`
// lines rewritten, launchers for console_scripts and gui_scripts, INSTALLER,
// REQUESTED, direct_url.json, and a RECORD of everything; the journal
// (transaction.ts) hears of each file and directory. A cache entry that
// changes underfoot is given up for the wheel itself.
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { VenvctlError } from "../errors.js";
import { ensureDir, isNodeError } from "../util/fs.js";
import type { CacheEntry } from "./cache.js";
import { fileStats, UMASK, type FileStats } from "./trust.js";
import { destinationOf, routeArchivePath, type InstallScheme, type WheelInfo } from "./contents.js";
import { isEntryPointWrapper, launcherEntries, parseEntryPoints } from "./entry-points.js";
import type { InstallJournal, InstallOptions, InstallResult, PreparedWheel, Source } from "./install-types.js";
import { fixScriptShebang, launcherScript, windowsLauncher, windowsStubName } from "./launchers.js";
import { FilePlacer, type EffectiveLinkMode } from "./materialize.js";
import { formatRecord, recordHash, type RecordRow } from "../standards/record.js";

/** A cached file vanished or was swapped while it was being placed (another process rebuilt the entry, or someone meddled). */
class CacheChangedError extends Error {}


/** Writes a prepared wheel into the env. */
export async function placePrepared(p: PreparedWheel, opts: InstallOptions): Promise<InstallResult> {
  const debug = opts.debug ?? (() => {});
  const { info, source, warnings } = p;
  try {
    const placed = placeFiles(info, source, opts);
    warnings.push(...placed.warnings);
    if (source.kind === "cache") {
      debug(`${info.name} ${info.version}: ${placed.files.length} files from the cache (${placed.linkMode ?? "none linked"})`);
      // Hardlinks bumped the cached files' ctimes: recorded, the next use needs no hashing.
      if (placed.linked) p.cache?.refresh(p.sha256, placed.linked);
    }
    const linked = source.kind === "cache" && placed.linkMode === "hardlink" ? { sha256: p.sha256, wheel: p.wheel, scheme: opts.scheme } : undefined;
    return { name: info.name, version: info.version, distInfo: info.distInfo, libDir: libDirOf(info, opts.scheme), cache: p.state, linkMode: placed.linkMode, files: placed.files, warnings, linked };
  } catch (err) {
    if (!(err instanceof CacheChangedError)) throw err;
    // The entry changed under us: what was placed so far is overwritten
    // from the wheel itself.
    debug(`${err.message}; installing ${basename(p.wheel)} straight from the wheel`);
    const w = await p.verify();
    const placed = placeFiles(w, { kind: "wheel", data: w.data }, opts);
    return { name: w.name, version: w.version, distInfo: w.distInfo, libDir: libDirOf(w, opts.scheme), cache: "bypassed", linkMode: undefined, files: placed.files, warnings };
  }
}

function libDirOf(info: WheelInfo, scheme: InstallScheme): string {
  return info.rootIsPurelib ? scheme.purelib : scheme.platlib;
}

/**
 * Makes directories (and their parents). Sorted, a parent comes before its
 * children, so most need one plain mkdir — cheaper than a recursive one each.
 */
function makeDirs(dirs: string[], journal: InstallJournal | undefined): void {
  for (const d of dirs.sort()) {
    try {
      mkdirSync(d);
      journal?.madeDir(d);
    } catch (err) {
      if (isNodeError(err, "EEXIST")) continue;
      if (!isNodeError(err, "ENOENT")) throw err;
      for (const made of ensureDir(d)) journal?.madeDir(made);
    }
  }
}

/** Moves an existing file out of the way: aside into the journal's stash, or deleted (pip clobbers). */
function clear(path: string, journal: InstallJournal | undefined): void {
  if (journal) journal.displace(path);
  else unlinkSync(path);
}

/** Writes a file the install generates; an existing one is replaced (pip clobbers). */
function writeFile(path: string, data: Uint8Array, mode: number, journal: InstallJournal | undefined): void {
  let fd: number;
  try {
    fd = openSync(path, "wx", mode);
  } catch (err) {
    if (!isNodeError(err, "EEXIST")) throw err;
    clear(path, journal);
    fd = openSync(path, "wx", mode);
  }
  journal?.wrote(path);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } finally {
    closeSync(fd);
  }
}

const toRecordPath = sep === "/" ? (p: string) => p : (p: string) => p.split(sep).join("/");

/** Places every file and writes the generated ones: the per-env part of an install. */
function placeFiles(
  info: WheelInfo,
  source: Source,
  opts: InstallOptions,
): { files: string[]; linkMode: EffectiveLinkMode | undefined; linked: FileStats[] | undefined; warnings: string[] } {
  const stage = opts.stagePath ?? ((p: string) => p);
  const { scheme } = opts;
  const libDir = info.rootIsPurelib ? scheme.purelib : scheme.platlib;
  const infoDir = join(libDir, info.distInfo);
  const recordPathOf = (dest: string) => toRecordPath(relative(libDir, dest));
  const groups = parseEntryPoints(info.entryPoints);
  const placer = new FilePlacer(opts.linkMode);
  const files: string[] = [];
  const journal = opts.journal;

  // Files the install writes itself: a wheel's own copies are not installed.
  const generatedArchivePaths = new Set([`${info.distInfo}/RECORD`, `${info.distInfo}/INSTALLER`]);
  if (opts.requested) generatedArchivePaths.add(`${info.distInfo}/REQUESTED`);
  if (opts.directUrl !== undefined) generatedArchivePaths.add(`${info.distInfo}/direct_url.json`);

  // Plan: where each file goes. Wrappers setuptools made for entry points
  // are skipped (pip generates its own launchers instead).
  const plan: Array<{ file: WheelInfo["files"][number]; dest: string; recordPath: string }> = [];
  const dirs = new Set<string>();
  for (const file of info.files) {
    if (generatedArchivePaths.has(file.path)) continue;
    const route = routeArchivePath(file.path)!;
    if (route.key === "scripts" && isEntryPointWrapper(basename(route.rel), groups)) continue;
    // Archive paths are verified safe (no `.`, `..` or empty parts): plain
    // concatenation is a join, and measurably cheaper over ~1000 files.
    const dest = route.key === "root" ? `${libDir}/${file.path}` : destinationOf(route, scheme, info.rootIsPurelib);
    plan.push({ file, dest, recordPath: route.key === "root" ? file.path : recordPathOf(dest) });
    dirs.add(dirname(dest));
  }
  dirs.add(infoDir);
  makeDirs([...dirs].map(stage), journal);

  const installed = new Map<string, string>();
  const changed = new Map<string, [string, string]>();
  const read = (path: string): Buffer =>
    source.kind === "wheel" ? source.data.get(path)! : readFileSync(join(source.entry.filesDir, path));
  // After hardlinking, the cached files' stats as they are now (their ctimes moved).
  const linked = source.kind === "cache" ? [...source.entry.stats] : undefined;
  const indexOf = source.kind === "cache" ? new Map(info.files.map((f, i) => [f.path, i])) : undefined;
  let relinked = false;
  for (const { file, dest, recordPath } of plan) {
    const mode = file.executable ? 0o777 : 0o666;
    if (file.placeholder) {
      const fixed = fixScriptShebang(read(file.path), opts.python, opts.windows ? "win32" : opts.platform);
      writeFile(stage(dest), fixed, mode, journal);
      changed.set(recordPath, [recordHash(fixed), String(fixed.length)]);
    } else if (source.kind === "wheel") {
      writeFile(stage(dest), source.data.get(file.path)!, mode, journal);
    } else {
      const i = indexOf!.get(file.path)!;
      const now = placeCached(placer, source.entry, file.path, source.entry.stats[i]!, stage(dest), mode, journal);
      if (now) {
        linked![i] = now;
        relinked = true;
      }
    }
    installed.set(file.path, recordPath);
    files.push(dest);
  }

  // Launchers, INSTALLER, REQUESTED: generated, hashed into RECORD.
  const generated: RecordRow[] = [];
  const generate = (dest: string, data: Buffer, mode: number) => {
    writeFile(stage(dest), data, mode, journal);
    generated.push([recordPathOf(dest), recordHash(data), String(data.length)]);
    files.push(dest);
  };
  if (launcherNeeded(groups)) makeDirs([stage(scheme.scripts)], journal);
  const stubs = new Map<string, Buffer>();
  for (const entry of launcherEntries(groups, opts.pythonVersion)) {
    const windows = opts.windows;
    if (!windows) {
      generate(join(scheme.scripts, entry.name), launcherScript(entry, opts.python, opts.platform), 0o777);
      continue;
    }
    const name = windowsStubName(entry.gui, windows.machine);
    let stub = stubs.get(name);
    if (!stub) stubs.set(name, (stub = readLauncherStub(name, [join(stage(scheme.purelib), "pip", "_vendor", "distlib"), ...windows.stubDirs], info.name)));
    generate(join(scheme.scripts, `${entry.name}.exe`), windowsLauncher(entry, opts.python, { stub, sourceDateEpoch: windows.sourceDateEpoch }), 0o777);
  }
  generate(join(infoDir, "INSTALLER"), Buffer.from(`${opts.installer ?? "venvctl"}\n`), 0o666);
  if (opts.directUrl !== undefined) generate(join(infoDir, "direct_url.json"), Buffer.from(opts.directUrl, "utf8"), 0o666);
  if (opts.requested) generate(join(infoDir, "REQUESTED"), Buffer.alloc(0), 0o666);

  // RECORD (pip's get_csv_rows_for_installed): the wheel's rows at their
  // installed paths (rehashed where the install changed the file), then the
  // generated files, then installed files the wheel's RECORD did not list.
  const recordRel = `${info.distInfo}/RECORD`;
  const rows: RecordRow[] = [];
  for (const [path, hash, size] of info.record) {
    if (generatedArchivePaths.has(path) && path !== recordRel) continue;
    const newPath = installed.get(path) ?? path;
    installed.delete(path);
    const rehashed = changed.get(newPath);
    rows.push(rehashed ? [newPath, rehashed[0], rehashed[1]] : [newPath, hash, size]);
  }
  rows.push(...generated);
  for (const p of installed.values()) rows.push([p, "", ""]);
  if (!rows.some((r) => r[0] === recordRel)) rows.push([recordRel, "", ""]);
  const recordFile = join(infoDir, "RECORD");
  writeFile(stage(recordFile), Buffer.from(formatRecord(rows), "utf8"), 0o666, journal);
  files.push(recordFile);

  return {
    files,
    linkMode: source.kind === "cache" ? placer.effective : undefined,
    linked: relinked ? linked : undefined,
    warnings: placer.warnings,
  };
}

/**
 * Places one cached file. A hardlink must land on the inode that lookup()
 * checked: a file or directory swapped for a link (or another file) in the
 * meantime would otherwise put a file from outside the cache into the env.
 * Answers the file's stats after a hardlink (its ctime moved), else undefined.
 */
function placeCached(
  placer: FilePlacer, entry: CacheEntry, path: string, checked: FileStats, dst: string, mode: number, journal: InstallJournal | undefined,
): FileStats | undefined {
  const src = `${entry.filesDir}/${path}`;
  try {
    placer.place(src, dst, journal ? (p) => journal.displace(p) : undefined);
  } catch (err) {
    if (isNodeError(err, "ENOENT") && !existsSync(src)) throw new CacheChangedError(`${src} vanished from the cache`);
    throw err;
  }
  journal?.wrote(dst);
  // Cached files are read-only (shared by hardlinks, they must not be edited
  // in place); a copy or a clone is the env's own, writable as pip leaves it.
  if (placer.effective !== "hardlink") {
    chmodSync(dst, mode & ~UMASK);
    return undefined;
  }
  const st = lstatSync(dst);
  if (st.ino !== checked[1]) throw new CacheChangedError(`${src} was replaced while it was being linked`);
  return fileStats(st);
}

/** distlib's launcher stub `name`, from the first directory that has it. */
function readLauncherStub(name: string, dirs: string[], dist: string): Buffer {
  for (const dir of dirs) {
    try {
      return readFileSync(join(dir, name));
    } catch (err) {
      if (!isNodeError(err, "ENOENT") && !isNodeError(err, "ENOTDIR")) throw err;
    }
  }
  throw new VenvctlError(`cannot write the Windows launchers of ${dist}'s scripts: no pip's ${name} in ${dirs.join(" or ")}`, {
    hint: "pip's distlib stubs make the launchers; install pip into the environment (or its base interpreter) first",
  });
}

/** The umask, read once (as cache.ts does). */

function launcherNeeded(groups: ReturnType<typeof parseEntryPoints>): boolean {
  return (groups.get("console_scripts")?.size ?? 0) > 0 || (groups.get("gui_scripts")?.size ?? 0) > 0;
}
