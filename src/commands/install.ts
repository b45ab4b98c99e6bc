// `venvctl install`: venvctl reads the requirements first (errors as
// FILE:LINE, before anything runs) and answers at once, without pip or
// Python, when every requirement and everything it depends on is already
// installed. Otherwise a fully pinned set whose wheels are all in venvctl's
// cache is installed without pip; anything else is resolved by the
// environment's pip (a dry run with a report), fetched by pip where the cache
// lacks it, and installed by venvctl (installer/native-install.ts). What venvctl cannot
// install as pip would (editables, options after --, a base interpreter…)
// is pip's whole, with its output streaming.
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { decideNoOp, openForCheck, type CheckedEnvironment } from "../plans/install-check.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import type { ChangeResult } from "../wheel/transaction.js";
// native-install.js (the installer, the store, pip's report) is loaded once
// the answer is not "nothing to do": that answer stays as quick as it was.
import type { PlacementOptions } from "../installer/native-install.js";
// lock-install.js (and the TOML parser with it) is loaded only for a lock file.
import { isPylockFileName } from "../standards/pylock-model.js";
import { ensurePip, rehashAfterChange } from "../installer/pip-steps.js";
import { indexArgs, pipWritesData, runPip, type IndexOptions } from "../pip/runner.js";
import { readInputs } from "../pip/requirements-file.js";
import { planInstall, type InstallPlan } from "../plans/sync-plan.js";
import { debug } from "../util/log.js";
import { consentPipArgs, resolveTargetToChange } from "../environments/consent.js";
import { describeTarget, type PackageTarget } from "../environments/target.js";

export interface InstallOptions {
  /** -p/--python TARGET. */
  python?: string | undefined;
  /** REQ arguments. */
  requirements: string[];
  /** -r FILE, in order. */
  requirementFiles: string[];
  /** -c FILE, in order. */
  constraintFiles: string[];
  /** -e PATH_OR_URL, in order. */
  editables: string[];
  upgrade: boolean;
  forceReinstall: boolean;
  noDeps: boolean;
  index: IndexOptions;
  /** Everything after `--`, for pip as it is. */
  pipArgs: string[];
  /** --system: a base interpreter the selection chooses may be changed. */
  system: boolean;
  breakSystemPackages: boolean;
  /** --link-mode / VENVCTL_LINK_MODE, and --compile. */
  placement: PlacementOptions;
  /** --dry-run: the plan (as `sync --dry-run` prints it), nothing changed. */
  dryRun?: boolean | undefined;
  /** --json: the outcome as JSON, which only venvctl's own install can give (pip's streams its own). */
  json?: boolean | undefined;
}

export type InstallResult =
  | { kind: "plan"; target: PackageTarget; where: string; plan: InstallPlan; warnings: string[] }
  | {
      kind: "satisfied";
      target: PackageTarget;
      /** "the virtual environment at ~/p/.venv", for messages. */
      where: string;
      /** Distinct projects named whose markers hold here. */
      requirements: number;
      /** Distributions checked, dependencies included. */
      distributions: number;
      /** What pip would have warned about while reading the files. */
      warnings: string[];
    }
  | { kind: "pip"; target: PackageTarget; exitCode: number }
  | {
      kind: "native";
      target: PackageTarget;
      where: string;
      change: ChangeResult;
      /** Whether pip ran at all (to resolve or fetch). */
      pipResolved: boolean;
    }
  /** pip's resolution found nothing to install. */
  | { kind: "nothing"; target: PackageTarget; where: string };

/** pip's argv for these options (the files themselves, not a rewrite of them). */
export function pipInstallArgs(opts: InstallOptions): string[] {
  const a = ["install"];
  if (opts.upgrade) a.push("--upgrade");
  if (opts.forceReinstall) a.push("--force-reinstall");
  if (opts.noDeps) a.push("--no-deps");
  a.push(...indexArgs(opts.index));
  for (const c of opts.constraintFiles) a.push("-c", c);
  for (const r of opts.requirementFiles) a.push("-r", r);
  for (const e of opts.editables) a.push("-e", e);
  a.push(...opts.requirements, ...opts.pipArgs);
  return a;
}

/** What on the command line asks pip for a change whatever is installed. */
function optionsAskingForChange(opts: InstallOptions): string | undefined {
  if (opts.upgrade) return "--upgrade asks pip to look for newer versions";
  if (opts.forceReinstall) return "--force-reinstall";
  if (opts.pipArgs.length) return `pip options after -- (${opts.pipArgs.join(" ")})`;
  return undefined;
}

export async function install(opts: InstallOptions, ctx: Context): Promise<InstallResult> {
  if (!opts.requirements.length && !opts.requirementFiles.length && !opts.editables.length && !opts.pipArgs.length) {
    throw new UsageError("nothing to install", { hint: "give requirements (`venvctl install requests`), -r FILE or -e PATH" });
  }
  const lockFile = opts.requirementFiles.find(isPylockFileName);
  if (lockFile && opts.dryRun) {
    throw new UsageError("install --dry-run plans requirements, not a lock file", { hint: `venvctl sync --dry-run ${lockFile} shows what the lock would change` });
  }
  if (lockFile) return installLockFile(opts, lockFile, ctx);
  // The files first: a mistake in them stops everything before anything runs.
  const inputs = readInputs(opts, { cwd: ctx.cwd, env: ctx.env });
  const target = await resolveTargetToChange(ctx, opts.python, "install", opts);

  const checked = openForCheck(ctx, target);
  let why = optionsAskingForChange(opts);
  if (opts.dryRun) {
    const plan = planInstall(inputs, checked, decideNoOp(ctx, checked, inputs, opts.noDeps));
    if (why !== undefined && !plan.needed) Object.assign(plan, { needed: true, why });
    return { kind: "plan", target, where: describeTarget(target, ctx.dirs.home), plan, warnings: inputs.warnings };
  }
  if (why === undefined) {
    const decision = decideNoOp(ctx, checked, inputs, opts.noDeps);
    if (decision.satisfied) {
      debug(ctx, `all satisfied without pip: ${decision.requirements} requirements, ${decision.distributions} distributions checked${decision.ignored.length ? `; markers leave out ${decision.ignored.join(", ")}` : ""}`);
      return { kind: "satisfied", target, where: describeTarget(target, ctx.dirs.home), requirements: decision.requirements, distributions: decision.distributions, warnings: inputs.warnings };
    }
    why = decision.reason;
  }
  const where = describeTarget(target, ctx.dirs.home);
  const { nativeBlocker } = await import("../installer/native-install.js");
  const blocker = nativeBlocker(ctx, target, checked, inputs, opts);
  if (blocker === undefined) return installNatively(ctx, opts, inputs, target, checked, why);
  if (opts.json) {
    throw new VenvctlError(`--json is not available here: pip installs (${blocker}), and says what it did in its own words`, {
      hint: "leave out --json, or --dry-run --json for the plan",
    });
  }
  debug(ctx, `pip installs (not venvctl): ${blocker}`);
  // Said before pip's own output streams (hence here, not in the printing).
  ctx.stderr.write(`Installing into ${where}\n`);
  await ensurePip(ctx, target);
  const exitCode = await runPip(ctx, target, [...pipInstallArgs(opts), ...consentPipArgs(target, opts)], { why, stdoutIsData: pipWritesData(opts.pipArgs) });
  if (exitCode === 0) await rehashAfterChange(ctx, target);
  return { kind: "pip", target, exitCode };
}

/** The native path (installer/native-install.ts), said before pip's resolution streams. */
async function installNatively(
  ctx: Context,
  opts: InstallOptions,
  inputs: ParsedRequirements,
  target: PackageTarget,
  checked: CheckedEnvironment,
  why: string,
): Promise<InstallResult> {
  const where = describeTarget(target, ctx.dirs.home);
  ctx.stderr.write(`Installing into ${where}\n`);
  const { installInputs } = await import("../installer/native-install.js");
  const outcome = await installInputs(ctx, target, checked, inputs, {
    resolveArgs: [...pipInstallArgs(opts), ...consentPipArgs(target, opts)],
    cacheOnly: !opts.upgrade && !opts.forceReinstall,
    noDeps: opts.noDeps,
    upgrade: opts.upgrade,
    force: opts.forceReinstall,
    index: opts.index,
    placement: opts.placement,
    why,
  });
  if (outcome.kind === "pip-failed") return { kind: "pip", target, exitCode: outcome.exitCode };
  if (outcome.kind === "nothing") return { kind: "nothing", target, where };
  return { kind: "native", target, where, change: outcome.change, pipResolved: outcome.pipResolved };
}

/** `install -r pylock.toml`: what the lock selects, installed exactly (installer/lock-install.ts). */
async function installLockFile(opts: InstallOptions, file: string, ctx: Context): Promise<InstallResult> {
  const others = [...opts.requirements, ...opts.requirementFiles.filter((f) => f !== file), ...opts.constraintFiles, ...opts.editables, ...opts.pipArgs];
  if (others.length || opts.upgrade || opts.noDeps) {
    throw new UsageError(`a lock file is installed alone, exactly as it is: ${others.length ? others.join(" ") : opts.upgrade ? "--upgrade" : "--no-deps"} cannot go with it`, {
      hint: `venvctl install -r ${file}`,
    });
  }
  const target = await resolveTargetToChange(ctx, opts.python, "install", opts);
  const where = describeTarget(target, ctx.dirs.home);
  const { installLock, selectLock } = await import("../installer/lock-install.js");
  const selection = selectLock(ctx, target, file, `install -p .venv -r ${file}`);
  for (const w of selection.warnings) ctx.stderr.write(w + "\n");
  ctx.stderr.write(`Installing ${file} into ${where}\n`);
  const change = await installLock(ctx, target, selection, openForCheck(ctx, target), { index: opts.index, placement: opts.placement, force: opts.forceReinstall });
  if (!change) return { kind: "satisfied", target, where, requirements: selection.dists.length, distributions: selection.dists.length, warnings: [] };
  return { kind: "native", target, where, change, pipResolved: false };
}
