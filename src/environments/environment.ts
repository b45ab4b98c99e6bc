// An environment opened for reading packages: the target, its sys.path, the
// behaviour of its pip, and its distributions — with pip's filters (local,
// user site, editables, skip lists) on top.
import type { Context } from "../context.js";
import { envPipVersion, targetSysPath, type PackageTarget } from "./target.js";
import type { InstalledDist, MetadataNeed } from "./installed-dist.js";
import { InstalledEnvironment } from "./installed.js";
import { pipProfile, type PipProfile } from "./pip-profile.js";
import { realpathPy } from "../util/py-paths.js";

export interface OpenedEnvironment {
  target: PackageTarget;
  /** sys.path of the environment's Python (what pip scans by default, and where it looks for .egg-links). */
  sysPath: string[];
  profile: PipProfile;
  installed: InstalledEnvironment;
}

export interface OpenOptions {
  /** pip's --path: scan these directories instead of sys.path. */
  paths?: string[] | undefined;
  need: MetadataNeed;
}

/** The env's pip behaviour, from its sys.path (cheap: directory listings only). */
export function profileFor(target: PackageTarget, sysPath: readonly string[], ctx: Pick<Context, "env">): PipProfile {
  return pipProfile({
    pipVersion: envPipVersion(sysPath),
    python: target.interpreter.version,
    importlibFlag: target.interpreter.info.site?.pip_importlib_flag,
    envOverride: ctx.env._PIP_USE_IMPORTLIB_METADATA,
  });
}

/** Scans the environment's distributions as its pip would. */
export function openEnvironment(
  ctx: Pick<Context, "env" | "cwd">,
  target: PackageTarget,
  opts: OpenOptions,
  known?: { sysPath: string[]; profile: PipProfile },
): OpenedEnvironment {
  const sysPath = known?.sysPath ?? targetSysPath(target, ctx);
  const profile = known?.profile ?? profileFor(target, sysPath, ctx);
  const installed = new InstalledEnvironment({
    paths: opts.paths ?? sysPath,
    sysPath,
    profile,
    need: opts.need,
  });
  return { target, sysPath, profile, installed };
}

export interface InstalledFilter {
  /** -l/--local: only what is installed in the virtual environment itself. */
  localOnly?: boolean;
  /** --user: only what is installed in the user site. */
  userOnly?: boolean;
  /** -e/--editable: only editable installs. */
  editablesOnly?: boolean;
  /** false for --exclude-editable. */
  includeEditables?: boolean;
  /** Normalized names to leave out. */
  skip?: ReadonlySet<string>;
}

/** pip's iter_installed_distributions: iter_all_distributions with its filters. */
export function filterInstalled(env: OpenedEnvironment, f: InstalledFilter): InstalledDist[] {
  // pip chains generators, so each distribution passes every filter in turn
  // (which orders the warnings reading direct_url.json may give).
  const prefix = f.localOnly && env.target.kind === "venv" ? realpathPy(env.target.prefix) : undefined;
  const user = f.userOnly ? (env.target.userSite ? realpathPy(env.target.userSite) : null) : undefined;
  const out: InstalledDist[] = [];
  for (const d of env.installed.dists) {
    // pip's dist.local: installed_location.startswith(normalize_path(sys.prefix)).
    if (prefix !== undefined && !d.installedLocation.startsWith(prefix)) continue;
    if (f.includeEditables === false && d.editable) continue;
    if (f.editablesOnly && !d.editable) continue;
    if (user !== undefined && (user === null || !d.installedLocation.startsWith(user))) continue;
    if (f.skip && f.skip.has(d.canonicalName)) continue;
    out.push(d);
  }
  return out;
}
