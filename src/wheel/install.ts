// Installing a wheel into an environment, natively (PEP 427/491 for the
// wheel, PEP 376/627 for what is left installed), the way pip's
// _install_wheel does: files routed to the scheme, .data/scripts `#!python`
// lines rewritten, launchers for console_scripts and gui_scripts, INSTALLER,
// and a RECORD of everything. Files come from the unpack cache (linked or
// copied), or straight from the verified wheel when the cache cannot be used;
// the files that depend on the env (launchers, fixed scripts, RECORD,
// INSTALLER, direct_url.json) are always written, never linked. Before
// anything is written, a wheel must fit the target (tags, Requires-Python).
// A journal (transaction.ts) hears of every file and directory made and of
// every existing file in the way, so that a failed install can be undone.
// Over 350 lines: preparing (verify, cache) and placing share private types
// and helpers that would otherwise be exported only for each other.
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { thisProcess } from "../context.js";
import { VenvctlError } from "../errors.js";
import { ensureDir, isNodeError } from "../util/fs.js";
import { jsonDumpsPy } from "../util/python-text.js";
import { CacheUnusableError, fileStats, WheelCache, type CacheEntry, type FileStats } from "./cache.js";
import { CorruptWheelError, destinationOf, readWheelBytes, routeArchivePath, type InstallScheme, type WheelBytes, type WheelInfo } from "./contents.js";
import { isEntryPointWrapper, launcherEntries, parseEntryPoints } from "./entry-points.js";
import { fixScriptShebang, launcherScript, windowsLauncher, windowsStubName, type WindowsMachine } from "./launchers.js";
import { FilePlacer, type EffectiveLinkMode, type LinkMode } from "./materialize.js";
import { formatRecord, recordHash, type RecordRow } from "../standards/record.js";
import { parseSpecifier, specifierContains } from "../standards/pep440.js";
import type { TagPriorities } from "../standards/wheel-tags.js";
import type { VerifiedWheel } from "./verify.js";
import { recallSha256, rememberSha256, wheelIdentity } from "./wheel-ids.js";

export type { InstallScheme } from "./contents.js";
export type { LinkMode } from "./materialize.js";

export interface InstallOptions {
  /** Where files go, as final paths (the env's own paths, not the build directory's). */
  scheme: InstallScheme;
  /** The env's python as launchers name it in their shebang (a final path). */
  python: string;
  /** The target interpreter's version: pip3 / pip3.X are named after it. */
  pythonVersion: { major: number; minor: number };
  /** Maps a final path to where it is written now (create builds in a temporary sibling). */
  stagePath?: (finalPath: string) => string;
  /** The unpack cache's root (`$VENVCTL_CACHE_DIR/wheels`); undefined installs straight from the wheel. */
  cacheDir?: string | undefined;
  linkMode: LinkMode;
  /** Written to INSTALLER (default `venvctl`). */
  installer?: string;
  /** Write REQUESTED (PEP 376), as pip does for what the user asked for (ensurepip's seeds included). */
  requested?: boolean;
  /** For the shebang length limit (512 on macOS, else 127), and line ends (Windows). */
  platform?: NodeJS.Platform;
  /** Installing into a Windows env: launchers are `<name>.exe` (launchers.ts). */
  windows?: WindowsInstall | undefined;
  /** Debug story lines (VENVCTL_DEBUG). */
  debug?: (message: string) => void;
  /** The interpreter the wheel must fit: checked before anything is written. */
  target?: WheelTarget;
  /** direct_url.json (PEP 610) as JSON text, for a wheel from a URL, a path or a VCS. */
  directUrl?: string;
  /** Hears of every change to the env, so that it can be undone (transaction.ts). */
  journal?: InstallJournal;
  /** The env installed into: recorded beside the cache entry when its files are hardlinked (for `cache verify`). */
  envDir?: string;
}

/** What writing Windows launchers needs. */
export interface WindowsInstall {
  machine: WindowsMachine;
  /**
   * Directories holding distlib's stubs (t64.exe …) besides the env's own pip
   * (<purelib>/pip/_vendor/distlib, looked at first, as it is being
   * installed too when pip is seeded): the base interpreter's pip.
   */
  stubDirs: string[];
  /** SOURCE_DATE_EPOCH, which distlib takes for the time in the launcher's ZIP. */
  sourceDateEpoch?: string | undefined;
}

/** What a wheel must fit. */
export interface WheelTarget {
  /** The target interpreter's supported tags (standards/wheel-tags.ts). */
  tags: TagPriorities;
  /** Its full version, `3.12.1`, for Requires-Python. */
  pythonVersion: string;
  /** How the target is named in errors (`/path/to/env (CPython 3.12.1)`). */
  label: string;
}

/** Told of each change an install makes, in order. */
export interface InstallJournal {
  /** A directory the install made. */
  madeDir(path: string): void;
  /** A file the install created (from here on it is the install's). */
  wrote(path: string): void;
  /** An existing file is where the install writes: the journal moves it aside (rather than the install deleting it). */
  displace(path: string): void;
}

/** A wheel whose sha256 is known and trusted (the store checked it): a cache hit then needs no read at all. */
export interface KnownWheel {
  path: string;
  sha256: string;
}

/** The wheel does not fit the target interpreter (tags or Requires-Python). */
export class IncompatibleWheelError extends VenvctlError {}

export interface InstallResult {
  /** Name and Version from METADATA. */
  name: string;
  version: string;
  distInfo: string;
  /** The site directory the .dist-info is in (purelib or platlib): RECORD paths are relative to it. */
  libDir: string;
  /** How the files got there: from a sound cache entry, a new or rebuilt one, or straight from the wheel. */
  cache: "hit" | "filled" | "rebuilt" | "bypassed" | "off";
  /** How cached files were placed (undefined when written from the wheel). */
  linkMode: EffectiveLinkMode | undefined;
  /** Final paths of everything installed, RECORD included. */
  files: string[];
  /** One line each, for the user (e.g. an unwritable cache). */
  warnings: string[];
}

/** A cached file vanished or was swapped while it was being placed (another process rebuilt the entry, or someone meddled). */
class CacheChangedError extends Error {}

type Source = { kind: "cache"; entry: CacheEntry } | { kind: "wheel"; data: Map<string, Buffer> };

/**
 * direct_url.json (PEP 610) as pip writes it — DirectUrl.to_json(), which is
 * json.dumps(to_dict(), sort_keys=True) — from the `download_info` of pip's
 * installation report (which is that to_dict(), its URL already redacted).
 */
export function directUrlJson(downloadInfo: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted)
    : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v;
  return jsonDumpsPy(sorted(downloadInfo));
}

/** Refuses a wheel whose file name claims no tag the target supports. */
export function checkWheelTags(wheel: string, target: WheelTarget): void {
  if (target.tags.ofWheel(basename(wheel)) !== undefined) return;
  throw new IncompatibleWheelError(`${basename(wheel)} does not fit ${target.label}: none of its tags is supported`, {
    hint: `the interpreter's best tags are ${target.tags.tags.slice(0, 3).join(", ")}…; get a wheel built for it (or its sdist)`,
  });
}

/** Refuses a wheel whose Requires-Python excludes the target (pip's check_requires_python). */
export function checkRequiresPython(wheel: string, requiresPython: string | undefined, target: WheelTarget): void {
  if (requiresPython === undefined) return;
  const clauses = requiresPython.split(",").map((c) => c.trim()).filter(Boolean);
  const specs = clauses.map(parseSpecifier);
  if (specs.some((s) => s === undefined)) {
    throw new IncompatibleWheelError(`${basename(wheel)} has an invalid Requires-Python: ${requiresPython}`, {
      hint: "the wheel's metadata is broken; nothing was installed from it",
    });
  }
  if (specs.every((s) => specifierContains(s!, target.pythonVersion, true))) return;
  throw new IncompatibleWheelError(`${basename(wheel)} requires Python ${requiresPython}, and ${target.label} is Python ${target.pythonVersion}`, {
    hint: "install a version of the project that supports this Python, or use another interpreter",
  });
}

/** A wheel ready to be placed: checked, its files in the cache (or verified in memory). */
export interface PreparedWheel {
  wheel: string;
  sha256: string;
  info: WheelInfo;
  /** @internal */
  source: Source;
  /** @internal */
  cache: WheelCache | undefined;
  state: InstallResult["cache"];
  warnings: string[];
  /** @internal Reads and verifies the whole wheel (once). */
  verify(): Promise<VerifiedWheel>;
}

/**
 * Everything that comes before writing into the env: the target checks, the
 * wheel verified or its cache entry checked, the cache filled. Nothing of the
 * env is touched; a failure here changes nothing there.
 */
export async function prepareWheel(wheelRef: string | KnownWheel, opts: InstallOptions): Promise<PreparedWheel> {
  const debug = opts.debug ?? (() => {});
  const warnings: string[] = [];
  const wheel = typeof wheelRef === "string" ? wheelRef : wheelRef.path;
  if (opts.target) checkWheelTags(wheel, opts.target);
  let read: WheelBytes | undefined;
  const readBytes = (): WheelBytes => {
    if (read) return read;
    try {
      read = readWheelBytes(wheel);
    } catch (err) {
      throw new VenvctlError(`cannot read the wheel ${wheel}`, { cause: err });
    }
    if (typeof wheelRef !== "string" && read.sha256 !== wheelRef.sha256) {
      throw new CorruptWheelError(wheel, `its sha256 is ${read.sha256}, not ${wheelRef.sha256} as the store recorded`);
    }
    return read;
  };
  const lazily = (sha256: string): WheelBytes => ({ wheel, sha256, get bytes() { return readBytes().bytes; } });
  // A known sha256 finds the cache entry without reading the wheel: the
  // store's, or the one remembered for this file (wheel-ids.ts). A
  // remembered one serves only a sound hit: anything else is decided by
  // the wheel's own bytes.
  const identity = typeof wheelRef === "string" && opts.cacheDir ? wheelIdentity(wheel) : undefined;
  const remembered = identity && recallSha256(opts.cacheDir!, wheel, identity);
  if (remembered) debug(`${basename(wheel)} is unchanged since it was hashed: its sha256 is remembered, the wheel not read`);
  let bytes: WheelBytes = typeof wheelRef !== "string" ? lazily(wheelRef.sha256) : remembered ? lazily(remembered) : readBytes();

  // 1. A sound cache entry, found by the wheel's sha256 (cache.ts says what is checked).
  let cache = opts.cacheDir ? new WheelCache(opts.cacheDir, debug) : undefined;
  let entry: CacheEntry | undefined;
  let state: InstallResult["cache"] = cache ? "hit" : "off";
  let damaged = false;
  const unusable = (err: unknown) => {
    if (!(err instanceof CacheUnusableError)) throw err;
    warnings.push(`${err.message}; seeding straight from the wheels`);
    state = "bypassed";
    cache = undefined;
  };
  const look = (c: WheelCache) => {
    // Stamped before it is read: `cache prune` keeps an entry whose use has begun.
    c.stamp(bytes.sha256);
    const found = c.lookup(bytes);
    entry = found.status === "hit" ? found.entry : undefined;
    damaged = found.status === "damaged";
    return found;
  };
  if (cache) {
    try {
      let found = look(cache);
      if (found.status !== "hit" && remembered) {
        debug(`the sha256 remembered for ${basename(wheel)} found no sound entry; reading the wheel`);
        bytes = readBytes();
        if (bytes.sha256 !== remembered) found = look(cache);
        else if (found.status === "damaged") damaged = true;
      }
      if (found.status === "damaged") debug(`the cache entry of ${basename(wheel)} is damaged (${found.reason}); rebuilding it`);
    } catch (err) {
      unusable(err);
    }
  }

  let verified: VerifiedWheel | undefined;
  const verify = async () => {
    if (!verified) {
      const { verifyWheelBytes } = await import("./verify.js");
      verified = verifyWheelBytes(wheel, readBytes().bytes, bytes.sha256);
      debug(`verified ${basename(wheel)}: ${verified.files.length} files, every RECORD hash matches`);
    }
    return verified;
  };

  // 2. Otherwise the wheel is read and verified whole, then unpacked into
  //    the cache (or its damaged entry rebuilt) — or, when the cache cannot
  //    be used, installed straight from memory.
  if (!entry) {
    const w = await verify();
    if (cache) {
      try {
        entry = cache.fill(w, bytes, damaged);
        state = !entry ? "bypassed" : damaged ? "rebuilt" : "filled";
      } catch (err) {
        unusable(err);
      }
    }
  }

  // Remembered only when it was read, and found sound (its entry checked, or it verified).
  if (identity && read && read.sha256 === bytes.sha256 && state !== "bypassed") rememberSha256(opts.cacheDir!, wheel, identity, read.sha256);
  const source: Source = entry ? { kind: "cache", entry } : { kind: "wheel", data: verified!.data };
  const info: WheelInfo = entry ? entry.info : verified!;
  if (opts.target) checkRequiresPython(wheel, info.facts?.requiresPython, opts.target);
  return { wheel, sha256: bytes.sha256, info, source, cache, state, warnings, verify };
}

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
      if (placed.linkMode === "hardlink" && opts.envDir) p.cache?.registerEnv(p.sha256, { env: opts.envDir, wheel: p.wheel, scheme: opts.scheme });
    }
    return { name: info.name, version: info.version, distInfo: info.distInfo, libDir: libDirOf(info, opts.scheme), cache: p.state, linkMode: placed.linkMode, files: placed.files, warnings };
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

/** Installs `wheel` into the scheme; checks it against the target, verifies it (or checks its cache entry) first. */
export async function installWheel(wheel: string | KnownWheel, opts: InstallOptions): Promise<InstallResult> {
  return placePrepared(await prepareWheel(wheel, opts), opts);
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
const UMASK = thisProcess.umask();

function launcherNeeded(groups: ReturnType<typeof parseEntryPoints>): boolean {
  return (groups.get("console_scripts")?.size ?? 0) > 0 || (groups.get("gui_scripts")?.size ?? 0) > 0;
}
