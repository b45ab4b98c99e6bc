// The ONE selection chain: which interpreter venvctl means when nobody says
// `-p`, for every command (`create`, the package commands' target, `version`,
// `versions`, `which`, `exec`) and, through the index `rehash` writes, for the
// shims (shims/shim.sh walks the same steps in sh):
//   1. the active virtual environment (its base interpreter);
//   2. VENVCTL_VERSION;
//   3. the nearest .python-version from the working directory up;
//   4. $VENVCTL_ROOT/version;
//   5. $PYENV_ROOT/version;
//   6. the first interpreter on PATH that is not a shim ("system").
// A pinned entry is only ever looked up among the discovered interpreters
// (the inventory): never run, never searched on PATH, never joined into a
// path. Explicit `-p` requests are resolved here too, by the same inventory.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { realpathOrSelf } from "../util/fs.js";
import { debug, tildify } from "../util/log.js";
import { expandHome, interpreterInDir, sameFileKey, type Source } from "./discovery.js";
import { isScriptWrapper, probeInterpreter, type Interpreter } from "./interpreter.js";
import { hasPyvenvCfg, venvBaseInterpreter } from "./venv-base.js";
import { buildInventory, installedList, lookUpInventory, matchRequest, type Inventory, type Target } from "./inventory.js";
import { commandInDir, findOnPath, searchDirs } from "../util/path-search.js";
import { describeRequest, isDownloadableRequest, parsePythonRequest, type PythonRequest } from "./request.js";
import { formatVersion } from "./version.js";
import { downloadsMode } from "./downloads-mode.js";
import { describeOrigin, isRangeWord, selectVersion, type SelectionOrigin } from "./version-file.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr" | "stderrIsTTY" | "afterPythonInstall">;

/** One pinned entry, resolved against the inventory. */
export type ResolvedEntry =
  | { entry: string; kind: "version"; target: Target }
  | { entry: string; kind: "system" }
  | { entry: string; kind: "missing" };

/**
 * Resolves one entry of a pin: `system`; a key of the inventory (a version,
 * a prefix, a pyenv or venvctl directory name, pypy3.9, cpython@3.12); or a
 * range (PEP 440), which selects the newest match. Anything else — a command
 * name, a path, `default` — is not installed.
 */
export function resolveEntry(inventory: Inventory, entry: string): ResolvedEntry {
  if (entry === "system") return { entry, kind: "system" };
  let target = inventory.keys.get(entry);
  if (!target && entry.split(" ").some(isRangeWord)) {
    const req = parsePythonRequest(entry);
    if (req.kind === "range" || req.kind === "version" || req.kind === "implementation") target = matchRequest(inventory, req);
  }
  return target ? { entry, kind: "version", target } : { entry, kind: "missing" };
}

/**
 * A version-file entry resolved as resolveEntry does, the registry read when
 * it misses without it (lookUpInventory). Each entry is looked up everywhere
 * before the next is tried: a later entry found early must not win over this
 * one found in the registry.
 */
export async function resolveEntryIn(ctx: Ctx, inv: Inventory, entry: string): Promise<{ resolved: ResolvedEntry; inventory: Inventory }> {
  const { found, inventory } = await lookUpInventory(ctx, inv, (i) => {
    const r = resolveEntry(i, entry);
    return r.kind === "missing" ? undefined : r;
  }, entry);
  return { resolved: found ?? { entry, kind: "missing" }, inventory };
}

/**
 * What `system` means: the first `python3` on PATH outside the shim
 * directories (else the first `python`) that is an interpreter, not a
 * wrapper script.
 */
export function systemPython(ctx: Pick<Context, "env" | "dirs" | "platform">): string | undefined {
  const dirs = searchDirs(ctx);
  for (const name of ["python3", "python"]) {
    for (const dir of dirs) {
      // python3 itself on POSIX; python3.exe, then python.exe, on Windows (PATHEXT).
      const p = commandInDir(ctx, dir, name);
      if (p && !isScriptWrapper(realpathOrSelf(p))) return p;
    }
  }
  return undefined;
}

/** What chose the interpreter. */
export type ChoiceOrigin = SelectionOrigin | { kind: "venv"; dir: string };

/** The interpreter the chain chooses now. */
export interface Choice {
  /** The interpreter's executable (a venv's base interpreter for an active venv). */
  python: string;
  /** How `version` names it: 3.12.1, pypy3.9-7.3.11, system. */
  name: string;
  /** The pinned entry that chose it, if one did. */
  entry?: string | undefined;
  /** Its inventory entry, when it has one. */
  target?: Target | undefined;
  origin: ChoiceOrigin;
  /** A probe that is already known (an active venv's base). */
  interpreter?: Interpreter | undefined;
}

/** "set by /x/.python-version", "the active virtual environment ~/p/.venv". */
export function describeChoiceOrigin(origin: ChoiceOrigin, home: string): string {
  return origin.kind === "venv" ? `the active virtual environment ${tildify(origin.dir, home)}` : describeOrigin(origin);
}

/** The active virtual environment's directory, when VIRTUAL_ENV names one. */
export function activeVenv(ctx: Pick<Context, "env" | "cwd">): string | undefined {
  const v = ctx.env.VIRTUAL_ENV;
  if (!v) return undefined;
  const dir = resolve(ctx.cwd, v);
  return hasPyvenvCfg(dir) ? dir : undefined;
}

/**
 * Walks the chain. Fails, naming the pins and who set them, when nothing
 * pinned is installed, or when nothing is pinned and PATH has no Python.
 */
export async function chooseInterpreter(ctx: Ctx, inventory?: Inventory, mayInstall = true): Promise<Choice> {
  const venv = activeVenv(ctx);
  if (venv) {
    const base = await venvBaseInterpreter(ctx, venv);
    const real = sameFileKey(ctx, base.path);
    const { found: target } = await lookUpInventory(ctx, inventory ?? (await buildInventory(ctx, { deferRegistry: true })),
      (inv) => inv.targets.find((t) => sameFileKey(ctx, t.python) === real), "the active virtual environment's base interpreter");
    debug(ctx, `using the active virtual environment's base interpreter ${tildify(base.path, ctx.dirs.home)}`);
    return {
      python: base.path,
      name: target?.name ?? formatVersion(base.version),
      target,
      origin: { kind: "venv", dir: venv },
      interpreter: base,
    };
  }
  const selection = selectVersion(ctx);
  const origin = describeOrigin(selection.origin);
  if (selection.entries.length === 0) {
    const python = systemPython(ctx);
    if (!python) {
      throw new VenvctlError("no Python found: nothing is pinned, and there is no python3 on PATH (outside the shim directories)", {
        hint: "install Python, pin one with `venvctl use 3.12`, or pass -p with a version or a path",
      });
    }
    debug(ctx, `no version pinned; using the first python3 on PATH: ${tildify(python, ctx.dirs.home)}`);
    return { python, name: "system", origin: selection.origin };
  }
  let inv = inventory ?? (await buildInventory(ctx, { deferRegistry: true }));
  const missing: string[] = [];
  for (const entry of selection.entries) {
    const looked = await resolveEntryIn(ctx, inv, entry);
    inv = looked.inventory;
    const r = looked.resolved;
    if (r.kind === "version") {
      debug(ctx, `using ${r.target.name} from ${r.target.source} (${entry}, ${origin})`);
      return { python: r.target.python, name: r.target.name, entry, target: r.target, origin: selection.origin };
    }
    if (r.kind === "system") {
      const python = systemPython(ctx);
      if (python) return { python, name: "system", entry, origin: selection.origin };
      missing.push("system (no python3 on PATH)");
      continue;
    }
    missing.push(showEntry(entry));
  }
  // VENVCTL_PYTHON_DOWNLOADS=automatic: install the first pinned version, then choose again (once).
  if (mayInstall && (await installPinned(ctx, selection.entries, origin))) return chooseInterpreter(ctx, undefined, false);
  throw notInstalledError(missing, origin, installedList(inv), selection.entries);
}

/**
 * Under VENVCTL_PYTHON_DOWNLOADS=automatic, installs what a request names
 * (the newest matching build for this machine), saying so on stderr, and
 * rehashes the shims; answers whether it did. Otherwise does nothing.
 */
export async function installForRequest(ctx: Ctx, request: PythonRequest, what: string): Promise<boolean> {
  if (downloadsMode(ctx) !== "automatic" || !isDownloadableRequest(request)) return false;
  // Loaded only now: the installer brings node:crypto and, later, tar.
  const { installRequest } = await import("./python-install.js");
  ctx.stderr.write(`${what} is not installed: installing it (VENVCTL_PYTHON_DOWNLOADS=automatic)\n`);
  const r = await installRequest(ctx, request);
  ctx.stderr.write(`Installed CPython ${formatVersion(r.download.version)} in ${tildify(r.dir, ctx.dirs.home)}\n`);
  await ctx.afterPythonInstall?.(ctx);
  return true;
}

/** installForRequest for the first pinned entry that names a downloadable version. */
export async function installPinned(ctx: Ctx, entries: readonly string[], origin: string): Promise<boolean> {
  for (const entry of entries) {
    const request = parsePythonRequest(entry);
    if (isDownloadableRequest(request)) return installForRequest(ctx, request, `version ${showEntry(entry)} (${origin})`);
  }
  return false;
}

/** How to get a missing version: `venvctl python install X` where the downloads can hold it. */
export function installHint(entries: readonly string[] = []): string {
  const entry = entries.find((e) => Buffer.byteLength(e) <= 100 && isDownloadableRequest(parsePythonRequest(e)));
  if (entry !== undefined) return `install it with \`venvctl python install ${/^[\w.@-]+$/.test(entry) ? entry : `'${entry}'`}\``;
  return "install it (`venvctl python install 3.13` downloads CPython builds; other Pythons e.g. with `pyenv install`)";
}

/**
 * A pinned entry as messages show it: quoted, or, when it is longer than any
 * version (a hostile file's megabyte word), by its size alone. The shims say
 * the same (shims/shim.sh).
 */
export function showEntry(entry: string): string {
  const bytes = Buffer.byteLength(entry);
  return bytes > 100 ? `(an entry of ${bytes} bytes)` : `\`${entry}\``;
}

/** "version `3.99` is not installed (set by …)", with what is; `entries` (as written) name what to install. */
export function notInstalledError(missing: readonly string[], origin: string, installed: string, entries?: readonly string[]): VenvctlError {
  const many = missing.length > 1;
  return new VenvctlError(`${many ? "versions" : "version"} ${missing.join(", ")} ${many ? "are" : "is"} not installed (${origin})`, {
    hint: `installed: ${installed}; pin one with \`venvctl use\`, or ${installHint(entries)}`,
  });
}

/** A resolved interpreter, with how it was chosen. */
export interface Found {
  interpreter: Interpreter;
  source: Source;
  /** The request that chose it, for messages. */
  request: PythonRequest;
  /** For the chain: what chose it. */
  origin?: ChoiceOrigin | undefined;
}

/**
 * Resolves an explicit request (`-p SPEC`), or the chain for
 * `{ kind: "default" }`. A path is the user's own choice and is probed as
 * given; everything else is looked up among the discovered interpreters,
 * except a command name (`python3.12`), which is first looked for on PATH
 * outside the shim directories, as uv does, then taken as a version.
 */
export async function findInterpreter(ctx: Ctx, request: PythonRequest): Promise<Found> {
  switch (request.kind) {
    case "invalid":
      throw new VenvctlError(`cannot understand the Python request \`${request.text}\`: ${request.reason}`, {
        hint: "examples: -p 3.12, -p '>=3.10,<3.13', -p pypy3.9, -p /usr/bin/python3",
      });
    case "default": {
      const choice = await chooseInterpreter(ctx);
      const interpreter = choice.interpreter ?? (await probeInterpreter(ctx, choice.python));
      return { interpreter, source: choice.target?.source ?? "path", request, origin: choice.origin };
    }
    case "path":
      return { interpreter: await probeInterpreter(ctx, explicitPath(ctx, request.path)), source: "explicit", request };
    case "system": {
      const python = systemPython(ctx);
      if (!python) {
        throw new VenvctlError("no system Python: no python3 on PATH outside the shim directories", {
          hint: "install Python, or pin a version with `venvctl use 3.12`",
        });
      }
      return { interpreter: await probeInterpreter(ctx, python), source: "path", request };
    }
    case "name": {
      const onPath = findOnPath(ctx, request.name);
      if (onPath && !isScriptWrapper(realpathOrSelf(onPath))) {
        return { interpreter: await probeInterpreter(ctx, onPath), source: "path", request };
      }
      const { found: named, inventory } = await lookUpInventory(ctx, await buildInventory(ctx, { deferRegistry: true }),
        (inv) => inv.keys.get(request.name), `\`${request.name}\``);
      if (named) return fromTarget(ctx, named, request);
      if (request.fallback) {
        debug(ctx, `${request.name} is not on PATH; looking for it as a version`);
        return { ...(await fromInventory(ctx, inventory, request.fallback)), request };
      }
      throw new VenvctlError(`no \`${request.name}\` on PATH, and no installed Python is called that`, {
        hint: `installed: ${installedList(inventory)}; pass a version (-p 3.12) or a path (-p /usr/bin/python3)`,
      });
    }
    case "version":
    case "range":
    case "implementation":
      return fromInventory(ctx, await buildInventory(ctx, { deferRegistry: true }), request);
  }
}

async function fromTarget(ctx: Ctx, target: Target, request: PythonRequest): Promise<Found> {
  return { interpreter: await probeInterpreter(ctx, target.python), source: target.source, request };
}

/** The newest discovered interpreter a version-like request matches. */
async function fromInventory(ctx: Ctx, given: Inventory, request: PythonRequest): Promise<Found> {
  const looked = await lookUpInventory(ctx, given, (inv) => matchRequest(inv, request), describeRequest(request));
  const inventory = looked.inventory;
  let target = looked.found;
  if (!target && (await installForRequest(ctx, request, describeRequest(request)))) {
    target = matchRequest(await buildInventory(ctx), request);
  }
  if (!target) {
    const spelled = describeRequest(request).replace(/^cpython /, "");
    throw new VenvctlError(`no interpreter matches ${describeRequest(request)}: ${describeFound(inventory, ctx.dirs.home)}`, {
      hint: `${installHint([spelled])}, or pass an interpreter's path with -p`,
    });
  }
  debug(ctx, `${describeRequest(request)} → ${target.name} at ${tildify(target.python, ctx.dirs.home)} (from ${target.source})`);
  return fromTarget(ctx, target, request);
}

function describeFound(inventory: Inventory, home: string): string {
  if (inventory.targets.length === 0) return "no interpreters were found";
  return "found: " + inventory.targets
    .map((t) => `${t.name} (${t.source === "path" ? tildify(t.python, home) : t.source})`)
    .join(", ");
}

/** An explicit path: an interpreter, or a venv or install directory holding one. */
function explicitPath(ctx: Ctx, path: string): string {
  const abs = resolve(ctx.cwd, expandHome(path, ctx.dirs.home));
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new VenvctlError(`no Python interpreter at ${abs}`, { hint: "check the path, or pass a version such as -p 3.12" });
  }
  if (!isDir) return abs;
  const inside = interpreterInDir(ctx, abs);
  if (!inside) {
    throw new VenvctlError(`no Python interpreter in the directory ${abs}`, {
      hint: "pass the interpreter's executable, or a venv or install directory with bin/python3",
    });
  }
  return inside;
}
