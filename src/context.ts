// The Context: everything a command may know about the process it runs in.
// Only this module reads process.*; commands and tests receive a Context.
import { homedir } from "node:os";
import { resolveDirs, type Dirs } from "./util/dirs.js";

/** Where a command writes: `write` takes whole strings, as the streams do. */
export interface Output {
  write(chunk: string): unknown;
}

export interface Context {
  /** Working directory the command acts relative to. */
  cwd: string;
  /** The environment (never mutated by commands). */
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Whether stderr is a terminal (for colour and progress). */
  isTTY: boolean;
  /** venvctl's own directories: root, cache, home. */
  dirs: Dirs;
  platform: NodeJS.Platform;
}

/** Builds the Context of the running process. */
export function contextFromProcess(): Context {
  const env = process.env;
  const home = env.HOME || homedir();
  return {
    cwd: process.cwd(),
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    dirs: resolveDirs(env, home),
    platform: process.platform,
  };
}
