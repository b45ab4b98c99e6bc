// `venvctl python find [SPEC]`: the path of the interpreter the selection
// chain gives (or SPEC gives, as `-p` reads it), and nothing else on stdout.
import type { Context } from "../../context.js";
import { parsePythonRequest } from "../../interpreters/request.js";
import { chooseInterpreter, findInterpreter } from "../../interpreters/selection.js";

export interface PythonFindOptions {
  spec?: string | undefined;
}

export async function pythonFind(opts: PythonFindOptions, ctx: Context): Promise<{ path: string }> {
  if (opts.spec === undefined) return { path: (await chooseInterpreter(ctx)).python };
  const found = await findInterpreter(ctx, parsePythonRequest(opts.spec));
  return { path: found.interpreter.path };
}
