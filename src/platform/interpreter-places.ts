// Where interpreters are, per platform: the one module that answers it, so
// discovery, selection and the managed-directory code never hold a POSIX
// assumption of their own.
// - POSIX: PATH split on `:`, `python3.12`-style names, `bin/python3` inside
//   an install or venv, pyenv's `versions/`, uv's `$XDG_DATA_HOME/uv/python`.
// - Windows: PATH split on `;`, `python.exe`-style names compared without
//   case, `python.exe` inside an install (`Scripts\python.exe` inside a venv),
//   pyenv-win's `%PYENV_ROOT%\versions` (pyenv-win sets PYENV_ROOT to
//   `%USERPROFILE%\.pyenv\pyenv-win`), uv's `%APPDATA%\uv\python`, and the
//   python.org installer's per-user `%LOCALAPPDATA%\Programs\Python\Python3XY`.
//   The Microsoft Store's `WindowsApps` stubs (python.exe that opens the
//   Store) are never taken for interpreters.
// PEP 514's registry entries (`py.exe`'s list) are read in pep514.ts, through
// `reg query` (processes: discovery reads them last, and only when asked).
import { join } from "node:path";
import type { Context } from "../context.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform">;

export const isWindows = (ctx: Pick<Context, "platform">) => ctx.platform === "win32";

/** PATH's separator. */
export function pathDelimiter(ctx: Pick<Context, "platform">): string {
  return isWindows(ctx) ? ";" : ":";
}

const POSIX_PYTHON_NAME = /^(?:python|python[23](?:\.\d+)?|pypy|pypy3(?:\.\d+)?)$/;
const WINDOWS_PYTHON_NAME = /^(?:python|python3(?:\.\d+)?|pypy|pypy3(?:\.\d+)?)\.exe$/i;

/** Whether a file name on PATH names a Python interpreter. */
export function isPythonName(ctx: Pick<Context, "platform">, name: string): boolean {
  return (isWindows(ctx) ? WINDOWS_PYTHON_NAME : POSIX_PYTHON_NAME).test(name);
}

/** The minor version a PATH name tells (`python3.11`, `python3.11.exe`), if any. */
export function minorInName(ctx: Pick<Context, "platform">, name: string): boolean {
  return (isWindows(ctx) ? /^python3\.\d+\.exe$/i : /^python3\.\d+$/).test(name);
}

/** Where the interpreter is inside an install or venv directory, in the order tried. */
export function interpreterPathsInDir(ctx: Pick<Context, "platform">): readonly string[] {
  return isWindows(ctx)
    ? ["python.exe", "Scripts/python.exe", "pypy3.exe", "pypy.exe"]
    : ["bin/python3", "bin/python", "bin/pypy3", "bin/pypy"];
}

/** pyenv's root: `$PYENV_ROOT`, else ~/.pyenv (pyenv-win's: ~\.pyenv\pyenv-win). */
export function pyenvRoot(ctx: Ctx): string {
  if (ctx.env.PYENV_ROOT) return ctx.env.PYENV_ROOT;
  return isWindows(ctx) ? join(ctx.dirs.home, ".pyenv", "pyenv-win") : join(ctx.dirs.home, ".pyenv");
}

/** uv's managed interpreters: `$UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python` (Windows: `%APPDATA%\uv\python`). */
export function uvPythonDir(ctx: Ctx): string {
  if (ctx.env.UV_PYTHON_INSTALL_DIR) return ctx.env.UV_PYTHON_INSTALL_DIR;
  if (isWindows(ctx)) return join(ctx.env.APPDATA || join(ctx.dirs.home, "AppData", "Roaming"), "uv", "python");
  return join(ctx.env.XDG_DATA_HOME || join(ctx.dirs.home, ".local", "share"), "uv", "python");
}

/** Where the python.org installer puts per-user installs (Windows only). */
export function pythonOrgUserDir(ctx: Ctx): string | undefined {
  if (!isWindows(ctx)) return undefined;
  return join(ctx.env.LOCALAPPDATA || join(ctx.dirs.home, "AppData", "Local"), "Programs", "Python");
}

/**
 * The interpreter a venv's pyvenv.cfg `home` names, by the file names it has
 * there, most specific first (before 3.11 pyvenv.cfg has no `executable`).
 */
export function homeInterpreterNames(ctx: Pick<Context, "platform">, version: { major: number; minor: number } | undefined): string[] {
  if (isWindows(ctx)) return ["python.exe", "python3.exe"];
  return [...(version ? [`python${version.major}.${version.minor}`] : []), "python3", "python"];
}

/** The venv's directory of commands: bin, or Scripts on Windows. */
export function venvBinName(ctx: Pick<Context, "platform">): string {
  return isWindows(ctx) ? "Scripts" : "bin";
}

/**
 * The file names a command can have in a directory: itself on POSIX; on
 * Windows, without an extension of PATHEXT, itself with each of them
 * (python → python.com, python.exe, python.bat, python.cmd), as cmd.exe
 * looks commands up.
 */
export function commandFileNames(ctx: Pick<Context, "platform" | "env">, cmd: string): string[] {
  if (!isWindows(ctx)) return [cmd];
  const exts = (ctx.env.PATHEXT || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean).map((e) => e.toLowerCase());
  const lower = cmd.toLowerCase();
  if (exts.some((e) => lower.endsWith(e))) return [cmd];
  return exts.map((e) => cmd + e);
}

/** Directories whose python.exe is a stub, never an interpreter (the Store's app aliases). */
export function stubDirs(ctx: Ctx): string[] {
  if (!isWindows(ctx)) return [];
  return [join(ctx.env.LOCALAPPDATA || join(ctx.dirs.home, "AppData", "Local"), "Microsoft", "WindowsApps")];
}
