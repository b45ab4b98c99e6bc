// `venvctl install`: the target environment's pip installs, with its output
// streaming; venvctl reads the requirements first (errors as FILE:LINE,
// before pip starts) and answers at once, without pip or Python, when every
// requirement and everything it depends on is already installed.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { decideNoOp, openForCheck } from "../plans/install-check.js";
import { ensurePip, rehashAfterChange } from "./pip-steps.js";
import { indexArgs, pipWritesData, runPip, type IndexOptions } from "../pip/runner.js";
import { readInputs } from "../pip/requirements-file.js";
import { debug } from "../util/log.js";
import { consentPipArgs, resolveTargetToChange, type ChangeConsent } from "../environments/consent.js";
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
}

export type InstallResult =
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
  | { kind: "pip"; target: PackageTarget; exitCode: number };

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
  // The files first: a mistake in them stops everything before anything runs.
  const inputs = readInputs(opts, { cwd: ctx.cwd, env: ctx.env });
  const target = await resolveTargetToChange(ctx, opts.python, "install", opts);

  let why = optionsAskingForChange(opts);
  if (why === undefined) {
    const decision = decideNoOp(ctx, openForCheck(ctx, target), inputs, opts.noDeps);
    if (decision.satisfied) {
      debug(ctx, `all satisfied without pip: ${decision.requirements} requirements, ${decision.distributions} distributions checked${decision.ignored.length ? `; markers leave out ${decision.ignored.join(", ")}` : ""}`);
      return { kind: "satisfied", target, where: describeTarget(target, ctx.dirs.home), requirements: decision.requirements, distributions: decision.distributions, warnings: inputs.warnings };
    }
    why = decision.reason;
  }
  debug(ctx, `pip is needed: ${why}`);
  // Said before pip's own output streams (hence here, not in the printing).
  ctx.stderr.write(`Installing into ${describeTarget(target, ctx.dirs.home)}\n`);
  await ensurePip(ctx, target);
  const exitCode = await runPip(ctx, target, [...pipInstallArgs(opts), ...consentPipArgs(target, opts)], { why, stdoutIsData: pipWritesData(opts.pipArgs) });
  if (exitCode === 0) await rehashAfterChange(ctx, target);
  return { kind: "pip", target, exitCode };
}
