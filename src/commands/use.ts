// `venvctl use SPEC...`: pins versions for this directory (.python-version),
// for the user ($VENVCTL_ROOT/version, --global) or for this shell
// (VENVCTL_VERSION, --shell, through the function `init` installs).
//
// Each SPEC is resolved against the installed interpreters before anything is
// written: a request nothing matches is refused, listing what is installed,
// and the old pin stays as it was. What is written must be readable by pyenv
// and uv: a version, prefix or name they understand (3.12, 3.12.1, pypy3.9,
// system, a pyenv version name) is written as given; anything else (a range
// such as >=3.10 or 3.x, cpython@3.12) is written as what it resolves to now,
// and the command says so.
import { unlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { isDownloadableRequest, parsePythonRequest } from "../interpreters/request.js";
import { buildInventory, installedList, matchRequest, type Inventory, type Target } from "../interpreters/inventory.js";
import { installHint, systemPython } from "../interpreters/selection.js";
import { downloadsDisabled, downloadsMode } from "../interpreters/downloads-mode.js";
import { formatVersion } from "../interpreters/version.js";
import { VERSION_FILE_NAME, describeOrigin, selectVersion } from "../interpreters/version-file.js";
import { rehashShims } from "../shims/rehash.js";
import { shimsDir } from "../shims/shim-set.js";
import { isShellName, loadShell, shellFromPath, type ShellName } from "../shims/shell.js";
import { atomicWriteFile, ensureDir, isNodeError, lstatOrUndefined, realpathOrSelf } from "../util/fs.js";
import { tildify } from "../util/log.js";

export type UseScope = "local" | "global" | "shell";

export interface UseOptions {
  specs: string[];
  scope: UseScope;
  /** Remove the pin at that scope instead. */
  unset: boolean;
  /** Download and install a version no installed Python matches (`--install`; always under VENVCTL_PYTHON_DOWNLOADS=automatic). */
  install?: boolean | undefined;
}

export interface UsePin {
  /** What the user asked for. */
  spec: string;
  /** What was written for it. */
  written: string;
  /** The interpreter it selects now (undefined for `system`). */
  target?: Target | undefined;
  /** Why `written` differs from `spec`. */
  rewritten?: string | undefined;
}

export interface UseResult {
  scope: UseScope;
  unset: boolean;
  pins: UsePin[];
  /** The file written or removed (local, global). */
  file?: string | undefined;
  /** For --unset: whether there was a pin to remove. */
  removed?: boolean | undefined;
  /** For --shell: the code to evaluate, and whether venvctl's shell function asked for it. */
  shellCode?: string | undefined;
  shell?: ShellName | undefined;
  integration?: boolean | undefined;
  /** Things the user should know (a pin that another one shadows, an active venv, no shims on PATH). */
  notes: string[];
}

/** A bare version or prefix, as pyenv and uv both read it: 3, 3.12, 3.12.1, 3.14.0rc1, 3.13t. */
const PORTABLE_VERSION = /^\d+(\.\d+){0,2}((a|b|rc)\d+)?t?$/;
/** pypy3, pypy3.9, pypy3.9.18: a prefix of pyenv's pypy names, and a request uv reads. */
const PORTABLE_PYPY = /^pypy\d+(\.\d+){0,2}$/;

/** The same request in the spelling pyenv and uv both read, when there is one. */
function portableSpelling(spec: string): string | undefined {
  let m = /^(?:cpython[@-]?|python-)(\d.*)$/.exec(spec);
  if (m && PORTABLE_VERSION.test(m[1]!)) return m[1]!;
  m = /^pypy[@-](\d.*)$/.exec(spec);
  if (m && PORTABLE_PYPY.test(`pypy${m[1]}`)) return `pypy${m[1]}`;
  return undefined;
}

function refuse(spec: string, index: Inventory, why = "no installed Python matches it"): VenvctlError {
  return new VenvctlError(`cannot use \`${spec}\`: ${why}`, {
    hint: `installed: ${installedList(index)} (see \`venvctl versions\`); ${installHint([spec])} first, or pin and install at once with \`venvctl use --install\``,
  });
}

/** Resolves one SPEC to what gets written; throws (writing nothing) when nothing matches. */
function resolveSpec(ctx: Context, index: Inventory, spec: string): UsePin {
  if (spec === "system") {
    if (!systemPython(ctx)) {
      throw new VenvctlError("cannot use `system`: there is no python3 or python on PATH outside the shims", {
        hint: `installed: ${installedList(index)}; pin one of those instead`,
      });
    }
    return { spec, written: spec };
  }
  const direct = index.keys.get(spec);
  if (direct) {
    const named = (direct.source === "pyenv" || direct.source === "venvctl") && direct.name === spec;
    if (named || PORTABLE_VERSION.test(spec) || PORTABLE_PYPY.test(spec)) return { spec, written: spec, target: direct };
    const portable = portableSpelling(spec);
    if (portable && index.keys.get(portable) === direct) {
      return { spec, written: portable, target: direct, rewritten: `pyenv does not read \`${spec}\`: pinned the same request as ${portable}` };
    }
    return { spec, written: direct.name, target: direct, rewritten: `pyenv and uv do not both read \`${spec}\`: pinned ${direct.name}, what it selects now` };
  }
  const req = parsePythonRequest(spec);
  switch (req.kind) {
    case "invalid":
      throw new UsageError(`cannot understand the version \`${spec}\`: ${req.reason}`, {
        hint: "examples: venvctl use 3.12, venvctl use '>=3.10,<3.13', venvctl use pypy3.9, venvctl use system",
      });
    case "default":
      throw new UsageError(`\`${spec}\` is not a version`, { hint: "pass a version such as 3.12, or system" });
    case "path": {
      // An interpreter's path: pin its version, if it is one the shims know.
      const real = realpathOrSelf(resolve(ctx.cwd, spec));
      const t = index.targets.find((x) => realpathOrSelf(x.python) === real || (x.bin !== undefined && realpathOrSelf(x.bin) === realpathOrSelf(join(real, "bin"))));
      if (!t) throw refuse(spec, index, "it is not one of the installed interpreters (.python-version holds versions, not paths)");
      return { spec, written: t.name, target: t, rewritten: `a pin is a version, not a path: pinned ${t.name}, the version of ${spec}` };
    }
    case "name": {
      // python3.12 is a command name; as a pin it means its version.
      const t = req.fallback ? matchRequest(index, req.fallback) : undefined;
      if (!t) throw refuse(spec, index);
      return { spec, written: t.name, target: t, rewritten: `pyenv does not read \`${spec}\`: pinned ${t.name}, what it selects now` };
    }
    case "system":
      return { spec, written: "system" };
    case "version":
    case "range":
    case "implementation": {
      const t = matchRequest(index, req);
      if (!t) throw refuse(spec, index);
      const why = req.kind === "range"
        ? `\`${spec}\` is a range, which pyenv and uv do not read: pinned ${t.name}, the newest installed match`
        : `pyenv does not read \`${spec}\`: pinned ${t.name}, what it selects now`;
      return { spec, written: t.name, target: t, rewritten: why };
    }
  }
}

export async function use(opts: UseOptions, ctx: Context): Promise<UseResult> {
  if (opts.unset && opts.specs.length > 0) {
    throw new UsageError("--unset takes no version", { hint: "`venvctl use --unset` removes the pin; `venvctl use 3.12` sets one" });
  }
  if (!opts.unset && opts.specs.length === 0) {
    throw new UsageError("which version? `venvctl use` needs one", {
      hint: "e.g. `venvctl use 3.12`; `venvctl versions` lists what is installed, `venvctl version` what is selected",
    });
  }
  let index = await buildInventory(ctx);
  const pins: UsePin[] = [];
  for (const spec of opts.unset ? [] : opts.specs) {
    try {
      pins.push(resolveSpec(ctx, index, spec));
    } catch (err) {
      if (!(await installForPin(ctx, opts, spec, err))) throw err;
      index = await buildInventory(ctx);
      pins.push(resolveSpec(ctx, index, spec));
    }
  }
  const result: UseResult = { scope: opts.scope, unset: opts.unset, pins, notes: [] };

  if (opts.scope === "shell") {
    const integration = ctx.env.VENVCTL_SHELL_INTEGRATION;
    const shell = integration && isShellName(integration) ? integration : shellFromPath(ctx.env.SHELL) ?? "sh";
    const adapter = await loadShell(shell);
    result.shell = shell;
    result.integration = Boolean(integration && isShellName(integration));
    result.shellCode = opts.unset
      ? adapter.unsetEnv("VENVCTL_VERSION")
      : adapter.setEnv("VENVCTL_VERSION", pins.map((p) => p.written).join(" "));
  } else {
    const file = opts.scope === "global" ? join(ctx.dirs.root, "version") : join(ctx.cwd, VERSION_FILE_NAME);
    result.file = file;
    if (opts.unset) result.removed = removePin(ctx, file);
    else writePin(ctx, file, pins.map((p) => p.written));
  }

  // The shims for what is pinned now (skipped when nothing changed). A local
  // pin is written even when the shims cannot be.
  try {
    await rehashShims(ctx, { ifChanged: true, index });
  } catch (err) {
    result.notes.push(`warning: ${(err as Error).message}`);
  }
  for (const p of pins) {
    if (p.target?.source === "path" && opts.scope !== "shell") {
      result.notes.push(`note: ${p.written} is an interpreter on PATH (${tildify(p.target.python, ctx.dirs.home)}), not one pyenv installed: pyenv will not find it`);
    }
  }
  result.notes.push(...notesAfter(ctx, opts));
  return result;
}

/**
 * With `--install` (or VENVCTL_PYTHON_DOWNLOADS=automatic), installs the
 * newest build a refused SPEC names; answers whether it did. Only a request
 * for a version nothing installed matches is installed, never a usage error.
 */
async function installForPin(ctx: Context, opts: UseOptions, spec: string, err: unknown): Promise<boolean> {
  if (!(err instanceof VenvctlError) || err instanceof UsageError) return false;
  const mode = downloadsMode(ctx);
  if (!opts.install && mode !== "automatic") return false;
  const request = parsePythonRequest(spec);
  if (!isDownloadableRequest(request)) return false;
  if (mode === "never") throw downloadsDisabled(`cannot install \`${spec}\``);
  const { installRequest } = await import("../interpreters/python-install.js");
  ctx.stderr.write(`Installing \`${spec}\`${opts.install ? "" : " (VENVCTL_PYTHON_DOWNLOADS=automatic)"}…\n`);
  const r = await installRequest(ctx, request);
  const verb = r.outcome === "present" ? "Found" : "Installed";
  ctx.stderr.write(`${verb} CPython ${formatVersion(r.download.version)} in ${tildify(r.dir, ctx.dirs.home)}\n`);
  return true;
}

function writePin(ctx: Context, file: string, versions: string[]): void {
  const st = lstatOrUndefined(file);
  if (st?.isDirectory()) {
    throw new VenvctlError(`${tildify(file, ctx.dirs.home)} is a directory, not a version file`, { hint: "move it away, then pin again" });
  }
  // Through a link, the file it names is the one updated (as pyenv's `>` would).
  const target = st?.isSymbolicLink() ? realpathOrSelf(file) : file;
  try {
    if (file.startsWith(ctx.dirs.root)) ensureDir(ctx.dirs.root);
    atomicWriteFile(target, versions.join("\n") + "\n");
  } catch (err) {
    throw new VenvctlError(`cannot write ${tildify(file, ctx.dirs.home)}`, {
      cause: err,
      hint: file.startsWith(ctx.dirs.root)
        ? `check that ${tildify(ctx.dirs.root, ctx.dirs.home)} (VENVCTL_ROOT) exists and is writable`
        : "check the directory's permissions",
    });
  }
}

function removePin(ctx: Context, file: string): boolean {
  const st = lstatOrUndefined(file);
  if (!st) return false;
  if (st.isDirectory()) {
    throw new VenvctlError(`${tildify(file, ctx.dirs.home)} is a directory, not a version file`, { hint: "venvctl leaves it alone" });
  }
  try {
    unlinkSync(file);
  } catch (err) {
    if (isNodeError(err, "ENOENT")) return false;
    throw new VenvctlError(`cannot remove ${tildify(file, ctx.dirs.home)}`, { cause: err, hint: "check the directory's permissions" });
  }
  return true;
}

/** Why the pin just made might not be what `python` runs. */
function notesAfter(ctx: Context, opts: UseOptions): string[] {
  const notes: string[] = [];
  if (opts.scope !== "shell") {
    const now = selectVersion(ctx);
    const shadowed = now.origin.kind === "env" || (opts.scope === "global" && now.origin.kind === "file");
    if (shadowed && !opts.unset) notes.push(`note: ${describeOrigin(now.origin).replace(/^set by /, "")} takes precedence here (it selects ${now.entries.join(" ")})`);
  }
  if (ctx.env.VIRTUAL_ENV) {
    notes.push(`note: the active virtual environment (${tildify(ctx.env.VIRTUAL_ENV, ctx.dirs.home)}) still comes first; \`deactivate\` to use the pin`);
  }
  const dir = shimsDir(ctx);
  if (!(ctx.env.PATH ?? "").split(":").some((d) => d === dir || d === `${dir}/`)) {
    notes.push(`note: ${tildify(dir, ctx.dirs.home)} is not on PATH, so \`python\` does not follow pins yet; add \`eval "$(venvctl init)"\` to your shell's rc file`);
  }
  return notes;
}

/** What `use` tells on stderr. */
export function describeUse(r: UseResult, home: string): string[] {
  const lines: string[] = [];
  for (const p of r.pins) if (p.rewritten) lines.push(p.rewritten);
  const what = r.pins.map((p) => p.written).join(" ");
  const now = r.pins.map((p) => (p.target ? p.target.name : "system")).join(", ");
  const selects = what === now ? "" : ` (selects ${now})`;
  if (r.scope === "shell") {
    if (r.unset) lines.push("Unset VENVCTL_VERSION in this shell");
    else lines.push(`VENVCTL_VERSION=${what} in this shell${selects}`);
    if (!r.integration) {
      const run = r.shell === "fish" ? "venvctl use --shell … | source" : 'eval "$(venvctl use --shell …)"';
      lines.push(
        `note: venvctl's shell function is not loaded, so this shell is unchanged: evaluate the line above (${run}),`,
        `      or add \`eval "$(venvctl init ${r.shell ?? "bash"})"\` to your shell's rc file`,
      );
    }
  } else if (r.unset) {
    lines.push(r.removed ? `Removed ${tildify(r.file!, home)}` : `No ${tildify(r.file!, home)}: nothing to unset`);
  } else {
    lines.push(`Pinned ${what} in ${tildify(r.file!, home)}${selects}`);
  }
  lines.push(...r.notes);
  return lines;
}
