// `venvctl exec CMD [ARGS...]`: runs CMD as its shim would, with the selected
// version's bin directory first on PATH; the exit code is CMD's. The shims
// hand what their index cannot answer (a range) to this command.
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { isShimName, resolveCommand } from "../shims/resolve.js";
import { runInherited } from "../util/exec.js";
import { debug } from "../util/log.js";
import { pathDelimiter } from "../platform/interpreter-places.js";

export interface ExecOptions {
  command: string;
  args: string[];
}

export interface ExecResult {
  /** CMD's exit code. */
  exitCode: number;
  path: string;
}

/** CMD could not be run: 127, as a shell (and a shim) answers. */
export class CommandNotRunError extends VenvctlError {
  override readonly exitCode = 127;
}

export async function exec(opts: ExecOptions, ctx: Context): Promise<ExecResult> {
  if (!isShimName(opts.command)) {
    throw new UsageError(`\`${opts.command}\` is not a command name`, {
      hint: "pass a name such as python or pip; to run a file, run it directly",
    });
  }
  let resolution;
  try {
    resolution = await resolveCommand(ctx, opts.command);
  } catch (err) {
    if (err instanceof VenvctlError && !(err instanceof UsageError)) {
      throw new CommandNotRunError(err.message, { hint: err.hint, cause: err.cause });
    }
    throw err;
  }
  const env = { ...ctx.env };
  // As pyenv exec: a managed version's bin directory first, so what CMD runs
  // in turn (python, pip) is the same version; PATH as it was for the rest.
  if (resolution.kind === "version" && resolution.target.bin !== undefined) {
    env.PATH = ctx.env.PATH ? `${resolution.target.bin}${pathDelimiter(ctx)}${ctx.env.PATH}` : resolution.target.bin;
  }
  debug(ctx, `exec ${resolution.path}`);
  const exitCode = await runInherited(ctx, resolution.path, opts.args, { env });
  return { exitCode, path: resolution.path };
}
