// What a hot path costs, in figures load does not move: the JavaScript it
// loads (venvctl's dist files by name, their bytes, Node's built-in modules)
// and the system calls it makes (`strace -f -c`: processes started, files
// opened, stats, reads, directory reads, links, directories made). Measured
// on the built CLI by the budget test (test/e2e/budgets.test.ts) and by
// `npm run budgets`, which prints the figures beside test/budgets.toml.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLI, PROJECT_ROOT } from "./run-cli.js";

const HOOK = fileURLToPath(new URL("./budget-hook.cjs", import.meta.url));

/** The figures of one run. */
export interface Figures {
  /** dist/ files loaded, by name, sorted. */
  distFiles: string[];
  js_bytes: number;
  builtins: number;
  processes: number;
  files_opened: number;
  stat: number;
  read: number;
  getdents: number;
  link: number;
  mkdir: number;
}

/** A command to measure: argv after the program (`node CLI` unless `program` is given). */
export interface Measured {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Runs this program instead of venvctl (the shim): no JavaScript is measured then. */
  program?: string;
  /** Untimed work before each of the two runs (e.g. removing the previous run's output). */
  before?: () => void;
  /** Stops what the set-up started (an index server). */
  close?: () => void;
}

const STAT = ["statx", "newfstatat", "lstat", "stat", "fstat", "fstatat64"];

/** Counts per system call from `strace -c` output. */
function straceCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[2] !== "total") counts.set(m[2]!, Number(m[1]));
  }
  return counts;
}

function run(file: string, args: string[], m: Measured, env: Record<string, string>): void {
  m.before?.();
  const r = spawnSync(file, args, { cwd: m.cwd, env, encoding: "utf8", timeout: 300_000, killSignal: "SIGKILL" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${[file, ...args].join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
}

/**
 * Measures one command: a warm-up run (the probe cached, a shim's pin
 * stamped, as every later use finds them), a run with the module hook, then
 * one under strace.
 */
export function measure(m: Measured, scratch: string): Figures {
  const out = join(scratch, "budget-hook.json");
  const straceOut = join(scratch, "budget-strace.txt");
  const argv = m.program ? [m.program, ...m.args] : [process.execPath, CLI, ...m.args];
  run(argv[0]!, argv.slice(1), m, m.env);
  let js = { distFiles: [] as string[], js_bytes: 0, builtins: 0 };
  if (!m.program) {
    rmSync(out, { force: true });
    run(argv[0]!, argv.slice(1), m, { ...m.env, NODE_OPTIONS: `--require ${HOOK}`, VENVCTL_BUDGET_OUT: out });
    const loaded = JSON.parse(readFileSync(out, "utf8")) as { files: Array<[string, number]>; builtins: number };
    const ours = loaded.files.filter(([f]) => f.startsWith(join(PROJECT_ROOT, "dist") + "/"));
    js = { distFiles: ours.map(([f]) => basename(f)).sort(), js_bytes: ours.reduce((a, [, n]) => a + n, 0), builtins: loaded.builtins };
  }
  run("strace", ["-f", "-c", "-o", straceOut, ...argv], m, m.env);
  const c = straceCounts(readFileSync(straceOut, "utf8"));
  const n = (...names: string[]) => names.reduce((a, k) => a + (c.get(k) ?? 0), 0);
  return {
    ...js,
    processes: n("execve") - 1,
    files_opened: n("openat", "open"),
    stat: n(...STAT),
    read: n("read", "pread64"),
    getdents: n("getdents64"),
    link: n("link", "linkat"),
    mkdir: n("mkdir", "mkdirat"),
  };
}

/** The budgets of test/budgets.toml: per path, a limit per figure, and the dist files it may load. */
export type Budgets = Record<string, Record<string, number | string[]>>;

export async function readBudgets(): Promise<Budgets> {
  const toml = (await import("toml")).default as { parse(text: string): Budgets };
  return toml.parse(readFileSync(join(PROJECT_ROOT, "test", "budgets.toml"), "utf8"));
}

/** What is over budget, one line each, naming the path, the figure, the measure and the budget. */
export function overBudget(path: string, figures: Figures, budget: Record<string, number | string[]>): string[] {
  const problems: string[] = [];
  for (const [key, limit] of Object.entries(budget)) {
    if (key === "dist_files") {
      const want = [...(limit as string[])].sort();
      if (JSON.stringify(want) !== JSON.stringify(figures.distFiles)) {
        problems.push(`budget: ${path}: loads ${figures.distFiles.join(" ")}, where the budget allows ${want.join(" ")} (see test/budgets.toml)`);
      }
      continue;
    }
    const value = figures[key as keyof Figures] as number | undefined;
    if (value === undefined) problems.push(`budget: ${path}: test/budgets.toml names ${key}, which is not measured`);
    else if (value > (limit as number)) problems.push(`budget: ${path}: ${key} ${value} > ${limit} (see test/budgets.toml)`);
  }
  return problems;
}
