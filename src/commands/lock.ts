// `venvctl lock`: resolve requirements for the target environment, with
// venvctl's resolver (or, where it cannot resolve as pip would, the env's
// pip: a dry run with a report), installed distributions ignored, and write a
// PEP 751 pylock.toml: every distribution chosen, with its URL and hashes.
// The wheels are put in venvctl's store on the way, so that installing the
// lock into this kind of environment is then a file read and links.
import { rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { resolveTarget, describeTarget, type PackageTarget } from "../environments/target.js";
import { downloadArchives, fetchWithPip } from "../pip/fetch.js";
import type { ResolvedDist } from "../pip/report.js";
import { resolveWithPip, PipResolutionError } from "../pip/report.js";
import { readInputs, type ParsedRequirements } from "../pip/requirements-file.js";
import { indexArgs, type IndexOptions } from "../pip/runner.js";
import { buildPylock, formatPylock, targetLockScope, type ResolvedDistribution } from "../standards/pylock.js";
import { UsageError, withPath } from "../errors.js";
import { atomicWriteFile } from "../util/fs.js";
import { debug } from "../util/log.js";
import { ensurePip } from "../installer/pip-steps.js";
import { builtMetadata, fetchDir, openStore, type IndexFetch } from "../installer/store-fetch.js";

export interface LockOptions {
  python?: string | undefined;
  requirements: string[];
  requirementFiles: string[];
  constraintFiles: string[];
  index: IndexOptions;
  /** Where the lock goes (`-` for stdout); default pylock.toml in the working directory. */
  output: string | undefined;
}

export type LockResult =
  | { kind: "written"; target: PackageTarget; where: string; path: string | undefined; text: string; packages: number }
  | { kind: "pip-failed"; exitCode: number };

export async function lock(opts: LockOptions, ctx: Context): Promise<LockResult> {
  if (!opts.requirements.length && !opts.requirementFiles.length) {
    throw new UsageError("nothing to lock", { hint: "give requirements (`venvctl lock requests`) or -r FILE" });
  }
  // The files first: a mistake in them stops everything before pip starts.
  const inputs = readInputs({ ...opts, editables: [] }, { cwd: ctx.cwd, env: ctx.env });
  const editable = inputs.entries.find((e) => e.spec.kind === "editable");
  if (editable) {
    throw new UsageError(`a lock cannot hold an editable requirement (${editable.text})`, { hint: "lock the project's dependencies; install the project itself with `venvctl install -e`" });
  }
  const target = await resolveTarget(ctx, opts.python);
  const markers = target.interpreter.info.marker_env;
  if (!markers) throw new UsageError("the interpreter's probe has no marker variables", { hint: "run `venvctl rehash` to probe it again" });
  const path = opts.output === "-" ? undefined : resolve(ctx.cwd, opts.output ?? "pylock.toml");
  const resolved = await resolveForLock(ctx, target, inputs, opts);
  if (resolved.kind === "pip-failed") return resolved;
  let facts;
  try {
    facts = await archiveFacts(ctx, target, resolved.install, opts.index, resolved.native);
  } finally {
    resolved.native?.client.close();
  }
  const dists = lockedDistributions(resolved.install, facts);
  const scope = targetLockScope(markers);
  const lockDir = path ? resolve(path, "..") : ctx.cwd;
  const text = formatPylock(buildPylock(dists, { lockDir, requiresPython: scope.requiresPython, environments: scope.environments }));
  if (path) {
    try {
      atomicWriteFile(path, text);
    } catch (err) {
      throw withPath(err, "write the lock file", path);
    }
  }
  return { kind: "written", target, where: describeTarget(target, ctx.dirs.home), path, text, packages: dists.length };
}

/**
 * What the lock holds, installed distributions ignored: venvctl's own
 * resolution where it can resolve as pip would, else pip's dry run.
 */
async function resolveForLock(
  ctx: Context,
  target: PackageTarget,
  inputs: ParsedRequirements,
  opts: LockOptions,
): Promise<{ kind: "resolved"; install: ResolvedDist[]; native?: IndexFetch } | { kind: "pip-failed"; exitCode: number }> {
  const { nativeResolution, resolveNatively } = await import("../resolve/native.js");
  const native = nativeResolution(ctx, target, inputs, opts.index);
  if ("settings" in native) {
    const r = await resolveNatively(ctx, target, inputs, {
      settings: native.settings,
      upgrade: false,
      forceReinstall: false,
      noDeps: false,
      checked: undefined,
      build: (file, client) => builtMetadata(ctx, target, file, client, opts.index),
    });
    return { kind: "resolved", install: r.install, native: { client: r.client, files: r.files } };
  }
  debug(ctx, `pip resolves the lock: ${native.why}`);
  await ensurePip(ctx, target);
  const args = ["install", ...indexArgs(opts.index)];
  for (const c of opts.constraintFiles) args.push("-c", c);
  for (const r of opts.requirementFiles) args.push("-r", r);
  args.push(...opts.requirements);
  try {
    const report = await resolveWithPip(ctx, target, args, { ignoreInstalled: true, why: "lock resolves" });
    return { kind: "resolved", install: report.install };
  } catch (err) {
    if (err instanceof PipResolutionError) return { kind: "pip-failed", exitCode: err.pipExitCode };
    throw err;
  }
}

/** What pip resolved, as a lock records it: one file each, with its sha256 and size when known. */
export function lockedDistributions(
  install: readonly ResolvedDist[],
  facts: ReadonlyMap<ResolvedDist, { sha256: string; size: number }> = new Map(),
): ResolvedDistribution[] {
  return install.map((d) => {
    const f = facts.get(d);
    const download = f && d.download.archive_info ? { ...d.download, archive_info: { hashes: { sha256: f.sha256 } } } : d.download;
    const out: ResolvedDistribution = { name: d.name, version: d.version, isDirect: d.isDirect, artifacts: [{ downloadInfo: download, ...(f ? { size: f.size } : {}) }] };
    if (d.requiresPython) out.requiresPython = d.requiresPython;
    return out;
  });
}

/**
 * Each archive's sha256 and size. A lock records the hash of every file:
 * the wheels are fetched into venvctl's store (checked against the index's
 * hash) and hashed there; an sdist or archive without a hash from the index
 * is downloaded by pip and hashed.
 */
async function archiveFacts(
  ctx: Context,
  target: PackageTarget,
  dists: readonly ResolvedDist[],
  index: IndexOptions,
  native: IndexFetch | undefined,
): Promise<Map<ResolvedDist, { sha256: string; size: number }>> {
  const out = new Map<ResolvedDist, { sha256: string; size: number }>();
  const store = openStore(ctx);
  const wheels = dists.filter((d) => d.kind === "wheel");
  let missing: ResolvedDist[] = [];
  for (const d of wheels) {
    const hit = d.sha256 ? store.get(d.sha256) : undefined;
    if (hit) out.set(d, { sha256: hit.sha256, size: statSync(hit.path).size });
    else missing.push(d);
  }
  // sdists and archives: only the archive's own hash is wanted (no build).
  let unhashed = dists.filter((d) => d.kind === "sdist" && !d.sha256);
  if (!missing.length && !unhashed.length) return out;
  const tmp = fetchDir(ctx, "lock");
  try {
    if (native) {
      // Chosen by venvctl's resolver: fetched by its client, in parallel; wheels kept in the store.
      const fromIndex = [...missing, ...unhashed].filter((d) => native.files.has(d));
      missing = missing.filter((d) => !native.files.has(d));
      unhashed = unhashed.filter((d) => !native.files.has(d));
      await Promise.all(fromIndex.map(async (d) => {
        const got = await native.client.download(native.files.get(d)!, tmp);
        const size = statSync(got.path).size;
        if (d.kind === "wheel") await store.addByMove(got.path, got.sha256);
        out.set(d, { sha256: got.sha256, size });
      }));
    }
    if (missing.length) {
      for (const f of await fetchWithPip(ctx, target, missing, index, tmp)) {
        const size = statSync(f.path).size;
        const stored = await store.addByMove(f.path, f.sha256);
        out.set(f.dist, { sha256: stored.sha256, size });
      }
    }
    if (unhashed.length) {
      for (const f of await downloadArchives(ctx, target, unhashed, index, join(tmp, "archives"))) out.set(f.dist, { sha256: f.sha256, size: statSync(f.path).size });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  debug(ctx, `hashed ${out.size} archives for the lock`);
  return out;
}
