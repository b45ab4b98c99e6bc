// What a shim runs, worked out in TypeScript: the same steps as
// shims/shim.sh (an active venv; VENVCTL_VERSION, the nearest .python-version,
// the global file; system), over the same index. `which`, `exec`, `version`,
// `versions` and the shims' range fallback all go through here.
import { realpathSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { pyenvRoot } from "../python/discovery.js";
import { parsePythonRequest } from "../python/request.js";
import { describeOrigin, isRangeWord, selectVersion, type Selection } from "../python/version-file.js";
import { debug, tildify } from "../util/log.js";
import { buildShimIndex, commandIn, installedList, isExecutable, matchRequest, type ShimIndex, type Target } from "./shim-index.js";

type Ctx = Pick<Context, "env" | "dirs" | "cwd" | "stderr">;

/** Where a command was found. */
export type Resolution =
  | { kind: "venv"; path: string; venv: string }
  | { kind: "version"; path: string; target: Target; entry: string }
  | { kind: "system"; path: string; /** The `system` entry chose it, or it was the last resort. */ chosen: boolean };

/** One entry of the selection, resolved. */
export type ResolvedEntry =
  | { entry: string; kind: "version"; target: Target }
  | { entry: string; kind: "system" }
  | { entry: string; kind: "missing" };

/**
 * The working directory as the shell knows it: $PWD when it names the same
 * directory as the real one (so a path through a symlink walks up as pyenv
 * and the shims walk up), else the real one.
 */
export function logicalCwd(ctx: Pick<Context, "env" | "cwd">): string {
  const pwd = ctx.env.PWD;
  if (!pwd || !isAbsolute(pwd) || pwd === ctx.cwd) return ctx.cwd;
  try {
    return realpathSync(pwd) === realpathSync(ctx.cwd) ? resolve(pwd) : ctx.cwd;
  } catch {
    return ctx.cwd;
  }
}

/**
 * The selection chain as the shims walk it: a VENVCTL_VERSION that names no
 * version (blank, or only a comment) counts as unset.
 */
export function shimSelection(ctx: Pick<Context, "env" | "cwd" | "dirs">): Selection {
  const here = { ...ctx, cwd: logicalCwd(ctx) };
  const selection = selectVersion(here);
  if (selection.origin.kind === "env" && selection.entries.length === 0) {
    return selectVersion({ ...here, env: { ...ctx.env, VENVCTL_VERSION: undefined } });
  }
  return selection;
}

/** Resolves one entry of a selection against the index. */
export function resolveEntry(index: ShimIndex, entry: string): ResolvedEntry {
  if (entry === "system") return { entry, kind: "system" };
  let target = index.keys.get(entry);
  // A range is not in the index: the shim hands it to `venvctl exec`, which
  // resolves it here, to the newest installed match.
  if (!target && entry.split(" ").some(isRangeWord)) {
    const req = parsePythonRequest(entry);
    if (req.kind === "range" || req.kind === "version" || req.kind === "implementation") target = matchRequest(index, req);
  }
  return target ? { entry, kind: "version", target } : { entry, kind: "missing" };
}

/** The shim directories a `system` search passes over. */
function shimDirSet(ctx: Pick<Context, "env" | "dirs">): Set<string> {
  const dirs = [join(ctx.dirs.root, "shims"), join(pyenvRoot(ctx), "shims")];
  return new Set(dirs.flatMap((d) => [d, `${d}/`]));
}

/** `system`: the first executable `cmd` on PATH outside the shim directories. */
export function systemCommand(ctx: Pick<Context, "env" | "dirs">, cmd: string): string | undefined {
  const skip = shimDirSet(ctx);
  for (const dir of (ctx.env.PATH ?? "").split(":")) {
    if (!dir.startsWith("/") || skip.has(dir)) continue;
    const p = join(dir, cmd);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

/** The active virtual environment's own `cmd`, if it has one. */
export function venvCommand(ctx: Pick<Context, "env">, cmd: string): string | undefined {
  const venv = ctx.env.VIRTUAL_ENV;
  if (!venv) return undefined;
  const p = `${venv}/bin/${cmd}`;
  return isExecutable(p) ? p : undefined;
}

/** Command names a shim can have (the shims refuse anything else). */
export function isShimName(cmd: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(cmd);
}

/**
 * What the shim for `cmd` runs now. Throws, naming the versions and who set
 * them, when nothing selected is installed or none of it has `cmd`.
 */
export async function resolveCommand(ctx: Ctx, cmd: string, index?: ShimIndex): Promise<Resolution> {
  const inVenv = venvCommand(ctx, cmd);
  if (inVenv) {
    debug(ctx, `${cmd}: the active virtual environment's (${tildify(ctx.env.VIRTUAL_ENV!, ctx.dirs.home)})`);
    return { kind: "venv", path: inVenv, venv: ctx.env.VIRTUAL_ENV! };
  }
  const selection = shimSelection(ctx);
  index ??= await buildShimIndex(ctx);
  const origin = describeOrigin(selection.origin);
  let anyInstalled = false;
  const missing: string[] = [];
  const without: string[] = [];
  for (const entry of selection.entries) {
    const r = resolveEntry(index, entry);
    if (r.kind === "missing") {
      debug(ctx, `${entry} (${origin}) is not installed`);
      missing.push(entry);
      continue;
    }
    anyInstalled = true;
    if (r.kind === "system") {
      const p = systemCommand(ctx, cmd);
      if (p) return { kind: "system", path: p, chosen: true };
      without.push("system");
      continue;
    }
    const p = commandIn(r.target, cmd);
    if (p) {
      debug(ctx, `${cmd}: ${r.target.name} from ${r.target.source} (${entry}, ${origin})`);
      return { kind: "version", path: p, target: r.target, entry };
    }
    debug(ctx, `${r.target.name} has no ${cmd}`);
    without.push(r.target.name);
  }
  // None of the selected versions has it: the system's, as pyenv does, unless
  // none of them is installed at all.
  if (selection.entries.length === 0 || anyInstalled) {
    const p = systemCommand(ctx, cmd);
    if (p) {
      debug(ctx, `${cmd}: from PATH (${selection.entries.length ? `not in ${without.join(", ")}` : "no version pinned"})`);
      return { kind: "system", path: p, chosen: false };
    }
  }
  if (!anyInstalled && missing.length > 0) {
    const which = missing.map((m) => `\`${m}\``).join(", ");
    throw new VenvctlError(
      `${missing.length > 1 ? "versions" : "version"} ${which} ${missing.length > 1 ? "are" : "is"} not installed (${origin})`,
      { hint: `installed: ${installedList(index)}; pin one with \`venvctl use\`, or install it (e.g. \`pyenv install ${missing[0]}\`)` },
    );
  }
  const providers = index.targets.filter((t) => commandIn(t, cmd)).map((t) => t.name);
  const where = selection.entries.length === 0
    ? "no version is pinned, and it is not on PATH"
    : `not in ${[...without, ...missing.map((m) => `${m} (not installed)`)].join(", ")} (${origin}), nor on PATH`;
  throw new VenvctlError(`${cmd}: command not found: ${where}`, {
    hint: providers.length
      ? `the \`${cmd}\` command exists in: ${providers.join(", ")}; select one with \`venvctl use\`, or list several versions in .python-version`
      : `no installed Python has \`${cmd}\` (installed: ${installedList(index)})`,
  });
}
