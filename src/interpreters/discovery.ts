// Interpreter discovery as ordered sources — PATH, pyenv, uv, venvctl's own
// versions, the python.org installer's per-user directory, and last, on
// Windows, PEP 514's registry (platform/pep514.ts) — each candidate tagged
// with where it came from. What is found here is the only set of
// interpreters selection chooses from. The registry costs processes (`reg
// query`), so it is read only when asked: for listings, and for a request
// nothing before it answers (inventory.ts ranks it last for that reason).
import { realpathSync } from "node:fs";
import { listNames, realpathOrSelf } from "../util/fs.js";
import { join } from "node:path";
import type { Context } from "../context.js";
import { debug } from "../util/log.js";
import { isScriptWrapper, probeInterpreter, type Interpreter } from "./interpreter.js";
import { isExecutableFile, searchDirs } from "../util/path-search.js";
import { interpreterPathsInDir, isPythonName, isWindows, minorInName, pyenvRoot, pythonOrgUserDir, uvPythonDir } from "../platform/interpreter-places.js";
import { mergeRegistrations, PEP514_ROOTS, type Registration } from "../platform/pep514.js";
import { queryRegistry } from "../util/reg-query.js";
import type { Implementation, PythonRequest } from "./request.js";
import { matchesPrefix, parseVersion, satisfiesRange, type PythonVersion } from "./version.js";

export type Source = "explicit" | "path" | "pyenv" | "uv" | "venvctl" | "python.org" | "registry";

/** A possible interpreter, before or without probing. */
export interface Candidate {
  path: string;
  source: Source;
  /** For managed installs: the directory name (`3.12.1`, `cpython-3.12.1-linux-x86_64-gnu`). */
  name?: string | undefined;
  /** The version, when the name tells it exactly (managed dirs); else learnt by probing. */
  version?: PythonVersion | undefined;
  implementation?: string | undefined;
  /** For the registry's: the PEP 514 registration it was read from. */
  registration?: Registration | undefined;
}

/** The interpreter inside an install or venv directory (bin/python3, bin/python…; python.exe, Scripts\python.exe on Windows). */
export function interpreterInDir(ctx: Pick<Context, "platform">, dir: string): string | undefined {
  for (const rel of interpreterPathsInDir(ctx)) {
    const p = join(dir, rel);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

/** Reads version and implementation from a managed directory's name. */
function parseManagedName(name: string, source: Source): { version?: PythonVersion; implementation?: string } {
  // uv's directories, and those `venvctl python install` makes (the same
  // names): cpython-3.12.1-linux-x86_64-gnu, pypy-3.9.18-linux-x86_64-gnu.
  if (source === "uv" || (source === "venvctl" && /^[a-z]+-\d/.test(name))) {
    const m = /^([a-z]+)-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)(?:\+[a-z]+)?-/.exec(name);
    if (!m) return {};
    return m[1] === "cpython" ? { version: parseVersion(m[2]!), implementation: "cpython" } : { implementation: m[1] };
  }
  // pyenv and venvctl: a bare CPython version is exact; anything else
  // (pypy3.9-7.3.11, miniconda3-latest, 3.13.0t, a virtualenv name) is probed.
  if (/^\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?$/.test(name)) return { version: parseVersion(name), implementation: "cpython" };
  if (/^pypy/.test(name)) return { implementation: "pypy" };
  // The python.org installer's per-user directories (Python312, Python313-32) tell the minor only: probed.
  return {};
}

/** Interpreters installed in pyenv's, uv's and venvctl's directories. */
export function managedCandidates(ctx: Pick<Context, "env" | "dirs" | "platform">): Candidate[] {
  const out: Candidate[] = [];
  const pythonOrg = pythonOrgUserDir(ctx);
  const sources: Array<[Source, string]> = [
    ["pyenv", join(pyenvRoot(ctx), "versions")],
    ["uv", uvPythonDir(ctx)],
    ["venvctl", join(ctx.dirs.root, "versions")],
    ...(pythonOrg ? [["python.org", pythonOrg] as [Source, string]] : []),
  ];
  for (const [source, base] of sources) {
    for (const name of listNames(base)) {
      if (name.startsWith(".")) continue;
      const exe = interpreterInDir(ctx, join(base, name));
      if (!exe) continue;
      out.push({ path: exe, source, name, ...parseManagedName(name, source) });
    }
  }
  return out;
}

/** Python executables on PATH, shim directories excluded, first of each real file only. */
export function pathCandidates(ctx: Pick<Context, "env" | "dirs" | "platform">): Candidate[] {
  const seenReal = new Set<string>();
  const out: Candidate[] = [];
  for (const dir of searchDirs(ctx)) {
    for (const name of listNames(dir)) {
      if (!isPythonName(ctx, name)) continue;
      const p = join(dir, name);
      if (!isExecutableFile(p)) continue;
      let real: string;
      try {
        real = realpathSync(p);
      } catch {
        continue;
      }
      if (seenReal.has(real) || isScriptWrapper(real)) continue;
      seenReal.add(real);
      const minor = minorInName(ctx, name);
      out.push({
        path: p,
        source: "path",
        implementation: name.startsWith("pypy") ? "pypy" : undefined,
        // python3.11 tells the minor version but not the patch: probe for it.
        version: undefined,
        name: minor ? name : undefined,
      });
    }
  }
  return out;
}

/**
 * The interpreters PEP 514 registers (Windows only; [] elsewhere, with no
 * process started): `Company/Tag` as their name, PythonCore's first. A
 * registration whose interpreter is not there is skipped, with a debug line.
 */
export async function registryCandidates(ctx: Pick<Context, "env" | "platform" | "stderr">): Promise<Candidate[]> {
  if (!isWindows(ctx)) return [];
  const out: Candidate[] = [];
  // One reg process per root, side by side; HKLM's through the 64-bit view.
  const answers = await Promise.all(PEP514_ROOTS.map((root) => queryRegistry(ctx, root.key, root.place !== "HKEY_CURRENT_USER")));
  const { registrations, notes } = mergeRegistrations(answers, ctx.env);
  for (const note of notes) debug(ctx, note);
  const core = (r: Registration) => (r.company.toLowerCase() === "pythoncore" ? 0 : 1);
  for (const r of [...registrations].sort((a, b) => core(a) - core(b))) {
    if (!isExecutableFile(r.executable)) {
      debug(ctx, `skipping the registry's ${r.company}\\${r.tag} (${r.place}): ${r.executable} does not exist`);
      continue;
    }
    out.push({ path: r.executable, source: "registry", name: `${r.company}/${r.tag}`, registration: r });
  }
  return out;
}

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

/** A candidate with its version known (probing it if the name did not say). */
export interface Versioned extends Candidate {
  version: PythonVersion;
  implementation: string;
  interpreter?: Interpreter;
}

async function withVersion(ctx: Ctx, c: Candidate): Promise<Versioned | undefined> {
  if (c.version && c.implementation) return c as Versioned;
  try {
    const interpreter = await probeInterpreter(ctx, c.path);
    return { ...c, version: interpreter.version, implementation: interpreter.info.implementation, interpreter };
  } catch (err) {
    debug(ctx, `skipping ${c.path}: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * Every interpreter found, with versions (probing those whose names do not
 * tell); the registry's too unless `registry` is false.
 */
export async function allInterpreters(ctx: Ctx, registry = true): Promise<Versioned[]> {
  const candidates = [...pathCandidates(ctx), ...managedCandidates(ctx)];
  if (registry) {
    // An install found already (python.org's per-user ones are registered
    // too, as are uv's) is not probed twice under another spelling.
    const known = new Set(candidates.map((c) => sameFileKey(ctx, c.path)));
    for (const c of await registryCandidates(ctx)) {
      if (known.has(sameFileKey(ctx, c.path))) debug(ctx, `the registry's ${c.name} is ${c.path}, found already`);
      else candidates.push(c);
    }
  }
  const out: Versioned[] = [];
  for (const c of candidates) {
    const v = await withVersion(ctx, c);
    if (v) out.push(v);
  }
  return out;
}

function implementationMatches(want: Implementation | undefined, have: string): boolean {
  return want === undefined || want === have;
}

/** Whether an interpreter version satisfies a version-like request. */
export function requestMatches(req: PythonRequest, version: PythonVersion, implementation: string): boolean {
  switch (req.kind) {
    case "version":
      return implementationMatches(req.implementation, implementation) && matchesPrefix(version, req.prefix);
    case "range":
      return implementationMatches(req.implementation, implementation) && satisfiesRange(version, req.range);
    case "implementation":
      return implementation === req.implementation;
    case "default":
      return true;
    default:
      return false;
  }
}

/** What two spellings of one file have in common: its real path, without case on Windows. */
export function sameFileKey(ctx: Pick<Context, "platform">, path: string): string {
  const real = realpathOrSelf(path);
  return isWindows(ctx) ? real.toLowerCase() : real;
}

/** `~` and `~/…` as a shell expands them. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}
