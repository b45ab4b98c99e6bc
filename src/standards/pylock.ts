// PEP 751 lock files (pylock.toml), as the packaging specification "pylock.toml
// Specification" defines them. This module is the API: reading and validating
// a file (errors as FILE:LINE: message), and, from the modules beside it, the
// data model (pylock-model.ts), writing (pylock-write.ts), choosing what to
// install for a target (pylock-select.ts) and building a lock from a
// resolution (pylock-build.ts).
// TOML is read by the `toml` package (5.x, TOML 1.1, no dependencies).
// The checks follow the specification and packaging.pylock (packaging 26),
// which pip's `pip lock` and `pip install -r pylock.toml` use.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import toml from "toml";
import { withPath } from "../errors.js";
import { PylockLines } from "./pylock-lines.js";
import { checkLock, type Raw } from "./pylock-check.js";
import { PylockError, type PylockFile } from "./pylock-model.js";

export * from "./pylock-model.js";
export type { PylockLines } from "./pylock-lines.js";
export { formatPylock } from "./pylock-write.js";
export { selectFromPylock, type LockTarget, type SelectedPackage, type LockedArtifact } from "./pylock-select.js";
export {
  buildPylock, targetLockScope,
  type BuildOptions, type ResolvedArtifact, type ResolvedDistribution,
} from "./pylock-build.js";

/** Reads and validates a lock file (`path` relative to `cwd`); errors name the file and line. */
export function readPylock(path: string, cwd: string): PylockFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (err) {
    throw withPath(err, "read the lock file", path);
  }
  return parsePylock(text, path, dirname(resolve(cwd, path)));
}

/**
 * Parses and validates a lock file's text as the specification requires
 * (PylockError otherwise). `path` names it in messages; `dir` is where its
 * relative paths start (the file's directory).
 */
export function parsePylock(text: string, path: string, dir: string): PylockFile {
  let data: Raw;
  try {
    data = toml.parse(text) as Raw;
  } catch (err) {
    throw syntaxError(path, err);
  }
  const lines = new PylockLines(text);
  const { lock, warnings } = checkLock(data, path, lines);
  return { path, dir, lock, warnings, lines };
}

/** toml's errors: peggy's SyntaxError (location) for syntax, Error with line/column for the rest. */
function syntaxError(path: string, err: unknown): PylockError {
  const e = err as {
    message?: string; line?: number; column?: number; location?: { start?: { line?: number; column?: number } };
    found?: string | null; expected?: unknown;
  };
  const line = e.line ?? e.location?.start?.line;
  const column = e.column ?? e.location?.start?.column;
  // peggy lists every token it expected; what it found says enough.
  const found = e.found === undefined || e.found === null ? "end of file" : e.found === "\n" ? "end of line" : JSON.stringify(e.found);
  const what = e.expected !== undefined ? `unexpected ${found}` : (e.message ?? String(err)).replace(/\.$/, "");
  return new PylockError(path, line, `not valid TOML${column === undefined ? "" : ` (column ${column})`}: ${what}`,
    "a pylock.toml is a TOML 1.1 file; fix it at that line, or write it again (venvctl lock)");
}
