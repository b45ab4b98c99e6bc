// `venvctl version`: the interpreter the selection chain chooses now and what
// chose it, e.g. `3.12.1 (set by /home/me/proj/.python-version)` — the one
// `create` would use. A prefix shows the installed version it means now, as
// `pyenv version` does; every pinned version is listed, as pyenv lists them.
import type { Context } from "../context.js";
import type { VenvctlError } from "../errors.js";
import { buildInventory, installedList } from "../interpreters/inventory.js";
import {
  activeVenv, chooseInterpreter, describeChoiceOrigin, notInstalledError, resolveEntry, showEntry, systemPython,
  type ChoiceOrigin, type ResolvedEntry,
} from "../interpreters/selection.js";
import { selectVersion } from "../interpreters/version-file.js";
import { tildify } from "../util/log.js";

export type VersionOptions = Record<string, never>;

export interface VersionResult {
  origin: ChoiceOrigin;
  /** "set by /path/.python-version", "the active virtual environment ~/p/.venv". */
  originText: string;
  /** Each pinned version, in order; empty when nothing is pinned or a venv is active. */
  entries: ResolvedEntry[];
  /** With nothing pinned, or a venv active: what runs, and its name. */
  chosen?: { name: string; python: string | undefined } | undefined;
  /** For the error about missing entries: what is installed. */
  installed: string;
}

export async function version(_opts: VersionOptions, ctx: Context): Promise<VersionResult> {
  if (activeVenv(ctx)) {
    const choice = await chooseInterpreter(ctx);
    const originText = describeChoiceOrigin(choice.origin, ctx.dirs.home);
    return { origin: choice.origin, originText, entries: [], chosen: { name: choice.name, python: choice.python }, installed: "" };
  }
  const selection = selectVersion(ctx);
  const originText = describeChoiceOrigin(selection.origin, ctx.dirs.home);
  if (selection.entries.length === 0) {
    return { origin: selection.origin, originText, entries: [], chosen: { name: "system", python: systemPython(ctx) }, installed: "" };
  }
  const inventory = await buildInventory(ctx);
  return {
    origin: selection.origin,
    originText,
    entries: selection.entries.map((e) => resolveEntry(inventory, e)),
    installed: installedList(inventory),
  };
}

/** What `version` prints on stdout (`bare`: the names only, as `pyenv version-name`). */
export function formatVersionLines(r: VersionResult, bare: boolean, home: string): string[] {
  if (r.chosen) {
    if (bare) return [r.chosen.name];
    return [`${r.chosen.name} (${r.originText}: ${r.chosen.python ? tildify(r.chosen.python, home) : "none found"})`];
  }
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
  const missing = r.entries.filter((e) => e.kind === "missing").map((e) => e.entry);
  if (missing.length === 0) return undefined;
  return notInstalledError(missing.map(showEntry), r.originText, r.installed, missing);
}
