// `venvctl sync FILE...`: make the environment hold exactly what the files
// list — one install for what is missing or at another version (with what
// it needs), then one uninstall for what is neither listed nor needed; both
// by venvctl's installer (pip resolving and fetching), or by pip where
// venvctl cannot (installer/native-install.ts says when). --dry-run prints the plan
// and changes nothing.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { decideNoOp, openForCheck, type CheckedEnvironment } from "../plans/install-check.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import type { ChangeResult } from "../wheel/transaction.js";
// native-install.js (the installer, the store, pip's report) is loaded once
// the answer is not "nothing to do": that answer stays as quick as it was.
import type { PlacementOptions } from "../installer/native-install.js";
// lock-install.js (and the TOML parser with it) is loaded only for a lock file.
import { isPylockFileName } from "../standards/pylock-model.js";
import { clearListingCache } from "../environments/listing.js";
import { ensurePip, rehashAfterChange } from "../installer/pip-steps.js";
import { indexArgs, runPip, type IndexOptions } from "../pip/runner.js";
import { readInputs } from "../pip/requirements-file.js";
import { planInstall, planUninstall, type InstallPlan, type UninstallPlan } from "../plans/sync-plan.js";
import { debug } from "../util/log.js";
import { consentPipArgs, installsElsewhere, resolveTargetToChange } from "../environments/consent.js";
import { describeTarget, type PackageTarget } from "../environments/target.js";

export interface SyncOptions {
  python?: string | undefined;
  files: string[];
  index: IndexOptions;
  dryRun: boolean;
  /** After `--`: for pip's install call. */
  pipArgs: string[];
  /** --system: a base interpreter the selection chooses may be changed. */
  system: boolean;
  breakSystemPackages: boolean;
  /** --link-mode / VENVCTL_LINK_MODE, and --compile. */
  placement: PlacementOptions;
}


export interface SyncResult {
  target: PackageTarget;
  /** "the virtual environment at ~/p/.venv", for messages. */
  where: string;
  dryRun: boolean;
  install: InstallPlan;
  /** Before the install for --dry-run; worked out again after it otherwise. */
  uninstall: UninstallPlan;
  /** pip's exit code (0 when pip had nothing to do). */
  exitCode: number;
  /** What venvctl's installer did (installing, then uninstalling), when it did the work. */
  changes: ChangeResult[];
  /** Whether pip's install ran, and which distributions pip's uninstall was given. */
  installed: boolean;
  uninstalled: string[];
  warnings: string[];
}

export async function sync(opts: SyncOptions, ctx: Context): Promise<SyncResult> {
  if (!opts.files.length) throw new UsageError("sync needs a requirements file", { hint: "venvctl sync requirements.txt" });
  // pip installing somewhere else: sync would uninstall from this
  // environment what it had just put there.
  const elsewhere = installsElsewhere(opts.pipArgs) ?? opts.pipArgs.find((a) => a === "--user");
  if (elsewhere) {
    throw new UsageError(`sync makes an environment hold what the files list; pip's ${elsewhere} installs somewhere else`, {
      hint: "to install into another place, use `venvctl install -r FILE -- " + elsewhere + " …`",
    });
  }
  if (opts.files.some(isPylockFileName)) return syncLock(opts, ctx);
  // pip's --dry-run after `--` makes the whole sync a dry run: its uninstall
  // step is venvctl's, and would otherwise run for real.
  if (opts.pipArgs.includes("--dry-run")) opts = { ...opts, dryRun: true, pipArgs: opts.pipArgs.filter((a) => a !== "--dry-run") };
  const inputs = readInputs({ requirementFiles: opts.files }, { cwd: ctx.cwd, env: ctx.env });
  const target = await resolveTargetToChange(ctx, opts.python, "sync", opts);
  let checked = openForCheck(ctx, target);
  const decision = decideNoOp(ctx, checked, inputs, false);
  const install = planInstall(inputs, checked, decision);
  if (opts.pipArgs.length && !install.needed) {
    install.needed = true;
    install.why = `pip options after -- (${opts.pipArgs.join(" ")})`;
  }
  let uninstall = planUninstall(inputs, checked, ctx.cwd);
  const where = describeTarget(target, ctx.dirs.home);
  const result: SyncResult = { target, where, dryRun: opts.dryRun, install, uninstall, exitCode: 0, installed: false, uninstalled: [], changes: [], warnings: inputs.warnings };
  if (opts.dryRun) return result;

  if (!install.needed && !uninstall.remove.length) return result;
  ctx.stderr.write(`Syncing ${where} with ${opts.files.join(", ")}\n`);
  const { nativeBlocker } = await import("../installer/native-install.js");
  const blocker = nativeBlocker(ctx, target, checked, inputs, { pipArgs: opts.pipArgs, editables: [] });
  if (blocker === undefined) return syncNatively(ctx, opts, inputs, target, checked, result);
  debug(ctx, `pip installs and uninstalls (not venvctl): ${blocker}`);
  await ensurePip(ctx, target);
  if (install.needed) {
    debug(ctx, `pip installs: ${install.why}`);
    const args = [...syncInstallArgs(opts), ...consentPipArgs(target, opts)];
    result.installed = true;
    result.exitCode = await runPip(ctx, target, args, { why: install.why ?? "sync" });
    if (result.exitCode !== 0) return result;
    // What the listed packages need now is what the new versions say.
    clearListingCache();
    checked = openForCheck(ctx, target);
    uninstall = planUninstall(inputs, checked, ctx.cwd);
    result.uninstall = uninstall;
  }
  if (uninstall.remove.length) {
    const names = uninstall.remove.map((r) => r.name);
    ctx.stderr.write(`Uninstalling what ${opts.files.join(", ")} does not list: ${uninstall.remove.map((r) => `${r.name} ${r.version}`).join(", ")}\n`);
    result.uninstalled = names;
    result.exitCode = await runPip(ctx, target, ["uninstall", "--yes", ...names, ...consentPipArgs(target, opts)], { why: "sync removes what is not listed" });
  }
  if (result.exitCode === 0) await rehashAfterChange(ctx, target);
  return result;
}

/** pip's install arguments for the files (for pip's install, or its dry run). */
function syncInstallArgs(opts: SyncOptions): string[] {
  const args = ["install", ...indexArgs(opts.index)];
  for (const f of opts.files) args.push("-r", f);
  args.push(...opts.pipArgs);
  return args;
}

/**
 * Sync with venvctl's installer: what is missing or at another version
 * installed in one transaction (from the cache alone for a pinned set),
 * then what is neither listed nor needed removed in another.
 */
async function syncNatively(
  ctx: Context,
  opts: SyncOptions,
  inputs: ParsedRequirements,
  target: PackageTarget,
  checked: CheckedEnvironment,
  result: SyncResult,
): Promise<SyncResult> {
  const { installInputs } = await import("../installer/native-install.js");
  if (result.install.needed) {
    const outcome = await installInputs(ctx, target, checked, inputs, {
      resolveArgs: [...syncInstallArgs(opts), ...consentPipArgs(target, opts)],
      cacheOnly: true,
      noDeps: false,
      index: opts.index,
      placement: opts.placement,
      why: result.install.why ?? "sync",
    });
    if (outcome.kind === "pip-failed") {
      result.exitCode = outcome.exitCode;
      return result;
    }
    if (outcome.kind === "installed") {
      result.installed = true;
      result.changes.push(outcome.change);
    }
  }
  return removeUnlisted(ctx, target, inputs, result, opts.placement);
}

/**
 * sync's second step: what is neither listed nor needed now (worked out
 * again after an install: new versions may need other packages) is removed,
 * in a transaction of its own.
 */
async function removeUnlisted(ctx: Context, target: PackageTarget, listed: ParsedRequirements, result: SyncResult, placement: PlacementOptions): Promise<SyncResult> {
  if (result.installed || result.changes.length) {
    clearListingCache();
    result.uninstall = planUninstall(listed, openForCheck(ctx, target), ctx.cwd);
  }
  if (result.uninstall.remove.length) {
    const { applyChange } = await import("../installer/native-install.js");
    result.uninstalled = result.uninstall.remove.map((r) => r.name);
    result.changes.push(await applyChange(ctx, target, { install: [], remove: result.uninstalled }, placement));
  }
  return result;
}

/**
 * Sync with a PEP 751 lock: what the lock selects for this environment is
 * installed exactly (no resolution; hashes checked), then what the lock
 * neither lists nor needs is uninstalled, as for requirements files.
 */
async function syncLock(opts: SyncOptions, ctx: Context): Promise<SyncResult> {
  const file = opts.files[0]!;
  if (opts.files.length > 1) {
    throw new UsageError(`sync takes one lock file, or requirements files: ${opts.files.join(" ")}`, { hint: `venvctl sync ${file}` });
  }
  if (opts.pipArgs.length) {
    throw new UsageError(`pip options (${opts.pipArgs.join(" ")}) do not apply to a lock: venvctl installs it`, { hint: `venvctl sync ${file}` });
  }
  const target = await resolveTargetToChange(ctx, opts.python, "sync", opts);
  const where = describeTarget(target, ctx.dirs.home);
  const { installedAsLocked, installLock, selectLock } = await import("../installer/lock-install.js");
  const selection = selectLock(ctx, target, file, `sync -p .venv ${file}`);
  const checked = openForCheck(ctx, target);
  const steps = selection.dists.filter((d) => !installedAsLocked(d, checked)).map((d) => {
    const now = checked.index.get(d.key);
    return {
      requirement: d.version ? `${d.name}==${d.version}` : d.name,
      reason: now ? ("version" as const) : ("missing" as const),
      installed: now?.version.text,
      where: file,
    };
  });
  const install: InstallPlan = { steps, needed: steps.length > 0, why: steps.length ? `${file} locks what is not installed` : undefined, listed: selection.dists.length };
  const result: SyncResult = {
    target, where, dryRun: opts.dryRun, install, uninstall: planUninstall(selection.inputs, checked, ctx.cwd),
    exitCode: 0, installed: false, uninstalled: [], changes: [], warnings: selection.warnings,
  };
  if (opts.dryRun || (!install.needed && !result.uninstall.remove.length)) return result;
  ctx.stderr.write(`Syncing ${where} with ${file}\n`);
  if (install.needed) {
    const change = await installLock(ctx, target, selection, checked, { index: opts.index, placement: opts.placement });
    if (change) {
      result.installed = true;
      result.changes.push(change);
    }
  }
  return removeUnlisted(ctx, target, selection.inputs, result, opts.placement);
}
