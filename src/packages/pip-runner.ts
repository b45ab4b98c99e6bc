// Running the target environment's own pip for the commands that change it
// (install, reinstall, uninstall, sync): seeding pip first into a venv made
// without it, streaming pip's output, answering pip's exit code, and
// rehashing the shims after a base interpreter gained or lost commands.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { runInherited } from "../util/exec.js";
import { debug, tildify, warn } from "../util/log.js";
import { describeTarget, envPipVersion, targetSysPath, type PackageTarget } from "../venv/target.js";
import { clearListingCache } from "./installed.js";

/**
 * Makes sure `python -m pip` works in the target: a venv without pip (made
 * with --without-pip) gets the pip its interpreter bundles (and setuptools up
 * to 3.11, as `venvctl create` seeds), installed natively; a base
 * interpreter without pip is an error (venvctl does not write into it
 * unasked).
 */
export async function ensurePip(ctx: Context, target: PackageTarget): Promise<void> {
  if (envPipVersion(targetSysPath(target, ctx)) !== undefined) return;
  const where = describeTarget(target, ctx.dirs.home);
  if (target.kind !== "venv" || !target.envDir) {
    throw new VenvctlError(`${where} has no pip`, {
      hint: `install it with \`${tildify(target.python, ctx.dirs.home)} -m ensurepip\`, or pass -p with an environment that has pip`,
    });
  }
  ctx.stderr.write(`${capitalize(where)} has no pip: seeding it from the bundled wheel\n`);
  const { seedEnvironment } = await import("../venv/seed.js");
  const { venvLayout } = await import("../venv/layout.js");
  const seedDir = ctx.env.VENVCTL_SEED_DIR ? resolve(ctx.cwd, ctx.env.VENVCTL_SEED_DIR) : undefined;
  const result = await seedEnvironment(ctx, target.interpreter, venvLayout(target.interpreter, target.envDir), { seedDir, linkMode: "auto" }, (p) => p);
  for (const w of result.warnings) warn(ctx, w);
  ctx.stderr.write(`Seeded ${result.seeded.map((s) => `${s.name} ${s.version}`).join(", ")}\n`);
  clearListingCache();
}

export interface PipRunOptions {
  /** Why pip runs (VENVCTL_DEBUG). */
  why: string;
  /**
   * Keep pip's stdout on ours. By default it goes to stderr: what pip prints
   * while installing is talk, and venvctl's stdout carries data only
   * (`--report -` is the exception: pip writes JSON there).
   */
  stdoutIsData?: boolean;
}

/** Runs `<env python> -m pip ARGS` with stdin and the terminal inherited; answers pip's exit code. */
export async function runPip(ctx: Context, target: PackageTarget, args: readonly string[], opts: PipRunOptions): Promise<number> {
  debug(ctx, `running ${tildify(target.python, ctx.dirs.home)} -m pip ${args.join(" ")} (${opts.why})`);
  const code = await runInherited(ctx, target.python, ["-m", "pip", ...args], { stdoutToStderr: !opts.stdoutIsData });
  if (code === 127 && !existsSync(target.python)) {
    throw new VenvctlError(`could not run ${target.python}`, { hint: "the environment's python is missing; recreate the environment" });
  }
  return code;
}

/** Whether pip's arguments ask it to write a report on stdout (`--report -`). */
export function pipWritesData(args: readonly string[]): boolean {
  return args.some((a, i) => a === "--report=-" || (a === "--report" && args[i + 1] === "-"));
}

/**
 * After pip changed a base interpreter (not a venv), rewrites the shims when
 * the set of commands changed, so a new console script gets one. Shims that
 * were never made are left unmade; a failure is a warning (pip's work stands).
 */
export async function rehashAfterChange(ctx: Context, target: PackageTarget): Promise<void> {
  if (target.kind !== "interpreter") return;
  try {
    const { rehashShims, shimsDir } = await import("../shims/rehash.js");
    if (!existsSync(shimsDir(ctx))) {
      debug(ctx, "no shims to rehash (run `venvctl rehash` to make them)");
      return;
    }
    const result = await rehashShims(ctx, { ifChanged: true });
    if (result.changed) ctx.stderr.write(`Rehashed the shims in ${tildify(result.dir, ctx.dirs.home)}\n`);
  } catch (err) {
    warn(ctx, `could not rehash the shims: ${(err as Error).message} (run \`venvctl rehash\`)`);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Where pip looks for distributions: the index options venvctl's commands pass on. */
export interface IndexOptions {
  indexUrl?: string | undefined;
  extraIndexUrls: string[];
  findLinks: string[];
  noIndex: boolean;
  pre: boolean;
}

/** The index options as pip's arguments. */
export function indexArgs(o: IndexOptions): string[] {
  const a: string[] = [];
  if (o.pre) a.push("--pre");
  if (o.indexUrl) a.push("--index-url", o.indexUrl);
  for (const u of o.extraIndexUrls) a.push("--extra-index-url", u);
  for (const f of o.findLinks) a.push("--find-links", f);
  if (o.noIndex) a.push("--no-index");
  return a;
}
