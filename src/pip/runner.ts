// The one way venvctl runs the target environment's own pip: `<env python>
// -m pip ARGS` with the terminal and stdin inherited and pip's exit code
// answered, for the commands that change an environment and for those that
// hand a read to pip (--outdated, pips venvctl does not reproduce); and the
// index options as pip's arguments, in one order.
import { existsSync } from "node:fs";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import { runInherited } from "../util/exec.js";
import { debug, tildify } from "../util/log.js";

export interface PipRunOptions {
  /** Why pip runs (VENVCTL_DEBUG). */
  why: string;
  /**
   * Keep pip's stdout on ours: what a read handed to pip prints (`list
   * --outdated`), or `--report -`'s JSON. Otherwise it goes to stderr: what
   * pip prints while installing is talk, and venvctl's stdout carries data only.
   */
  stdoutIsData?: boolean;
}

/** Runs `<env python> -m pip ARGS` with stdin and the terminal inherited; answers pip's exit code. */
export async function runPip(ctx: Pick<Context, "env" | "cwd" | "stderr" | "dirs">, target: PackageTarget, args: readonly string[], opts: PipRunOptions): Promise<number> {
  debug(ctx, `running ${tildify(target.python, ctx.dirs.home)} -m pip ${args.join(" ")} (${opts.why})`);
  const code = await runInherited(ctx, target.python, ["-m", "pip", ...args], { stdoutToStderr: !opts.stdoutIsData });
  // 127: the environment's python could not be started at all.
  if (code === 127) {
    throw new VenvctlError(`could not run ${target.python}`, {
      hint: existsSync(target.python) ? "is it an executable Python interpreter?" : "the environment's python is missing; recreate the environment",
    });
  }
  return code;
}

/** Whether pip's arguments ask it to write a report on stdout (`--report -`). */
export function pipWritesData(args: readonly string[]): boolean {
  return args.some((a, i) => a === "--report=-" || (a === "--report" && args[i + 1] === "-"));
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
