// Hermetic test environments: every test gets its own HOME, VENVCTL_ROOT and
// cache dir, and an environment scrubbed of VIRTUAL_ENV, VENVCTL_*, PYTHON*,
// PYENV_VERSION and PIP_* (these machines configure pip globally).
import { mkdtempSync, mkdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

/** The machine's pyenv: its interpreters and its `pyenv` command. */
export const PYENV_ROOT = process.env.PYENV_ROOT || join(process.env.HOME || "/root", ".pyenv");

/** A PATH with the system directories only: no pyenv shims, no user bins. */
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface Sandbox {
  /** Root of the sandbox; everything below it is removed at the end. */
  dir: string;
  home: string;
  root: string;
  cache: string;
  /** A scratch working directory inside the sandbox. */
  work: string;
  /**
   * The sandbox's PYENV_ROOT: the machine's pyenv interpreters (`versions`
   * links to them) without the machine's global pin or shims, which a test
   * sets up itself when it wants them.
   */
  pyenvRoot: string;
  /** The scrubbed environment to run venvctl (or anything else) with. */
  env: Record<string, string>;
}

// Also the shell start-up and prompt variables, which would change what the
// real-shell tests see (BASH_ENV and ENV run files at a shell's start).
const SCRUBBED = /^(VIRTUAL_ENV|VIRTUAL_ENV_PROMPT|VIRTUAL_ENV_DISABLE_PROMPT|VENVCTL_.*|PYTHON.*|PYENV_VERSION|PIP_.*|CONDA_PREFIX|UV_.*|_OLD_VIRTUAL_.*|BASH_ENV|ENV|PS1|PROMPT)$/;

/** The current environment without the variables that would leak into a test. */
export function scrubbedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || SCRUBBED.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Makes a sandbox for one test, removed when the test ends (kept when
 * VENVCTL_TEST_KEEP=1, for debugging). `t` may be omitted for suite-level use;
 * then call `cleanup` yourself.
 */
export function makeSandbox(t?: TestContext, name = "venvctl-test"): Sandbox & { cleanup(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `${name}-`)));
  const home = join(dir, "home");
  const root = join(dir, "root");
  const cache = join(dir, "cache");
  const work = join(dir, "work");
  const pyenvRoot = join(dir, "pyenv");
  for (const d of [home, work, pyenvRoot]) mkdirSync(d, { recursive: true });
  symlinkSync(join(PYENV_ROOT, "versions"), join(pyenvRoot, "versions"));
  const env = scrubbedEnv({
    HOME: home,
    VENVCTL_ROOT: root,
    VENVCTL_CACHE_DIR: cache,
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    PIP_CONFIG_FILE: "/dev/null",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_NO_INPUT: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    PATH: SYSTEM_PATH,
    PYENV_ROOT: pyenvRoot,
    LC_ALL: "C.UTF-8",
  });
  delete env.NODE_OPTIONS;
  const cleanup = () => {
    if (process.env.VENVCTL_TEST_KEEP === "1") return;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  t?.after(cleanup);
  return { dir, home, root, cache, work, pyenvRoot, env, cleanup };
}

/** A path under the machine's pyenv as the sandbox's PYENV_ROOT spells it (what venvctl reports there). */
export function viaSandboxPyenv(sb: Sandbox, path: string): string {
  return path.startsWith(`${PYENV_ROOT}/`) ? join(sb.pyenvRoot, path.slice(PYENV_ROOT.length + 1)) : path;
}
