// `venvctl rehash`: (re)writes the shims in $VENVCTL_ROOT/shims for every
// command of every discovered interpreter, and the index they resolve with.
import { plural } from "../util/words.js";
import type { Context } from "../context.js";
import { rehashShims, type RehashResult } from "../shims/rehash.js";
import { tildify } from "../util/log.js";

export type RehashOptions = Record<string, never>;

/** Writes the shims (always: `use` and `init` are the ones that skip an unchanged set). */
export async function rehash(_opts: RehashOptions, ctx: Context): Promise<RehashResult> {
  return rehashShims(ctx);
}

/** The lines `rehash` tells on stderr. */
export function describeRehash(r: RehashResult, home: string): string[] {
  const lines = [`Wrote ${plural(r.shims.length, "shim")} in ${tildify(r.dir, home)}`];
  if (r.kept.length) lines.push(`Kept ${r.kept.length === 1 ? "a file" : "files"} venvctl did not write: ${r.kept.join(", ")}`);
  if (r.blocked.length) lines.push(`warning: no shim for ${r.blocked.join(", ")}: a file venvctl did not write has that name`);
  return lines;
}
