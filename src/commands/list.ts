// `venvctl list`: installed packages as the environment's pip lists them
// (columns, freeze or JSON), read natively; --outdated and --uptodate need a
// package index, so those go to the environment's pip.
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { openEnvironment, profileFor } from "../environments/environment.js";
import { listPackages, type ListedPackage, type ListFormat } from "../pip/listing.js";
import { indexArgs, runPip, type IndexOptions } from "../pip/runner.js";
import { resolveTarget, targetSysPath, type PackageTarget } from "../environments/target.js";

export interface ListOptions {
  python?: string | undefined;
  format: ListFormat;
  editable: boolean;
  excludeEditable: boolean;
  notRequired: boolean;
  excludes: string[];
  local: boolean;
  user: boolean;
  paths?: string[] | undefined;
  verbose: number;
  /** --outdated / --uptodate: answered by the environment's pip. */
  index?: "outdated" | "uptodate" | undefined;
  /** With --outdated/--uptodate: where pip looks (--pre, --index-url, …). */
  pipIndex: IndexOptions;
}

export type ListResult =
  | { kind: "output"; lines: string[]; packages: ListedPackage[]; warnings: string[]; target: PackageTarget }
  | { kind: "delegated"; exitCode: number };

function pipArgs(opts: ListOptions): string[] {
  const a = ["list", "--format", opts.format];
  if (opts.index === "outdated") a.push("--outdated");
  if (opts.index === "uptodate") a.push("--uptodate");
  if (opts.editable) a.push("--editable");
  if (opts.excludeEditable) a.push("--exclude-editable");
  if (opts.notRequired) a.push("--not-required");
  for (const e of opts.excludes) a.push("--exclude", e);
  if (opts.local) a.push("--local");
  if (opts.user) a.push("--user");
  for (const p of opts.paths ?? []) a.push("--path", p);
  for (let i = 0; i < opts.verbose; i++) a.push("-v");
  return [...a, ...indexArgs(opts.pipIndex)];
}

export async function list(opts: ListOptions, ctx: Context): Promise<ListResult> {
  if (opts.paths?.length && (opts.user || opts.local)) {
    throw new UsageError("Cannot combine '--path' with '--user' or '--local'");
  }
  if (opts.index === "outdated" && opts.format === "freeze") {
    throw new UsageError("List format 'freeze' cannot be used with the --outdated option.");
  }
  const target = await resolveTarget(ctx, opts.python);
  if (opts.index) {
    return { kind: "delegated", exitCode: await runPip(ctx, target, pipArgs(opts), { why: `--${opts.index} needs the package index`, stdoutIsData: true }) };
  }
  const sysPath = targetSysPath(target, ctx);
  const profile = profileFor(target, sysPath, ctx);
  if (profile.pipVersion !== undefined && (profile.unsupported || profile.backend !== "importlib")) {
    const why = profile.unsupported ? `pip ${profile.pipVersion} is older than 23.0` : "this pip reads metadata through pkg_resources";
    return { kind: "delegated", exitCode: await runPip(ctx, target, pipArgs(opts), { why, stdoutIsData: true }) };
  }
  const env = openEnvironment(ctx, target, {
    paths: opts.paths?.length ? opts.paths.map((p) => resolve(ctx.cwd, p)) : undefined,
    need: opts.notRequired ? "all" : "name-version",
  }, { sysPath, profile });
  if (env.installed.unsupported) {
    return { kind: "delegated", exitCode: await runPip(ctx, target, pipArgs(opts), { why: env.installed.unsupported, stdoutIsData: true }) };
  }
  const out = listPackages(env, {
    format: opts.format,
    editableOnly: opts.editable,
    excludeEditable: opts.excludeEditable,
    notRequired: opts.notRequired,
    excludes: opts.excludes,
    local: opts.local,
    user: opts.user,
    verbose: opts.verbose,
  });
  return { kind: "output", lines: out.lines, packages: out.packages, warnings: env.installed.warnings, target };
}
