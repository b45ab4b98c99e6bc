// The Context: everything a command may know about the process it runs in.
// Only this module reads process.*; commands and tests receive a Context.
import { isUtf8 } from "node:buffer";
import { readFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { errnoWords, isSystemError, UsageError, VenvctlError } from "./errors.js";
import { colouredStderr, colourWanted } from "./util/colour.js";
import { refusePseudoFileSystems, resolveDirs, type Dirs } from "./util/dirs.js";
import type { Output } from "./util/output.js";

export type { Output } from "./util/output.js";

export interface Context {
  /** Working directory the command acts relative to. */
  cwd: string;
  /** The environment (never mutated by commands). */
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** Whether stdin is a terminal: whether a question (pip's "Proceed (Y/n)?") can be answered. */
  stdinIsTTY: boolean;
  /** Whether stderr is a terminal: whether a progress bar may be drawn there (absent: no). */
  stderrIsTTY?: boolean | undefined;
  /**
   * Called after venvctl installed or removed an interpreter below the
   * command line (VENVCTL_PYTHON_DOWNLOADS=automatic): the command line sets
   * it to rehash the shims, which the interpreters layer cannot import.
   */
  afterPythonInstall?: ((ctx: Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">) => Promise<void>) | undefined;
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

/** Where the process writes its errors, for when no Context could be made. */
export function processStderr(): Output {
  return colouredStderr(fdWriter(2), () => colourWanted(process.env, () => fdIsTTY(2)));
}

/**
 * Builds the Context of the running process. Throws VenvctlError when the
 * process cannot run any command: its working directory is gone, or
 * venvctl's own directories are on a pseudo file system.
 */
export function contextFromProcess(): Context {
  const env = process.env;
  const home = env.HOME || homedir();
  const dirs = resolveDirs(env, home);
  refusePseudoFileSystems(dirs, env);
  const ctx: Context = {
    cwd: workingDirectory(env),
    env,
    stdout: fdWriter(1),
    // `error:`, `warning:` and `hint:` coloured where a person reads them.
    stderr: colouredStderr(fdWriter(2), () => colourWanted(env, () => fdIsTTY(2))),
    stdinIsTTY: false,
    dirs,
    platform: process.platform,
  };
  // Asked rarely, so loaded only when asked (tty brings net and streams).
  // stdin is asked through isatty(0), not process.stdin: building that
  // stream would make a pipe on fd 0 non-blocking for the children too.
  let stdinTty: boolean | undefined;
  let stderrTty: boolean | undefined;
  const isatty = (fd: number) => (createRequire(import.meta.url)("node:tty") as typeof import("node:tty")).isatty(fd);
  Object.defineProperties(ctx, {
    stdinIsTTY: { get: () => (stdinTty ??= isatty(0)), enumerable: true },
    stderrIsTTY: { get: () => (stderrTty ??= isatty(2) && env.TERM !== "dumb"), enumerable: true },
  });
  return ctx;
}

/** Whether a file descriptor is a terminal (node:tty loaded only when asked: it brings net and streams). */
function fdIsTTY(fd: number): boolean {
  return (createRequire(import.meta.url)("node:tty") as typeof import("node:tty")).isatty(fd);
}

/** process.cwd(), or an error that says the directory is gone (getcwd fails once it is deleted). */
function workingDirectory(env: Record<string, string | undefined>): string {
  try {
    return process.cwd();
  } catch (err) {
    if (!isSystemError(err)) throw err;
    // The shell's $PWD still names it, which is the best name there is.
    const where = env.PWD ? ` ${env.PWD}` : "";
    throw new VenvctlError(`cannot read the current directory${where}: ${errnoWords(err)}`, {
      hint: err.code === "ENOENT"
        ? `the directory was removed (or replaced) after this shell entered it; \`cd\` to one that exists and run again`
        : `\`cd\` to a directory you can read and run again`,
    });
  }
}

/**
 * Refuses arguments that were not valid UTF-8. Node decodes argv lossily,
 * each bad byte becoming U+FFFD, so `create $'x\xff'` would act on another
 * name (`x\uFFFD`), and two such names on one directory. Only an argument
 * holding U+FFFD can be one; where /proc/self/cmdline gives the bytes, they
 * decide (a real U+FFFD typed as UTF-8 is accepted). Without it, U+FFFD is
 * taken as the sign: refusing a rare real one is safer than acting on
 * another name.
 */
export function refuseUndecodableArguments(argv: readonly string[]): void {
  const suspect = argv.findIndex((a) => a.includes("\uFFFD"));
  if (suspect < 0) return;
  let raw: Buffer[] | undefined;
  try {
    // NUL-terminated words; the last argv.length of them are ours.
    const words = splitNul(readFileSync("/proc/self/cmdline"));
    if (words.length >= argv.length) raw = words.slice(words.length - argv.length);
  } catch {
    raw = undefined;
  }
  for (let i = suspect; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.includes("\uFFFD")) continue;
    const bytes = raw?.[i];
    // The bytes must be this argument's: they decode (lossily) to it.
    if (bytes && bytes.toString("utf8") === arg && isUtf8(bytes)) continue;
    const shown = bytes && bytes.toString("utf8") === arg ? escapeBytes(bytes) : JSON.stringify(arg);
    throw new UsageError(`argument ${shown} is not valid UTF-8`, {
      hint: "venvctl reads its arguments as UTF-8 and would act on another name (each bad byte read as U+FFFD); " +
        "rename the file or directory to a UTF-8 name, or give another",
    });
  }
}

function splitNul(buf: Buffer): Buffer[] {
  const words: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0); i >= 0; i = buf.indexOf(0, start)) {
    words.push(buf.subarray(start, i));
    start = i + 1;
  }
  return words;
}

/** The bytes as text, each byte that is not part of valid UTF-8 as \xNN (as bash's $'…' writes it). */
function escapeBytes(bytes: Buffer): string {
  let out = "";
  let i = 0;
  outer: while (i < bytes.length) {
    for (let len = 1; len <= 4 && i + len <= bytes.length; len++) {
      const piece = bytes.subarray(i, i + len);
      if (isUtf8(piece)) {
        out += piece.toString("utf8").replace(/[\\']/g, (c) => `\\${c}`);
        i += len;
        continue outer;
      }
    }
    out += `\\x${bytes[i]!.toString(16).padStart(2, "0")}`;
    i++;
  }
  return `$'${out}'`;
}

/**
 * The running process, for the few modules below the command line that must
 * touch it (markers naming their owner, signal handlers that clean up, the
 * cache's ownership checks). Kept here so that this module stays the only
 * one that reads `process`: what a command may know of it is one file away.
 */
export const thisProcess = {
  /** This process's id. */
  pid: process.pid,
  /** The Node.js executable running venvctl (Windows shims start venvctl with it: no shebang there). */
  execPath: process.execPath,
  /** The effective user id (-1 where there is none, as on Windows). */
  euid(): number {
    return process.geteuid?.() ?? -1;
  },
  /** The file mode creation mask (read by setting it back at once: no other thread runs). */
  umask(): number {
    return process.umask();
  },
  /** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
  isAlive(pid: number): boolean {
    if (pid === process.pid) return true;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code !== "ESRCH";
    }
  },
  /** Calls `handler` on these signals until the returned function is called. */
  onSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
    for (const s of signals) process.on(s, handler);
    return () => {
      for (const s of signals) process.off(s, handler);
    };
  },
  /** Ends the process now, with this exit code (after a signal's cleanup). */
  exit(code: number): never {
    process.exit(code);
  },
};
