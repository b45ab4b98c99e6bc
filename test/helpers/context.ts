// A test Context: the sandbox's environment and directories, with stdout and
// stderr captured as strings.
import type { Context } from "../../src/context.js";
import { resolveDirs } from "../../src/util/dirs.js";
import type { Sandbox } from "./hermetic.js";

export interface TestContext extends Context {
  out(): string;
  err(): string;
}

export function makeContext(sb: Sandbox, overrides: { cwd?: string; env?: Record<string, string | undefined> } = {}): TestContext {
  const env = { ...sb.env, ...(overrides.env ?? {}) };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  let out = "";
  let err = "";
  return {
    cwd: overrides.cwd ?? sb.work,
    env,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdinIsTTY: false,
    dirs: resolveDirs(env, env.HOME ?? sb.home),
    platform: process.platform,
    out: () => out,
    err: () => err,
  };
}
