// Runs the program with the process's Context, and renders any error once:
// `error:` / `Caused by:` / `hint:` on stderr, exit 1 (failure) or 2 (usage).
import { runCli } from "./cli/index.js";
import { contextFromProcess, processStderr, refuseUndecodableArguments, type Context } from "./context.js";
import { renderError } from "./errors.js";
import { debugEnabled } from "./util/log.js";

/** Runs venvctl and answers the exit code. */
export async function run(argv: string[]): Promise<number> {
  // The Context itself may fail (a deleted working directory): rendered the same way.
  let ctx: Context | undefined;
  try {
    ctx = contextFromProcess();
    refuseUndecodableArguments(argv);
    return await runCli(argv, ctx);
  } catch (err) {
    const { text, exitCode } = renderError(err, ctx !== undefined && debugEnabled(ctx));
    (ctx?.stderr ?? processStderr()).write(text);
    return exitCode;
  }
}
