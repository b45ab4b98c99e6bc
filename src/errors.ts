// Errors with structure: a message, an optional hint and cause, rendered once
// at the top as `error:` / `Caused by:` / `hint:` (the shape uv uses).
import { statSync } from "node:fs";
import { isDirectory } from "./util/stat.js";

export interface ErrorDetails {
  hint?: string | undefined;
  cause?: unknown;
}

/** A failure venvctl explains to the user: exit code 1. */
export class VenvctlError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number = 1;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
  }
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends VenvctlError {
  override readonly exitCode = 2;
}

/** A file is not the one expected: its hash is not the one a report, an index, a lock or the user gave. Nothing was kept. */
export class HashMismatchError extends VenvctlError {
  /** `file`'s `algorithm` digest is `actual`; `expected` is what it should have been (one value, or several joined by "or"). */
  static of(file: string, algorithm: string, expected: string, actual: string): HashMismatchError {
    return new HashMismatchError(`${file} does not have the expected ${algorithm}: ${expected} was expected, the file has ${actual}`, {
      hint: "the download was damaged or the index served another file; nothing was installed or kept. If the index is right, clear pip's cache (`pip cache purge`) and retry",
    });
  }
}

/**
 * Renders an error for stderr. A failed system call is the machine's answer
 * and is worded as one (see osError); any other unknown error is a bug and
 * keeps its stack.
 */
export function renderError(err: unknown, debug = false): { text: string; exitCode: number } {
  if (!(err instanceof VenvctlError) && isSystemError(err)) err = osError(err);
  if (err instanceof VenvctlError) {
    const lines = [`error: ${err.message}`];
    let hint = err.hint;
    let cause: unknown = err.cause;
    const seen = new Set<unknown>();
    while (cause !== undefined && cause !== null && !seen.has(cause)) {
      seen.add(cause);
      if (isSystemError(cause)) {
        // The call and its path; its cause in words unless the message already says it.
        const same = err instanceof OsError && err.code === cause.code;
        lines.push(`  Caused by: ${describeCall(cause)}${same ? "" : `: ${errnoWords(cause)}`}`);
        hint ??= osError(cause).hint;
      } else {
        lines.push(`  Caused by: ${cause instanceof Error ? cause.message : String(cause)}`);
      }
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (hint) lines.push(`hint: ${hint}`);
    if (debug) {
      const stack = err instanceof OsError ? err.systemError.stack : err.stack;
      if (stack) lines.push(stack);
    }
    return { text: lines.join("\n") + "\n", exitCode: err.exitCode };
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return {
    text:
      `error: internal error (this is a bug in venvctl)\n  Caused by: ${stack}\n` +
      `hint: please report it with the command you ran and VENVCTL_DEBUG=1 output\n`,
    exitCode: 1,
  };
}

// ---- operating-system errors ------------------------------------------------
// A system call that fails (EACCES, ENOSPC, EROFS, …) is the user's machine
// answering, not a bug: it is rendered as `error: cannot ACTION PATH: CAUSE
// (CODE)` with a hint fitting the errno. This table is the one place that
// words an errno; call sites that know what the user asked for (create's
// target, a requirements file) wrap with osError() to name that path.

/** A failed system call, as Node reports it (code, syscall, path). */
export type SystemError = Error & { code: string; syscall?: string; path?: string; dest?: string };

/** Whether `err` is a failed system call (an errno code such as EACCES), not a bug. */
export function isSystemError(err: unknown): err is SystemError {
  const e = err as Partial<SystemError> | undefined;
  return err instanceof Error && typeof e!.code === "string" && /^E[A-Z0-9]+$/.test(e!.code) &&
    (typeof e!.syscall === "string" || typeof (err as { errno?: unknown }).errno === "number");
}

interface ErrnoText {
  /** The cause in plain words (strerror's, lower case). */
  words: string;
  /** What to do, given the path the call failed on. */
  hint: (path: string, err: SystemError) => string;
}

const WRITE_CALLS = new Set(["mkdir", "open", "rename", "unlink", "rmdir", "rm", "symlink", "link", "copyfile", "chmod", "utime", "futime", "write"]);

const ERRNO: Record<string, ErrnoText> = {
  EACCES: { words: "permission denied", hint: permissionHint },
  EPERM: { words: "operation not permitted", hint: permissionHint },
  ENOENT: {
    words: "no such file or directory",
    hint: (path, err) => {
      const parent = parentOf(path);
      // mkdir answering ENOENT under a directory that exists is a pseudo file
      // system (/proc, /sys), where only the kernel makes entries.
      if (err.syscall === "mkdir" && isDirectory(parent)) {
        return `${parent} does not take new directories (a pseudo file system such as /proc or /sys); choose a place on a disk`;
      }
      return `check that ${path} exists (it may have been removed while venvctl ran)`;
    },
  },
  ENOTDIR: {
    words: "not a directory",
    hint: (path) => {
      const file = firstNonDirectory(path);
      return file
        ? `${file} is a file, not a directory, so nothing can be below it; choose another path`
        : `a component of ${path} is not a directory; choose another path`;
    },
  },
  EISDIR: { words: "is a directory", hint: (path) => `${path} is a directory where a file is needed; choose another path` },
  EEXIST: { words: "it already exists", hint: (path) => `move ${path} away or choose another path` },
  ENOTEMPTY: { words: "directory not empty", hint: (path) => `${path} holds files venvctl did not expect; move it away or choose another path` },
  ENOSPC: {
    words: "no space left on device",
    hint: (path) => {
      const dir = nearestExisting(path);
      return `the file system holding ${dir} is full: no space or no inodes left (see \`df -h ${quote(dir)}\` and \`df -i ${quote(dir)}\`); free some, or choose a place on another file system`;
    },
  },
  EDQUOT: {
    words: "disk quota exceeded",
    hint: (path) => `your disk quota on the file system holding ${nearestExisting(path)} is used up (see \`quota -s\`); free some space, or choose a place on another file system`,
  },
  EROFS: {
    words: "read-only file system",
    hint: (path) => `${nearestExisting(path)} is on a file system mounted read-only; choose a place on a writable one`,
  },
  ELOOP: {
    words: "too many levels of symbolic links",
    hint: (path) => `a symbolic link along ${path} leads back to itself (\`namei ${quote(path)}\` shows the links); fix the link or choose another path`,
  },
  ENAMETOOLONG: {
    words: "file name too long",
    hint: () => "a name in a path may hold at most 255 bytes, and a whole path 4095; choose a shorter path",
  },
  EMFILE: {
    words: "too many open files",
    hint: () => "this process reached its limit of open files; raise it (`ulimit -n`) and run again",
  },
  ENFILE: {
    words: "too many open files in the system",
    hint: () => "the whole system reached its limit of open files; close other programs and run again",
  },
  EIO: {
    words: "input/output error",
    hint: (path) => `the disk (or network file system) holding ${nearestExisting(path)} failed to read or write; see the system log (\`dmesg\`)`,
  },
  EBUSY: { words: "device or resource busy", hint: (path) => `${path} is in use (a mount point, or held by another program); run again when it is free` },
  EXDEV: { words: "cross-device link", hint: () => "the two paths are on different file systems; choose places on the same one" },
  EMLINK: { words: "too many links", hint: (path) => `${parentOf(path)} holds as many entries or links as its file system allows; choose another place` },
  EFBIG: { words: "file too large", hint: (path) => `the file system holding ${nearestExisting(path)} does not take a file that large; choose another place` },
  ETXTBSY: { words: "text file busy", hint: (path) => `${path} is a program that is running; stop it and run again` },
  ENOMEM: { words: "out of memory", hint: () => "close other programs, or raise this process's memory limit, and run again" },
};

function permissionHint(path: string, err: SystemError): string {
  // Writing needs the directory that holds the entry; reading needs every directory along the way.
  const dir = WRITE_CALLS.has(err.syscall ?? "") ? parentOf(path) : path;
  return `you may not ${WRITE_CALLS.has(err.syscall ?? "") ? "write in" : "read"} ${dir}: check its owner and mode and those of the directories above it (\`namei -l ${quote(dir)}\`), or choose a place you own`;
}

/** What a system call was doing, in words, for a message without a call site's own. */
const SYSCALL_ACTION: Record<string, string> = {
  mkdir: "create directory", open: "open", read: "read", write: "write to", close: "close",
  rename: "rename", copyfile: "copy", link: "link", symlink: "create a link at", unlink: "remove",
  rmdir: "remove directory", rm: "remove", stat: "look at", lstat: "look at", fstat: "look at",
  statfs: "look at", access: "access", realpath: "resolve", readlink: "read the link", scandir: "list directory",
  opendir: "list directory", chmod: "change the mode of", utime: "set the times of", uv_cwd: "read the current directory",
  spawn: "run",
};

/** `mkdir /x/y` (and `-> DEST`): the call and its paths, for a `Caused by:` line. */
function describeCall(err: SystemError): string {
  const paths = [err.path, err.dest].filter((p): p is string => typeof p === "string");
  return [err.syscall ?? "a system call", paths.join(" -> ")].filter(Boolean).join(" ");
}

/** The cause in words, with the code: `permission denied (EACCES)`. */
export function errnoWords(err: SystemError): string {
  // libuv's own words (`EACCES: permission denied, mkdir '…'`) for codes the table lacks.
  const words = ERRNO[err.code]?.words ?? (/^[A-Z0-9]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message);
  return `${words} (${err.code})`;
}

/** A failed system call, worded for the user: the path, the cause, a hint; exit 1. */
export class OsError extends VenvctlError {
  readonly code: string;
  /** The path named in the message (the user's, where the call site knows it). */
  readonly path: string | undefined;
  readonly systemError: SystemError;
  constructor(message: string, err: SystemError, path: string | undefined, hint: string) {
    // The call's own path, where it adds to the message's (a write on a descriptor has none).
    super(message, { hint, cause: err.path !== undefined && path !== err.path ? err : undefined });
    this.code = err.code;
    this.path = path;
    this.systemError = err;
  }
}

/**
 * Words a failed system call as what the user was doing: `cannot create
 * /x/env: permission denied (EACCES)`. Without `doing`, the call's own action
 * and path are named. The hint is the errno's, for the path the call failed on.
 */
export function osError(err: SystemError, doing?: { action: string; path: string }): OsError {
  // rename, copyfile, link and symlink write at their destination.
  const failedOn = err.dest ?? err.path ?? doing?.path ?? "";
  const hint = ERRNO[err.code]?.hint(failedOn, err) ??
    `the operating system refused to ${SYSCALL_ACTION[err.syscall ?? ""] ?? err.syscall ?? "do it"}${failedOn ? ` ${failedOn}` : ""}; check the path and run again`;
  if (doing) return new OsError(`cannot ${doing.action} ${doing.path}: ${errnoWords(err)}`, err, doing.path, hint);
  const action = SYSCALL_ACTION[err.syscall ?? ""] ?? err.syscall ?? "do what was asked with";
  const target = [err.path, err.dest].filter((p): p is string => typeof p === "string").join(" to ");
  return new OsError(`cannot ${action}${target ? ` ${target}` : ""}: ${errnoWords(err)}`, err, err.path, hint);
}

/** Wraps a system error with what the user was doing; anything else is returned as it is. */
export function withPath(err: unknown, action: string, path: string): unknown {
  return isSystemError(err) ? osError(err, { action, path }) : err;
}

function parentOf(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i > 0 ? path.slice(0, i) : "/";
}

/** The path itself, or its nearest ancestor that exists (for `df` and mount questions). */
function nearestExisting(path: string): string {
  for (let p = path; ; p = parentOf(p)) {
    if (isDirectory(p) || p === "/") return p;
  }
}

/** The first component of `path` that exists and is not a directory (the file ENOTDIR is about). */
function firstNonDirectory(path: string): string | undefined {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    if (!prefix) continue;
    try {
      if (!statSync(prefix).isDirectory()) return prefix;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A path as a shell word, for the commands hints suggest. */
function quote(path: string): string {
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
