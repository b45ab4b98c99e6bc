// `venvctl which CMD`: the executable the shim for CMD would run now.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { isShimName, resolveCommand, type Resolution } from "../shims/resolve.js";

export interface WhichOptions {
  command: string;
}

export interface WhichResult {
  path: string;
  resolution: Resolution;
}

/** Resolves CMD as its shim does; fails naming the versions and who set them. */
export async function which(opts: WhichOptions, ctx: Context): Promise<WhichResult> {
  if (!isShimName(opts.command)) {
    throw new UsageError(`\`${opts.command}\` is not a command name`, {
      hint: "pass a name such as python, pip or python3.12 (not a path)",
    });
  }
  const resolution = await resolveCommand(ctx, opts.command);
  return { path: resolution.path, resolution };
}
