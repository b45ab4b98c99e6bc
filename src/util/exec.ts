// Spawning processes: the only importer of execa, imported lazily so that
// commands that start no process never pay for loading it.
import { thisProcess, type Context } from "../context.js";
import { constants } from "node:os";
import { importVendor } from "./vendor.js";

type Execa = typeof import("execa");

export interface CaptureResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all (ENOENT, EACCES...). */
  spawnError?: Error | undefined;
  /** Set when the process was killed by a signal. */
  signal?: string | undefined;
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds before the process is killed. */
  timeout?: number;
  input?: string;
  /** For runInherited: send the child's stdout to our stderr (stdout carries data only). */
  stdoutToStderr?: boolean;
}

/** Runs a command and captures its output; never throws for a failing exit. */
export async function capture(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<CaptureResult> {
  const { execa } = await importVendor<Execa>("execa");
  const result = await execa(file, args, {
    cwd: opts.cwd,
    env: opts.env as Record<string, string>,
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: opts.timeout,
    input: opts.input,
    encoding: "utf8",
  });
  const failedToSpawn = result.exitCode === undefined && !result.signal;
  return {
    exitCode: result.exitCode ?? (result.signal ? signalExitCode(result.signal) : 127),
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
    spawnError: failedToSpawn ? (result.cause instanceof Error ? result.cause : new Error(result.message)) : undefined,
    signal: result.signal ?? undefined,
  };
}

/**
 * Runs a command with stdin/stdout/stderr inherited (pip's progress bars stream
 * to the terminal) and answers its exit code. SIGINT reaches the child through
 * the terminal's process group; we wait for it rather than dying first.
 */
export async function runInherited(
  ctx: Pick<Context, "env" | "cwd">,
  file: string,
  args: readonly string[],
  opts: ExecOptions = {},
): Promise<number> {
  const { execa } = await importVendor<Execa>("execa");
  const stopIgnoring = thisProcess.onSignals(["SIGINT"], () => {});
  try {
    const result = await execa(file, args, {
      cwd: opts.cwd ?? ctx.cwd,
      env: (opts.env ?? ctx.env) as Record<string, string>,
      extendEnv: false,
      reject: false,
      stdio: ["inherit", opts.stdoutToStderr ? 2 : "inherit", "inherit"],
    });
    if (result.exitCode !== undefined) return result.exitCode;
    return result.signal ? signalExitCode(result.signal) : 127;
  } finally {
    stopIgnoring();
  }
}

/** The exit code a shell reports for a process killed by `signal`: 128 + its number (SIGINT → 130). */
export function signalExitCode(signal: string): number {
  const n = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (n ?? 0);
}
