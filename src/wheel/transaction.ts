// Changing an environment's distributions as one transaction: wheels
// installed (replacing what is installed under their names: upgrade,
// downgrade, reinstall) and distributions removed, so that any failure — a
// bad wheel, a full disk, SIGINT or SIGTERM half-way — leaves the environment
// exactly as it was. One file (over 350 lines): the journal, its replay and
// the steps that write it belong together.
//   1. prepare: every wheel checked against the target (tags,
//      Requires-Python) and verified or found sound in the cache. Then, under
//      the env's lock (`.venvctl-lock`: one change at a time), every
//      distribution to remove planned from its RECORD (uninstall.ts). Nothing
//      of the env is touched yet.
//   2. stash: the old files are renamed into a stash directory inside the env
//      (same file system: renames, no copies); every change is journaled, in
//      memory and in the stash (`journal`), before the next one.
//   3. place the new wheels (install.ts), the journal hearing of every file
//      and directory made and moving aside every file in the way; then, with
//      `compile`, byte-compile them (compile.ts).
//   4. commit: the stash is deleted and the directories the removals emptied
//      are removed. Or roll back: what was written is removed, what was made
//      is removed, what was stashed is renamed back, newest first.
// A signal during 2–3 rolls back and exits 130 (SIGINT) or 143 (SIGTERM), as
// venv creation does. A SIGKILL leaves the stash with its journal, which
// recoverTransactions() replays at the next run.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { thisProcess } from "../context.js";
import { VenvctlError, withPath } from "../errors.js";
import { isNodeError, lstatOrUndefined, parseSiblingTempName, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { uniqueSuffix } from "../util/hash.js";
import {
  holdsOnlyMarkerParts, ownerIsAlive, pidIsAlive, readOwnerMarker, removeMarkedDir, writeOwnerMarker,
} from "../util/owned-dir.js";
import { canonicalizeName } from "../standards/names.js";
import { formatRecord, parseRecord } from "../standards/record.js";
import { compileFiles, pycPathOf } from "./compile.js";
import type { InstallScheme } from "./contents.js";
import { prepareWheel } from "./install.js";
import type { InstallJournal, InstallOptions, InstallResult, KnownWheel, PreparedWheel, WheelTarget, WindowsInstall } from "./install-types.js";
import { placePrepared } from "./place.js";
import type { LinkMode } from "./materialize.js";
import { findInstalled, planRemoval, protectedDirsOf, type RemovalPlan } from "./uninstall.js";

/** The environment a transaction changes. */
export interface EnvTarget {
  /** The environment's directory (sys.prefix); the stash lives in it, and nothing outside it is removed. */
  envDir: string;
  /** pip's install scheme for a distribution (its headers directory is named after it). */
  scheme(name: string): InstallScheme;
  /** The env's python as launchers name it (`<env>/bin/python`); also what compiles. */
  python: string;
  pythonVersion: { major: number; minor: number };
  /** sys.implementation.cache_tag, for the .pyc files an uninstall removes. */
  cacheTag: string | null | undefined;
  /** What every wheel must fit. */
  wheel: WheelTarget;
  platform?: NodeJS.Platform;
  /** A Windows env: where its launchers' stubs come from (install.ts). */
  windows?: WindowsInstall | undefined;
}

/** One wheel to install. */
export interface WheelToInstall {
  wheel: string | KnownWheel;
  /** Write REQUESTED: the user named it (pip: a top-level requirement). */
  requested?: boolean;
  /** direct_url.json (PEP 610) as JSON text. */
  directUrl?: string;
  /**
   * The name pip's scheme gives the headers directory: the requirement's
   * name as written (pip's req.name; for a wheel named by path, its file
   * name's with `_` as `-`). Default: METADATA's Name.
   */
  schemeName?: string;
  /**
   * Give the env new files for it, never links to the cache's: what pip's
   * --force-reinstall promises (every file written anew). Copies (or clones,
   * with --link-mode clone) are new inodes, so nothing edited or touched in
   * the env survives, and another env sharing the cache's files is not
   * affected by anything done to these.
   */
  fresh?: boolean;
}

export interface TransactionOptions {
  /** The unpack cache (`$VENVCTL_CACHE_DIR/wheels`); undefined installs straight from the wheels. */
  cacheDir: string | undefined;
  linkMode: LinkMode;
  /** Byte-compile the installed .py files (pip's default; venvctl's is not to). */
  compile?: boolean;
  /** The environment variables compiling runs with. */
  env?: Record<string, string | undefined>;
  /** Roll back and exit 130/143 on SIGINT/SIGTERM (default true; false leaves signals alone, for in-process tests). */
  handleSignals?: boolean;
  debug?: (message: string) => void;
  /** For tests: awaited after each wheel is placed (a signal is handled while it waits). */
  afterEach?: (name: string) => Promise<void>;
}

export interface ChangeResult {
  installed: InstallResult[];
  /** Distributions removed (replaced ones included), with how many files each had. */
  removed: Array<{ name: string; version: string; files: number }>;
  /** Names asked to be removed that are not installed (pip warns "Skipping X as it is not installed"). */
  notInstalled: string[];
  warnings: string[];
}

type Event = { op: "made"; path: string } | { op: "wrote"; path: string } | { op: "moved"; path: string; to: string };

const STASH_PREFIX = ".venvctl-stash-";
const STASH_ROLE = "stash";
const LOCK_NAME = ".venvctl-lock";

/** The changes made so far, each undoable; kept in memory and in the stash's journal file. */
class Journal implements InstallJournal {
  readonly events: Event[] = [];
  private stash: string | undefined;
  private fd: number | undefined;
  private n = 0;

  constructor(private readonly envDir: string) {}

  private log(e: Event): void {
    this.events.push(e);
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify(e) + "\n");
  }

  private stashDir(): string {
    if (this.stash) return this.stash;
    const dir = join(this.envDir, `${STASH_PREFIX}${uniqueSuffix()}`);
    mkdirSync(dir);
    this.stash = dir;
    writeOwnerMarker(dir, STASH_ROLE, basename(this.envDir));
    this.fd = openSync(join(dir, "journal"), "wx");
    return dir;
  }

  madeDir(path: string): void {
    this.log({ op: "made", path });
  }

  wrote(path: string): void {
    this.log({ op: "wrote", path });
  }

  displace(path: string): void {
    const to = join(this.stashDir(), String(this.n++));
    // Journaled first: a kill between the two leaves a line whose rename
    // never happened, which the replay skips (nothing at `to`).
    this.log({ op: "moved", path, to });
    renameSync(path, to);
  }

  /** Undoes every change, newest first; answers what could not be undone. */
  rollback(): string[] {
    const problems = undoEvents(this.events);
    this.events.length = 0;
    this.close();
    if (this.stash && problems.length === 0) removeOwnedTree(this.stash);
    return problems;
  }

  /** Where the old files are kept until the change is over (undefined: nothing was moved yet). */
  get stashPath(): string | undefined {
    return this.stash;
  }

  /**
   * Keeps the changes: the journal goes first (a stash without one is
   * replayed as nothing, so a kill from here on cannot undo the committed
   * change), then the stash.
   */
  commit(): void {
    this.close();
    if (!this.stash) return;
    unlinkSync(join(this.stash, "journal"));
    removeOwnedTree(this.stash);
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Undoes journaled events, newest first. */
function undoEvents(events: readonly Event[]): string[] {
  const problems: string[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    try {
      if (e.op === "wrote") unlinkSync(e.path);
      else if (e.op === "made") rmdirSync(e.path);
      else if (lstatOrUndefined(e.to)) renameSync(e.to, e.path);
    } catch (err) {
      if (isNodeError(err, "ENOENT")) continue;
      problems.push(`${e.op === "moved" ? `${e.to} → ${e.path}` : e.path}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * Settles transactions a killed venvctl left in `envDir`: each stash whose
 * owner is gone is replayed backwards from its journal (the env returns to
 * what it was before that run) and removed. Answers how many were settled.
 */
export function recoverTransactions(envDir: string, debug: (m: string) => void = () => {}): number {
  let settled = 0;
  let names: string[];
  try {
    names = readdirSync(envDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    // A lock being made beside its place by a run that was killed.
    const sibling = parseSiblingTempName(name);
    if (sibling && sibling.target === LOCK_NAME && !pidIsAlive(sibling.pid)) {
      removeMarkedDir(join(envDir, name));
      continue;
    }
    if (!name.startsWith(STASH_PREFIX)) continue;
    const dir = join(envDir, name);
    const marker = readOwnerMarker(dir);
    if (!marker) {
      // Killed between making it and marking it: empty, and named by its pid.
      const pid = Number(/^(\d+)-/.exec(name.slice(STASH_PREFIX.length))?.[1]);
      if (pid && !pidIsAlive(pid) && holdsOnlyMarkerParts(dir)) removeOwnedTree(dir);
      continue;
    }
    if (marker.role !== STASH_ROLE || ownerIsAlive(marker)) continue;
    let events: Event[] = [];
    try {
      events = readFileSync(join(dir, "journal"), "utf8").split("\n").filter(Boolean).flatMap((l) => {
        try {
          return [JSON.parse(l) as Event];
        } catch {
          return []; // the last line, cut by the kill
        }
      });
    } catch {
      events = [];
    }
    const problems = undoEvents(events);
    if (problems.length) {
      debug(`could not fully undo the interrupted change in ${dir}: ${problems.join("; ")}`);
      continue;
    }
    removeOwnedTree(dir);
    debug(`undid an interrupted change to ${envDir} (pid ${marker.pid})`);
    settled++;
  }
  return settled;
}

/**
 * Takes the env's lock: a directory holding an owner marker, made whole
 * beside and renamed into place (rename(2) will not replace a non-empty
 * directory, so one run wins). A lock whose owner is gone is taken over.
 * Answers the release (idempotent).
 */
function lockEnv(envDir: string): () => void {
  const lock = join(envDir, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    const tmp = siblingTempPath(lock, "lock");
    mkdirSync(tmp);
    try {
      writeOwnerMarker(tmp, "lock", basename(envDir));
      renameSync(tmp, lock);
      let held = true;
      return () => {
        if (held) removeMarkedDir(lock);
        held = false;
      };
    } catch (err) {
      removeMarkedDir(tmp);
      if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
    }
    const owner = readOwnerMarker(lock);
    if (attempt > 0 || (owner && ownerIsAlive(owner))) {
      throw new VenvctlError(`another venvctl${owner ? ` (pid ${owner.pid})` : ""} is changing the packages of ${envDir}`, {
        hint: `wait for it to finish and run again (if none runs, remove ${lock})`,
      });
    }
    removeMarkedDir(lock); // its owner is gone: a killed run
  }
}

/**
 * Installs `install` and removes `remove` (canonical or not) in one
 * transaction; an installed distribution of a wheel's name is replaced.
 * Throws, with the env as it was, when anything fails.
 */
export async function changeEnvironment(
  target: EnvTarget,
  change: { install?: readonly WheelToInstall[]; remove?: readonly string[] },
  opts: TransactionOptions,
): Promise<ChangeResult> {
  const debug = opts.debug ?? (() => {});
  const envDir = resolve(target.envDir);

  // 1. Prepare: nothing in the env changes. (Preparing uses no scheme; the
  //    headers directory is named after the dist when it is placed.)
  const prepared: Array<{ p: PreparedWheel; w: WheelToInstall }> = [];
  for (const w of change.install ?? []) prepared.push({ p: await prepareWheel(w.wheel, installOptions(target, envDir, opts, "", w)), w });
  const seen = new Map<string, string>();
  for (const { p } of prepared) {
    const c = canonicalizeName(p.info.name);
    if (seen.has(c)) throw new VenvctlError(`two wheels for ${p.info.name}: ${seen.get(c)} and ${basename(p.wheel)}`, { hint: "install one version of each project" });
    seen.set(c, basename(p.wheel));
  }
  // From here on the env is this run's alone: what is installed is read under the lock.
  const unlock = lockEnv(envDir);
  try {
    recoverTransactions(envDir, debug);
    return await changeLocked(target, envDir, prepared, change.remove ?? [], opts, unlock);
  } finally {
    unlock();
  }
}

/** The installer's options for one wheel of the change (`schemeName`: its headers directory's name). */
function installOptions(target: EnvTarget, envDir: string, opts: TransactionOptions, schemeName: string, w: WheelToInstall): InstallOptions {
  return {
    scheme: target.scheme(schemeName),
    python: target.python,
    pythonVersion: target.pythonVersion,
    cacheDir: opts.cacheDir,
    linkMode: w.fresh && opts.linkMode !== "clone" ? "copy" : opts.linkMode,
    requested: w.requested ?? false,
    directUrl: w.directUrl,
    platform: target.platform,
    windows: target.windows,
    target: target.wheel,
    envDir,
    debug: opts.debug,
  };
}

/** The part of a change made under the env's lock: plan the removals, stash, place, compile, commit. */
async function changeLocked(
  target: EnvTarget, envDir: string, prepared: Array<{ p: PreparedWheel; w: WheelToInstall }>, remove: readonly string[],
  opts: TransactionOptions, unlock: () => void,
): Promise<ChangeResult> {
  const debug = opts.debug ?? (() => {});
  const baseScheme = target.scheme("");
  const seen = new Set(prepared.map(({ p }) => canonicalizeName(p.info.name)));
  const installedNow = findInstalled([baseScheme.purelib, baseScheme.platlib]);
  const protectedDirs = protectedDirsOf([baseScheme.purelib, baseScheme.platlib, baseScheme.scripts, join(envDir, "include")]);
  const removal = { envDir, cacheTag: target.cacheTag, protectedDirs };
  const plans: RemovalPlan[] = [];
  const notInstalled: string[] = [];
  const toRemove = new Set<string>([...seen].filter((c) => installedNow.has(c)));
  for (const name of remove) {
    const c = canonicalizeName(name);
    if (seen.has(c)) continue;
    if (installedNow.has(c)) toRemove.add(c);
    else if (!notInstalled.includes(name)) notInstalled.push(name);
  }
  for (const c of toRemove) for (const d of installedNow.get(c)!) plans.push(planRemoval(d, removal));

  // 2–3. Stash, place, compile; undone on any failure or signal.
  const journal = new Journal(envDir);
  let rolledBack = false;
  const rollback = (): string[] => {
    if (rolledBack) return [];
    rolledBack = true;
    const problems = journal.rollback();
    if (problems.length) debug(`rolling back left: ${problems.join("; ")}`);
    return problems;
  };
  const stopSignals = opts.handleSignals === false ? () => {} : thisProcess.onSignals(["SIGINT", "SIGTERM"], (signal) => {
    rollback();
    unlock();
    thisProcess.exit(signal === "SIGINT" ? 130 : 143);
  });
  const installed: InstallResult[] = [];
  const warnings = new Set<string>();
  try {
    for (const plan of plans) {
      for (const p of plan.paths) journal.displace(p);
      debug(`removed ${plan.dist.name} ${plan.dist.version} (${plan.fileCount} files, stashed until the change is complete)`);
    }
    for (const { p, w } of prepared) {
      const r = await placePrepared(p, { ...installOptions(target, envDir, opts, w.schemeName ?? p.info.name, w), journal });
      for (const x of r.warnings) warnings.add(x);
      installed.push(r);
      if (opts.afterEach) await opts.afterEach(r.name);
    }
    if (opts.compile) await compileInstalled(target, installed, journal, opts.env ?? {});
  } catch (err) {
    const problems = rollback();
    stopSignals();
    if (problems.length) {
      throw new VenvctlError(`changing the packages of ${envDir} failed, and undoing it failed too: ${problems.join("; ")}`, {
        cause: err,
        hint: `the old files and a journal are kept in ${journal.stashPath ?? envDir}; the next venvctl change to this environment undoes the rest`,
      });
    }
    // An OS error names the env (its cause names the call and path); the env is as it was.
    throw withPath(err, "change the packages of", envDir);
  }
  // 4. Commit.
  stopSignals();
  journal.commit();
  removeEmptiedDirs(plans, protectedDirs, envDir);
  return {
    installed,
    removed: plans.map((pl) => ({ name: pl.dist.name, version: pl.dist.version, files: pl.fileCount })),
    notInstalled,
    warnings: [...warnings],
  };
}

/** Installs wheels, replacing installed versions (see changeEnvironment). */
export function installDistributions(target: EnvTarget, wheels: readonly WheelToInstall[], opts: TransactionOptions): Promise<ChangeResult> {
  return changeEnvironment(target, { install: wheels }, opts);
}

/** Removes distributions by their RECORD, as one transaction (see changeEnvironment). */
export function uninstallDistributions(target: EnvTarget, names: readonly string[], opts: Omit<TransactionOptions, "cacheDir" | "linkMode">): Promise<ChangeResult> {
  return changeEnvironment(target, { remove: names }, { ...opts, cacheDir: undefined, linkMode: "auto" });
}

/** Compiles the installed .py files and adds their .pyc files to each RECORD, journaled. */
async function compileInstalled(target: EnvTarget, installed: InstallResult[], journal: Journal, env: Record<string, string | undefined>): Promise<void> {
  const tag = target.cacheTag;
  if (!tag) throw new VenvctlError(`cannot byte-compile for ${target.python}: its cache tag is unknown`, { hint: "run without --compile" });
  const sources = [...new Set(installed.flatMap((r) => r.files.filter((f) => f.endsWith(".py"))))].sort();
  // Journaled before Python writes them, so that a failure or signal mid-way
  // removes them too; a .pyc already there (another dist's) is moved aside.
  for (const py of sources) {
    const pyc = pycPathOf(py, tag);
    const dir = dirname(pyc);
    if (!lstatOrUndefined(dir)) {
      mkdirSync(dir);
      journal.madeDir(dir);
    } else if (lstatOrUndefined(pyc)) {
      journal.displace(pyc);
    }
    journal.wrote(pyc);
  }
  const written = new Set(await compileFiles(target.python, sources, env));
  for (const r of installed) {
    const record = join(r.libDir, r.distInfo, "RECORD");
    const rows = parseRecord(readFileSync(record, "utf8"));
    for (const py of r.files) {
      const pyc = py.endsWith(".py") ? pycPathOf(py, tag) : undefined;
      if (pyc && written.has(pyc)) rows.push([relative(r.libDir, pyc).split(sep).join("/"), "", ""]);
    }
    // Our own new file (journaled when it was written): rewritten in place.
    writeFileSync(record, formatRecord(rows));
  }
}

/** Removes the directories the removals left empty, up to the env's own structure. */
function removeEmptiedDirs(plans: readonly RemovalPlan[], protectedDirs: ReadonlySet<string>, envDir: string): void {
  const start = new Set(plans.flatMap((pl) => pl.paths.map((p) => dirname(p))));
  for (const d of start) {
    for (let p = d; p.startsWith(envDir + sep) && !protectedDirs.has(p); p = dirname(p)) {
      try {
        rmdirSync(p);
      } catch {
        break; // not empty (or gone): its parents are not emptied by us
      }
    }
  }
}
