// Side-by-side timing: runs each command of a case alternately on the same
// input, many times, and reports medians and the ratio. The machine is
// shared and noisy, so runs are interleaved and ratios are what we judge.
import { spawnSync } from "node:child_process";
import { ratioText } from "./history.js";

export interface Command {
  label: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Untimed work before each run (e.g. removing the previous run's output). */
  before?: () => void;
}

export interface Case {
  name: string;
  /** venvctl's command first, then the tools it is compared with. */
  commands: Command[];
  /** The target: venvctl's median must be at most `ratio` × the reference's (the second command's)… */
  target?: { ratio?: number; plusMs?: number; text: string };
  /** At most this many rounds (for the slow cases); `--runs` may lower it. */
  runs?: number;
  setup?: () => void;
  teardown?: () => void;
}

export interface CommandResult {
  label: string;
  median: number;
  min: number;
  samples: number[];
}

export interface CaseResult {
  name: string;
  results: CommandResult[];
  ratio: number;
  diffMs: number;
  met?: boolean;
  target?: string;
}

/**
 * Flushes the disk before a timed run: what earlier runs and \`before\` wrote
 * and removed (a 69,010-file env, say) is otherwise written back and
 * discarded while the next command runs, and a command that spends its time
 * making files (venvctl's) is timed against another's leftovers. Untimed, for
 * every command alike.
 */
function settle(): void {
  spawnSync("sync", { stdio: "ignore" });
}

function timeOnce(cmd: Command): number {
  cmd.before?.();
  settle();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), {
    cwd: cmd.cwd,
    env: cmd.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd.label} failed (exit ${r.status}): ${cmd.argv.join(" ")}\n${r.stderr?.toString() ?? ""}`);
  }
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs one case: a warm-up of each command, then `runs` interleaved rounds. */
export function runCase(c: Case, defaultRuns: number): CaseResult {
  c.setup?.();
  try {
    // A case's own count caps the rounds (the slow cases); --runs lowers every case's.
    const runs = Math.min(c.runs ?? defaultRuns, defaultRuns);
    for (const cmd of c.commands) timeOnce(cmd); // warm-up: caches, page cache
    const samples = c.commands.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      // Alternate the order each round so neither side always runs first.
      const order = c.commands.map((_, j) => j);
      if (i % 2) order.reverse();
      for (const j of order) samples[j]!.push(timeOnce(c.commands[j]!));
    }
    const results = c.commands.map((cmd, j) => ({
      label: cmd.label,
      median: median(samples[j]!),
      min: Math.min(...samples[j]!),
      samples: samples[j]!,
    }));
    const ours = results[0]!.median;
    const ref = results[1]!.median;
    const ratio = ours / ref;
    const diffMs = ours - ref;
    let met: boolean | undefined;
    if (c.target?.ratio !== undefined) met = ratio <= c.target.ratio;
    if (c.target?.plusMs !== undefined) met = diffMs <= c.target.plusMs;
    return { name: c.name, results, ratio, diffMs, met, target: c.target?.text };
  } finally {
    c.teardown?.();
  }
}

/** Prints a case's result as a small table. */
export function printCase(r: CaseResult, out: (s: string) => void): void {
  out(`\n${r.name}\n`);
  for (const x of r.results) {
    out(`  ${x.label.padEnd(52)} median ${x.median.toFixed(1).padStart(8)} ms   min ${x.min.toFixed(1).padStart(8)} ms\n`);
  }
  out(`  ratio ${ratioText(r.ratio)}, difference ${r.diffMs >= 0 ? "+" : ""}${r.diffMs.toFixed(1)} ms`);
  if (r.target) out(`   target ${r.target}: ${r.met ? "met" : "MISSED"}`);
  out("\n");
}
