// Changing an environment's distributions as one transaction: wheels
// installed (replacing what is installed under their names: upgrade,
// downgrade, reinstall) and distributions removed, so that any failure — a
// bad wheel, a full disk, SIGINT or SIGTERM half-way — leaves the environment
// exactly as it was. The journal, its replay and the env's lock are journal.ts.
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
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { thisProcess } from "../context.js";
import { VenvctlError, withPath } from "../errors.js";
import { lstatOrUndefined } from "../util/fs.js";
import { canonicalizeName } from "../standards/names.js";
import { formatRecord, parseRecord } from "../standards/record.js";
import { compileFiles, pycPathOf } from "./compile.js";
import type { InstallScheme } from "./contents.js";
import { prepareWheel } from "./install.js";
import type { InstallOptions, InstallResult, KnownWheel, PreparedWheel, WheelTarget, WindowsInstall } from "./install-types.js";
import { recordEnvLinks } from "./env-links.js";
import { Journal, lockEnv, recoverTransactions } from "./journal.js";
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
  if (opts.cacheDir) recordEnvLinks(opts.cacheDir, envDir, installed.flatMap((r) => r.linked ?? []), debug);
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
