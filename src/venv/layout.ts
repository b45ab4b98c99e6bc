// The shape of a venv for one interpreter version: which directories, which
// python links, which pyvenv.cfg keys — what `python -m venv` of that version
// makes (Lib/venv/__init__.py of 3.6 through 3.13).
import { basename, join, posix, win32 } from "node:path";
import { isWindowsInterpreter, pathsFor } from "../platform/venv-executables.js";
import type { Interpreter } from "../interpreters/interpreter.js";
import { VENV_PLACEHOLDER } from "../interpreters/interpreter.js";
import { pythonRepr, type PyvenvCfgEntry } from "../standards/pyvenv-cfg.js";

/** The paths pip installs to inside the env (for seeding and package commands). */
export interface InstallPaths {
  purelib: string;
  platlib: string;
  scripts: string;
  data: string;
  include: string;
}

export interface VenvLayout {
  envDir: string;
  binDir: string;
  /** "bin" (POSIX) or "Scripts" (Windows): relative to envDir. */
  binName: string;
  includeDir: string;
  sitePackages: string;
  install: InstallPaths;
  /** Whether `lib64 → lib` is made (64-bit POSIX, not macOS: bpo-21197). */
  lib64: boolean;
  /** The interpreter's file name in the bin directory, as venv names it (sys._base_executable's; platform/venv-executables.ts says what else is there). */
  pythonName: string;
  /** `home` in pyvenv.cfg: the directory of the base interpreter. */
  home: string;
  layoutKind: "posix" | "windows";
}

function fill(template: string, envDir: string): string {
  return template.split(VENV_PLACEHOLDER).join(envDir);
}

/** Computes the layout of a venv at `envDir` (absolute) for `interpreter`. */
export function venvLayout(interpreter: Interpreter, envDir: string): VenvLayout {
  const info = interpreter.info;
  const dirs = info.venv_dirs;
  if (!dirs) throw new Error("interpreter has no venv module (checked by the caller)");
  const path = pathsFor(interpreter);
  const binDir = fill(dirs.scripts, envDir);
  const paths = info.venv_paths ?? {};
  const sitePackages = fill(dirs.purelib, envDir);
  const install: InstallPaths = {
    purelib: sitePackages,
    platlib: fill(paths.platlib ?? dirs.purelib, envDir),
    scripts: binDir,
    data: fill(paths.data ?? VENV_PLACEHOLDER, envDir),
    include: fill(paths.include ?? dirs.include, envDir),
  };
  const base = info.base_executable || info.executable;
  return {
    envDir,
    binDir,
    binName: binDir.startsWith(envDir + path.sep) ? binDir.slice(envDir.length + 1) : path.basename(binDir),
    includeDir: fill(dirs.include, envDir),
    sitePackages,
    install,
    lib64: info.pointer_size === 64 && info.os_name === "posix" && info.platform !== "darwin",
    pythonName: path.basename(base),
    home: path.dirname(base),
    layoutKind: isWindowsInterpreter(interpreter) ? "windows" : "posix",
  };
}

export interface CfgOptions {
  systemSitePackages: boolean;
  /** The prompt as resolved (`.` already replaced), or undefined when not given. */
  prompt: string | undefined;
  /** The prompt as the user typed it (for `command`). */
  originalPrompt: string | undefined;
  symlinks: boolean;
  withPip: boolean;
  clear: boolean;
  upgrade: boolean;
  upgradeDeps: boolean;
  venvctlVersion: string;
}

/**
 * The pyvenv.cfg entries `python -m venv` of this version writes for the same
 * options, plus `venvctl = <version>`. `command` is the `python -m venv`
 * command line that would make the same environment.
 */
export function pyvenvCfgEntries(interpreter: Interpreter, layout: VenvLayout, opts: CfgOptions): PyvenvCfgEntry[] {
  const { major, minor, patch } = interpreter.version;
  const entries: PyvenvCfgEntry[] = [
    { key: "home", value: layout.home },
    { key: "include-system-site-packages", value: opts.systemSitePackages ? "true" : "false" },
    { key: "version", value: `${major}.${minor}.${patch}` },
  ];
  const atLeast = (m: number) => major > 3 || (major === 3 && minor >= m);
  // 3.8 started writing the prompt; venvctl writes it for every version, since
  // its own activation scripts and `venvctl` read it back.
  if (opts.prompt !== undefined) entries.push({ key: "prompt", value: pythonRepr(opts.prompt) });
  if (atLeast(11)) {
    entries.push({ key: "executable", value: interpreter.info.real_executable });
    const args: string[] = [];
    const nt = layout.layoutKind === "windows";
    if (nt && opts.symlinks) args.push("--symlinks");
    if (!nt && !opts.symlinks) args.push("--copies");
    if (!opts.withPip) args.push("--without-pip");
    if (opts.systemSitePackages) args.push("--system-site-packages");
    if (opts.clear) args.push("--clear");
    if (opts.upgrade) args.push("--upgrade");
    if (opts.upgradeDeps) args.push("--upgrade-deps");
    if (opts.originalPrompt !== undefined) args.push(`--prompt="${opts.originalPrompt}"`);
    // 3.13 writes .gitignore unless told not to; so does venvctl, always.
    args.push(layout.envDir);
    entries.push({ key: "command", value: `${interpreter.info.executable} -m venv ${args.join(" ")}` });
  }
  entries.push({ key: "venvctl", value: opts.venvctlVersion });
  return entries;
}

/** The activation prompt name: --prompt (`.` = the current directory's name), else the env dir's name. */
export function resolvePrompt(prompt: string | undefined, cwd: string): string | undefined {
  if (prompt === undefined) return undefined;
  return prompt === "." ? basename(cwd) : prompt;
}

/** Path of pyvenv.cfg in an env. */
export function cfgPath(envDir: string): string {
  return join(envDir, "pyvenv.cfg");
}

/**
 * The python that launchers and `#!python` scripts name in a venv, as pip
 * names it: venv runs ensurepip with <env>/bin/<the name the base
 * interpreter has>, pip writes that sys.executable into the shebangs of the
 * seeded pip, and a `pip install` run through that pip writes it again.
 */
export function launcherPython(layout: VenvLayout): string {
  return (layout.layoutKind === "windows" ? win32 : posix).join(layout.binDir, layout.pythonName);
}
