// Helpers for the install/reinstall/uninstall/sync tests: the built CLI run
// asynchronously (so a 127.0.0.1 index served by the test process keeps
// answering), environments made with `venvctl create`, a recorder of every
// Python start in an environment, and distributions written by hand.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI, runCli, spawnAsync, type CliResult } from "./run-cli.js";
import type { Sandbox } from "./hermetic.js";

/** What a command did: exit code, stdout, stderr. */
export type Output = CliResult;

/** `venvctl ARGS` through the built CLI, asynchronously (an `env` value undefined removes the variable). */
export function venvctl(args: readonly string[], sb: Sandbox, opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<Output> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...sb.env, ...opts.env })) if (v !== undefined) env[k] = v;
  return spawnAsync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? sb.work, env, input: opts.input });
}

/** `python -m pip ARGS`, asynchronously. */
export function pip(python: string, args: readonly string[], sb: Sandbox, env: Record<string, string> = {}): Promise<Output> {
  return spawnAsync(python, ["-m", "pip", ...args], { cwd: sb.work, env: { ...sb.env, ...env } });
}

/** Formats a result for an assertion message. */
export { describeResult as show } from "./run-cli.js";

export interface TestEnv {
  dir: string;
  python: string;
  site: string;
  /** Where the recorder writes one line per Python start (see recordPythonStarts). */
  log: string;
}

/** A venv made by the built CLI (pip seeded natively unless `withoutPip`), recording Python starts. */
export function makeEnv(sb: Sandbox, name: string, opts: { python?: string; withoutPip?: boolean } = {}): TestEnv {
  const dir = join(sb.work, name);
  mkdirSync(dirname(dir), { recursive: true });
  const r = runCli(["create", "-p", opts.python ?? "3.12", ...(opts.withoutPip ? ["--without-pip"] : []), dir], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, `venvctl create failed:\n${r.stderr}`);
  const lib = join(dir, "lib");
  const site = join(lib, readdirSync(lib).find((n) => n.startsWith("python"))!, "site-packages");
  // A name may hold a directory (`venvctl/env`: two envs with one basename, hence one prompt).
  const env: TestEnv = { dir, python: join(dir, "bin", "python"), site, log: join(sb.dir, `${name.replace(/\//g, "-")}-python-starts.log`) };
  recordPythonStarts(env);
  return env;
}

/**
 * Makes every start of the environment's Python append its command line to
 * `env.log` (a sitecustomize module: site.py imports it at start-up), so a
 * test can tell whether pip, or Python at all, ran in that environment.
 */
export function recordPythonStarts(env: TestEnv): void {
  writeFileSync(join(env.site, "sitecustomize.py"), [
    "import sys",
    `with open(${JSON.stringify(env.log)}, "a") as _f:`,
    "    _f.write(' '.join(getattr(sys, 'orig_argv', sys.argv)) + '\\n')",
    "",
  ].join("\n"));
}

/** The Python starts recorded so far (and forgets them). */
export function pythonStarts(env: TestEnv): string[] {
  if (!existsSync(env.log)) return [];
  const lines = readFileSync(env.log, "utf8").split("\n").filter(Boolean);
  rmSync(env.log, { force: true });
  return lines;
}

/** Installed distributions by normalized name → version, from the .dist-info directory names. */
export function installed(site: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(site)) {
    const m = /^(.+?)-([^-]+)\.dist-info$/.exec(n);
    if (m) out[m[1]!.toLowerCase().replace(/[-_.]+/g, "-")] = m[2]!;
  }
  return out;
}

export interface HandDist {
  name: string;
  version: string;
  /** Requires-Dist values. */
  requires?: string[];
  /** Provides-Extra values. */
  extras?: string[];
  /** The version the .dist-info directory's name carries, when it differs from METADATA's. */
  dirVersion?: string;
  /** Extra METADATA lines. */
  metadata?: string[];
}

/** Writes a distribution's .dist-info directly (no files: what pip reads to decide). Answers its path. */
export function writeDist(site: string, d: HandDist): string {
  const info = join(site, `${d.name.replace(/[-.]+/g, "_")}-${d.dirVersion ?? d.version}.dist-info`);
  mkdirSync(info, { recursive: true });
  const lines = ["Metadata-Version: 2.1", `Name: ${d.name}`, `Version: ${d.version}`];
  for (const x of d.extras ?? []) lines.push(`Provides-Extra: ${x}`);
  for (const r of d.requires ?? []) lines.push(`Requires-Dist: ${r}`);
  lines.push(...(d.metadata ?? []));
  writeFileSync(join(info, "METADATA"), lines.join("\n") + "\n");
  writeFileSync(join(info, "INSTALLER"), "test\n");
  writeFileSync(join(info, "RECORD"), "");
  return info;
}
