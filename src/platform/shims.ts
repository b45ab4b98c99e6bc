// What shims are per platform: the one module that says how a command is
// named, where an install keeps its commands and how a shim file is called.
// - POSIX: a command is a file name (`python3.12`); a shim is an sh script
//   of that name (shims/shim.sh).
// - Windows: a command is a file whose extension is in PATHEXT, named
//   without it and compared without case (`Python.EXE`, `pip.exe` →
//   `python`, `pip`); an install keeps python.exe at its top and pip.exe and
//   the console scripts in `Scripts\`; a shim is `<name>.cmd`
//   (shims/shim.cmd), which cmd.exe, PowerShell and CreateProcess-by-PATHEXT
//   all find for `<name>`.
import { join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { isWindows } from "./interpreter-places.js";

type Ctx = Pick<Context, "platform" | "env">;

/** The PATHEXT extensions, lower case, in order (`.com`, `.exe`, `.bat`, `.cmd` when unset). */
export function pathExtensions(ctx: Ctx): string[] {
  return (ctx.env.PATHEXT || ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => /^\.[A-Za-z0-9]+$/.test(e)).map((e) => e.toLowerCase());
}

/**
 * The command a file in an install's command directory is, if it is one:
 * the name itself on POSIX; on Windows the name without its PATHEXT
 * extension (`pip3.12.exe` → `pip3.12`), undefined for other files
 * (`python312.dll`, `pip-script.py`).
 */
export function commandOfFile(ctx: Ctx, fileName: string): string | undefined {
  if (!isWindows(ctx)) return fileName;
  const lower = fileName.toLowerCase();
  const ext = pathExtensions(ctx).find((e) => lower.endsWith(e) && lower.length > e.length);
  return ext === undefined ? undefined : fileName.slice(0, fileName.length - ext.length);
}

/** The key two command names are the same command by: Windows compares names without case. */
export function commandKey(ctx: Pick<Context, "platform">, name: string): string {
  return isWindows(ctx) ? name.toLowerCase() : name;
}

/**
 * The directories an install (or venv) keeps its commands in, given the one
 * its interpreter is in: that one on POSIX (`bin/`); on Windows also
 * `Scripts\` below it, where pip and the console scripts are.
 */
export function installCommandDirs(ctx: Pick<Context, "platform">, interpreterDir: string): string[] {
  return isWindows(ctx) ? [interpreterDir, join(interpreterDir, "Scripts")] : [interpreterDir];
}

/** The file a shim for `cmd` is: `cmd` on POSIX, `cmd.cmd` on Windows. */
export function shimFileName(ctx: Pick<Context, "platform">, cmd: string): string {
  return isWindows(ctx) ? `${cmd}.cmd` : cmd;
}

/**
 * A path for a batch file's `set "NAME=<path>"` or `"<path>"`: inside the
 * quotes only `%` is special (doubled); a path cannot hold `"` on Windows,
 * and one that does (or a line break) is refused rather than written.
 */
export function batchQuotedPath(path: string): string {
  if (/["\r\n]/.test(path)) {
    throw new VenvctlError(`cannot write ${JSON.stringify(path)} into a batch file: it holds a quote or a line break`, {
      hint: "Windows paths cannot hold `\"`; set VENVCTL_ROOT (and PYENV_ROOT) to plain paths",
    });
  }
  return path.replace(/%/g, "%%");
}
