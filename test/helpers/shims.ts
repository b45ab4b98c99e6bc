// For the shim tests: venvctl on PATH as a user has it, real shells, and the
// real pyenv run against the sandbox (its own PYENV_ROOT, the sandbox's HOME,
// no PYENV_VERSION, its shims off PATH).
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "./hermetic.js";
import { PYENV_ROOT, SYSTEM_PATH } from "./hermetic.js";
import { CLI } from "./run-cli.js";

export const PYENV = join(PYENV_ROOT, "bin", "pyenv");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A directory holding `venvctl` (a link to the built CLI), for PATH. */
export function venvctlBinDir(sb: Sandbox): string {
  const dir = join(sb.dir, "bin");
  mkdirSync(dir, { recursive: true });
  try {
    symlinkSync(CLI, join(dir, "venvctl"));
  } catch {
    // Already there.
  }
  return dir;
}

/** The sandbox's environment with the shims and venvctl first on PATH. */
export function shimEnv(sb: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...sb.env, PATH: `${join(sb.root, "shims")}:${venvctlBinDir(sb)}:${SYSTEM_PATH}`, ...extra };
  delete env.PWD;
  return env;
}

/** Runs a program and answers its exit code and output. */
export function run(argv: string[], opts: { cwd: string; env: Record<string, string>; input?: string }): Run {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, encoding: "utf8", input: opts.input ?? "", timeout: 120_000, killSignal: "SIGKILL" });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a script in a real shell (`bash -c`, `fish -c`…). */
export function runShell(shell: string, script: string, opts: { cwd: string; env: Record<string, string> }): Run {
  return run([shell, "-c", script], opts);
}

/**
 * Runs the real pyenv on the sandbox: the sandbox's PYENV_ROOT (the machine's
 * interpreters, the sandbox's global pin), HOME sandboxed, no PYENV_VERSION.
 */
export function pyenv(sb: Sandbox, args: string[], cwd: string): Run {
  const env: Record<string, string> = { ...sb.env, PATH: SYSTEM_PATH };
  delete env.PYENV_VERSION;
  delete env.PYENV_DIR;
  delete env.PWD;
  return run([PYENV, ...args], { cwd, env });
}

export function describeRun(r: Run): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
