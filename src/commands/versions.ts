// `venvctl versions [--json]`: every interpreter the shims can run — version,
// implementation, path, where it was found — with the selected ones marked.
import type { Context } from "../context.js";
import { describeOrigin } from "../python/version-file.js";
import { resolveEntry, shimSelection, systemCommand } from "../shims/resolve.js";
import { buildShimIndex, type Target } from "../shims/shim-index.js";
import { formatVersion } from "../python/version.js";
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
  source: "pyenv" | "uv" | "path" | "venvctl";
  selected: boolean;
  /** Why it is selected: "set by /x/.python-version". */
  selectedBy?: string;
}

export interface VersionsResult {
  interpreters: VersionsEntry[];
}

export async function versions(_opts: VersionsOptions, ctx: Context): Promise<VersionsResult> {
  const index = await buildShimIndex(ctx);
  const selection = shimSelection(ctx);
  const why = describeOrigin(selection.origin);
  const selected = new Map<Target, string>();
  const entries = selection.entries.length ? selection.entries : ["system"];
  for (const e of entries) {
    const r = resolveEntry(index, e);
    if (r.kind === "version" && !selected.has(r.target)) selected.set(r.target, why);
    if (r.kind === "system") {
      // system: the interpreter the first python3 (or python) on PATH is.
      const p = systemCommand(ctx, "python3") ?? systemCommand(ctx, "python");
      const real = p && realpathOrSelf(p);
      const t = real ? index.targets.find((x) => realpathOrSelf(x.python) === real) : undefined;
      if (t && !selected.has(t)) selected.set(t, selection.entries.length ? `system, ${why}` : "system: no version pinned");
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
  return r.interpreters.map((i) => {
    const source = i.source === "path" ? "PATH" : i.source;
    const line = `${i.selected ? "*" : " "} ${i.name.padEnd(width)}  ${i.implementation.padEnd(implWidth)}  ${source.padEnd(7)}  ${tildify(i.path, home)}`;
    return i.selectedBy ? `${line}  (${i.selectedBy})` : line;
  });
}
