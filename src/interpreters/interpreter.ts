// Probing interpreters: run probe.py once per interpreter and cache the answer
// keyed by the interpreter's path, real path, size and mtime, so that later
// calls with the same interpreter start no Python at all.
import type { TagFacts } from "../standards/wheel-tags.js";
import { readFileSync, realpathSync, statSync, openSync, readSync, closeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { assetPath } from "../util/assets.js";
import { capture } from "../util/exec.js";
import { atomicWriteFile, ensureDir, isNodeError } from "../util/fs.js";
import { quickHash } from "../util/hash.js";
import { debug, tildify } from "../util/log.js";
import { formatVersion, versionFromInfo, type PythonVersion } from "./version.js";

/** What probe.py reports (see that file for the meaning of each field). */
export interface ProbeInfo {
  version_info: [number, number, number, string, number];
  implementation: string;
  /** sys.implementation.cache_tag (`cpython-312`), naming .pyc files; absent in answers of older probes. */
  cache_tag?: string | null;
  executable: string;
  base_executable: string;
  real_executable: string;
  prefix: string;
  base_prefix: string;
  exec_prefix: string;
  base_exec_prefix: string;
  pointer_size: 32 | 64;
  platform: string;
  os_name: string;
  has_venv: boolean;
  has_ensurepip: boolean;
  in_venv: boolean;
  gil_disabled?: boolean;
  abiflags?: string;
  ext_suffix?: string | null;
  sys_paths: Record<string, string>;
  sys_path: string[];
  /** Directories `python -m venv` creates, with `{{VENV}}` for the env dir. */
  venv_dirs?: { scripts: string; include: string; purelib: string };
  /** sysconfig install paths inside such a venv, with `{{VENV}}`. */
  venv_paths?: Record<string, string>;
  /** How site.py builds sys.path (package commands rebuild it per call); see probe.py. */
  site?: SiteLayout;
  /** PEP 508 marker variables of this interpreter. */
  marker_env?: Record<string, string>;
  /** What packaging.tags.sys_tags() reads (probe.py's tag_facts; standards/wheel-tags.ts computes the tags). */
  tags?: TagFacts;
  seed: {
    dir: string | null;
    pip: string | null;
    setuptools: string | null;
    files: string[];
    wheel_pkg_dir: string | null;
  };
}

/** What probe.py's site_layout() reports. */
export interface SiteLayout {
  /** sys.path before site.py adds site directories (stdlib zip, stdlib, lib-dynload). */
  base_path: string[];
  /** site.getsitepackages() of this interpreter. */
  site_dirs: string[];
  /** Site directories of a venv made from it, with `{{VENV}}`. */
  venv_site_dirs?: string[];
  /** Its own site directories as a venv with system site-packages sees them. */
  venv_base_site_dirs?: string[];
  /** The user site, with `{{USERBASE}}` for the user base; null when unknown. */
  user_site: string | null;
  /** How the default user base is formed: ~/.local, %APPDATA%\Python, ~/Library/Python/X.Y. */
  user_base_kind: "posix" | "nt" | "framework";
  /** importlib.metadata._PIP_USE_IMPORTLIB_METADATA (distributors may set it false); null before 3.8. */
  pip_importlib_flag: boolean | null;
}

/** The placeholder probe.py puts where the user base goes in `site.user_site`. */
export const USERBASE_PLACEHOLDER = "{{USERBASE}}";

/** The placeholder probe.py puts where the environment's directory goes. */
export const VENV_PLACEHOLDER = "{{VENV}}";

/** An interpreter venvctl found and probed. */
export interface Interpreter {
  /** Absolute path as invoked (not resolved through symlinks: venv keeps the name). */
  path: string;
  version: PythonVersion;
  info: ProbeInfo;
}

/** Display name: "CPython 3.12.1". */
export function describeInterpreter(i: Interpreter): string {
  const impl = i.info.implementation === "cpython" ? "CPython"
    : i.info.implementation === "pypy" ? "PyPy"
    : i.info.implementation === "graalpy" ? "GraalPy" : i.info.implementation;
  return `${impl} ${formatVersion(i.version)}`;
}

declare const __VENVCTL_PROBE_HASH__: string | undefined;

let probeHash: string | undefined;
/**
 * probe.py and its hash, which keys the cache (a changed probe answers
 * anew). The build computes the hash once; from the sources it is computed
 * on first use.
 */
function probeScript(): { path: string; hash: string } {
  const path = assetPath("interpreters/probe.py");
  probeHash ??= typeof __VENVCTL_PROBE_HASH__ === "string" ? __VENVCTL_PROBE_HASH__ : quickHash(readFileSync(path, "utf8"));
  return { path, hash: probeHash };
}

/**
 * Whether an executable is a script (a pyenv shim, a venvctl shim, any
 * wrapper) rather than a real interpreter. Wrappers may dispatch on the
 * environment or working directory, so their answers are never cached, and
 * venvs never link to them.
 */
export function isScriptWrapper(realPath: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(realPath, "r");
    const buf = Buffer.alloc(2);
    const n = readSync(fd, buf, 0, 2, 0);
    return n === 2 && buf[0] === 0x23 && buf[1] === 0x21; // "#!"
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

interface Fingerprint {
  key: string;
  realPath: string;
}

function fingerprint(path: string, scriptHash: string): Fingerprint {
  const realPath = realpathSync(path);
  const st = statSync(realPath);
  // A cache key, not an integrity check: quickHash spares loading node:crypto.
  const key = quickHash(JSON.stringify([scriptHash, path, realPath, st.size, st.mtimeMs, st.ino, st.dev]));
  return { key, realPath };
}

function cacheFile(ctx: Pick<Context, "dirs">, key: string): string {
  return join(ctx.dirs.cache, "interpreters", `${key}.json`);
}

/**
 * The cached probe of the interpreter at `path`, or undefined: never runs
 * anything. A cached answer means venvctl probed this very file before (the
 * key covers its path, real path, size, mtime and inode), so it is an
 * interpreter someone chose to use.
 */
export function cachedProbe(ctx: Pick<Context, "dirs" | "cwd">, path: string): Interpreter | undefined {
  const abs = resolve(ctx.cwd, path);
  try {
    const fp = fingerprint(abs, probeScript().hash);
    if (isScriptWrapper(fp.realPath)) return undefined;
    const info = readCache(ctx, fp.key);
    return info ? { path: abs, version: versionFromInfo(info.version_info), info } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Probes the interpreter at `path` (absolute), from the cache when its
 * fingerprint is unchanged. A wrapper script is run (it picks the real
 * interpreter) but the answer is cached under the real interpreter it named.
 */
export async function probeInterpreter(ctx: Pick<Context, "env" | "stderr" | "dirs" | "cwd">, path: string): Promise<Interpreter> {
  const abs = resolve(ctx.cwd, path);
  const script = probeScript();
  let fp: Fingerprint;
  try {
    fp = fingerprint(abs, script.hash);
  } catch (err) {
    throw new VenvctlError(`no Python interpreter at ${abs}`, {
      cause: isNodeError(err, "ENOENT") ? undefined : err,
      hint: "check the path, or pass a version such as -p 3.12",
    });
  }
  const wrapper = isScriptWrapper(fp.realPath);
  if (!wrapper) {
    const cached = readCache(ctx, fp.key);
    if (cached) {
      debug(ctx, `probe of ${tildify(abs, ctx.dirs.home)} read from the cache`);
      return { path: abs, version: versionFromInfo(cached.version_info), info: cached };
    }
  }
  debug(ctx, `probing ${tildify(abs, ctx.dirs.home)}${wrapper ? " (a wrapper script: not cached)" : ""}`);
  const info = await runProbe(ctx, abs, script.path);
  if (wrapper) {
    // Through a shim, sys.executable names the real interpreter: cache that.
    const real = info.executable;
    if (real && real !== abs && !isScriptWrapper(real)) {
      try {
        writeCache(ctx, fingerprint(real, script.hash).key, info);
      } catch {
        // The real interpreter vanished meanwhile; nothing to cache.
      }
      debug(ctx, `${tildify(abs, ctx.dirs.home)} is a wrapper for ${tildify(real, ctx.dirs.home)}`);
      return { path: real, version: versionFromInfo(info.version_info), info };
    }
    throw new VenvctlError(`${abs} is a wrapper script, and the interpreter it runs could not be determined`, {
      hint: "pass the real interpreter's path with -p",
    });
  }
  writeCache(ctx, fp.key, info);
  return { path: abs, version: versionFromInfo(info.version_info), info };
}

function readCache(ctx: Pick<Context, "dirs">, key: string): ProbeInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(cacheFile(ctx, key), "utf8")) as ProbeInfo;
    if (!Array.isArray(parsed.version_info) || typeof parsed.executable !== "string") return undefined;
    return parsed;
  } catch {
    return undefined;
  }
}

function writeCache(ctx: Pick<Context, "dirs" | "env" | "stderr">, key: string, info: ProbeInfo): void {
  const file = cacheFile(ctx, key);
  try {
    ensureDir(dirname(file));
    atomicWriteFile(file, JSON.stringify(info));
  } catch (err) {
    // The cache is an optimisation: an unwritable one costs speed, not correctness.
    debug(ctx, `could not write the probe cache ${file}: ${(err as Error).message}`);
  }
}

/** What a failed probe said: all of it when short, else its first and last lines (a traceback's point is at its end). */
function stderrExcerpt(stderr: string): string | undefined {
  const lines = stderr.trim().split("\n");
  if (lines.length <= 20) return lines.join("\n") || undefined;
  return [...lines.slice(0, 5), "…", ...lines.slice(-10)].join("\n");
}

async function runProbe(ctx: Pick<Context, "env">, exe: string, scriptPath: string): Promise<ProbeInfo> {
  // -E: ignore PYTHONPATH/PYTHONHOME, so the cached answer does not depend on
  // the caller's environment. (-I would be better, but 2.7 lacks it.)
  const env = { ...ctx.env };
  const r = await capture(exe, ["-E", scriptPath], { env, timeout: 60_000 });
  if (r.spawnError) {
    throw new VenvctlError(`could not run ${exe}`, { cause: r.spawnError, hint: "is it an executable Python interpreter?" });
  }
  if (r.exitCode !== 0) {
    throw new VenvctlError(`${exe} is not a Python interpreter venvctl can use (the probe exited with ${r.exitCode})`, {
      cause: stderrExcerpt(r.stderr),
    });
  }
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as ProbeInfo;
  } catch (err) {
    throw new VenvctlError(`${exe} did not answer the probe with JSON`, { cause: err });
  }
}
