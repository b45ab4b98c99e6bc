// The trust rules of venvctl's caches (the unpack cache, the store, the
// remembered wheel hashes): whoever can write the cache could change it, so
// what is read from it must be a regular file or a real directory (no link
// followed), the user's own, and writable by no one else; what venvctl
// writes there is never group- or other-writable, whatever the umask.
import { closeSync, constants, fchmodSync, fstatSync, lutimesSync, openSync, readFileSync, writeSync, type Stats } from "node:fs";
import { thisProcess } from "../context.js";
import { isNodeError } from "../util/fs.js";

/** What the manifest records of a file: [mtimeMs, inode, ctimeMs, link count]. */
export type FileStats = [number, number, number, number];

const EUID = thisProcess.euid();
/** The umask, read once (Node reads it by setting it back at once: no other thread runs yet). */
export const UMASK = thisProcess.umask();

/** Why a directory of an entry cannot be trusted, or undefined. */
export function untrustedDir(st: Stats | undefined): string | undefined {
  if (!st) return "is missing";
  if (st.isSymbolicLink()) return "is a symbolic link";
  if (!st.isDirectory()) return "is not a directory";
  if (EUID >= 0 && st.uid !== EUID) return `belongs to another user (uid ${st.uid})`;
  return undefined;
}

/** Why a file of an entry cannot be trusted, or undefined. */
export function untrustedFile(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return "is a symbolic link";
  if (!st.isFile()) return "is not a regular file";
  if (EUID >= 0 && st.uid !== EUID) return `belongs to another user (uid ${st.uid})`;
  if (st.mode & 0o022) return "is writable by others";
  return undefined;
}

/** A manifest that is a link, or not the user's own, or writable by others. */
export class UntrustedError extends Error {}

/** Reads the manifest without following a link; it must be the user's, writable by no one else. */
export function readOwnedFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (isNodeError(err, "ELOOP")) throw new UntrustedError("its manifest is a symbolic link");
    throw err;
  }
  try {
    const why = untrustedFile(fstatSync(fd));
    if (why) throw new UntrustedError(`its manifest ${why}`);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a new file with `mode` as the umask leaves it, but never writable by
 * group or others (a umask of 002, common with per-user groups, would leave
 * it so, and the checks refuse that), and answers its stats as written.
 */
export function writeOwned(path: string, data: Buffer, mode: number): FileStats {
  const exact = mode & ~UMASK & ~0o022;
  const fd = openSync(path, "wx", exact);
  try {
    fchmodSync(fd, exact);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    return fileStats(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}

/** A cached file's stats as the manifest records them. */
export function fileStats(st: Stats): FileStats {
  return [st.mtimeMs, st.ino, st.ctimeMs, st.nlink];
}

/** The stats recorded in `path` for `count` files, or undefined (absent, untrusted, torn, another length). */
export function readOwnedStats(path: string, count: number): FileStats[] | undefined {
  try {
    const stats = JSON.parse(readOwnedFile(path)) as unknown;
    if (!Array.isArray(stats) || stats.length !== count) return undefined;
    for (const s of stats) if (!Array.isArray(s) || s.length !== 4 || !s.every((n) => typeof n === "number")) return undefined;
    return stats as FileStats[];
  } catch {
    return undefined;
  }
}

/**
 * Marks an entry used now: the mtime of its record file (an unpack entry's
 * manifest.json, a stored wheel's entry.json), which `cache prune` reads.
 * Its content is untouched and no link is followed. Not a file of its own:
 * on a cold install a stamp file per entry was two more inodes per wheel,
 * and creating an inode is what a cold install spends most on. Best effort.
 */
export function stampUsed(record: string): void {
  const now = new Date();
  try {
    lutimesSync(record, now, now);
  } catch {
    // A read-only cache, or the entry just went: nothing to keep track of.
  }
}
