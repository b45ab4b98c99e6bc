// Runs the program with the process's Context, and renders any error once:
// `error:` / `Caused by:` / `hint:` on stderr, exit 1 (failure) or 2 (usage).
import { runCli } from "./cli/index.js";
import { contextFromProcess } from "./context.js";
import { renderError } from "./errors.js";
import { debugEnabled } from "./util/log.js";

/** Runs venvctl and answers the exit code. */
export async function run(argv: string[]): Promise<number> {
  const ctx = contextFromProcess();
  try {
    return await runCli(argv, ctx);
  } catch (err) {
    const { text, exitCode } = renderError(err, debugEnabled(ctx));
    ctx.stderr.write(text);
    return exitCode;
  }
}
