// `venvctl init [bash|zsh|fish|ksh|sh]`: what a user puts in their shell's rc
// file (`eval "$(venvctl init bash)"`): the shims first on PATH, and the
// `venvctl` function that `use --shell` needs. It also brings the shims up to
// date, as `pyenv init` does, so a new shell starts with a complete set.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { rehashShims } from "../shims/rehash.js";
import { shimsDir } from "../shims/shim-set.js";
import { SHELL_NAMES, isShellName, loadShell, shellFromPath, type ShellName } from "../shims/shell.js";

export interface InitOptions {
  /** The shell to write for; default: the one $SHELL names. */
  shell?: string | undefined;
}

export interface InitResult {
  shell: ShellName;
  /** The code to evaluate (stdout). */
  code: string;
  /** Why the shims could not be brought up to date (the code still works). */
  warning?: string | undefined;
}

export async function init(opts: InitOptions, ctx: Context): Promise<InitResult> {
  let name: ShellName | undefined;
  if (opts.shell !== undefined) {
    if (!isShellName(opts.shell)) {
      throw new UsageError(`venvctl has no set-up for the shell \`${opts.shell}\``, { hint: `pass one of: ${SHELL_NAMES.join(", ")}` });
    }
    name = opts.shell;
  } else {
    name = shellFromPath(ctx.env.SHELL);
    if (!name) {
      throw new UsageError(`cannot tell which shell to write for from SHELL=${ctx.env.SHELL ?? "(unset)"}`, {
        hint: `pass one: venvctl init ${SHELL_NAMES.join("|")}`,
      });
    }
  }
  const shell = await loadShell(name);
  let warning: string | undefined;
  try {
    await rehashShims(ctx, { ifChanged: true });
  } catch (err) {
    warning = (err as Error).message;
  }
  return { shell: name, code: shell.init(shimsDir(ctx)), warning };
}
