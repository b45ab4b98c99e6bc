// The benchmark's history: each `npm run bench` writes its medians and ratios
// to bench/results/<time>-<commit>.json (committed when a capability lands),
// and each case's ratio is printed beside the last committed run's, so a
// regression shows in the next run rather than two capabilities later.
// "Committed" is what git has at HEAD: a run written but not committed is
// never the reference, so re-running after a slowdown still shows it.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CaseResult } from "./harness.js";

export const RESULTS_DIR = fileURLToPath(new URL("./results", import.meta.url));

/** One run, as written to bench/results/. */
export interface BenchRun {
  /** ISO time the run started. */
  date: string;
  /** The commit benchmarked (`+dirty` when the tree had changes). */
  commit: string;
  node: string;
  runs: number;
  filter?: string;
  /** The machine's state: a loaded machine's figures are not comparable. */
  machine: { cpus: number; loadavg: number[]; loadavgAtEnd?: number[] };
  cases: Array<{
    name: string;
    medians: Record<string, number>;
    ratio: number;
    diffMs: number;
    target?: string;
    met?: boolean;
  }>;
}

const git = (args: string[]) => execFileSync("git", args, { cwd: join(RESULTS_DIR, "..", ".."), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

function currentCommit(): string {
  try {
    const head = git(["rev-parse", "--short", "HEAD"]).trim();
    return git(["status", "--porcelain", "--", "src", "bench", "scripts"]).trim() ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

/** The newest run committed at HEAD, or undefined (no git, or none committed yet). */
export function lastCommittedRun(): { file: string; run: BenchRun } | undefined {
  try {
    const files = git(["ls-tree", "--name-only", "HEAD", "bench/results/"])
      .split("\n")
      .filter((f) => f.endsWith(".json"))
      .sort();
    const file = files.at(-1);
    if (!file) return undefined;
    return { file, run: JSON.parse(git(["show", `HEAD:${file}`])) as BenchRun };
  } catch {
    return undefined;
  }
}

export function newRun(started: Date, runs: number, filter: string | undefined): BenchRun {
  return {
    date: started.toISOString(),
    commit: currentCommit(),
    node: process.version,
    runs,
    ...(filter ? { filter } : {}),
    machine: { cpus: cpus().length, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) },
    cases: [],
  };
}

export function recordCase(run: BenchRun, r: CaseResult): void {
  run.cases.push({
    name: r.name,
    medians: Object.fromEntries(r.results.map((x) => [x.label, Math.round(x.median * 10) / 10])),
    ratio: Math.round(r.ratio * 10000) / 10000,
    diffMs: Math.round(r.diffMs * 10) / 10,
    ...(r.target ? { target: r.target, met: r.met } : {}),
  });
}

/** Writes the run under bench/results/ and answers the file's path. */
export function saveRun(run: BenchRun): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = run.date.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const file = join(RESULTS_DIR, `${stamp}-${run.commit.replace(/\+dirty$/, "-dirty")}.json`);
  writeFileSync(file, JSON.stringify(run, null, 2) + "\n");
  return file;
}

export function ratioText(ratio: number): string {
  return ratio >= 1 ? `${ratio.toFixed(2)}×` : `${ratio.toFixed(3)}× (1/${(1 / ratio).toFixed(1)})`;
}

/** The line comparing a case with the same case in the last committed run ("" when it has none). */
export function comparison(r: CaseResult, last: { run: BenchRun } | undefined): string {
  const before = last?.run.cases.find((c) => c.name === r.name);
  if (!before) return last ? "  last committed run: not in it\n" : "";
  const change = r.ratio / before.ratio - 1;
  const word = Math.abs(change) < 0.05 ? "about the same" : change > 0 ? `${(change * 100).toFixed(0)}% worse` : `${(-change * 100).toFixed(0)}% better`;
  return `  last committed (${last!.run.commit}, ${last!.run.date.slice(0, 10)}): ratio ${ratioText(before.ratio)}, difference ${before.diffMs >= 0 ? "+" : ""}${before.diffMs.toFixed(1)} ms; now ${word}\n`;
}
