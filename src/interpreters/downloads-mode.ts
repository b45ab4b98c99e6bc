// VENVCTL_PYTHON_DOWNLOADS: whether venvctl may download interpreters. Kept
// apart from the downloads list (downloads.ts) so that the selection chain,
// which asks only on a miss, loads nothing more at every start.
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";

/** What VENVCTL_PYTHON_DOWNLOADS allows: `automatic` installs what a command needs, `never` downloads nothing. */
export type DownloadsMode = "automatic" | "manual" | "never";

export function downloadsMode(ctx: Pick<Context, "env">): DownloadsMode {
  const v = (ctx.env.VENVCTL_PYTHON_DOWNLOADS ?? "").trim().toLowerCase();
  if (v === "" || v === "manual") return "manual";
  if (v === "automatic" || v === "never") return v;
  throw new VenvctlError(`VENVCTL_PYTHON_DOWNLOADS=${ctx.env.VENVCTL_PYTHON_DOWNLOADS} is not a setting venvctl knows`, {
    hint: "set it to automatic, manual (the default) or never",
  });
}

/** The error every download path gives under VENVCTL_PYTHON_DOWNLOADS=never. */
export function downloadsDisabled(what: string): VenvctlError {
  return new VenvctlError(`${what}: downloads are turned off (VENVCTL_PYTHON_DOWNLOADS=never)`, {
    hint: "unset VENVCTL_PYTHON_DOWNLOADS (or set it to manual) to download builds, or install Python another way (e.g. `pyenv install`)",
  });
}
