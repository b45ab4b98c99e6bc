// A venv as the wheel installer sees it: pip's install scheme inside the venv
// (headers per distribution, as pip's get_scheme names them) and what every
// wheel must fit (the interpreter's tags and version). Used by seeding and by
// the package commands that install natively.
import { join, win32 } from "node:path";
import { describeInterpreter, type Interpreter } from "../interpreters/interpreter.js";
import type { InstallScheme } from "../wheel/contents.js";
import { TagPriorities } from "../standards/wheel-tags.js";
import type { EnvTarget } from "../wheel/transaction.js";
import type { WindowsInstall } from "../wheel/install-types.js";
import { isWindowsInterpreter } from "../platform/venv-executables.js";
import { launcherPython, type VenvLayout } from "./layout.js";

/** pip's scheme for distribution `name` in the venv (headers: <env>/include/site/pythonX.Y/<name>). */
export function venvInstallScheme(layout: VenvLayout, interpreter: Interpreter, name: string): InstallScheme {
  const { major, minor } = interpreter.version;
  return {
    purelib: layout.install.purelib,
    platlib: layout.install.platlib,
    scripts: layout.install.scripts,
    headers: join(layout.envDir, "include", "site", `python${major}.${minor}`, name),
    data: layout.install.data,
  };
}

/**
 * For a Windows interpreter, how its launchers are made: the machine its
 * sysconfig platform names (distlib picks t64.exe, t32.exe or t64-arm.exe
 * by it), and its base install's pip as a second place for the stubs.
 */
export function windowsInstall(interpreter: Interpreter, env: Record<string, string | undefined>): WindowsInstall | undefined {
  if (!isWindowsInterpreter(interpreter)) return undefined;
  const platform = interpreter.info.tags?.platform ?? "win-amd64";
  const machine = platform === "win32" ? "x86" : platform === "win-arm64" ? "arm64" : "amd64";
  const base = interpreter.info.base_prefix || interpreter.info.prefix;
  return { machine, stubDirs: [win32.join(base, "Lib", "site-packages", "pip", "_vendor", "distlib")], sourceDateEpoch: env.SOURCE_DATE_EPOCH };
}

/** What every wheel must fit, for this interpreter. */
function wheelTarget(interpreter: Interpreter, where: string): EnvTarget["wheel"] {
  const [a, b, c] = interpreter.info.version_info;
  return { tags: TagPriorities.of(interpreter.info), pythonVersion: `${a}.${b}.${c}`, label: `${where} (${describeInterpreter(interpreter)})` };
}

/**
 * A base interpreter (not a venv) as a transaction's target: its own
 * sysconfig paths, headers in `<include>/<name>` as pip's get_scheme puts
 * them outside a virtual environment, launchers naming its executable.
 */
export function interpreterEnvTarget(interpreter: Interpreter, platform?: NodeJS.Platform, env: Record<string, string | undefined> = {}): EnvTarget {
  const info = interpreter.info;
  const paths = info.sys_paths;
  const { major, minor } = interpreter.version;
  const need = (key: string): string => {
    const p = paths[key];
    if (!p) throw new Error(`the probe of ${interpreter.path} has no sysconfig ${key} path`);
    return p;
  };
  return {
    envDir: info.prefix,
    scheme: (name) => ({
      purelib: need("purelib"), platlib: need("platlib"), scripts: need("scripts"), data: need("data"),
      headers: join(need("include"), name || "UNKNOWN"),
    }),
    python: info.executable,
    pythonVersion: { major, minor },
    cacheTag: info.cache_tag,
    wheel: wheelTarget(interpreter, info.prefix),
    platform,
    windows: windowsInstall(interpreter, env),
  };
}

/**
 * The venv as a transaction's target. Throws TagsUnknownError (standards/wheel-tags.ts)
 * when the probe predates tag facts, which cannot happen with a probe cache
 * keyed by probe.py's hash, but is said rather than assumed.
 */
export function venvEnvTarget(interpreter: Interpreter, layout: VenvLayout, platform?: NodeJS.Platform, env: Record<string, string | undefined> = {}): EnvTarget {
  const { major, minor } = interpreter.version;
  return {
    envDir: layout.envDir,
    scheme: (name) => venvInstallScheme(layout, interpreter, name),
    // As the env's own pip (seeded so) names it in what it installs.
    python: launcherPython(layout),
    pythonVersion: { major, minor },
    cacheTag: interpreter.info.cache_tag,
    wheel: wheelTarget(interpreter, layout.envDir),
    platform,
    windows: windowsInstall(interpreter, env),
  };
}
