// `venvctl versions [--json]`: every interpreter the shims can run — version,
// implementation, path, where it was found — with the selected ones marked.
import type { Context } from "../context.js";
import { buildInventory, type Target } from "../interpreters/inventory.js";
import { activeVenv, chooseInterpreter, describeChoiceOrigin, resolveEntry, systemPython } from "../interpreters/selection.js";
import { formatVersion } from "../interpreters/version.js";
import { selectVersion } from "../interpreters/version-file.js";
import { tildify } from "../util/log.js";
import { realpathOrSelf } from "../util/fs.js";

export interface VersionsOptions {
  json: boolean;
}

export interface VersionsEntry {
  /** How `version` and .python-version name it. */
  name: string;
  version: string;
  implementation: string;
  path: string;
  source: "pyenv" | "uv" | "path" | "venvctl" | "python.org" | "registry";
  selected: boolean;
  /** Why it is selected: "set by /x/.python-version". */
  selectedBy?: string;
}

/**
 * An entry as `--json` writes it: snake_case keys like every other JSON
 * document venvctl writes (`selected_by`). `selectedBy`, the key of
 * venvctl 0.1, is written too for one more release (README, --json).
 */
export function versionsEntryJson(e: VersionsEntry): Record<string, unknown> {
  const { selectedBy, ...rest } = e;
  return selectedBy === undefined ? rest : { ...rest, selected_by: selectedBy, selectedBy };
}

export interface VersionsResult {
  interpreters: VersionsEntry[];
}

export async function versions(_opts: VersionsOptions, ctx: Context): Promise<VersionsResult> {
  const index = await buildInventory(ctx);
  const selected = new Map<Target, string>();
  const mark = (python: string | undefined, why: string) => {
    const real = python && realpathOrSelf(python);
    const t = real ? index.targets.find((x) => realpathOrSelf(x.python) === real) : undefined;
    if (t && !selected.has(t)) selected.set(t, why);
  };
  const selection = selectVersion(ctx);
  if (selection.entries.length > 0 && !activeVenv(ctx)) {
    // Every pinned version that is installed, as pyenv marks them.
    const why = describeChoiceOrigin(selection.origin, ctx.dirs.home);
    for (const e of selection.entries) {
      const r = resolveEntry(index, e);
      if (r.kind === "version" && !selected.has(r.target)) selected.set(r.target, why);
      if (r.kind === "system") mark(systemPython(ctx), `system, ${why}`);
    }
  } else {
    try {
      const choice = await chooseInterpreter(ctx, index);
      mark(choice.python, choice.origin.kind === "path" ? "system: no version pinned" : describeChoiceOrigin(choice.origin, ctx.dirs.home));
    } catch {
      // Nothing to mark: `version` explains why.
    }
  }
  return {
    interpreters: index.targets.map((t) => ({
      name: t.name,
      version: formatVersion(t.version),
      implementation: t.implementation,
      path: t.python,
      source: t.source === "explicit" ? "path" : t.source,
      selected: selected.has(t),
      ...(selected.has(t) ? { selectedBy: selected.get(t) } : {}),
    })),
  };
}

/** The table `versions` prints: `* 3.12.1  cpython  pyenv  ~/.pyenv/versions/3.12.1/bin/python3  (set by …)`. */
export function formatVersionsTable(r: VersionsResult, home: string): string[] {
  const width = Math.max(0, ...r.interpreters.map((i) => i.name.length));
  const implWidth = Math.max(0, ...r.interpreters.map((i) => i.implementation.length));
  // Sources fit in 7 columns ("venvctl"), but for "registry": the column widens only when one is listed.
  const sourceWidth = Math.max(7, ...r.interpreters.map((i) => (i.source === "path" ? 4 : i.source.length)));
  return r.interpreters.map((i) => {
    const source = i.source === "path" ? "PATH" : i.source;
    const line = `${i.selected ? "*" : " "} ${i.name.padEnd(width)}  ${i.implementation.padEnd(implWidth)}  ${source.padEnd(sourceWidth)}  ${tildify(i.path, home)}`;
    return i.selectedBy ? `${line}  (${i.selectedBy})` : line;
  });
}
