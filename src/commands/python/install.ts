// `venvctl python install [SPEC...]`: downloads and installs CPython builds
// (interpreters/python-install.ts) into $VENVCTL_ROOT/versions, then rehashes
// the shims. Without SPEC, the pinned versions that are missing.
import type { Context } from "../../context.js";
import { UsageError, VenvctlError } from "../../errors.js";
import { buildInventory } from "../../interpreters/inventory.js";
import { installRequest, type InstallResult } from "../../interpreters/python-install.js";
import { isDownloadableRequest, parsePythonRequest, type PythonRequest } from "../../interpreters/request.js";
import { resolveEntry, showEntry } from "../../interpreters/selection.js";
import { describeOrigin, selectVersion } from "../../interpreters/version-file.js";
import { formatVersion } from "../../interpreters/version.js";
import { rehashShims } from "../../shims/rehash.js";
import { tildify } from "../../util/log.js";

export interface PythonInstallOptions {
  specs: string[];
  reinstall: boolean;
  force: boolean;
}

export interface PythonInstallResult {
  installed: Array<InstallResult & { spec: string }>;
  /** Why nothing was asked for (no SPEC, and every pinned version is installed). */
  nothingToDo?: string | undefined;
  notes: string[];
}

/** A SPEC as a request the downloads list can answer; a usage error otherwise. */
function requestOf(spec: string): PythonRequest {
  const req = parsePythonRequest(spec);
  if (req.kind === "invalid") {
    throw new UsageError(`cannot understand the version \`${spec}\`: ${req.reason}`, { hint: "examples: 3.13, 3.12.7, 3.14.0rc2, '>=3.11'" });
  }
  if (req.kind === "path" || req.kind === "system" || req.kind === "default" || (req.kind === "name" && !req.fallback)) {
    throw new UsageError(`\`${spec}\` is not a version to install`, { hint: "pass a CPython version or range: 3.13, 3.12.7, 3.14.0rc2, '>=3.11'" });
  }
  return req;
}

export async function pythonInstall(opts: PythonInstallOptions, ctx: Context): Promise<PythonInstallResult> {
  let specs = opts.specs;
  const result: PythonInstallResult = { installed: [], notes: [] };
  if (specs.length === 0) {
    const selection = selectVersion(ctx);
    if (selection.entries.length === 0) {
      throw new UsageError("which version? nothing is pinned here, and no SPEC was given", {
        hint: "e.g. `venvctl python install 3.13`; or pin one first (`venvctl use 3.13 --install` does both)",
      });
    }
    const index = await buildInventory(ctx);
    const missing = selection.entries.filter((e) => resolveEntry(index, e).kind === "missing");
    const origin = describeOrigin(selection.origin);
    const unknown = missing.filter((e) => !isDownloadableRequest(parsePythonRequest(e)));
    const shown = unknown.map(showEntry).join(", ");
    specs = missing.filter((e) => !unknown.includes(e));
    if (specs.length === 0 && unknown.length > 0) {
      throw new VenvctlError(`${shown} (${origin}) ${unknown.length > 1 ? "are" : "is"} not installed, and venvctl downloads CPython versions only`, {
        hint: "install it another way (e.g. `pyenv install`), or pin a CPython version",
      });
    }
    if (unknown.length > 0) result.notes.push(`note: ${shown} (${origin}) cannot be downloaded: CPython versions only`);
    if (specs.length === 0) {
      result.nothingToDo = `every pinned version (${selection.entries.join(" ")}, ${origin}) is installed`;
      return result;
    }
  }
  // Every SPEC is understood before anything is downloaded.
  const requests = specs.map((spec) => ({ spec, request: requestOf(spec) }));
  try {
    for (const { spec, request } of requests) {
      const r = await installRequest(ctx, request, { reinstall: opts.reinstall, force: opts.force });
      result.installed.push({ ...r, spec });
    }
  } finally {
    // The shims for what is installed now, even when a later SPEC failed.
    if (result.installed.some((r) => r.outcome !== "present")) {
      try {
        await rehashShims(ctx, { ifChanged: true });
      } catch (err) {
        result.notes.push(`warning: ${(err as Error).message}`);
      }
    }
  }
  return result;
}

/** What `python install` tells on stderr. */
export function describePythonInstall(r: PythonInstallResult, home: string): string[] {
  const lines: string[] = [];
  if (r.nothingToDo) lines.push(`Nothing to install: ${r.nothingToDo}`);
  for (const i of r.installed) {
    const what = `CPython ${formatVersion(i.download.version)}`;
    const where = tildify(i.dir, home);
    if (i.outcome === "present") lines.push(`${what} is already installed in ${where} (--reinstall replaces it)`);
    else lines.push(`${i.outcome === "reinstalled" ? "Reinstalled" : "Installed"} ${what} in ${where}`);
  }
  lines.push(...r.notes);
  return lines;
}
