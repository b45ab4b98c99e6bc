// Where other tools keep interpreters and shims, and the one PATH search.
// A shim directory (venvctl's, pyenv's, asdf's, mise's) is recognised by the
// file it is — device and inode — however PATH spells it (a symlinked root,
// `//`, a trailing slash), so a shim is never taken for an interpreter and a
// shim never finds itself as "the system's" command. shims/shim.sh does the
// same with `[ DIR -ef SHIMDIR ]`.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Context } from "../context.js";

import { commandFileNames, pathDelimiter, pyenvRoot, stubDirs } from "../platform/interpreter-places.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform">;

export { pyenvRoot, uvPythonDir } from "../platform/interpreter-places.js";

function xdgDataHome(ctx: Ctx): string {
  return ctx.env.XDG_DATA_HOME || join(ctx.dirs.home, ".local", "share");
}

/**
 * Directories whose executables are shims, never interpreters: venvctl's,
 * pyenv's, asdf's (`$ASDF_DATA_DIR/shims`) and mise's (`$MISE_DATA_DIR/shims`),
 * and on Windows the Store's app-alias stubs.
 */
export function shimDirs(ctx: Ctx): string[] {
  return [
    join(ctx.dirs.root, "shims"),
    join(pyenvRoot(ctx), "shims"),
    join(ctx.env.ASDF_DATA_DIR || join(ctx.dirs.home, ".asdf"), "shims"),
    join(ctx.env.MISE_DATA_DIR || join(xdgDataHome(ctx), "mise"), "shims"),
    ...stubDirs(ctx),
  ];
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `path` is a regular file this user may execute (sh's `[ -f f ] && [ -x f ]`). */
export function isExecutableFile(path: string): boolean {
  if (statOrUndefined(path)?.isFile() !== true) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute directories of PATH that are not shim directories, in order,
 * each once. Relative entries are skipped: a command never depends on the
 * working directory (a cloned repository is untrusted input).
 */
export function searchDirs(ctx: Ctx): string[] {
  const shims = shimDirs(ctx).map(statOrUndefined).filter((s): s is Stats => s !== undefined);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const dir of (ctx.env.PATH ?? "").split(pathDelimiter(ctx))) {
    if (!dir || !isAbsolute(dir) || seen.has(dir)) continue;
    seen.add(dir);
    const st = statOrUndefined(dir);
    if (!st || !st.isDirectory()) continue;
    if (shims.some((s) => s.dev === st.dev && s.ino === st.ino)) continue;
    out.push(dir);
  }
  return out;
}

/** The first executable `cmd` on PATH outside the shim directories, or undefined. */
export function findOnPath(ctx: Ctx, cmd: string): string | undefined {
  for (const dir of searchDirs(ctx)) {
    const p = commandInDir(ctx, dir, cmd);
    if (p) return p;
  }
  return undefined;
}

/** `cmd` in `dir`, as the platform names commands (python.exe for python on Windows), or undefined. */
export function commandInDir(ctx: Pick<Context, "platform" | "env">, dir: string, cmd: string): string | undefined {
  for (const name of commandFileNames(ctx, cmd)) {
    const p = join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}
