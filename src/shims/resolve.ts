// What a shim runs, worked out in TypeScript: the selection chain
// (interpreters/selection.ts) applied to one command, as shims/shim.sh applies it —
// an active venv's own command; the pinned versions, the first that has the
// command; else the system's. `which` and `exec` go through here.
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { commandIn, completeInventory, installedList, buildInventory, type Inventory, type Target } from "../interpreters/inventory.js";
import { commandInDir, findOnPath } from "../util/path-search.js";
import { venvBinName } from "../platform/interpreter-places.js";
import { join } from "node:path";
import { installPinned, notInstalledError, resolveEntryIn, showEntry } from "../interpreters/selection.js";
import { describeOrigin, selectVersion } from "../interpreters/version-file.js";
import { debug, tildify } from "../util/log.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr" | "stderrIsTTY" | "afterPythonInstall">;

/** Where a command was found. */
export type Resolution =
  | { kind: "venv"; path: string; venv: string }
  | { kind: "version"; path: string; target: Target; entry: string }
  | { kind: "system"; path: string; /** The `system` entry chose it, or it was the last resort. */ chosen: boolean };

/** The active virtual environment's own `cmd`, if it has one. */
export function venvCommand(ctx: Pick<Context, "env" | "platform">, cmd: string): string | undefined {
  const venv = ctx.env.VIRTUAL_ENV;
  if (!venv) return undefined;
  return commandInDir(ctx, join(venv, venvBinName(ctx)), cmd);
}

/** Command names a shim can have (the shims refuse anything else). */
export function isShimName(cmd: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(cmd);
}

/**
 * What the shim for `cmd` runs now. Throws, naming the versions and who set
 * them, when nothing selected is installed or none of it has `cmd`.
 */
export async function resolveCommand(ctx: Ctx, cmd: string, index?: Inventory, mayInstall = true): Promise<Resolution> {
  const inVenv = venvCommand(ctx, cmd);
  if (inVenv) {
    debug(ctx, `${cmd}: the active virtual environment's (${tildify(ctx.env.VIRTUAL_ENV!, ctx.dirs.home)})`);
    return { kind: "venv", path: inVenv, venv: ctx.env.VIRTUAL_ENV! };
  }
  const selection = selectVersion(ctx);
  // Nothing pinned: PATH answers, and the inventory is only needed to explain a miss.
  if (selection.entries.length === 0) {
    const p = findOnPath(ctx, cmd);
    if (p) {
      debug(ctx, `${cmd}: from PATH (no version pinned)`);
      return { kind: "system", path: p, chosen: false };
    }
  }
  // Without the registry (Windows, PEP 514) until an entry misses: its
  // interpreters rank last, so reading it later changes no answer.
  index ??= await buildInventory(ctx, { deferRegistry: true });
  const origin = describeOrigin(selection.origin);
  let anyInstalled = false;
  const missing: string[] = [];
  const without: string[] = [];
  for (const entry of selection.entries) {
    const looked = await resolveEntryIn(ctx, index, entry);
    index = looked.inventory;
    const r = looked.resolved;
    if (r.kind === "missing") {
      debug(ctx, `${entry} (${origin}) is not installed`);
      missing.push(entry);
      continue;
    }
    anyInstalled = true;
    if (r.kind === "system") {
      const p = findOnPath(ctx, cmd);
      if (p) return { kind: "system", path: p, chosen: true };
      without.push("system");
      continue;
    }
    const p = commandIn(ctx, r.target, cmd);
    if (p) {
      debug(ctx, `${cmd}: ${r.target.name} from ${r.target.source} (${entry}, ${origin})`);
      return { kind: "version", path: p, target: r.target, entry };
    }
    debug(ctx, `${r.target.name} has no ${cmd}`);
    without.push(r.target.name);
  }
  // None of the selected versions has it: the system's, as pyenv does, unless
  // none of them is installed at all.
  if (anyInstalled) {
    const p = findOnPath(ctx, cmd);
    if (p) {
      debug(ctx, `${cmd}: from PATH (${selection.entries.length ? `not in ${without.join(", ")}` : "no version pinned"})`);
      return { kind: "system", path: p, chosen: false };
    }
  }
  // What is said of a miss names every interpreter there is.
  if (index.registryDeferred) index = await completeInventory(ctx, index);
  if (!anyInstalled && missing.length > 0) {
    // VENVCTL_PYTHON_DOWNLOADS=automatic: install the first pinned version, then resolve again (once).
    if (mayInstall && (await installPinned(ctx, selection.entries, origin))) return resolveCommand(ctx, cmd, undefined, false);
    throw notInstalledError(missing.map(showEntry), origin, installedList(index), selection.entries);
  }
  const providers = index.targets.filter((t) => commandIn(ctx, t, cmd)).map((t) => t.name);
  const where = selection.entries.length === 0
    ? "no version is pinned, and it is not on PATH"
    : `not in ${[...without, ...missing.map((m) => `${showEntry(m)} (not installed)`)].join(", ")} (${origin}), nor on PATH`;
  throw new VenvctlError(`${cmd}: command not found: ${where}`, {
    hint: providers.length
      ? `the \`${cmd}\` command exists in: ${providers.join(", ")}; select one with \`venvctl use\`, or list several versions in .python-version`
      : `no installed Python has \`${cmd}\` (installed: ${installedList(index)})`,
  });
}
