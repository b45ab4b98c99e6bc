// `.python-version` files (the format pyenv and uv read and write) and the
// pins of the selection chain: VENVCTL_VERSION, the nearest .python-version,
// $VENVCTL_ROOT/version, $PYENV_ROOT/version. selection.ts turns them into
// an interpreter.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { isNodeError } from "../util/fs.js";
import { pyenvRoot } from "../util/path-search.js";

export const VERSION_FILE_NAME = ".python-version";

/**
 * How much of a version file is read, by Node and by the shims alike (they
 * run `head -c`): its first this many bytes, NUL bytes dropped. A line
 * that runs past the end is cut there, so a hostile file of any size costs
 * a few KB of reading, and both read the same text.
 */
export const VERSION_FILE_READ_BYTES = 4096;

/**
 * Reads a version file's entries (parseVersionFileText of the text the shims
 * read too, see VERSION_FILE_READ_BYTES). Answers undefined if the file does
 * not exist. An unreadable file or a directory is an error naming the file.
 */
export function readVersionFile(path: string): string[] | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    if (isNodeError(err, "ENOENT") || isNodeError(err, "ENOTDIR")) return undefined;
    throw new VenvctlError(`cannot read the version file ${path}`, { cause: err, hint: "check its permissions" });
  }
  let text: string;
  try {
    if (!fstatSync(fd).isFile()) {
      throw new VenvctlError(`${path} is not a regular file, so it is not a version file`, { hint: "remove it, or pin with `venvctl use`" });
    }
    const head = Buffer.alloc(VERSION_FILE_READ_BYTES);
    let got = 0;
    for (let n = 1; n > 0 && got < head.length; got += n) n = readSync(fd, head, got, head.length - got, got);
    text = withoutNul(head.subarray(0, got)).toString("utf8");
  } catch (err) {
    if (err instanceof VenvctlError) throw err;
    throw new VenvctlError(`cannot read the version file ${path}`, { cause: err });
  } finally {
    closeSync(fd);
  }
  return parseVersionFileText(text);
}

/** A copy of the bytes (the read buffer is reused), NUL bytes left out. */
function withoutNul(b: Buffer): Buffer {
  return Buffer.from(b.includes(0) ? b.filter((x) => x !== 0) : b);
}

/**
 * Splits a version file's text into entries, by the rules shims/shim.sh
 * follows too (a test holds the two to the same entries):
 *  - NUL bytes are dropped (sh cannot hold them in a variable);
 *  - a UTF-8 BOM at the start is dropped;
 *  - lines end at LF; words are separated by spaces, tabs and CR (so CRLF
 *    files read as LF ones);
 *  - a word that starts with `#` ends its line (a comment);
 *  - a line holding a range word (`>=3.10 <3.13`, as uv writes one request
 *    per line) is one entry, its words joined by a space; on any other line
 *    each word is an entry.
 * Entries are only ever looked up among the discovered interpreters (see
 * selection.ts), never run or joined into a path.
 */
export function parseVersionFileText(text: string): string[] {
  const entries: string[] = [];
  for (const rawLine of text.replace(/\0/g, "").replace(/^\uFEFF/, "").split("\n")) {
    const words: string[] = [];
    for (const word of rawLine.split(/[ \t\r]+/)) {
      if (word.startsWith("#")) break;
      if (word) words.push(word);
    }
    if (words.some(isRangeWord)) entries.push(words.join(" "));
    else entries.push(...words);
  }
  return entries;
}

/**
 * Whether a word of a version file is a range that only venvctl resolves
 * (>=3.10, ^3.10, 3.x, 3.12.*), not a version or a name pyenv and uv read.
 * shims/shim.sh matches the same words with
 * `*[,\<\>=~^!\*]* | *.[xX] | *.[xX].* | [xX]`; keep the two in step.
 */
export function isRangeWord(word: string): boolean {
  return /[,<>=~^!*]/.test(word) || /\.[xX]$/.test(word) || /\.[xX]\./.test(word) || /^[xX]$/.test(word);
}

/**
 * The nearest `.python-version` from `start` upward, or undefined. Only a
 * regular file (or a link to one) counts, as for pyenv (`[ -f ]`) and the
 * shims: a directory of that name is passed over, and a FIFO is never opened.
 */
export function findVersionFile(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, VERSION_FILE_NAME);
    if (isRegularFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the selected version came from. */
export type SelectionOrigin =
  | { kind: "env"; variable: "VENVCTL_VERSION" }
  | { kind: "file"; path: string }
  /** `$VENVCTL_ROOT/version`, or pyenv's global `$PYENV_ROOT/version`. */
  | { kind: "global"; path: string }
  /** Nothing pinned: the first interpreter on PATH. */
  | { kind: "path" };

export interface Selection {
  /** The requested versions, in order (a version file may list several). */
  entries: string[];
  origin: SelectionOrigin;
}

/** Says where a selection came from, as `venvctl version` prints it. */
export function describeOrigin(origin: SelectionOrigin): string {
  switch (origin.kind) {
    case "env": return `set by ${origin.variable}`;
    case "file": return `set by ${origin.path}`;
    case "global": return `set by ${origin.path}`;
    case "path": return "no version pinned, the first python3 on PATH";
  }
}

/**
 * The working directory as the shell knows it: $PWD when it names the same
 * directory as the real one (so a path through a symlink walks up as pyenv
 * and the shims walk up), else the real one.
 */
export function logicalCwd(ctx: Pick<Context, "env" | "cwd">): string {
  const pwd = ctx.env.PWD;
  if (!pwd || !isAbsolute(pwd) || pwd === ctx.cwd) return ctx.cwd;
  try {
    return realpathSync(pwd) === realpathSync(ctx.cwd) ? resolve(pwd) : ctx.cwd;
  } catch {
    return ctx.cwd;
  }
}

/**
 * The pins, in the order every command and shim reads them: VENVCTL_VERSION,
 * the nearest .python-version from the (logical) working directory up,
 * `$VENVCTL_ROOT/version`, pyenv's global `$PYENV_ROOT/version`. The first
 * source that names any version decides; one that names none (blank, or only
 * comments) counts as unset. shims/shim.sh walks the same steps.
 */
export function selectVersion(ctx: Pick<Context, "env" | "cwd" | "dirs" | "platform">): Selection {
  const fromEnv = ctx.env.VENVCTL_VERSION;
  if (fromEnv) {
    const entries = parseVersionFileText(fromEnv.replace(/:/g, " "));
    if (entries.length > 0) return { entries, origin: { kind: "env", variable: "VENVCTL_VERSION" } };
  }
  const local = findVersionFile(logicalCwd(ctx));
  if (local) {
    const entries = readVersionFile(local) ?? [];
    if (entries.length > 0) return { entries, origin: { kind: "file", path: local } };
  }
  for (const path of [join(ctx.dirs.root, "version"), join(pyenvRoot(ctx), "version")]) {
    const entries = readVersionFile(path);
    if (entries && entries.length > 0) return { entries, origin: { kind: "global", path } };
  }
  return { entries: [], origin: { kind: "path" } };
}
