// `venvctl sync FILE...`: make the environment hold exactly what the files
// list — one pip install for what is missing or at another version (with
// what it needs), then one pip uninstall for what is neither listed nor
// needed. --dry-run prints the plan and changes nothing.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { decideNoOp, openForCheck } from "../plans/install-check.js";
import { clearListingCache } from "../environments/installed.js";
import { ensurePip, rehashAfterChange } from "./pip-steps.js";
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
  const result: SyncResult = { target, where, dryRun: opts.dryRun, install, uninstall, exitCode: 0, installed: false, uninstalled: [], warnings: inputs.warnings };
  if (opts.dryRun) return result;

  if (!install.needed && !uninstall.remove.length) return result;
  ctx.stderr.write(`Syncing ${where} with ${opts.files.join(", ")}\n`);
  await ensurePip(ctx, target);
  if (install.needed) {
    debug(ctx, `pip installs: ${install.why}`);
    const args = ["install", ...indexArgs(opts.index)];
    for (const f of opts.files) args.push("-r", f);
    args.push(...opts.pipArgs, ...consentPipArgs(target, opts));
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
