// `.python-version` files (the format pyenv and uv read and write) and the
// default selection chain: VENVCTL_VERSION, the nearest .python-version,
// $VENVCTL_ROOT/version, then the first python3 on PATH.
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { isNodeError } from "../util/fs.js";

export const VERSION_FILE_NAME = ".python-version";

/** Version files larger than this are refused rather than read. */
const MAX_VERSION_FILE_BYTES = 64 * 1024;

/**
 * Reads a version file's entries: whitespace- or newline-separated words, `#`
 * comments and blank lines skipped, CRLF and a UTF-8 BOM tolerated (pyenv's
 * `pyenv-version-file-read`). Answers undefined if the file does not exist.
 * An unreadable, binary or huge file is an error naming the file.
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
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      throw new VenvctlError(`${path} is a directory, not a version file`, { hint: "remove it, or pin with `venvctl use`" });
    }
    if (!st.isFile() || st.size > MAX_VERSION_FILE_BYTES) {
      throw new VenvctlError(`the version file ${path} is too large to be a version file (${st.size} bytes)`, {
        hint: "it should hold a version such as 3.12; fix it with `venvctl use 3.12`",
      });
    }
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (buf.subarray(0, off).includes(0)) {
      throw new VenvctlError(`the version file ${path} is binary, not text`, {
        hint: "it should hold a version such as 3.12; fix it with `venvctl use 3.12`",
      });
    }
    text = buf.subarray(0, off).toString("utf8");
  } catch (err) {
    if (err instanceof VenvctlError) throw err;
    throw new VenvctlError(`cannot read the version file ${path}`, { cause: err });
  } finally {
    closeSync(fd);
  }
  return parseVersionFileText(text);
}

/**
 * Splits a version file's text into entries: the words of each line, up to a
 * word that starts a `#` comment. Words are separated by spaces and tabs (what
 * the shims split on too). A line holding a range (`>=3.10 <3.13`, as uv
 * writes one request per line) is one entry.
 */
export function parseVersionFileText(text: string): string[] {
  const entries: string[] = [];
  for (const rawLine of text.replace(/^\uFEFF/, "").split(/\r?\n|\r/)) {
    const words: string[] = [];
    for (const word of rawLine.split(/[ \t]+/)) {
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
  | { kind: "global"; path: string }
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
    case "path": return "the first python3 on PATH";
  }
}

/** Walks the selection chain. An empty VENVCTL_VERSION counts as unset. */
export function selectVersion(ctx: Pick<Context, "env" | "cwd" | "dirs">): Selection {
  const fromEnv = ctx.env.VENVCTL_VERSION;
  if (fromEnv && fromEnv.trim()) {
    return { entries: parseVersionFileText(fromEnv.replace(/:/g, " ")), origin: { kind: "env", variable: "VENVCTL_VERSION" } };
  }
  const local = findVersionFile(ctx.cwd);
  if (local) {
    const entries = readVersionFile(local) ?? [];
    if (entries.length > 0) return { entries, origin: { kind: "file", path: local } };
  }
  const globalFile = join(ctx.dirs.root, "version");
  const global = readVersionFile(globalFile);
  if (global && global.length > 0) return { entries: global, origin: { kind: "global", path: globalFile } };
  return { entries: [], origin: { kind: "path" } };
}
