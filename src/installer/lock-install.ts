// Installing a PEP 751 lock (`venvctl sync pylock.toml`, `venvctl install -r
// pylock.toml`): exactly what the lock says, by the specification's
// installation steps (standards/pylock.ts chooses each package's file for
// this environment), without resolving. Every file is checked against the
// lock's hashes; what the store lacks is fetched (wheels) or built (sdists,
// VCS, directories) by pip, and nothing of pip runs when the store has it all.
import { pathToFileURL } from "node:url";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { describeTarget, type PackageTarget } from "../environments/target.js";
import type { CheckedEnvironment } from "../plans/install-check.js";
import type { ResolvedDist } from "../pip/report.js";
import { commandLineRequirement, emptyParse, type ParsedRequirements } from "../pip/requirements-file.js";
import type { IndexOptions } from "../pip/runner.js";
import { canonicalizeName } from "../standards/names.js";
import { normalizeVersion } from "../standards/pep440.js";
import { readPylock, selectFromPylock, type SelectedPackage } from "../standards/pylock.js";
import { TagPriorities } from "../standards/wheel-tags.js";
import { debug } from "../util/log.js";
import { applyChange, wheelsFor, type NativeItem, type PlacementOptions } from "./native-install.js";
import type { ChangeResult } from "../wheel/transaction.js";


/** What a lock selects for the target, as the installer takes it. */
export interface LockSelection {
  /** The packages the lock selects here, as requirements (for sync's uninstall plan). */
  inputs: ParsedRequirements;
  dists: ResolvedDist[];
  /** Every hash the lock gives, by project: each file is checked against them. */
  hashes: Map<string, Record<string, string[]>>;
  /** What the lock's reading found worth saying (an unknown minor lock-version…). */
  warnings: string[];
}

/**
 * Reads the lock and chooses what to install into `target` (errors as
 * FILE:LINE). Only a virtual environment takes a lock (`retry` is the
 * command, after `venvctl `, that installs it into one).
 */
export function selectLock(ctx: Context, target: PackageTarget, file: string, retry: string): LockSelection {
  if (target.kind !== "venv" || !target.interpreter.info.tags) {
    throw new UsageError(`venvctl installs a lock into a virtual environment; ${describeTarget(target, ctx.dirs.home)} is not one`, {
      hint: `make one and install into it: \`venvctl create .venv && venvctl ${retry}\``,
    });
  }
  const lock = readPylock(file, ctx.cwd);
  const markers = target.interpreter.info.marker_env;
  if (!markers) throw new UsageError("the interpreter's probe has no marker variables", { hint: "run `venvctl rehash` to probe it again" });
  const tags = TagPriorities.of(target.interpreter.info);
  const selected = selectFromPylock(lock, { markers, wheelPriority: (name) => tags.ofWheel(name) });
  const inputs = emptyParse();
  const dists: ResolvedDist[] = [];
  const hashes = new Map<string, Record<string, string[]>>();
  for (const p of selected) {
    if (p.artifact.kind === "directory" && p.artifact.editable) {
      throw new UsageError(`${file}: ${p.name} is an editable directory; venvctl installs a lock's directories as wheels`, {
        hint: `install it editable yourself: \`venvctl install -e ${p.artifact.path ?? p.artifact.url}\``,
      });
    }
    const d = asResolved(p);
    dists.push(d);
    hashes.set(d.key, Object.fromEntries(Object.entries(p.artifact.hashes).map(([algo, digest]) => [algo, [digest]])));
    inputs.entries.push(commandLineRequirement(p.version && p.artifact.kind !== "directory" ? `${p.name}==${p.version}` : p.name, false, ctx.cwd));
  }
  debug(ctx, `${file} selects ${dists.length} packages for this environment`);
  return { inputs, dists, hashes, warnings: lock.warnings.map((w) => `warning: ${w}`) };
}

/** A lock's package as a resolved distribution (as pip's report would give it). */
function asResolved(p: SelectedPackage): ResolvedDist {
  const a = p.artifact;
  const url = a.path !== undefined ? pathToFileURL(a.path).href : a.url!;
  const download: ResolvedDist["download"] = { url };
  if (a.subdirectory) download.subdirectory = a.subdirectory;
  if (a.kind === "vcs") download.vcs_info = { vcs: a.vcs!.type, commit_id: a.vcs!.commitId, ...(a.vcs!.requestedRevision ? { requested_revision: a.vcs!.requestedRevision } : {}) };
  else if (a.kind === "directory") download.dir_info = {};
  else download.archive_info = { hashes: { ...a.hashes } };
  const sha256 = a.hashes.sha256?.toLowerCase();
  return {
    name: p.name,
    key: canonicalizeName(p.name),
    version: p.version ?? "",
    download,
    // An archive may be a wheel named by URL (uv writes them so).
    kind: a.kind === "wheel" || (a.kind === "archive" && a.fileName?.endsWith(".whl")) ? "wheel" : a.kind === "vcs" ? "vcs" : a.kind === "directory" ? "directory" : "sdist",
    sha256,
    // pip marks what a requirements file (or lock) lists as the user's.
    requested: true,
    isDirect: a.kind === "vcs" || a.kind === "directory" || a.kind === "archive",
    requestedExtras: [],
    requiresPython: undefined,
    requiresDist: [],
    fileName: a.fileName,
  };
}

/** Installs what the lock selects (replacing other versions); pip only fetches and builds what the store lacks. */
export async function installLock(
  ctx: Context,
  target: PackageTarget,
  selection: LockSelection,
  checked: CheckedEnvironment,
  opts: { index: IndexOptions; placement: PlacementOptions; /** Install what is installed at its version too. */ force?: boolean },
): Promise<ChangeResult | undefined> {
  const todo = opts.force ? selection.dists : selection.dists.filter((d) => !installedAsLocked(d, checked));
  if (!todo.length) return undefined;
  const items: NativeItem[] = await wheelsFor(ctx, target, todo, opts.index, selection.hashes);
  // --force-reinstall writes every file anew (WheelToInstall.fresh).
  return applyChange(ctx, target, { install: items }, opts.force ? { ...opts.placement, fresh: true } : opts.placement);
}

/** Whether the installed distribution of `d`'s name is the locked one (same version, from the same kind of place). */
export function installedAsLocked(d: ResolvedDist, checked: CheckedEnvironment): boolean {
  const now = checked.index.get(d.key);
  if (!now || now.version.legacy || d.version === "") return false;
  const du = now.directUrl;
  if (d.isDirect) return du !== undefined && du.url === d.download.url && now.version.text === d.version;
  return du === undefined && canonicalVersionEquals(now.version.text, d.version);
}

function canonicalVersionEquals(a: string, b: string): boolean {
  return (normalizeVersion(a) ?? a) === (normalizeVersion(b) ?? b);
}
