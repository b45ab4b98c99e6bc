// Atomic file-system operations: write beside, then rename into place.
// Everything venvctl writes that another process may read goes through here.
import {
  closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync,
  statSync, writeSync, type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { uniqueSuffix } from "./hash.js";

/** A unique name beside `target` that venvctl owns (dot-prefixed, tagged). */
export function siblingTempPath(target: string, tag = "tmp"): string {
  return join(dirname(target), `.${basename(target)}.venvctl-${tag}-${uniqueSuffix()}`);
}

/** What a name made by siblingTempPath says: whose sibling, which tag, which process (the pid starts uniqueSuffix). */
export interface SiblingTempName {
  target: string;
  tag: string;
  pid: number;
}

const SIBLING_NAME = /^\.(.+)\.venvctl-([a-z]+)-(\d+)-\d+[0-9a-f]{8}$/;

/** Reads a name siblingTempPath made back into its parts; undefined for any other name. */
export function parseSiblingTempName(name: string): SiblingTempName | undefined {
  const m = SIBLING_NAME.exec(name);
  if (!m) return undefined;
  return { target: m[1]!, tag: m[2]!, pid: Number(m[3]) };
}

/**
 * Writes a file atomically: the data goes to a temporary sibling, is flushed,
 * and is renamed over `path`. Readers see the old file or the new one, never half.
 * `flush: false` is for caches whose readers check what they read (a file
 * that does not parse is absent): after a crash such a file may be empty
 * or short, which costs a fetch, and skipping the fsync saves a disk
 * flush per file (a cold install writes a hundred).
 */
export function atomicWriteFile(path: string, data: string | Uint8Array, mode = 0o644, opts: { flush?: boolean } = {}): void {
  const tmp = siblingTempPath(path);
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    if (opts.flush !== false) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes a new file (fails if it exists); for trees venvctl is building. */
export function writeNewFile(path: string, data: string | Uint8Array, mode = 0o644): void {
  const fd = openSync(path, "wx", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
  } finally {
    closeSync(fd);
  }
}

/** The path with every link resolved, or the path itself when it cannot be resolved (missing, a loop). */
export function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Where `path` is on disk: its parent with every link resolved, and a link in
 * its last component followed too, even when what it names is missing.
 */
export function physicalPath(path: string): string {
  let p = join(realpathOrSelf(dirname(path)), basename(path));
  // 40 links, as the kernel's limit: a loop stops here, and is found when used.
  for (let i = 0; i < 40; i++) {
    const st = lstatOrUndefined(p);
    if (!st?.isSymbolicLink()) return p;
    const next = resolve(dirname(p), readlinkSync(p));
    p = join(realpathOrSelf(dirname(next)), basename(next));
  }
  return p;
}

/** lstat that answers undefined for a missing path instead of throwing. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if (isNodeError(err, "ENOENT") || isNodeError(err, "ENOTDIR")) return undefined;
    throw err;
  }
}

// isDirectory and isFile live in stat.ts, which imports nothing (errors.ts uses them).
export { isDirectory, isFile } from "./stat.js";

/** A directory's entry names (libuv lists them sorted); none when it cannot be listed. */
export function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether a directory has no entries. */
export function isEmptyDir(path: string): boolean {
  return readdirSync(path).length === 0;
}

/**
 * mkdir -p, one level at a time; answers the directories it made, outermost
 * first. Node's recursive mkdir never returns where mkdir(2) answers ENOENT
 * under a directory that exists (/proc: it retries the parent forever), so
 * it is not used: here every failure is thrown, and what was made before it
 * is removed again, so a failure leaves nothing behind.
 */
export function ensureDir(path: string, mode?: number): string[] {
  const missing: string[] = [];
  let d = resolve(path);
  // stat, not lstat: a link to a directory is a directory. ENOTDIR, EACCES,
  // ELOOP from here are thrown as they are.
  while (!statSync(d, { throwIfNoEntry: false })) {
    missing.unshift(d);
    if (dirname(d) === d) break;
    d = dirname(d);
  }
  // An existing file where the directory should be: mkdir says EEXIST.
  if (!missing.length && !statSync(d).isDirectory()) mkdirSync(d);
  const made: string[] = [];
  try {
    for (const m of missing) {
      try {
        mkdirSync(m, mode === undefined ? undefined : { mode });
        made.push(m);
      } catch (err) {
        // Made by another process meanwhile: as good as ours, but not ours to remove.
        if (!isNodeError(err, "EEXIST") || !statSync(m).isDirectory()) throw err;
      }
    }
  } catch (err) {
    removeMadeDirs(made);
    throw err;
  }
  return made;
}

/** Removes directories ensureDir made (innermost first), each only while it is still empty. */
export function removeMadeDirs(made: readonly string[]): void {
  for (const d of [...made].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // Not empty any more (someone else wrote there), or gone: leave it.
    }
  }
}

/**
 * Removes a tree venvctl itself created (a temporary build, a replaced env it
 * has renamed aside). Never call this on a path the user owns.
 */
export function removeOwnedTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    // force ignores only ENOENT; a path through a file (ENOTDIR) cannot exist either.
    if (!isNodeError(err, "ENOTDIR")) throw err;
  }
}

/** Narrows an unknown error to a Node system error with the given code. */
export function isNodeError(err: unknown, code?: string): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" &&
    (code === undefined || (err as NodeJS.ErrnoException).code === code);
}
