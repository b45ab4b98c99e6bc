// Which environment a package command acts on, and what its Python would
// put on sys.path — without running Python: a venv's pyvenv.cfg and the
// cached probe of its base interpreter say where the site directories are;
// .pth files and the user site are read per call, as site.py reads them.
//   -p/--python TARGET (a venv directory, a python executable, a version
//   request) > $VIRTUAL_ENV > the nearest .venv from the working directory
//   up > the interpreter version selection picks (.python-version, the
//   global version, python3 on PATH).
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { expandHome, interpreterInDir } from "../interpreters/discovery.js";
import { probeInterpreter, USERBASE_PLACEHOLDER, VENV_PLACEHOLDER, type Interpreter } from "../interpreters/interpreter.js";
import { parsePythonRequest } from "../interpreters/request.js";
import { findInterpreter } from "../interpreters/selection.js";
import { hasPyvenvCfg, readVenvCfg, venvBaseInterpreter } from "../interpreters/venv-base.js";
import { debug, tildify } from "../util/log.js";
import { listDir } from "./listing.js";
import { getCfgValue, type PyvenvCfgEntry } from "../standards/pyvenv-cfg.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

/** How the target was chosen, for messages. */
export type TargetOrigin = "--python" | "VIRTUAL_ENV" | ".venv" | "version selection";

/** The environment a package command reads or changes. */
export interface PackageTarget {
  kind: "venv" | "interpreter";
  /** sys.prefix of the environment's Python: the venv directory, or the interpreter's prefix. */
  prefix: string;
  /** The venv directory (kind "venv"). */
  envDir?: string | undefined;
  /** The python executable to hand commands to (pip). */
  python: string;
  /** The interpreter (a venv's base interpreter), probed once and cached. */
  interpreter: Interpreter;
  /** The venv's pyvenv.cfg entries. */
  cfg?: PyvenvCfgEntry[] | undefined;
  /** A venv that also sees its base interpreter's site-packages (`include-system-site-packages = true`). */
  systemSitePackages: boolean;
  /** Where pip installs pure and platform-specific packages. */
  purelib: string;
  platlib: string;
  /** The user site directory (site.getusersitepackages()), whether or not it is on sys.path. */
  userSite: string | undefined;
  /** Whether site.py puts the user site on sys.path (when it exists). */
  userSiteEnabled: boolean;
  origin: TargetOrigin;
}

/** Resolves the environment from -p, $VIRTUAL_ENV, a .venv up from cwd, or version selection. */
export async function resolveTarget(ctx: Ctx, python?: string): Promise<PackageTarget> {
  if (python !== undefined && python !== "") {
    const abs = resolve(ctx.cwd, expandHome(python, ctx.dirs.home));
    if (existsSync(abs)) return targetFromPath(ctx, abs, "--python");
    const request = parsePythonRequest(python);
    if (request.kind === "path") {
      throw new VenvctlError(`no environment or interpreter at ${abs}`, {
        hint: "pass a venv directory, a python executable, or a version such as -p 3.12",
      });
    }
    const found = await findInterpreter(ctx, request);
    return targetFromInterpreter(ctx, found.interpreter, "--python");
  }
  const virtualEnv = ctx.env.VIRTUAL_ENV;
  if (virtualEnv) {
    const dir = resolve(ctx.cwd, virtualEnv);
    if (!hasPyvenvCfg(dir)) {
      throw new VenvctlError(`VIRTUAL_ENV names ${dir}, which is not a virtual environment (no pyvenv.cfg)`, {
        hint: "deactivate it, or pass the environment with -p",
      });
    }
    debug(ctx, `using the active virtual environment ${tildify(dir, ctx.dirs.home)} (VIRTUAL_ENV)`);
    return venvTarget(ctx, dir, "VIRTUAL_ENV");
  }
  for (let dir = ctx.cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, ".venv");
    if (hasPyvenvCfg(candidate)) {
      debug(ctx, `using ${tildify(candidate, ctx.dirs.home)} (the nearest .venv)`);
      return venvTarget(ctx, candidate, ".venv");
    }
    if (dirname(dir) === dir) break;
  }
  const found = await findInterpreter(ctx, { kind: "default" });
  return targetFromInterpreter(ctx, found.interpreter, "version selection");
}

async function targetFromPath(ctx: Ctx, abs: string, origin: TargetOrigin): Promise<PackageTarget> {
  if (statSync(abs).isDirectory()) {
    if (hasPyvenvCfg(abs)) return venvTarget(ctx, abs, origin);
    const exe = interpreterInDir(ctx, abs);
    if (!exe) {
      throw new VenvctlError(`${abs} is neither a virtual environment nor a Python installation`, {
        hint: "pass a venv directory (with pyvenv.cfg), a python executable, or a version such as -p 3.12",
      });
    }
    abs = exe;
  }
  // A venv's python (site.py looks for pyvenv.cfg beside it or one level up).
  const exeDir = dirname(abs);
  if (hasPyvenvCfg(exeDir) || hasPyvenvCfg(dirname(exeDir))) {
    return venvTarget(ctx, dirname(exeDir), origin, abs);
  }
  return targetFromInterpreter(ctx, await probeInterpreter(ctx, abs), origin);
}

async function targetFromInterpreter(ctx: Ctx, interpreter: Interpreter, origin: TargetOrigin): Promise<PackageTarget> {
  const info = interpreter.info;
  if (info.in_venv && hasPyvenvCfg(info.prefix)) {
    return venvTarget(ctx, info.prefix, origin, interpreter.path);
  }
  return {
    kind: "interpreter",
    prefix: info.prefix,
    python: interpreter.path,
    interpreter,
    systemSitePackages: false,
    purelib: info.sys_paths.purelib ?? info.site?.site_dirs[0] ?? "",
    platlib: info.sys_paths.platlib ?? info.sys_paths.purelib ?? "",
    ...userSite(ctx, interpreter, true),
    origin,
  };
}

async function venvTarget(ctx: Ctx, envDir: string, origin: TargetOrigin, python?: string): Promise<PackageTarget> {
  const cfg = readVenvCfg(envDir);
  // Learnt from pyvenv.cfg and discovery alone: nothing inside the
  // environment runs to tell us about it.
  const interpreter = await venvBaseInterpreter(ctx, envDir, cfg);
  const info = interpreter.info;
  const fill = (t: string) => t.split(VENV_PLACEHOLDER).join(envDir);
  const purelib = fill(info.venv_paths?.purelib ?? info.venv_dirs?.purelib ?? `${VENV_PLACEHOLDER}/lib/python${interpreter.version.major}.${interpreter.version.minor}/site-packages`);
  const platlib = fill(info.venv_paths?.platlib ?? purelib);
  // site.py: a missing key means true.
  const systemSitePackages = (getCfgValue(cfg, "include-system-site-packages") ?? "true").toLowerCase() === "true";
  const exe = python ?? interpreterInDir(ctx, envDir) ?? join(envDir, "bin", "python");
  return {
    kind: "venv",
    prefix: envDir,
    envDir,
    python: exe,
    interpreter,
    cfg,
    systemSitePackages,
    purelib,
    platlib,
    ...userSite(ctx, interpreter, systemSitePackages),
    origin,
  };
}

/** site.getusersitepackages() and whether site.py enables it (ENABLE_USER_SITE). */
function userSite(ctx: Pick<Context, "env" | "dirs" | "platform">, interpreter: Interpreter, allowed: boolean): { userSite: string | undefined; userSiteEnabled: boolean } {
  const template = interpreter.info.site?.user_site;
  let site: string | undefined;
  if (template) {
    const env = ctx.env;
    let base = env.PYTHONUSERBASE;
    if (!base) {
      const kind = interpreter.info.site?.user_base_kind ?? "posix";
      const { major, minor } = interpreter.version;
      base = kind === "nt" ? join(env.APPDATA || ctx.dirs.home, "Python")
        : kind === "framework" ? join(ctx.dirs.home, "Library", "Python", `${major}.${minor}`)
        : join(ctx.dirs.home, ".local");
    }
    site = template.split(USERBASE_PLACEHOLDER).join(base);
  }
  // -s / PYTHONNOUSERSITE turn it off; so does a venv without system site-packages.
  const enabled = allowed && !ctx.env.PYTHONNOUSERSITE;
  return { userSite: site, userSiteEnabled: enabled };
}

/** The site directories site.py adds, in order (before .pth files). */
function siteDirs(target: PackageTarget): string[] {
  const layout = target.interpreter.info.site;
  const out: string[] = [];
  if (target.kind === "venv") {
    const venvDirs = layout?.venv_site_dirs ?? [`${VENV_PLACEHOLDER}/lib/python${target.interpreter.version.major}.${target.interpreter.version.minor}/site-packages`];
    out.push(...venvDirs.map((t) => t.split(VENV_PLACEHOLDER).join(target.envDir!)));
    if (target.systemSitePackages) {
      if (target.userSiteEnabled && target.userSite) out.push(target.userSite);
      out.push(...(layout?.venv_base_site_dirs ?? layout?.site_dirs ?? []));
    }
  } else {
    if (target.userSiteEnabled && target.userSite) out.push(target.userSite);
    out.push(...(layout?.site_dirs ?? [target.purelib]));
  }
  return out;
}

/**
 * sys.path as `python -m pip` in this environment has it (pip drops the
 * working directory, sys.path[0]): $PYTHONPATH, the interpreter's own
 * entries, then each site directory followed by the paths its .pth files
 * add. `import` lines of .pth files are not run (they rarely add paths).
 */
export function targetSysPath(target: PackageTarget, ctx: Pick<Context, "env" | "cwd">): string[] {
  const out: string[] = [];
  const known = new Set<string>();
  const add = (p: string): boolean => {
    const abs = p.startsWith("/") && !p.includes("/.") && !p.includes("//") && !p.endsWith("/") ? p : resolve(ctx.cwd, p);
    if (known.has(abs)) return false;
    known.add(abs);
    out.push(abs);
    return true;
  };
  for (const p of (ctx.env.PYTHONPATH ?? "").split(delimiter)) if (p) add(p);
  for (const p of target.interpreter.info.site?.base_path ?? []) add(p);
  const v = target.interpreter.version;
  const skipHidden = v.major > 3 || (v.major === 3 && v.minor >= 13);
  for (const dir of siteDirs(target)) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    add(dir);
    const pths = (listDir(dir) ?? [])
      .filter((n) => n.endsWith(".pth") && !(skipHidden && n.startsWith(".")))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of pths) {
      let text: string;
      try {
        text = readFileSync(join(dir, name), "utf8");
      } catch {
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      for (const line of text.split(/\r\n|\r|\n/)) {
        if (line.startsWith("#") || line.trim() === "") continue;
        if (line.startsWith("import ") || line.startsWith("import\t")) continue;
        const entry = resolve(dir, line.trimEnd());
        if (!known.has(entry) && existsSync(entry)) add(entry);
      }
    }
  }
  return out;
}

/**
 * The version of the pip this environment would run (`python -m pip`):
 * the first pip-*.dist-info on its sys.path, or undefined when there is none.
 * Output formats follow it.
 */
export function envPipVersion(sysPath: readonly string[]): string | undefined {
  for (const dir of sysPath) {
    for (const name of listDir(dir) ?? []) {
      if (!name.startsWith("pip-")) continue;
      const m = /^pip-([^-]+)\.dist-info$/.exec(name);
      if (m && statSync(dir + "/" + name, { throwIfNoEntry: false })?.isDirectory()) return m[1];
    }
  }
  return undefined;
}

/** "the virtual environment at ~/proj/.venv" / "CPython 3.12.1 at /usr/bin/python3", for messages. */
export function describeTarget(target: PackageTarget, home: string): string {
  return target.kind === "venv"
    ? `the virtual environment at ${tildify(target.envDir!, home)}`
    : `the interpreter ${tildify(target.python, home)}`;
}
