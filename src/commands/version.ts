// `venvctl version`: the selected version(s) and what selected them, e.g.
// `3.12.1 (set by /home/me/proj/.python-version)`; a prefix shows the
// installed version it means now, as `pyenv version` does.
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { describeOrigin, type SelectionOrigin } from "../python/version-file.js";
import { resolveEntry, shimSelection, type ResolvedEntry } from "../shims/resolve.js";
import { buildShimIndex, installedList } from "../shims/shim-index.js";

export type VersionOptions = Record<string, never>;

export interface VersionResult {
  origin: SelectionOrigin;
  /** "set by /path/.python-version". */
  originText: string;
  /** Each version selected, in order; empty when nothing is pinned (system). */
  entries: ResolvedEntry[];
  /** The active virtual environment, which comes before any of these. */
  venv?: string | undefined;
  /** For the error about missing entries: what is installed. */
  installed: string;
}

export async function version(_opts: VersionOptions, ctx: Context): Promise<VersionResult> {
  const selection = shimSelection(ctx);
  const index = selection.entries.some((e) => e !== "system") ? await buildShimIndex(ctx) : undefined;
  const entries = selection.entries.map((e) => (index ? resolveEntry(index, e) : ({ entry: e, kind: "system" } as const)));
  return {
    origin: selection.origin,
    originText: describeOrigin(selection.origin),
    entries,
    venv: ctx.env.VIRTUAL_ENV || undefined,
    installed: index ? installedList(index) : "",
  };
}

/** What `version` prints on stdout (`bare`: the names only, as `pyenv version-name`). */
export function formatVersionLines(r: VersionResult, bare: boolean): string[] {
  if (r.entries.length === 0) return [bare ? "system" : "system (no version pinned)"];
  const lines: string[] = [];
  for (const e of r.entries) {
    if (e.kind === "missing") continue;
    const name = e.kind === "system" ? "system" : e.target.name;
    lines.push(bare ? name : `${name} (${r.originText})`);
  }
  return lines;
}

/** The error for selected versions that are not installed, if any. */
export function missingError(r: VersionResult): VenvctlError | undefined {
  const missing = r.entries.filter((e) => e.kind === "missing").map((e) => `\`${e.entry}\``);
  if (missing.length === 0) return undefined;
  return new VenvctlError(
    `${missing.length > 1 ? "versions" : "version"} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not installed (${r.originText})`,
    { hint: `installed: ${r.installed}; pin one with \`venvctl use\`` },
  );
}
