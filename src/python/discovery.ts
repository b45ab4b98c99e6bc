// Interpreter discovery as ordered sources — PATH, pyenv, uv, venvctl's own
// versions — each candidate tagged with where it came from, and the
// resolution of a request against them.
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { debug, tildify } from "../util/log.js";
import { isScriptWrapper, probeInterpreter, type Interpreter } from "./interpreter.js";
import { describeRequest, parsePythonRequest, type Implementation, type PythonRequest } from "./request.js";
import {
  compareVersions, formatVersion, matchesPrefix, parseVersion, satisfiesRange, type PythonVersion,
} from "./version.js";
import { describeOrigin, selectVersion, type SelectionOrigin } from "./version-file.js";

export type Source = "explicit" | "path" | "pyenv" | "uv" | "venvctl";

/** A possible interpreter, before or without probing. */
export interface Candidate {
  path: string;
  source: Source;
  /** For managed installs: the directory name (`3.12.1`, `cpython-3.12.1-linux-x86_64-gnu`). */
  name?: string | undefined;
  /** The version, when the name tells it exactly (managed dirs); else learnt by probing. */
  version?: PythonVersion | undefined;
  implementation?: string | undefined;
}

/** A resolved interpreter, with how it was chosen. */
export interface Found {
  interpreter: Interpreter;
  source: Source;
  /** The request that chose it, for messages. */
  request: PythonRequest;
  /** For the default chain: what selected the request. */
  origin?: SelectionOrigin | undefined;
}

const SOURCE_ORDER: Source[] = ["explicit", "path", "pyenv", "uv", "venvctl"];

/** pyenv's root: `$PYENV_ROOT`, default ~/.pyenv. */
export function pyenvRoot(ctx: Pick<Context, "env" | "dirs">): string {
  return ctx.env.PYENV_ROOT || join(ctx.dirs.home, ".pyenv");
}

/** uv's managed interpreters: `$UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python`. */
export function uvPythonDir(ctx: Pick<Context, "env" | "dirs">): string {
  if (ctx.env.UV_PYTHON_INSTALL_DIR) return ctx.env.UV_PYTHON_INSTALL_DIR;
  const data = ctx.env.XDG_DATA_HOME || join(ctx.dirs.home, ".local", "share");
  return join(data, "uv", "python");
}

/** Directories whose executables are shims, never interpreters. */
export function shimDirs(ctx: Pick<Context, "env" | "dirs">): string[] {
  return [join(pyenvRoot(ctx), "shims"), join(ctx.dirs.root, "shims")];
}

function isExecutableFile(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The interpreter inside an install or venv directory (bin/python3, bin/python…). */
export function interpreterInDir(dir: string): string | undefined {
  for (const rel of ["bin/python3", "bin/python", "bin/pypy3", "bin/pypy", "Scripts/python.exe", "python.exe"]) {
    const p = join(dir, rel);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Reads version and implementation from a managed directory's name. */
function parseManagedName(name: string, source: Source): { version?: PythonVersion; implementation?: string } {
  if (source === "uv") {
    // cpython-3.12.1-linux-x86_64-gnu, pypy-3.9.18-linux-x86_64-gnu
    const m = /^([a-z]+)-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)(?:\+[a-z]+)?-/.exec(name);
    if (!m) return {};
    return m[1] === "cpython" ? { version: parseVersion(m[2]!), implementation: "cpython" } : { implementation: m[1] };
  }
  // pyenv and venvctl: a bare CPython version is exact; anything else
  // (pypy3.9-7.3.11, miniconda3-latest, 3.13.0t, a virtualenv name) is probed.
  if (/^\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?$/.test(name)) return { version: parseVersion(name), implementation: "cpython" };
  if (/^pypy/.test(name)) return { implementation: "pypy" };
  return {};
}

/** Interpreters installed in pyenv's, uv's and venvctl's directories. */
export function managedCandidates(ctx: Pick<Context, "env" | "dirs">): Candidate[] {
  const out: Candidate[] = [];
  const sources: Array<[Source, string]> = [
    ["pyenv", join(pyenvRoot(ctx), "versions")],
    ["uv", uvPythonDir(ctx)],
    ["venvctl", join(ctx.dirs.root, "versions")],
  ];
  for (const [source, base] of sources) {
    for (const name of listDir(base)) {
      if (name.startsWith(".")) continue;
      const exe = interpreterInDir(join(base, name));
      if (!exe) continue;
      out.push({ path: exe, source, name, ...parseManagedName(name, source) });
    }
  }
  return out;
}

const PYTHON_NAME = /^(?:python|python[23](?:\.\d+)?|pypy|pypy3(?:\.\d+)?)$/;

/** Python executables on PATH, shim directories excluded, first of each real file only. */
export function pathCandidates(ctx: Pick<Context, "env" | "dirs" | "cwd">): Candidate[] {
  const shims = new Set(shimDirs(ctx).map((d) => resolve(d)));
  const seenReal = new Set<string>();
  const out: Candidate[] = [];
  for (const dir of (ctx.env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir) || shims.has(resolve(dir))) continue;
    for (const name of listDir(dir)) {
      if (!PYTHON_NAME.test(name)) continue;
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
      const minor = /^python3\.(\d+)$/.exec(name);
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

/** Finds `cmd` on PATH (the first executable), or undefined. */
export function whichOnPath(ctx: Pick<Context, "env">, cmd: string): string | undefined {
  for (const dir of (ctx.env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const p = join(dir, cmd);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

type Ctx = Pick<Context, "env" | "dirs" | "cwd" | "stderr">;

/** A candidate with its version known (probing it if the name did not say). */
interface Versioned extends Candidate {
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

/** Every interpreter found, with versions (probing those whose names do not tell). */
export async function allInterpreters(ctx: Ctx): Promise<Versioned[]> {
  const candidates = [...pathCandidates(ctx), ...managedCandidates(ctx)];
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

function describeFound(list: Versioned[], home: string): string {
  if (list.length === 0) return "no interpreters were found";
  const sorted = [...list].sort((a, b) => compareVersions(b.version, a.version));
  return "found: " + sorted
    .map((c) => `${c.implementation === "cpython" ? "" : c.implementation + " "}${formatVersion(c.version)} (${c.source === "path" ? tildify(c.path, home) : c.source})`)
    .join(", ");
}

/** Resolves a version-like request to the newest matching interpreter. */
async function resolveByVersion(ctx: Ctx, req: PythonRequest): Promise<Found> {
  const matches: Versioned[] = [];
  const all: Versioned[] = [];
  for (const c of [...pathCandidates(ctx), ...managedCandidates(ctx)]) {
    // Skip probing a PATH python3.X whose minor version cannot match.
    if (req.kind === "version" && c.name && /^python3\.\d+$/.test(c.name) && req.prefix.minor !== undefined &&
        c.name !== `python${req.prefix.major}.${req.prefix.minor}`) continue;
    const v = await withVersion(ctx, c);
    if (!v) continue;
    all.push(v);
    if (requestMatches(req, v.version, v.implementation)) matches.push(v);
  }
  if (matches.length === 0) {
    throw new VenvctlError(`no interpreter matches ${describeRequest(req)}: ${describeFound(await allOrSome(ctx, all, req), ctx.dirs.home)}`, {
      hint: "install it (e.g. `pyenv install`), or pass an interpreter's path with -p",
    });
  }
  matches.sort((a, b) => compareVersions(b.version, a.version) || SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source));
  const best = matches[0]!;
  const interpreter = best.interpreter ?? (await probeInterpreter(ctx, best.path));
  debug(ctx, `${describeRequest(req)} → ${formatVersion(interpreter.version)} at ${tildify(interpreter.path, ctx.dirs.home)} (from ${best.source})`);
  return { interpreter, source: best.source, request: req };
}

/** For the error message: everything there is, probing the skipped ones too. */
async function allOrSome(ctx: Ctx, seen: Versioned[], req: PythonRequest): Promise<Versioned[]> {
  return req.kind === "version" ? allInterpreters(ctx) : seen;
}

/** `~` and `~/…` as a shell expands them. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/**
 * Resolves a request to an interpreter. Without a request, walks the
 * selection chain (VENVCTL_VERSION, .python-version, global, PATH).
 */
export async function findInterpreter(ctx: Ctx, request: PythonRequest): Promise<Found> {
  switch (request.kind) {
    case "invalid":
      throw new VenvctlError(`cannot understand the Python request \`${request.text}\`: ${request.reason}`, {
        hint: "examples: -p 3.12, -p '>=3.10,<3.13', -p pypy3.9, -p /usr/bin/python3",
      });
    case "path": {
      const abs = resolve(ctx.cwd, expandHome(request.path, ctx.dirs.home));
      let exe = abs;
      try {
        if (statSync(abs).isDirectory()) {
          const inside = interpreterInDir(abs);
          if (!inside) {
            throw new VenvctlError(`no Python interpreter in the directory ${abs}`, {
              hint: "pass the interpreter's executable, or a venv or install directory with bin/python3",
            });
          }
          exe = inside;
        }
      } catch (err) {
        if (err instanceof VenvctlError) throw err;
        throw new VenvctlError(`no Python interpreter at ${abs}`, { hint: "check the path, or pass a version such as -p 3.12" });
      }
      return { interpreter: await probeInterpreter(ctx, exe), source: "explicit", request };
    }
    case "name": {
      const onPath = whichOnPath(ctx, request.name);
      if (onPath) return { interpreter: await probeInterpreter(ctx, onPath), source: "path", request };
      if (request.fallback) {
        debug(ctx, `${request.name} is not on PATH; looking for it as a version`);
        const found = await resolveByVersion(ctx, request.fallback);
        return { ...found, request };
      }
      throw new VenvctlError(`no \`${request.name}\` on PATH`, { hint: "pass a version (-p 3.12) or a path (-p /usr/bin/python3)" });
    }
    case "system":
      return resolveSystem(ctx, request);
    case "version":
    case "range":
    case "implementation":
      return resolveByVersion(ctx, request);
    case "default":
      return resolveDefault(ctx);
  }
}

/** pyenv's `system`: the first python3 (or python) on PATH that is not a shim. */
async function resolveSystem(ctx: Ctx, request: PythonRequest): Promise<Found> {
  const shims = new Set(shimDirs(ctx).map((d) => resolve(d)));
  for (const dir of (ctx.env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir) || shims.has(resolve(dir))) continue;
    for (const name of ["python3", "python"]) {
      const p = join(dir, name);
      if (isExecutableFile(p) && existsSync(p)) {
        return { interpreter: await probeInterpreter(ctx, p), source: "path", request };
      }
    }
  }
  throw new VenvctlError("no system Python: no python3 on PATH outside the shim directories", {
    hint: "install Python, or pin a version with `venvctl use 3.12`",
  });
}

async function resolveDefault(ctx: Ctx): Promise<Found> {
  const selection = selectVersion(ctx);
  if (selection.entries.length === 0) {
    const first = whichOnPath(ctx, "python3") ?? whichOnPath(ctx, "python");
    if (!first) {
      throw new VenvctlError("no Python found: no python3 on PATH, and no version selected", {
        hint: "pass -p with a version or a path, or pin one with `venvctl use 3.12`",
      });
    }
    debug(ctx, `no version selected; using the first python3 on PATH: ${tildify(first, ctx.dirs.home)}`);
    return { interpreter: await probeInterpreter(ctx, first), source: "path", request: { kind: "default" }, origin: selection.origin };
  }
  const errors: string[] = [];
  for (const entry of selection.entries) {
    // A pyenv version name (a directory in versions/) is taken as named first.
    const managed = managedCandidates(ctx).find((c) => c.name === entry && (c.source === "pyenv" || c.source === "venvctl"));
    try {
      if (managed) {
        const interpreter = await probeInterpreter(ctx, managed.path);
        debug(ctx, `using ${entry} from ${managed.source} (${describeOrigin(selection.origin)})`);
        return { interpreter, source: managed.source, request: parsePythonRequest(entry), origin: selection.origin };
      }
      const request = parsePythonRequest(entry);
      // A version file names versions, never paths (pyenv refuses `..` too).
      if (request.kind === "path") throw new VenvctlError(`\`${entry}\` is a path, not a version`);
      const found = await findInterpreter(ctx, request);
      debug(ctx, `using ${formatVersion(found.interpreter.version)} (${describeOrigin(selection.origin)})`);
      return { ...found, origin: selection.origin };
    } catch (err) {
      errors.push(`${entry}: ${(err as Error).message}`);
    }
  }
  throw new VenvctlError(
    `the Python version ${selection.entries.join(" ")} (${describeOrigin(selection.origin)}) is not installed`,
    { cause: errors.join("; "), hint: "install it, or choose another with `venvctl use`, or pass -p" },
  );
}
