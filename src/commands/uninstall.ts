// `venvctl uninstall NAME... [-r FILE] [-y]`: the target environment's pip
// uninstalls (asking first unless -y, as pip does); the names and files are
// checked before pip starts.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { ensurePip, rehashAfterChange } from "../installer/pip-steps.js";
import { runPip } from "../pip/runner.js";
import { commandLineRequirement, readInputs } from "../pip/requirements-file.js";
import { consentPipArgs, resolveTargetToChange } from "../environments/consent.js";
import { describeTarget, type PackageTarget } from "../environments/target.js";

export interface UninstallOptions {
  python?: string | undefined;
  names: string[];
  requirementFiles: string[];
  /** -y: do not ask for confirmation. */
  yes: boolean;
  pipArgs: string[];
  /** --system: a base interpreter the selection chooses may be changed. */
  system: boolean;
  breakSystemPackages: boolean;
}

export interface UninstallResult {
  target: PackageTarget;
  exitCode: number;
}

export async function uninstall(opts: UninstallOptions, ctx: Context): Promise<UninstallResult> {
  if (!opts.names.length && !opts.requirementFiles.length) {
    throw new UsageError("nothing to uninstall", { hint: "give package names (`venvctl uninstall requests`) or -r FILE" });
  }
  for (const n of opts.names) {
    const e = commandLineRequirement(n, false, ctx.cwd);
    if (e.spec.kind !== "named") throw new UsageError(`uninstall takes project names: ${n}`);
  }
  // pip asks "Proceed (Y/n)?" on stdin; with no terminal there it dies with
  // an EOFError traceback (or takes whatever a pipe holds as the answer).
  const yes = opts.yes || opts.pipArgs.includes("-y") || opts.pipArgs.includes("--yes");
  if (!yes && !ctx.stdinIsTTY) {
    throw new UsageError("uninstall asks for confirmation, and stdin is not a terminal to answer on", {
      hint: "pass -y (--yes) to uninstall without asking",
    });
  }
  readInputs({ requirementFiles: opts.requirementFiles }, { cwd: ctx.cwd, env: ctx.env });
  const target = await resolveTargetToChange(ctx, opts.python, "uninstall", opts);
  const args = ["uninstall", ...(opts.yes ? ["--yes"] : []), ...opts.names];
  for (const f of opts.requirementFiles) args.push("-r", f);
  args.push(...opts.pipArgs, ...consentPipArgs(target, opts));
  ctx.stderr.write(`Uninstalling from ${describeTarget(target, ctx.dirs.home)}\n`);
  await ensurePip(ctx, target);
  const exitCode = await runPip(ctx, target, args, { why: "uninstall" });
  if (exitCode === 0) await rehashAfterChange(ctx, target);
  return { target, exitCode };
}
