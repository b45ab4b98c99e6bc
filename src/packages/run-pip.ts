// Handing a command to the environment's own pip (what venvctl does not
// answer itself: --outdated, pips too old to reproduce), its output streamed.
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { runInherited } from "../util/exec.js";
import { debug, tildify } from "../util/log.js";
import type { PackageTarget } from "../venv/target.js";

/** Runs `python -m pip ARGS` of the target and answers pip's exit code. */
export async function runEnvPip(ctx: Pick<Context, "env" | "cwd" | "stderr" | "dirs">, target: PackageTarget, args: string[], why: string): Promise<number> {
  debug(ctx, `running ${tildify(target.python, ctx.dirs.home)} -m pip ${args.join(" ")} (${why})`);
  const code = await runInherited(ctx, target.python, ["-m", "pip", ...args]);
  if (code === 127) {
    throw new VenvctlError(`could not run pip with ${target.python}`, { hint: "is pip installed in this environment?" });
  }
  return code;
}
