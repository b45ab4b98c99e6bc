// Python's os.path.isdir and os.path.isfile: what a path is, links followed,
// false when stat fails for any reason. Imports nothing of the project, so
// errors.ts may use it too.
import { statSync } from "node:fs";

/**
 * Whether `path` is a directory (links followed), as Python's os.path.isdir
 * answers, which pip asks: false when stat fails for any reason (ENOENT,
 * ENOTDIR, ELOOP, ENAMETOOLONG, EACCES).
 */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is a regular file (links followed), as Python's os.path.isfile: false when stat fails. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
