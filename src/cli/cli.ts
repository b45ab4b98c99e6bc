// What every command's registration is given (cli/index.ts makes it): the
// Context, the whole command line, and the exit code the command sets. Its
// own module, so that the command files and index.ts do not import each other.
import type { Context } from "../context.js";

/** What a command's registration sees: the context, argv, and where its exit code goes. */
export interface Cli {
  ctx: Context;
  argv: readonly string[];
  exitCode: number;
}
