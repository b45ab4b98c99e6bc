// What every benchmark case gets: a hermetic environment (with or without
// NODE_EXTRA_CA_CERTS), the work directory, and the interpreters to compare on.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Case } from "../harness.js";

export const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
export const CLI = join(ROOT, "bin", "venvctl.js");
export const NODE = process.execPath;
/**
 * What a "cold" case keeps of venvctl's cache: the interpreter probes and
 * V8's code cache for venvctl's own JavaScript. Cold means the packages'
 * pages, metadata and wheels come from the index; neither of these is about
 * packages (pip's side keeps its .pyc files, the same kind of thing).
 */
export const KEPT_WHEN_COLD: ReadonlySet<string> = new Set(["interpreters", "v8"]);

/** Empties venvctl's cache directory `dir` but for what KEPT_WHEN_COLD keeps. */
export function emptyCache(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const n of readdirSync(dir)) if (!KEPT_WHEN_COLD.has(n)) rmSync(join(dir, n), { recursive: true, force: true });
}

/** A fresh env at `dir` with `python`, made the same way for both sides of a case (untimed): `venvctl create -p`. */
export function freshEnv(dir: string, python: string, env: Record<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  execFileSync(NODE, [CLI, "create", "-p", python, dir], { env, stdio: "ignore" });
}
export const PYENV_ROOT = process.env.PYENV_ROOT || join(process.env.HOME || "/root", ".pyenv");

/** A pyenv interpreter by exact version, e.g. pyenvPython("3.12.1", "3.12"). */
export function pyenvPython(version: string, minor: string): string {
  return join(PYENV_ROOT, "versions", version, "bin", `python${minor}`);
}

export interface BenchContext {
  /** A scratch directory for this run, removed at the end. */
  work: string;
  /** The hermetic environment: HOME, VENVCTL_ROOT and cache inside `work`, pip's global configuration off. */
  env: Record<string, string>;
  /** Whether NODE_EXTRA_CA_CERTS is set in `env` (targets are judged only when it is not). */
  withCa: boolean;
  /** Appended to case names: "" or " [NODE_EXTRA_CA_CERTS set]". */
  tag: string;
}

/** Builds the hermetic environment of one variant. */
export function benchContext(work: string, withCa: boolean): BenchContext {
  const home = join(work, "home");
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(VIRTUAL_ENV|VENVCTL_.*|PYTHON.*|PIP_.*|NODE_EXTRA_CA_CERTS|NODE_OPTIONS)$/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    VENVCTL_ROOT: join(work, "root"),
    VENVCTL_CACHE_DIR: join(work, "cache"),
    PIP_CONFIG_FILE: "/dev/null",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_NO_INPUT: "1",
    PATH: "/usr/local/bin:/usr/bin:/bin",
  });
  const caCerts = process.env.NODE_EXTRA_CA_CERTS;
  if (withCa && caCerts) env.NODE_EXTRA_CA_CERTS = caCerts;
  return { work, env, withCa, tag: withCa ? " [NODE_EXTRA_CA_CERTS set]" : "" };
}

/** A module of cases: each issue's benchmark lives in its own file under bench/cases/. */
export type CaseFactory = (b: BenchContext) => Case[];

const fixtures = new Map<string, unknown>();
/**
 * A fixture written once per process into `root/name` (emptied first) and
 * shared by every case and variant of the run that asks for it by name: the
 * bytes never change between them.
 */
export function fixtureOnce<T>(root: string, name: string, write: (dir: string) => T): T {
  if (!fixtures.has(name)) {
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    fixtures.set(name, write(dir));
  }
  return fixtures.get(name) as T;
}
