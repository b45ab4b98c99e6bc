// Installing with venvctl's own installer: pip resolves (a dry run with a
// report) and fetches what the wheel store lacks; the wheels are then
// installed from the store's unpack cache in one transaction (wheel/
// transaction.ts). Shared by install, sync and reinstall, and by installs
// from a lock file. What venvctl cannot do natively is pip's whole, and
// `nativeBlocker` says why.
import { digest, type DigestAlgorithm } from "../util/digest.js";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import { HashMismatchError, VenvctlError } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import type { CheckedEnvironment } from "../plans/install-check.js";
import { distViewOf, planPinned, type CandidateLookup } from "../plans/pinned.js";
import { PipResolutionError, resolveWithPip } from "../pip/report.js";
import { ensurePip } from "./pip-steps.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import { STRONG_HASHES } from "../pip/requirement-options.js";
import { fetchWithPip, type FetchedWheel } from "../pip/fetch.js";
import { builtMetadata, EarlyFetches, fetchDir, fetchFromIndex, openStore, type IndexFetch } from "./store-fetch.js";
import type { ResolvedDist } from "../pip/report.js";
import type { IndexOptions } from "../pip/runner.js";
import { pipSettingsPlacingElsewhere } from "../pip/settings.js";
import { canonicalizeName } from "../standards/names.js";
import { venvEnvTarget } from "../venv/install-target.js";
import { venvLayout } from "../venv/layout.js";
import { TagPriorities } from "../standards/wheel-tags.js";
import { directUrlJson } from "../wheel/install.js";
import { changeEnvironment, type ChangeResult, type WheelToInstall } from "../wheel/transaction.js";
import type { LinkMode } from "../wheel/materialize.js";
import type { BuildSource, StoredWheel } from "../wheel/store.js";
import { debug, tildify } from "../util/log.js";

/** How the native installer places and finishes files (--link-mode, --compile). */
export interface PlacementOptions {
  linkMode: LinkMode;
  compile: boolean;
  /** --force-reinstall (and reinstall): every wheel installed gets new files, not links (WheelToInstall.fresh). */
  fresh?: boolean | undefined;
}

/**
 * Why this install is pip's whole (venvctl's installer cannot do it as pip
 * would), or undefined when venvctl installs it. `pipArgs` are the options
 * after `--`; `editables` the -e requirements.
 */
export function nativeBlocker(
  ctx: Pick<Context, "env" | "dirs" | "platform">,
  target: PackageTarget,
  checked: CheckedEnvironment,
  inputs: ParsedRequirements,
  opts: { pipArgs: readonly string[]; editables: readonly string[] },
): string | undefined {
  if (opts.editables.length || inputs.entries.some((e) => e.spec.kind === "editable")) return "editable installs are pip's";
  if (opts.pipArgs.length) return `pip options after -- (${opts.pipArgs.join(" ")})`;
  if (target.kind !== "venv" || !target.envDir) return "a base interpreter's install scheme is its distributor's: pip knows it";
  if (checked.opened.profile.unsupported) return `pip ${checked.opened.profile.pipVersion} is older than 23.0`;
  if (!target.interpreter.info.tags) return "the interpreter's probe does not say which wheel tags it supports";
  const unread = inputs.unread[0];
  if (unread) return `pip reads the requirements file ${unread.file}: ${unread.why}`;
  const option = inputs.options.find((o) => o.name !== "--require-hashes" && PIP_ONLY_FILE_OPTIONS.has(o.name));
  if (option) return `${option.source.file} line ${option.source.line} sets ${option.name}`;
  for (const e of inputs.entries) {
    if (Object.keys(e.configSettings).length || e.globalOptions.length) return `${e.text}: per-requirement build options are pip's`;
    // venvctl checks a wheel by any strong hash, but an sdist only by the sha256 pip verified when it built it.
    if (Object.keys(e.hashes).length && !e.hashes.sha256?.length) return `${e.text} has --hash without a sha256 (hash-checking mode venvctl cannot honour for what pip builds)`;
  }
  return pipSettingsPlacingElsewhere(ctx, target.prefix);
}

/** Options in a requirements file that change how pip installs (not only what it resolves). */
const PIP_ONLY_FILE_OPTIONS = new Set(["--user", "--target", "--prefix", "--root", "--editable", "-e"]);

/**
 * Finds a pinned distribution's wheel in the store (best tags for the
 * target), with its metadata read as an installed distribution's, for the
 * pinned plan's closure check.
 */
export function candidateLookup(ctx: Context, target: PackageTarget): CandidateLookup<StoredWheel> {
  const store = openStore(ctx);
  const tags = TagPriorities.of(target.interpreter.info);
  return (key, version) => {
    const wheel = store.find(key, version, tags);
    if (!wheel) return undefined;
    const dist = distViewOf({ name: wheel.name, version: wheel.version, requiresDist: wheel.facts.requiresDist, providesExtra: wheel.facts.providesExtra, where: wheel.path });
    return { key, version, wheel, dist };
  };
}

/**
 * The user's hashes by project when the inputs are in hash-checking mode
 * (--require-hashes, or any --hash), else undefined.
 */
export function hashMode(inputs: ParsedRequirements): Map<string, Record<string, string[]>> | undefined {
  const on = inputs.options.some((o) => o.name === "--require-hashes") || inputs.entries.some((e) => Object.keys(e.hashes).length);
  if (!on) return undefined;
  const byKey = new Map<string, Record<string, string[]>>();
  for (const e of inputs.entries) {
    if (e.spec.kind !== "named" || !Object.keys(e.hashes).length) continue;
    const key = canonicalizeName(e.spec.req.name);
    const merged = byKey.get(key) ?? {};
    for (const [algo, values] of Object.entries(e.hashes)) merged[algo] = [...(merged[algo] ?? []), ...values];
    byKey.set(key, merged);
  }
  return byKey;
}

/** One wheel the transaction installs, and what it came from (for messages). */
export interface NativeItem {
  name: string;
  version: string;
  wheel: StoredWheel;
  requested: boolean;
  directUrl?: string | undefined;
}

/**
 * The store's wheels for what pip resolved: found by hash, or by what they
 * were built from; what is missing fetched and built by pip, checked and
 * added. `hashes` are the user's --hash values by project (hash-checking mode).
 */
export async function wheelsFor(
  ctx: Context,
  target: PackageTarget,
  dists: readonly ResolvedDist[],
  index: IndexOptions,
  hashes: Map<string, Record<string, string[]>> | undefined,
  native?: IndexFetch,
): Promise<NativeItem[]> {
  const store = openStore(ctx);
  const found = new Map<ResolvedDist, StoredWheel>();
  let missing: ResolvedDist[] = [];
  for (const d of dists) {
    const source = buildSource(d);
    const hit = d.kind === "wheel" ? (d.sha256 ? store.get(d.sha256) : undefined) : source ? store.builtFrom(source) : undefined;
    if (hit) found.set(d, hit);
    else missing.push(d);
  }
  if (native) {
    // What venvctl's resolver chose from an index, venvctl fetches itself.
    const fromIndex = missing.filter((d) => native.files.has(d));
    missing = missing.filter((d) => !native.files.has(d));
    for (const [d, wheel] of await fetchFromIndex(ctx, target, fromIndex, native, index)) found.set(d, wheel);
  }
  if (missing.length) {
    debug(ctx, `fetching with pip: ${missing.map((d) => `${d.name} ${d.version}`).join(", ")}`);
    await ensurePip(ctx, target);
    const tmp = fetchDir(ctx, "fetch");
    try {
      const fetched: FetchedWheel[] = await fetchWithPip(ctx, target, missing, index, tmp);
      for (const f of fetched) {
        const stored = await store.addByMove(f.path, f.built ? undefined : f.sha256);
        const source = buildSource(f.dist);
        if (f.built && source) store.recordBuild(source, stored.sha256);
        found.set(f.dist, stored);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const items: NativeItem[] = [];
  for (const d of dists) {
    const wheel = found.get(d)!;
    if (hashes) checkUserHashes(d, wheel, hashes.get(d.key));
    items.push({ name: d.name, version: d.version, wheel, requested: d.requested, directUrl: d.isDirect ? directUrlJson(d.download) : undefined });
  }
  return items;
}

/**
 * What a built wheel is remembered by: an sdist's sha256, a VCS checkout's
 * commit. A local directory is built anew each time (it changes without
 * telling), as pip does.
 */
function buildSource(d: ResolvedDist): BuildSource | undefined {
  if (d.kind === "sdist") return d.sha256 ? { sdistSha256: d.sha256 } : undefined;
  if (d.kind === "vcs" && d.download.vcs_info) {
    const sub = d.download.subdirectory ? `#subdirectory=${d.download.subdirectory}` : "";
    return { vcsUrl: `${d.download.vcs_info.vcs}+${d.download.url}${sub}`, commit: d.download.vcs_info.commit_id };
  }
  return undefined;
}

/** Hash-checking mode: the archive installed must be one the user listed. */
function checkUserHashes(d: ResolvedDist, wheel: StoredWheel, listed: Record<string, string[]> | undefined): void {
  if (!listed) {
    throw new VenvctlError(`hash-checking mode: ${d.name} ${d.version} has no --hash`, {
      hint: "in hash-checking mode every requirement needs its hashes (`pip hash FILE` prints them)",
    });
  }
  // A built wheel is checked by the archive it came from (its hash is pip's to check when it builds).
  const sha256 = d.kind === "wheel" ? wheel.sha256 : d.sha256;
  for (const algo of STRONG_HASHES) {
    const want = listed[algo];
    if (!want?.length) continue;
    const actual = algo === "sha256" ? sha256 : d.kind === "wheel" ? fileDigest(wheel.path, algo) : undefined;
    if (actual !== undefined && want.includes(actual)) return;
  }
  throw HashMismatchError.of(d.fileName ?? `${d.name} ${d.version}`, Object.keys(listed).join(" or "), Object.values(listed).flat().join(" or "), sha256 ?? "unknown");
}

function fileDigest(path: string, algo: DigestAlgorithm): string {
  return digest(algo, readFileSync(path), "hex");
}

/** Installs and removes in one transaction; the env is as it was when anything fails. */
export async function applyChange(
  ctx: Context,
  target: PackageTarget,
  change: { install: readonly NativeItem[]; remove?: readonly string[] },
  placement: PlacementOptions,
): Promise<ChangeResult> {
  const wheels: WheelToInstall[] = change.install.map((i) => ({
    wheel: { path: i.wheel.path, sha256: i.wheel.sha256 },
    requested: i.requested,
    directUrl: i.directUrl,
    fresh: placement.fresh,
  }));
  debug(ctx, `installing natively into ${tildify(target.envDir!, ctx.dirs.home)}: ${change.install.map((i) => `${i.name} ${i.version}`).join(", ") || "nothing"}${change.remove?.length ? `; removing ${change.remove.join(", ")}` : ""}`);
  const envTarget = venvEnvTarget(target.interpreter, venvLayout(target.interpreter, target.envDir!), ctx.platform, ctx.env);
  return changeEnvironment(envTarget, { install: wheels, remove: change.remove ?? [] }, {
    cacheDir: join(ctx.dirs.cache, "wheels"),
    linkMode: placement.linkMode,
    compile: placement.compile,
    env: ctx.env,
    debug: (m) => debug(ctx, m),
  });
}

export type InstallOutcome =
  | { kind: "installed"; change: ChangeResult; pipResolved: boolean }
  /** pip's resolution found nothing to install. */
  | { kind: "nothing" }
  /** pip could not resolve (it has said why): its exit code. */
  | { kind: "pip-failed"; exitCode: number };

/**
 * Installs what `inputs` ask for, natively: from the cache alone when they
 * are a pinned set whose wheels are all there (`cacheOnly`: nothing asks
 * for newer versions), else as pip's dry run with `resolveArgs` resolves.
 */
export async function installInputs(
  ctx: Context,
  target: PackageTarget,
  checked: CheckedEnvironment,
  inputs: ParsedRequirements,
  opts: {
    resolveArgs: string[];
    /** Try the cache alone first (nothing asks for newer versions). */
    cacheOnly: boolean;
    noDeps: boolean;
    /** --force-reinstall: what is installed at the pinned version is installed again. */
    force?: boolean;
    /** --upgrade: the projects named may move past what is installed. */
    upgrade?: boolean;
    index: IndexOptions;
    placement: PlacementOptions;
    why: string;
  },
): Promise<InstallOutcome> {
  // pip's --force-reinstall writes every file anew: so do we (new files, not links to the cache).
  const placement: PlacementOptions = opts.force ? { ...opts.placement, fresh: true } : opts.placement;
  if (opts.cacheOnly) {
    const pinned = planPinned(inputs, checked, { noDeps: opts.noDeps, force: opts.force }, candidateLookup(ctx, target));
    if (pinned.ok) {
      debug(ctx, `a pinned set with every wheel in venvctl's cache: no pip (${pinned.distributions} distributions checked)`);
      const items = pinned.install.map((c) => ({ name: c.dist.rawName, version: c.version, wheel: c.wheel, requested: true }));
      return { kind: "installed", change: await applyChange(ctx, target, { install: items }, placement), pipResolved: false };
    }
    debug(ctx, `not from the cache alone: ${pinned.reason}`);
  }
  debug(ctx, `resolving: ${opts.why}`);
  const { nativeResolution, resolveNatively } = await import("../resolve/native.js");
  const native = nativeResolution(ctx, target, inputs, opts.index);
  if ("settings" in native) {
    const early = new EarlyFetches(ctx, openStore(ctx));
    try {
      const resolution = await resolveNatively(ctx, target, inputs, {
        settings: native.settings,
        upgrade: opts.upgrade ?? false,
        forceReinstall: opts.force ?? false,
        noDeps: opts.noDeps,
        checked,
        build: (file, client) => builtMetadata(ctx, target, file, client, opts.index),
        onPin: (file, client) => early.start(file, client),
      });
      try {
        if (!resolution.install.length) return { kind: "nothing" };
        const items = await wheelsFor(ctx, target, resolution.install, opts.index, undefined, { client: resolution.client, files: resolution.files, early });
        return { kind: "installed", change: await applyChange(ctx, target, { install: items }, placement), pipResolved: false };
      } finally {
        resolution.client.close();
      }
    } finally {
      await early.settle();
    }
  }
  debug(ctx, `pip resolves: ${native.why}`);
  await ensurePip(ctx, target);
  let report;
  try {
    report = await resolveWithPip(ctx, target, opts.resolveArgs, { why: opts.why });
  } catch (err) {
    if (err instanceof PipResolutionError) return { kind: "pip-failed", exitCode: err.pipExitCode };
    throw err;
  }
  if (!report.install.length) return { kind: "nothing" };
  const items = await wheelsFor(ctx, target, report.install, opts.index, hashMode(inputs));
  return { kind: "installed", change: await applyChange(ctx, target, { install: items }, placement), pipResolved: true };
}

const compareNames = (a: string, b: string): number => {
  const x = canonicalizeName(a);
  const y = canonicalizeName(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** What a change did, by name (as pip's "Successfully installed" lists them; the resolver's order is not the user's business). */
export interface ChangeSummary {
  /** Installed, with the version it replaced (`was`: the same version for a reinstall). */
  installed: Array<{ name: string; version: string; was: string | undefined }>;
  /** Removed and not replaced. */
  uninstalled: Array<{ name: string; version: string }>;
}

export function summarizeChange(result: ChangeResult): ChangeSummary {
  const removedByName = new Map(result.removed.map((r) => [canonicalizeName(r.name), r]));
  const installed = [...result.installed].sort((a, b) => compareNames(a.name, b.name)).map((i) => {
    const old = removedByName.get(canonicalizeName(i.name));
    removedByName.delete(canonicalizeName(i.name));
    return { name: i.name, version: i.version, was: old?.version };
  });
  const uninstalled = [...removedByName.values()].sort((a, b) => compareNames(a.name, b.name)).map((r) => ({ name: r.name, version: r.version }));
  return { installed, uninstalled };
}

/** "Installed 3 distributions into …: alpha 2.0, beta 2.0 (was 1.0), …", for stderr. */
export function describeChange(result: ChangeResult, where: string): string[] {
  const lines: string[] = [];
  const { installed, uninstalled } = summarizeChange(result);
  if (installed.length) {
    const parts = installed.map((i) => (i.was === undefined ? `${i.name} ${i.version}` : i.was === i.version ? `${i.name} ${i.version} (reinstalled)` : `${i.name} ${i.version} (was ${i.was})`));
    lines.push(`Installed ${installed.length} distribution${installed.length === 1 ? "" : "s"} into ${where}: ${parts.join(", ")}`);
  }
  if (uninstalled.length) {
    lines.push(`Uninstalled ${uninstalled.length} distribution${uninstalled.length === 1 ? "" : "s"} from ${where}: ${uninstalled.map((r) => `${r.name} ${r.version}`).join(", ")}`);
  }
  return lines;
}
