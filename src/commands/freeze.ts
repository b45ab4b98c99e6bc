// `venvctl freeze`: installed packages in requirements format, exactly as the
// environment's pip prints them, read natively.
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { NeedsPip } from "../pip/editable-vcs.js";
import { openEnvironment, profileFor } from "../environments/environment.js";
import { freeze as freezeEnv, FreezeFileLineError, type FrozenEntry } from "../pip/freeze.js";
import { canonicalizeName } from "../standards/names.js";
import { runPip } from "../pip/runner.js";
import { resolveTarget, targetSysPath, type PackageTarget } from "../environments/target.js";

export interface FreezeOptions {
  /** -p/--python TARGET. */
  python?: string | undefined;
  all: boolean;
  excludes: string[];
  excludeEditable: boolean;
  local: boolean;
  user: boolean;
  /** --path DIR (repeatable); undefined = sys.path. */
  paths?: string[] | undefined;
  requirementFiles: string[];
  json: boolean;
}

export type FreezeResult =
  | { kind: "output"; lines: string[]; entries: FrozenEntry[]; warnings: string[]; target: PackageTarget }
  | { kind: "delegated"; exitCode: number };

/** pip's own argv for these options, when the command is handed to pip. */
function pipArgs(opts: FreezeOptions): string[] {
  const a = ["freeze"];
  for (const r of opts.requirementFiles) a.push("-r", r);
  if (opts.local) a.push("--local");
  if (opts.user) a.push("--user");
  for (const p of opts.paths ?? []) a.push("--path", p);
  if (opts.all) a.push("--all");
  if (opts.excludeEditable) a.push("--exclude-editable");
  for (const e of opts.excludes) a.push("--exclude", e);
  return a;
}

export async function freeze(opts: FreezeOptions, ctx: Context): Promise<FreezeResult> {
  if (opts.paths?.length && (opts.user || opts.local)) {
    throw new UsageError("Cannot combine '--path' with '--user' or '--local'");
  }
  if (opts.json && opts.requirementFiles.length) {
    throw new UsageError("--json cannot be used with -r (the JSON lists packages, not the file's lines)");
  }
  const target = await resolveTarget(ctx, opts.python);
  const delegate = async (why: string): Promise<FreezeResult> => {
    if (opts.json) throw new VenvctlError(`--json is not available here: ${why}`);
    return { kind: "delegated", exitCode: await runPip(ctx, target, pipArgs(opts), { why, stdoutIsData: true }) };
  };
  const sysPath = targetSysPath(target, ctx);
  const profile = profileFor(target, sysPath, ctx);
  if (profile.pipVersion !== undefined && (profile.unsupported || profile.backend !== "importlib")) {
    return delegate(profile.unsupported ? `pip ${profile.pipVersion} is older than 23.0` : "this pip reads metadata through pkg_resources");
  }
  const env = openEnvironment(ctx, target, {
    paths: opts.paths?.length ? opts.paths.map((p) => resolve(ctx.cwd, p)) : undefined,
    need: "name-version",
  }, { sysPath, profile });
  if (env.installed.unsupported) return delegate(env.installed.unsupported);
  const warnings: string[] = [];
  try {
    const out = await freezeEnv(ctx, env, {
      all: opts.all,
      excludes: opts.excludes.map(canonicalizeName),
      excludeEditable: opts.excludeEditable,
      local: opts.local,
      user: opts.user,
      requirementFiles: opts.requirementFiles,
    }, warnings);
    return { kind: "output", lines: out.lines, entries: out.entries, warnings, target };
  } catch (err) {
    if (err instanceof NeedsPip) return delegate("an editable install is under a version control system other than Git");
    if (err instanceof FreezeFileLineError && profile.pipVersion !== undefined) {
      return delegate(`${err.file} has a line pip refuses, in words only pip prints exactly (${err.message})`);
    }
    throw err;
  }
}
