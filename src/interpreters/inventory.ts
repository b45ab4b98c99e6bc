// The inventory: every discovered interpreter, the spellings that select it
// (3.12.1, 3.12, 3, cpython@3.12, pypy3.9, a pyenv version name) and where its
// commands are. Selection resolves version-file entries and -p requests
// against it and nothing else; `rehash` writes it as sh for the shims
// (shims/shim-index.ts), so a command and a shim always agree.
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Context } from "../context.js";
import { allInterpreters, requestMatches, type Source } from "./discovery.js";
import { commandInDir, isExecutableFile } from "../util/path-search.js";
import type { PythonRequest } from "./request.js";
import { compareVersions, formatVersion, type PythonVersion } from "./version.js";
import { realpathOrSelf } from "../util/fs.js";
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
  /**
   * An interpreter found on PATH answers its own names only (python,
   * python3, python3.11): the rest of /usr/bin is not "its" bin directory.
   */
  names?: string[] | undefined;
  /** A free-threaded build (3.13.0t): selected by `3.13t`, never by plain `3.13`. */
  freeThreaded: boolean;
}

export interface Inventory {
  /** Newest first; equal versions in the order pyenv, venvctl, uv, PATH. */
  targets: Target[];
  /** Every spelling → the interpreter it selects. */
  keys: Map<string, Target>;
}

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

const SOURCE_RANK: Record<Source, number> = { explicit: 0, pyenv: 1, venvctl: 2, uv: 3, "python.org": 4, path: 5 };

/** The names a PATH interpreter answers: python, python3, python3.11 (pypy: pypy, pypy3, pypy3.9). */
function ownNames(version: PythonVersion, implementation: string): string[] {
  const base = implementation === "pypy" ? "pypy" : implementation === "graalpy" ? "graalpy" : "python";
  return [base, `${base}${version.major}`, `${base}${version.major}.${version.minor}`];
}

/** Discovers the installed interpreters and builds the inventory. */
export async function buildInventory(ctx: Ctx): Promise<Inventory> {
  const found = await allInterpreters(ctx);
  const targets: Target[] = [];
  const managedReal = new Set<string>();
  for (const c of found) {
    if (c.source === "path") continue;
    const freeThreaded = Boolean(c.interpreter?.info.gil_disabled) || /\d+t$/.test(c.name ?? "");
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
  targets.sort((a, b) => compareVersions(b.version, a.version) || SOURCE_RANK[a.source] - SOURCE_RANK[b.source]);

  // A directory name selects its install first (pyenv's `version_exists`);
  // then a version or prefix selects the newest match.
  const keys = new Map<string, Target>();
  for (const t of targets) {
    if ((t.source === "pyenv" || t.source === "venvctl") && !keys.has(t.name)) keys.set(t.name, t);
    const dir = t.source === "venvctl" && t.bin !== undefined ? basename(dirname(t.bin)) : undefined;
    if (dir !== undefined && isDownloadName(dir) && !keys.has(dir)) keys.set(dir, t);
  }
  for (const t of targets) {
    for (const k of versionKeys(t)) if (!keys.has(k)) keys.set(k, t);
  }
  return { targets, keys };
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
