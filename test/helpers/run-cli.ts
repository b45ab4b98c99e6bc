// Runs the built CLI (bin/venvctl.js → dist/) as a user would, and answers its
// exit code, stdout and stderr together.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(PROJECT_ROOT, "bin", "venvctl.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Runs `venvctl ARGS` synchronously with the given cwd and environment. */
export function runCli(args: readonly string[], opts: RunOptions): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    input: opts.input ?? "",
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    // Output of a large environment (show -f of 100 packages) passes 1 MiB.
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Formats a result for an assertion message. */
export function describeResult(r: CliResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
