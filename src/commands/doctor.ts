// `venvctl doctor`: checks the set-up and explains each problem with the
// command that fixes it — the shims on PATH and ahead of pyenv's, `init` in
// the shell's rc file, the selected interpreter and why, the virtual
// environments in this directory (base interpreter gone or upgraded,
// pyvenv.cfg that does not parse), the unpack cache, and interpreters that
// have no shims yet. Reads only (the probe of a venv's base excepted, which
// is cached); changes nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { buildInventory, type Inventory } from "../interpreters/inventory.js";
import { chooseInterpreter, describeChoiceOrigin } from "../interpreters/selection.js";
import { hasPyvenvCfg, venvBaseInterpreter } from "../interpreters/venv-base.js";
import { formatVersion } from "../interpreters/version.js";
import { shimsDir } from "../shims/shim-set.js";
import { shellFromPath, type ShellName } from "../shims/shell.js";
import { getCfgValue, parsePyvenvCfg } from "../standards/pyvenv-cfg.js";
import { cacheVerify } from "./cache.js";
import { listNames } from "../util/fs.js";
import { pyenvRoot } from "../util/path-search.js";
import { tildify } from "../util/log.js";
import { plural } from "../util/words.js";
import { shQuote } from "../shims/posix-shell.js";

export type DoctorOptions = Record<string, never>;

export interface Check {
  /** Which check: shims-on-path, shims-order, shell-init, interpreter, venv, cache, shims-missing. */
  id: string;
  /** ok: fine; problem: wrong, with a fix; note: worth knowing, nothing to fix. */
  status: "ok" | "problem" | "note";
  message: string;
  /** The command (or edit) that fixes it. */
  fix?: string | undefined;
}

export interface DoctorResult {
  checks: Check[];
  /** Whether no check found a problem. */
  ok: boolean;
}

export async function doctor(_opts: DoctorOptions, ctx: Context): Promise<DoctorResult> {
  const checks: Check[] = [];
  const home = ctx.dirs.home;
  const shell = shellFromPath(ctx.env.SHELL);
  const initLine = shell === "fish" ? "venvctl init fish | source" : `eval "$(venvctl init ${shell ?? "bash"})"`;
  const rc = rcFiles(ctx, shell ?? "bash");

  checks.push(...pathChecks(ctx, initLine, rc[0]!));
  checks.push(initCheck(ctx, shell, rc));

  let inventory: Inventory | undefined;
  try {
    inventory = await buildInventory(ctx);
  } catch (err) {
    checks.push({ id: "interpreter", status: "problem", message: `cannot list the interpreters: ${(err as Error).message}` });
  }
  try {
    const choice = await chooseInterpreter(ctx, inventory);
    checks.push({
      id: "interpreter", status: "ok",
      message: `the selected interpreter is ${choice.name} (${describeChoiceOrigin(choice.origin, home)}): ${tildify(choice.python, home)}`,
    });
  } catch (err) {
    if (!(err instanceof VenvctlError)) throw err;
    checks.push({ id: "interpreter", status: "problem", message: err.message, fix: err.hint });
  }

  for (const dir of venvDirs(ctx)) checks.push(await venvCheck(ctx, dir, inventory));
  checks.push(await cacheCheck(ctx));
  if (inventory) checks.push(shimsCoverCheck(ctx, inventory));

  return { checks, ok: !checks.some((c) => c.status === "problem") };
}

/** The rc files a shell reads, the one to add to first. */
function rcFiles(ctx: Context, shell: ShellName): string[] {
  const home = ctx.dirs.home;
  switch (shell) {
    case "bash": return [join(home, ".bashrc"), join(home, ".bash_profile"), join(home, ".bash_login"), join(home, ".profile")];
    case "zsh": {
      const dot = ctx.env.ZDOTDIR || home;
      return [join(dot, ".zshrc"), join(dot, ".zprofile"), join(dot, ".zshenv")];
    }
    case "fish": {
      const config = join(ctx.env.XDG_CONFIG_HOME || join(home, ".config"), "fish");
      const confd = join(config, "conf.d");
      return [join(config, "config.fish"), ...listNames(confd).filter((n) => n.endsWith(".fish")).map((n) => join(confd, n))];
    }
    case "ksh": return [ctx.env.ENV || join(home, ".kshrc"), join(home, ".profile")];
    case "sh": return [join(home, ".profile")];
    // cmd.exe has no rc file: the batch file its AutoRun runs, as `venvctl init cmd` suggests.
    case "cmd": return [join(home, "venvctl-init.cmd")];
    case "powershell": return [join(home, "Documents", "WindowsPowerShell", "Microsoft.PowerShell_profile.ps1")];
    case "pwsh": return ctx.platform === "win32"
      ? [join(home, "Documents", "PowerShell", "Microsoft.PowerShell_profile.ps1")]
      : [join(ctx.env.XDG_CONFIG_HOME || join(home, ".config"), "powershell", "Microsoft.PowerShell_profile.ps1")];
  }
}

/** The shims directory on PATH, and before pyenv's. */
function pathChecks(ctx: Context, initLine: string, rc: string): Check[] {
  const home = ctx.dirs.home;
  const shims = shimsDir(ctx);
  const shown = tildify(shims, home);
  const entries = (ctx.env.PATH ?? "").split(":").filter(Boolean);
  const same = (a: string, b: string) => a === b || sameFile(a, b);
  const at = entries.findIndex((e) => same(e, shims));
  const fix = `add \`${initLine}\` to ${tildify(rc, home)} and start a new shell`;
  const out: Check[] = [];
  if (at < 0) {
    out.push({ id: "shims-on-path", status: "problem", message: `the shims directory ${shown} is not on PATH: \`python\` does not follow .python-version`, fix });
  } else {
    out.push({ id: "shims-on-path", status: "ok", message: `the shims directory ${shown} is on PATH` });
    const pyenvShims = join(pyenvRoot(ctx), "shims");
    const pyenvAt = entries.findIndex((e) => same(e, pyenvShims));
    if (pyenvAt >= 0 && pyenvAt < at) {
      out.push({
        id: "shims-order", status: "problem",
        message: `pyenv's shims (${tildify(pyenvShims, home)}) come before venvctl's on PATH: pyenv answers \`python\``,
        fix: `in ${tildify(rc, home)}, put \`${initLine}\` after pyenv's init line, and start a new shell`,
      });
    }
    if (!listNames(shims).length) {
      out.push({ id: "shims-on-path", status: "problem", message: `${shown} holds no shims`, fix: "venvctl rehash" });
    }
  }
  return out;
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** `venvctl init` in the shell's rc files. */
function initCheck(ctx: Context, shell: ShellName | undefined, rc: string[]): Check {
  const home = ctx.dirs.home;
  if (!shell) {
    return { id: "shell-init", status: "note", message: `cannot tell your shell from SHELL=${ctx.env.SHELL ?? "(unset)"}; put \`eval "$(venvctl init SHELL)"\` in its rc file` };
  }
  for (const file of rc) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    if (text.split("\n").some((l) => /venvctl\s+init\b/.test(l) && !/^\s*#/.test(l))) {
      return { id: "shell-init", status: "ok", message: `${tildify(file, home)} runs \`venvctl init\`` };
    }
  }
  const first = rc[0]!;
  const append = shell === "fish" ? `venvctl init fish | source` : `eval "$(venvctl init ${shell})"`;
  return {
    id: "shell-init", status: "problem",
    message: `no \`venvctl init\` in ${rc.map((f) => tildify(f, home)).join(", ")}: new ${shell} shells get neither the shims nor completions`,
    fix: `echo ${shQuote(append)} >> ${shPath(tildify(first, home))}`,
  };
}

/** The virtual environments of this project: the working directory, its children, the nearest .venv above, the active one. */
function venvDirs(ctx: Context): string[] {
  const dirs = new Set<string>();
  if (hasPyvenvCfg(ctx.cwd)) dirs.add(ctx.cwd);
  let names: string[] = [];
  try {
    names = readdirSync(ctx.cwd);
  } catch {
    names = [];
  }
  for (const n of names.sort()) {
    const p = join(ctx.cwd, n);
    if (hasPyvenvCfg(p)) dirs.add(p);
  }
  // The nearest .venv above, as the package commands find it from a subdirectory.
  for (let dir = dirname(ctx.cwd); ; dir = dirname(dir)) {
    if (hasPyvenvCfg(join(dir, ".venv"))) {
      dirs.add(join(dir, ".venv"));
      break;
    }
    if (dir === dirname(dir)) break;
  }
  if (ctx.env.VIRTUAL_ENV && hasPyvenvCfg(ctx.env.VIRTUAL_ENV)) dirs.add(ctx.env.VIRTUAL_ENV);
  return [...dirs];
}

/** How a path is named in a command typed in the working directory. */
function shownDir(ctx: Context, dir: string): string {
  const rel = relative(ctx.cwd, dir);
  return rel === "" ? "." : rel.startsWith("..") ? tildify(dir, ctx.dirs.home) : rel;
}

async function venvCheck(ctx: Context, dir: string, inventory: Inventory | undefined): Promise<Check> {
  const name = shownDir(ctx, dir);
  const cfgPath = join(dir, "pyvenv.cfg");
  let cfgText: string;
  try {
    cfgText = readFileSync(cfgPath, "utf8");
  } catch (err) {
    return { id: "venv", status: "problem", message: `${name}: cannot read pyvenv.cfg (${(err as Error).message})`, fix: `venvctl create --clear ${shQuote(name)}` };
  }
  const cfg = parsePyvenvCfg(cfgText);
  const home = getCfgValue(cfg, "home");
  const version = getCfgValue(cfg, "version") ?? getCfgValue(cfg, "version_info");
  const mm = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!home || cfgText.includes("\0") || !mm) {
    const what = !home ? "has no `home =` line" : !mm ? "has no `version =` line" : "holds NUL bytes";
    return {
      id: "venv", status: "problem",
      message: `${name}: pyvenv.cfg does not parse: it ${what}, so Python cannot find the base interpreter`,
      fix: `venvctl create --clear ${mm ? `-p ${mm[1]}.${mm[2]} ` : ""}${shQuote(name)}`,
    };
  }
  const minor = `${mm[1]}.${mm[2]}`;
  const installed = inventory?.targets.find((t) => `${t.version.major}.${t.version.minor}` === minor && t.implementation === "cpython");
  let base;
  try {
    base = await venvBaseInterpreter(ctx, dir, cfg);
  } catch (err) {
    const gone = err instanceof VenvctlError && /is missing$/.test(err.message);
    if (!gone) {
      return { id: "venv", status: "problem", message: `${name}: ${(err as Error).message}`, fix: err instanceof VenvctlError ? err.hint : undefined };
    }
    return {
      id: "venv", status: "problem",
      message: `${name}: its base interpreter is gone (pyvenv.cfg: home = ${tildify(home, ctx.dirs.home)}, version ${version})`,
      fix: installed
        ? `venvctl create --upgrade -p ${minor} ${shQuote(name)}   # points it at ${installed.name} (${tildify(installed.python, ctx.dirs.home)})`
        : `install a Python ${minor} (pyenv install ${minor}), then: venvctl create --upgrade -p ${minor} ${shQuote(name)}`,
    };
  }
  const now = formatVersion(base.version);
  if (version && now !== version) {
    const sameMinor = `${base.version.major}.${base.version.minor}` === minor;
    return {
      id: "venv", status: "problem",
      message: `${name}: its base interpreter was upgraded from ${version} to ${now} (${tildify(base.path, ctx.dirs.home)})`,
      fix: sameMinor
        ? `venvctl create --upgrade -p ${shQuote(base.path)} ${shQuote(name)}`
        : `venvctl freeze -p ${shQuote(name)} > requirements.txt && venvctl create --clear -p ${shQuote(base.path)} ${shQuote(name)} && venvctl install -p ${shQuote(name)} -r requirements.txt`,
    };
  }
  return { id: "venv", status: "ok", message: `${name}: a virtual environment of ${now} (${tildify(base.path, ctx.dirs.home)})` };
}

/** The cache (wheel files and unpacked wheels), verified as `venvctl cache verify` does. */
async function cacheCheck(ctx: Context): Promise<Check> {
  const shown = tildify(ctx.dirs.cache, ctx.dirs.home);
  let result;
  try {
    result = await cacheVerify({ repair: false }, ctx);
  } catch (err) {
    return { id: "cache", status: "problem", message: (err as Error).message, fix: `move ${shPath(shown)} away; venvctl makes a new one` };
  }
  if (result.problems.length) {
    const what = result.problems.map((p) => `${p.what}: ${p.files.map((f) => `${f.path} ${f.reason}`).join(", ")}${p.envs.length ? ` (shared by ${p.envs.map((e) => tildify(e, ctx.dirs.home)).join(", ")})` : ""}`);
    return { id: "cache", status: "problem", message: `the cache ${shown} fails verification: ${what.join("; ")}`, fix: "venvctl cache verify --repair" };
  }
  const n = result.checked;
  return { id: "cache", status: "ok", message: n ? `the cache ${shown} passes verification (${plural(n, "entry", "entries")})` : `the cache ${shown} is empty` };
}

/** Interpreters found in pyenv, uv or venvctl's versions that the shims do not know. */
function shimsCoverCheck(ctx: Context, inventory: Inventory): Check {
  let index = "";
  try {
    index = readFileSync(join(shimsDir(ctx), ".venvctl-index"), "utf8");
  } catch {
    index = "";
  }
  // The index names each managed interpreter's bin directory as `_vc_bin=DIR`.
  const missing = inventory.targets.filter((t) => t.source !== "path" && t.source !== "explicit" && t.bin !== undefined &&
    !index.includes(`_vc_bin=${shQuote(t.bin)}`));
  if (missing.length) {
    return {
      id: "shims-missing", status: "problem",
      message: `interpreters found but not shimmed: ${missing.map((t) => `${t.name} (${t.source})`).join(", ")}`,
      fix: "venvctl rehash",
    };
  }
  return { id: "shims-missing", status: "ok", message: "every interpreter found has shims" };
}

/** A path for a command line: `~/` kept unquoted so the shell expands it. */
function shPath(path: string): string {
  return path.startsWith("~/") ? `~/${shQuote(path.slice(2))}` : shQuote(path);
}
