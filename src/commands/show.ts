// `venvctl show NAME...`: what the environment's pip shows about installed
// packages, read natively; --json for scripts.
import type { Context } from "../context.js";
import { openEnvironment, profileFor } from "../environments/environment.js";
import { runPip } from "../pip/runner.js";
import { showPackages, type PackageInfo } from "../pip/show.js";
import { resolveTarget, targetSysPath, type PackageTarget } from "../environments/target.js";
import { VenvctlError } from "../errors.js";
import { canonicalizeName } from "../standards/names.js";

export interface ShowOptions {
  python?: string | undefined;
  names: string[];
  files: boolean;
  verbose: boolean;
  json: boolean;
}

export type ShowResult =
  | {
      kind: "output";
      lines: string[];
      packages: PackageInfo[];
      /** Names not installed (pip's "Package(s) not found"). */
      missing: string[];
      warnings: string[];
      target: PackageTarget;
    }
  | { kind: "delegated"; exitCode: number };

export async function show(opts: ShowOptions, ctx: Context): Promise<ShowResult> {
  const target = await resolveTarget(ctx, opts.python);
  const sysPath = targetSysPath(target, ctx);
  const profile = profileFor(target, sysPath, ctx);
  const delegate = async (why: string): Promise<ShowResult> => {
    if (opts.json) throw new VenvctlError(`--json is not available here: ${why}`);
    const args = ["show", ...(opts.files ? ["--files"] : []), ...(opts.verbose ? ["--verbose"] : []), ...opts.names];
    return { kind: "delegated", exitCode: await runPip(ctx, target, args, { why, stdoutIsData: true }) };
  };
  if (profile.pipVersion !== undefined && (profile.unsupported || profile.backend !== "importlib")) {
    return delegate(profile.unsupported ? `pip ${profile.pipVersion} is older than 23.0` : "this pip reads metadata through pkg_resources");
  }
  const env = openEnvironment(ctx, target, { need: "all" }, { sysPath, profile });
  if (env.installed.unsupported) return delegate(env.installed.unsupported);
  // pip warns about missing names after reading the environment, before the rest.
  const read = env.installed.warnings.length;
  const out = showPackages(env, { names: opts.names, files: opts.files, verbose: opts.verbose });
  // Asked for by name, a distribution whose metadata cannot be read is an error, not "not found".
  const broken = out.missing.flatMap((name) => env.installed.broken.filter((b) => b.key === canonicalizeName(name)));
  if (broken.length) {
    const b = broken[0]!;
    throw new VenvctlError(`cannot show ${b.key}: ${b.file} ${b.reason.replace(/^it /, "")}`, {
      hint: `remove ${b.infoPath}, then install ${b.key} again`,
    });
  }
  const warnings = env.installed.warnings.slice(0, read);
  if (out.missing.length) warnings.push(`WARNING: Package(s) not found: ${out.missing.join(", ")}`);
  warnings.push(...env.installed.warnings.slice(read));
  return { kind: "output", lines: out.lines, packages: out.packages, missing: out.missing, warnings, target };
}
