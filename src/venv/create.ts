// Creating a venv, natively, as ordered steps: validate the target before
// touching disk, build in a temporary sibling, then rename into place — so a
// failure or Ctrl-C never leaves a half-made environment, and a kill leaves
// nothing that the next run does not settle (replace.ts).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { thisProcess, type Context } from "../context.js";
import { errnoWords, isSystemError, VenvctlError } from "../errors.js";
import { describeInterpreter, type Interpreter } from "../interpreters/interpreter.js";
import { formatVersion } from "../interpreters/version.js";
import { venvctlVersion } from "../util/assets.js";
import { atomicWriteFile, ensureDir, writeNewFile, isDirectory, isEmptyDir, lstatOrUndefined, physicalPath, removeMadeDirs, siblingTempPath } from "../util/fs.js";
import { debug, warn } from "../util/log.js";
import { removeMarkedDir } from "../util/owned-dir.js";
import { shSingleQuoted } from "../util/sh-quote.js";
import { cshSingleQuoted, fishSingleQuoted, powershellSingleQuoted, renderActivators } from "./activators.js";
import { cfgPath, pyvenvCfgEntries, resolvePrompt, venvLayout, type VenvLayout } from "./layout.js";
import { formatPyvenvCfg } from "../standards/pyvenv-cfg.js";
import { buildPathFor, makeBuildDir, moveIntoPlace, recoverInterrupted } from "./replace.js";
import type { SeedOptions, SeededDistribution } from "./seed.js";
import { whyNotAVenv } from "./venv-check.js";
import { pathDelimiter } from "../platform/interpreter-places.js";
import { isWindowsInterpreter, venvExecutables, type InstallView, type VenvExecutable } from "../platform/venv-executables.js";

/** What to do when the target already exists (from --clear/--allow-existing/--upgrade). */
export type OnExisting = "refuse" | "clear" | "allow" | "upgrade";

export interface CreateVenvOptions {
  /** Target directory (absolute). */
  envDir: string;
  onExisting: OnExisting;
  systemSitePackages: boolean;
  /** Symlink the interpreter (--symlinks) or copy it (--copies); undefined: as venv does on the interpreter's OS (symlinks on POSIX, copies on Windows). */
  symlinks?: boolean | undefined;
  /** --prompt as given (`.` = the current directory's name). */
  prompt?: string | undefined;
  /** Seed pip (and setuptools where venv does); undefined = --without-pip. */
  seed?: SeedOptions | undefined;
  upgradeDeps: boolean;
}

export interface CreateVenvResult {
  envDir: string;
  interpreter: Interpreter;
  layout: VenvLayout;
  /** What the target was before: "new" dir, "empty" dir, "venv" replaced/updated, "dir" written into. */
  previous: "new" | "empty" | "venv" | "dir";
  seeded: SeededDistribution[];
  warnings: string[];
}

const GITIGNORE = "# Created by venvctl automatically.\n*\n";

type Existing = "missing" | "empty" | "venv" | "dir";

/** Step 1: look at the target and decide, before anything is written. */
function inspectTarget(envDir: string, onExisting: OnExisting, delimiter: string): Existing {
  if (envDir.includes(delimiter) || /[\n\r]/.test(envDir)) {
    const what = envDir.includes(delimiter) ? `the PATH separator \`${delimiter}\`` : "a newline";
    throw new VenvctlError(`refusing to create a venv at ${JSON.stringify(envDir)} because its path contains ${what}`, {
      hint: "activation puts the env's bin directory on PATH, which cannot hold it; choose another path",
    });
  }
  const st = lstatOrUndefined(envDir);
  if (!st) {
    if (onExisting === "upgrade") {
      throw new VenvctlError(`cannot upgrade ${envDir}: it does not exist`, { hint: "create it first, without --upgrade" });
    }
    return "missing";
  }
  const isDir = st.isDirectory() || (st.isSymbolicLink() && isDirectory(envDir));
  if (!isDir) {
    throw new VenvctlError(`${envDir} exists and is not a directory`, {
      hint: "choose another path; venvctl will not replace a file",
    });
  }
  if (isEmptyDir(envDir)) {
    if (onExisting === "upgrade") {
      throw new VenvctlError(`cannot upgrade ${envDir}: it is not a virtual environment (it is empty)`, {
        hint: "create it first, without --upgrade",
      });
    }
    return "empty";
  }
  // Deleting (--clear) or rewriting (--upgrade) needs a venv, not merely
  // something named pyvenv.cfg: see venv-check.ts.
  const not = whyNotAVenv(realpathSync(envDir));
  if (!not) {
    if (onExisting === "refuse") {
      throw new VenvctlError(`${envDir} is already a virtual environment`, {
        hint: "pass --clear to replace it, --upgrade to move it to this Python, or --allow-existing to write into it",
      });
    }
    return "venv";
  }
  switch (onExisting) {
    case "clear":
      throw new VenvctlError(`refusing to clear ${envDir}: it is not a virtual environment (${not.reason}), and --clear only deletes venvs`, {
        hint: not.cfg === "missing"
          ? "choose an empty or new directory, or pass --allow-existing to add a venv beside its files"
          : not.cfg === "ok"
            ? "if it is a venv you keep other files in, move them out of it first; nothing was deleted"
            : "choose an empty or new directory; nothing was deleted",
      });
    case "upgrade":
      throw new VenvctlError(`cannot upgrade ${envDir}: it is not a virtual environment (${not.reason})`, {
        hint: "--upgrade only moves a venv to another Python; nothing was changed",
      });
    case "allow":
      // Its other files are kept; but a pyvenv.cfg that is not a venv's
      // config would be replaced by the one written here.
      if (not.cfg === "bad") {
        throw new VenvctlError(`refusing to write a venv into ${envDir}: ${not.reason}, and the venv's own pyvenv.cfg would replace it`, {
          hint: "move it away, or choose an empty or new directory",
        });
      }
      return "dir";
    default:
      throw new VenvctlError(`${envDir} exists, is not empty, and is not a virtual environment (${not.reason})`, {
        hint: "choose another directory, or pass --allow-existing to write the venv into it",
      });
  }
}

/** Refuses interpreters that cannot make a venv here, saying why. */
function checkInterpreter(interpreter: Interpreter, platform: NodeJS.Platform): void {
  const v = formatVersion(interpreter.version);
  if (interpreter.version.major < 3 || (interpreter.version.major === 3 && interpreter.version.minor < 3)) {
    throw new VenvctlError(
      `${describeInterpreter(interpreter)} (${interpreter.path}) cannot make a virtual environment: Python ${v} has no venv mechanism (PEP 405 arrived in Python 3.3)`,
      { hint: "choose a Python 3 interpreter, e.g. -p 3.12; for Python 2 environments use virtualenv" },
    );
  }
  if (!interpreter.info.has_venv || !interpreter.info.venv_dirs) {
    throw new VenvctlError(`${describeInterpreter(interpreter)} (${interpreter.path}) has no venv module`, {
      hint: "Debian and Ubuntu ship it separately (apt-get install python3-venv), or choose another interpreter with -p",
    });
  }
  const windows = isWindowsInterpreter(interpreter);
  if (windows !== (platform === "win32")) {
    throw new VenvctlError(
      `${interpreter.path} is a ${windows ? "Windows" : "POSIX"} interpreter, and this is ${platform === "win32" ? "Windows" : "not Windows"}: a venv is made on the system its interpreter runs on`,
      { hint: "choose an interpreter of this system with -p" },
    );
  }
}

/** Creates (or replaces, or updates) one venv. */
export async function createVenv(ctx: Context, interpreter: Interpreter, opts: CreateVenvOptions): Promise<CreateVenvResult> {
  checkInterpreter(interpreter, ctx.platform);
  const envDir = resolve(opts.envDir);
  // First settle what a killed run left here, so that the target is seen as
  // it was (an interrupted --clear is rolled back) and nothing is left beside.
  // Best effort: a path that cannot even be looked at is told by the checks below.
  try {
    const location = physicalPath(envDir);
    recoverInterrupted(ctx, dirname(location), location);
  } catch (err) {
    debug(ctx, `did not look for what killed runs left beside ${envDir}: ${(err as Error).message}`);
  }
  const existing = inspectTarget(envDir, opts.onExisting, pathDelimiter(ctx));
  const layout = venvLayout(interpreter, envDir);
  const symlinks = opts.symlinks ?? layout.layoutKind === "posix";
  const prompt = resolvePrompt(opts.prompt, ctx.cwd);
  const warnings: string[] = [];

  // --allow-existing and --upgrade work in place; everything else builds beside.
  const inPlace = (existing === "venv" && (opts.onExisting === "allow" || opts.onExisting === "upgrade")) || existing === "dir";
  const upgradeOnly = opts.onExisting === "upgrade";
  const fsTarget = existing === "missing" ? envDir : realpathSync(envDir);
  const buildDir = inPlace ? fsTarget : buildPathFor(fsTarget);
  const stage = (finalPath: string) => (finalPath === envDir || finalPath.startsWith(envDir + sep) ? buildDir + finalPath.slice(envDir.length) : finalPath);

  // Parents are made as venv makes them; remember which, to undo on failure.
  const madeParents = existing === "missing" && !existsSync(dirname(fsTarget)) ? ensureDir(dirname(fsTarget)) : [];

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    if (!inPlace) removeMarkedDir(buildDir);
    removeMadeDirs(madeParents);
    thisProcess.exit(signal === "SIGINT" ? 130 : 143);
  };
  const stopHandling = thisProcess.onSignals(["SIGINT", "SIGTERM"], onSignal);
  let seeded: SeededDistribution[] = [];
  // A fresh build dir is private until the rename, which is what makes it
  // atomic; only files written in place need their own atomic replace.
  const put = inPlace ? atomicWriteFile : writeNewFile;
  try {
    if (!inPlace) makeBuildDir(buildDir, fsTarget);
    debug(ctx, `building ${envDir}${inPlace ? " in place" : ` in ${buildDir}`}`);

    // Step 2: directories (bin, include, site-packages) and lib64 → lib.
    for (const d of [layout.binDir, layout.includeDir, layout.sitePackages]) mkdirSync(stage(d), { recursive: true });
    if (layout.lib64) {
      const link = join(buildDir, "lib64");
      if (!lstatOrUndefined(link)) symlinkSync("lib", link);
    }

    // Step 3: the interpreter and its aliases (POSIX), or its launchers or copies (Windows).
    warnings.push(...writeExecutables(interpreter, layout, stage, symlinks, inPlace));

    // Step 4: pyvenv.cfg.
    const cfg = formatPyvenvCfg(pyvenvCfgEntries(interpreter, layout, {
      systemSitePackages: opts.systemSitePackages,
      prompt,
      originalPrompt: opts.prompt,
      symlinks,
      withPip: opts.seed !== undefined,
      clear: opts.onExisting === "clear",
      upgrade: upgradeOnly,
      upgradeDeps: opts.upgradeDeps,
      venvctlVersion: venvctlVersion(),
    }));
    put(stage(cfgPath(envDir)), cfg);

    if (!upgradeOnly) {
      // Step 5: activation scripts, and a .gitignore holding `*` — only in a
      // directory that is all venv (one built here, or a venv written into):
      // in a user's directory (--allow-existing) it would hide their files.
      for (const file of renderActivators({
        envDir,
        binName: layout.binName,
        prompt: prompt ?? basename(envDir),
        layout: layout.layoutKind,
      })) {
        put(join(stage(layout.binDir), file.name), file.content, file.mode);
      }
      const gitignore = join(buildDir, ".gitignore");
      if (!inPlace || (existing === "venv" && !existsSync(gitignore))) put(gitignore, GITIGNORE);

      // Step 6: seed pip from wheels, natively.
      if (opts.seed) {
        const { seedEnvironment } = await import("./seed.js");
        const result = await seedEnvironment(ctx, interpreter, layout, opts.seed, stage);
        seeded = result.seeded;
        warnings.push(...result.warnings);
      }
    }

    // Step 7: into place.
    if (!inPlace) moveIntoPlace(buildDir, fsTarget, existing === "venv");
  } catch (err) {
    // A cleanup that fails is told, never thrown: it would hide why the build failed.
    if (!inPlace && !interrupted) {
      try {
        removeMarkedDir(buildDir);
      } catch (cleanupErr) {
        warn(ctx, `could not remove the unfinished build ${buildDir}: ${isSystemError(cleanupErr) ? errnoWords(cleanupErr) : String(cleanupErr)}; remove it by hand`);
      }
    }
    removeMadeDirs(madeParents);
    throw err;
  } finally {
    stopHandling();
  }

  if (opts.upgradeDeps) {
    const { upgradeDependencies } = await import("./seed.js");
    await upgradeDependencies(ctx, interpreter, layout);
  }
  return { envDir, interpreter, layout, previous: existing === "missing" ? "new" : existing, seeded, warnings };
}

/** The base install's files, as create sees them. */
const DISK: InstallView = {
  isFile: (p) => lstatOrUndefined(p)?.isFile() ?? false,
  list: (p) => {
    try {
      return readdirSync(p);
    } catch {
      return [];
    }
  },
};

/**
 * Writes the bin directory's executables as venv's setup_python does
 * (platform/venv-executables.ts says which, per OS and version). A symlink
 * Windows refuses (it takes Developer Mode or an administrator) is made a
 * copy, with a warning, as venv retries with copies. Answers the warnings.
 */
function writeExecutables(interpreter: Interpreter, layout: VenvLayout, stage: (p: string) => string, symlinks: boolean, inPlace: boolean): string[] {
  const warnings: string[] = [];
  let plan = venvExecutables(interpreter, symlinks, DISK);
  const bin = stage(layout.binDir);
  const windows = layout.layoutKind === "windows";
  const place = (exe: VenvExecutable, link: "symlink" | "copy") => {
    const dest = join(bin, exe.name);
    // In place (--allow-existing, --upgrade), an old file is replaced atomically.
    const tmp = inPlace && lstatOrUndefined(dest) ? siblingTempPath(dest) : dest;
    if (link === "symlink") {
      symlinkSync(exe.source, tmp);
      // wine's CreateSymbolicLink reports success and makes nothing: a link that is not there was refused.
      if (windows && !lstatOrUndefined(tmp)) throw Object.assign(new Error(`no symlink at ${tmp}`), { code: "EPERM" });
    } else {
      copyFileSync(exe.relative ? join(bin, exe.source) : exe.source, tmp);
      if (!windows) chmodSync(tmp, 0o755);
    }
    if (tmp !== dest) renameSync(tmp, dest);
  };
  const made: string[] = [];
  try {
    for (const exe of plan.files) {
      place(exe, plan.link);
      made.push(join(bin, exe.name));
    }
  } catch (err) {
    if (!(windows && plan.link === "symlink" && (err as NodeJS.ErrnoException).code === "EPERM")) throw err;
    warnings.push(`Windows refused a symlink in ${layout.binDir} (symlinks take Developer Mode or an administrator); copying instead`);
    for (const p of made) rmSync(p, { force: true });
    plan = venvExecutables(interpreter, false, DISK);
    for (const exe of plan.files) place(exe, "copy");
  }
  for (const missing of plan.missing) warnings.push(`Unable to copy ${missing}: the interpreter's install does not have it`);
  for (const extra of plan.extra) {
    const dest = stage(join(layout.envDir, extra.rel));
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(extra.source, dest);
  }
  return warnings;
}

/** The command that activates `envDir` in the user's shell (from $SHELL; on Windows cmd's and PowerShell's), quoted for that shell. */
export function activationCommand(ctx: Pick<Context, "env" | "cwd">, layout: VenvLayout): string {
  const shell = basename(ctx.env.SHELL ?? "sh");
  const rel = relative(ctx.cwd, layout.binDir);
  const binShown = rel && !rel.startsWith("..") && rel.length < layout.binDir.length ? rel : layout.binDir;
  if (layout.layoutKind === "windows") {
    // cmd.exe runs activate.bat for it and PowerShell Activate.ps1 (each
    // takes its own kind first), as uv prints it; quoted for cmd when needed.
    const script = join(binShown, "activate");
    return /^[\w@+=:,.\\/-]+$/.test(script) ? script : `"${script}"`;
  }
  const quote = (p: string, inner: (s: string) => string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${inner(p)}'`);
  switch (shell) {
    case "fish": return `source ${quote(join(binShown, "activate.fish"), fishSingleQuoted)}`;
    case "csh":
    case "tcsh": return `source ${quote(join(binShown, "activate.csh"), cshSingleQuoted)}`;
    case "pwsh":
    case "powershell": return `. ${quote(join(binShown, "Activate.ps1"), powershellSingleQuoted)}`;
    default: return `source ${quote(join(binShown, "activate"), shSingleQuoted)}`;
  }
}
