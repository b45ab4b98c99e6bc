// Debug output: with VENVCTL_DEBUG=1, decisions are told on stderr as a story.
import type { Context } from "../context.js";

/** Whether debug output is on for this context. */
export function debugEnabled(ctx: Pick<Context, "env">): boolean {
  const v = ctx.env.VENVCTL_DEBUG;
  return v !== undefined && v !== "" && v !== "0";
}

/** Writes one debug line (`debug: …`) when VENVCTL_DEBUG is set. */
export function debug(ctx: Pick<Context, "env" | "stderr">, message: string): void {
  if (debugEnabled(ctx)) ctx.stderr.write(`debug: ${message}\n`);
}

/** Writes a warning line to stderr. */
export function warn(ctx: Pick<Context, "stderr">, message: string): void {
  ctx.stderr.write(`warning: ${message}\n`);
}

/** Replaces the home directory prefix with `~` for display. */
export function tildify(path: string, home: string): string {
  if (home && home !== "/" && (path === home || path.startsWith(home + "/"))) return "~" + path.slice(home.length);
  return path;
}
