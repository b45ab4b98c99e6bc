// The Context: everything a command may know about the process it runs in.
// Only this module reads process.*; commands and tests receive a Context.
import { writeSync } from "node:fs";
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

/**
 * A synchronous writer on a file descriptor. Touching process.stdout or
 * process.stderr builds stream objects (tty, net) that cost more start-up
 * time than most commands spend working; a CLI's output is small and
 * written whole, so plain writes suffice. EAGAIN (a non-blocking pipe that
 * is full) is waited out rather than dropped.
 */
function fdWriter(fd: number): Output {
  return {
    write(chunk: string) {
      let buf = Buffer.from(chunk, "utf8");
      while (buf.length > 0) {
        try {
          const n = writeSync(fd, buf);
          buf = buf.subarray(n);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "EAGAIN") {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
            continue;
          }
          if (code === "EPIPE") return true; // the reader went away (`| head`)
          throw err;
        }
      }
      return true;
    },
  };
}

/** Builds the Context of the running process. */
export function contextFromProcess(): Context {
  const env = process.env;
  const home = env.HOME || homedir();
  const ctx: Context = {
    cwd: process.cwd(),
    env,
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    isTTY: false,
    dirs: resolveDirs(env, home),
    platform: process.platform,
  };
  // Asked rarely, so loaded only when asked (tty brings net and streams).
  let tty: boolean | undefined;
  Object.defineProperty(ctx, "isTTY", {
    get: () => (tty ??= (process.stderr as { isTTY?: boolean }).isTTY === true),
    enumerable: true,
  });
  return ctx;
}
