// The inventory: every discovered interpreter, the spellings that select it
// (3.12.1, 3.12, 3, cpython@3.12, pypy3.9, a pyenv version name) and where its
// commands are. Selection resolves version-file entries and -p requests
// against it and nothing else; `rehash` writes it as sh for the shims
// (shims/shim-index.ts), so a command and a shim always agree.
// The registry's interpreters (Windows, PEP 514) rank after every other
// source's: a key or range they match selects them only when nothing else
// does. That is what lets selection leave the registry unread (its `reg`
// processes unpaid) until a request misses: the answer is the same either way.
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isWindows } from "../platform/interpreter-places.js";
import type { Context } from "../context.js";
import { allInterpreters, requestMatches, type Source, type Versioned } from "./discovery.js";
import { commandInDir, isExecutableFile } from "../util/path-search.js";
import type { PythonRequest } from "./request.js";
import { compareVersions, formatVersion, type PythonVersion } from "./version.js";
import { realpathOrSelf } from "../util/fs.js";
import { debug } from "../util/log.js";
import { installCommandDirs } from "../platform/shims.js";

/** An interpreter the shims can run. */
export interface Target {
  /** How `version` names it: a pyenv/venvctl directory name (3.12.1, pypy3.9-7.3.11), else its version. */
  name: string;
  version: PythonVersion;
  implementation: string;
  source: Source;
  /** The interpreter's executable. */
  python: string;
  /** A managed install's bin directory: every command in it belongs to this version. */
  bin?: string | undefined;
  /** A managed install's directory name (cpython-3.12.7-linux-x86_64-gnu; its bin/ or, on Windows, itself holds `bin`). */
  dirName?: string | undefined;
  /**
   * An interpreter found on PATH answers its own names only (python,
   * python3, python3.11): the rest of /usr/bin is not "its" bin directory.
   */
  names?: string[] | undefined;
  /** A free-threaded build (3.13.0t): selected by `3.13t`, never by plain `3.13`. */
  freeThreaded: boolean;
  /** A registered interpreter's own spellings (Company/Tag), before its version's. */
  registryKeys?: string[] | undefined;
}

export interface Inventory {
  /** Newest first; equal versions in the order pyenv, venvctl, uv, python.org, PATH; then the registry's, newest first. */
  targets: Target[];
  /** Every spelling → the interpreter it selects. */
  keys: Map<string, Target>;
  /** The registry was left unread (Windows only): `completeInventory` reads it. */
  registryDeferred?: boolean | undefined;
}

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

const SOURCE_RANK: Record<Source, number> = { explicit: 0, pyenv: 1, venvctl: 2, uv: 3, "python.org": 4, path: 5, registry: 6 };

/** The names a PATH interpreter answers: python, python3, python3.11 (pypy: pypy, pypy3, pypy3.9). */
function ownNames(version: PythonVersion, implementation: string): string[] {
  const base = implementation === "pypy" ? "pypy" : implementation === "graalpy" ? "graalpy" : "python";
  return [base, `${base}${version.major}`, `${base}${version.major}.${version.minor}`];
}

/** A free-threaded build, as its probe says or its name does (3.13t, cpython-3.13.0t-…, PythonCore/3.13t). */
function isFreeThreaded(c: Versioned): boolean {
  return Boolean(c.interpreter?.info.gil_disabled) || /\d+t$/.test(c.name ?? "");
}

export interface InventoryOptions {
  /**
   * Leave the registry unread (Windows): for a lookup that may be answered
   * without it, completed by `completeInventory` when it is not.
   */
  deferRegistry?: boolean | undefined;
}

/** Discovers the installed interpreters and builds the inventory. */
export async function buildInventory(ctx: Ctx, opts: InventoryOptions = {}): Promise<Inventory> {
  const deferred = Boolean(opts.deferRegistry) && isWindows(ctx);
  const found = await allInterpreters(ctx, !deferred);
  const targets: Target[] = [];
  const managedReal = new Set<string>();
  for (const c of found) {
    if (c.source === "path" || c.source === "registry") continue;
    const freeThreaded = isFreeThreaded(c);
    // pyenv's and venvctl's directory names are what `version` shows (3.12.1,
    // pypy3.9-7.3.11); a downloaded build's (cpython-3.12.7-linux-x86_64-gnu)
    // is shown as its version, as uv's are, and still selects it as a key.
    const named = c.source === "pyenv" || (c.source === "venvctl" && !isDownloadName(c.name));
    targets.push({
      name: named && c.name ? c.name : displayVersion(c.version, c.implementation, freeThreaded),
      version: c.version,
      implementation: c.implementation,
      source: c.source,
      python: c.path,
      bin: dirname(c.path),
      dirName: c.name,
      freeThreaded,
    });
    managedReal.add(realpathOrSelf(c.path));
  }
  for (const c of found) {
    if (c.source !== "path") continue;
    // The same interpreter as a managed one (its bin directory on PATH), or
    // a virtual environment's: not an installed interpreter of its own.
    if (managedReal.has(realpathOrSelf(c.path))) continue;
    if (existsSync(join(dirname(dirname(c.path)), "pyvenv.cfg"))) continue;
    const freeThreaded = Boolean(c.interpreter?.info.gil_disabled);
    targets.push({
      name: displayVersion(c.version, c.implementation, freeThreaded),
      version: c.version,
      implementation: c.implementation,
      source: "path",
      python: c.path,
      names: ownNames(c.version, c.implementation),
      freeThreaded,
    });
  }
  for (const c of found) {
    if (c.source !== "registry") continue;
    const freeThreaded = isFreeThreaded(c);
    const own = /^python\.exe$/i.test(basename(c.path));
    const company = c.registration?.company ?? "";
    const tag = c.registration?.tag ?? "";
    const name = registryName(company, tag, displayVersion(c.version, c.implementation, freeThreaded));
    targets.push({
      name,
      version: c.version,
      implementation: c.implementation,
      source: "registry",
      python: c.path,
      // python.exe in its own directory owns it (pip.exe in Scripts\ aside, as
      // for python.org's); python3.13t.exe beside 3.13's python.exe owns its names only.
      ...(own ? { bin: dirname(c.path) } : { names: [...ownNames(c.version, c.implementation), basename(c.path).replace(/\.exe$/i, "")] }),
      registryKeys: [...registryKeys(company, tag), name],
      freeThreaded,
    });
  }
  const tier = (t: Target) => (t.source === "registry" ? 1 : 0);
  targets.sort((a, b) => tier(a) - tier(b) || compareVersions(b.version, a.version) || SOURCE_RANK[a.source] - SOURCE_RANK[b.source]);

  // A directory name selects its install first (pyenv's `version_exists`);
  // then a version or prefix selects the newest match.
  const keys = new Map<string, Target>();
  for (const t of targets) {
    if ((t.source === "pyenv" || t.source === "venvctl") && !keys.has(t.name)) keys.set(t.name, t);
    const dir = t.source === "venvctl" ? t.dirName : undefined;
    if (dir !== undefined && isDownloadName(dir) && !keys.has(dir)) keys.set(dir, t);
  }
  for (const t of targets) {
    for (const k of [...(t.registryKeys ?? []), ...versionKeys(t)]) if (!keys.has(k)) keys.set(k, t);
  }
  return { targets, keys, registryDeferred: deferred || undefined };
}

/**
 * The inventory with the registry read, when `inv` left it out (else `inv`
 * itself). Everything `inv` answered, this answers the same way.
 */
export async function completeInventory(ctx: Ctx, inv: Inventory): Promise<Inventory> {
  return inv.registryDeferred ? buildInventory(ctx) : inv;
}

/**
 * `find` in `inv`; when it misses there and `inv` left the registry unread,
 * in the inventory with the registry read. The registry's interpreters rank
 * last, so the answer is the whole inventory's either way. Answers what was
 * found and the inventory it was looked up in last, for what follows.
 */
export async function lookUpInventory<T>(
  ctx: Ctx, inv: Inventory, find: (inv: Inventory) => T | undefined, what: string,
): Promise<{ found: T | undefined; inventory: Inventory }> {
  const found = find(inv);
  if (found !== undefined || !inv.registryDeferred) return { found, inventory: inv };
  debug(ctx, `${what} is not among the interpreters found so far: reading the registry (PEP 514)`);
  const inventory = await completeInventory(ctx, inv);
  return { found: find(inventory), inventory };
}

/**
 * How `versions` names a registered interpreter: PythonCore's by its version
 * and what its tag adds to it (3.12.1, 3.12.1-32, 3.13.0t); another
 * company's as py.exe's `-V:` spells it, Company/Tag (Astral/CPython3.13.1).
 */
function registryName(company: string, tag: string, shown: string): string {
  if (company.toLowerCase() !== "pythoncore") return `${company}/${tag}`;
  const suffix = /^\d+(?:\.\d+)*t?(-[A-Za-z0-9]+)$/.exec(tag)?.[1];
  return suffix ? `${shown}${suffix}` : shown;
}

/**
 * The spellings PEP 514 gives a registration, before its version's: Company/Tag
 * (as py.exe's `-V:Company/Tag`), and for PythonCore the bare tag too (3.12-32,
 * py.exe's `-V:3.12-32`).
 */
function registryKeys(company: string, tag: string): string[] {
  const keys = [`${company}/${tag}`];
  if (company.toLowerCase() === "pythoncore") keys.push(tag);
  return keys;
}

/** A directory named as uv and `venvctl python install` name builds: cpython-3.12.7-linux-x86_64-gnu. */
function isDownloadName(name: string | undefined): boolean {
  return name !== undefined && /^[a-z]+-\d+\.\d+\.\d+[^-]*-[^-]+-[^-]+-[^-]+$/.test(name);
}

/** 3.12.1, pypy3.9.18, 3.13.0t. */
function displayVersion(v: PythonVersion, implementation: string, freeThreaded: boolean): string {
  const prefix = implementation === "cpython" ? "" : implementation;
  return `${prefix}${formatVersion(v)}${freeThreaded ? "t" : ""}`;
}

/**
 * The spellings that select a target by version. A final release answers to
 * its prefixes (3.12.1, 3.12, 3); a pre-release only to its full version (as
 * pyenv and uv pick one only when asked); a free-threaded build only with `t`.
 * CPython is also spelled as uv (cpython@3.12, cpython-3.12, cpython3.12) and
 * as pyenv (python-3.12) write it; PyPy as pypy3.9, pypy@3.9, pypy-3.9.
 */
function versionKeys(t: Target): string[] {
  const v = t.version;
  const prefixes = v.pre ? [formatVersion(v)] : [`${v.major}.${v.minor}.${v.patch}`, `${v.major}.${v.minor}`, `${v.major}`];
  const ft = t.freeThreaded ? "t" : "";
  const out: string[] = [];
  for (const p of prefixes) {
    const pv = `${p}${ft}`;
    if (t.implementation === "cpython") out.push(pv, `cpython@${pv}`, `cpython-${pv}`, `cpython${pv}`, `python-${pv}`);
    else out.push(`${t.implementation}${pv}`, `${t.implementation}@${pv}`, `${t.implementation}-${pv}`);
  }
  if (!v.pre && !t.freeThreaded) out.push(t.implementation);
  return out;
}

/** The newest target a request (a range, an implementation, a version) matches. */
export function matchRequest(index: Inventory, req: PythonRequest): Target | undefined {
  return index.targets.find((t) => !t.freeThreaded && requestMatches(req, t.version, t.implementation));
}

/** The executable a target runs for `cmd`, if it has one. */
export function commandIn(ctx: Pick<Context, "platform" | "env">, t: Target, cmd: string): string | undefined {
  if (t.bin !== undefined) {
    // On Windows pip and the console scripts are in Scripts\ below python.exe.
    for (const dir of installCommandDirs(ctx, t.bin)) {
      const p = commandInDir(ctx, dir, cmd);
      if (p) return p;
    }
    return undefined;
  }
  return t.names?.includes(cmd) ? t.python : undefined;
}

/** "3.13.0, 3.12.1, …" for messages. */
export function installedList(index: Inventory): string {
  return index.targets.map((t) => t.name).join(", ") || "none";
}
