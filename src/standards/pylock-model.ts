// The pylock.toml data model (PEP 751, the packaging specification's
// "pylock.toml Specification"), and what the lock modules share: the error
// they throw, file names, upload times.
import { basename } from "node:path";
import { VenvctlError } from "../errors.js";
import type { PylockLines } from "./pylock-lines.js";

/** A pylock.toml's data, keys as the specification names them (camel-cased). */
export interface Pylock {
  /** "1.0" (a 1.x file venvctl reads as far as it knows it). */
  lockVersion: string;
  /** Marker expressions; the lock fits a target that satisfies one of them. */
  environments?: string[];
  requiresPython?: string;
  extras?: string[];
  dependencyGroups?: string[];
  defaultGroups?: string[];
  createdBy: string;
  packages: PylockPackage[];
  tool?: Record<string, unknown>;
}

export interface PylockPackage {
  /** Normalized (PEP 503). */
  name: string;
  version?: string;
  marker?: string;
  requiresPython?: string;
  /** Informational only: never used to install (the specification says so). */
  dependencies?: Record<string, unknown>[];
  vcs?: PylockVcs;
  directory?: PylockDirectory;
  archive?: PylockArchive;
  index?: string;
  sdist?: PylockDistFile;
  wheels?: PylockDistFile[];
  attestationIdentities?: Record<string, unknown>[];
  tool?: Record<string, unknown>;
}

/** A file: an sdist, a wheel, or (with `subdirectory`) an archive. */
export interface PylockDistFile {
  /** The file name; when absent, the last component of `path` or `url`. */
  name?: string;
  /** UTC, RFC 3339 with `Z` (`2024-02-25T23:20:01Z`); milliseconds at most (JavaScript dates). */
  uploadTime?: string;
  url?: string;
  /** A relative path is relative to the lock file's directory. */
  path?: string;
  size?: number;
  /** Algorithm (lower case) → hex digest; at least one. */
  hashes: Record<string, string>;
}

export interface PylockArchive extends Omit<PylockDistFile, "name"> {
  subdirectory?: string;
}

export interface PylockVcs {
  /** git, hg, svn, bzr (PEP 610's registered VCS). */
  type: string;
  url?: string;
  path?: string;
  requestedRevision?: string;
  commitId: string;
  subdirectory?: string;
}

export interface PylockDirectory {
  path: string;
  editable?: boolean;
  subdirectory?: string;
}

/** A lock file read from disk (or text), with what messages need. */
export interface PylockFile {
  /** The path as the user gave it, for messages. */
  path: string;
  /** The absolute directory relative paths in the lock are resolved against. */
  dir: string;
  lock: Pylock;
  /** What the specification asks a tool to warn about (a newer minor version's unknown keys). */
  warnings: string[];
  /** Where its keys and entries are, for messages. */
  lines: PylockLines;
}

/** A lock file that cannot be used: the message is `FILE:LINE: what`. */
export class PylockError extends VenvctlError {
  readonly path: string;
  readonly line: number | undefined;
  constructor(path: string, line: number | undefined, message: string, hint: string) {
    super(`${path}${line === undefined ? "" : `:${line}`}: ${message}`, { hint });
    this.path = path;
    this.line = line;
  }
}

/**
 * Whether a file name is a lock file's: `pylock.toml` or `pylock.NAME.toml`
 * (the specification's "File Name"; packaging.pylock.is_valid_pylock_path).
 */
export function isPylockFileName(path: string): boolean {
  const name = basename(path);
  return name === "pylock.toml" || /^pylock\.[^.]+\.toml$/.test(name);
}

/** The file name of a wheel or sdist entry: `name`, else the last component of its path or URL. */
export function distFileName(file: { name?: string | undefined; path?: string | undefined; url?: string | undefined }): string {
  if (file.name) return file.name;
  if (file.path) return file.path.split(/[/\\]/).pop()!;
  let last = (file.url ?? "").replace(/[?#].*$/, "").split("/").pop() ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    // not percent-encoded after all: the name as written
  }
  return last;
}

/** An upload time as written: UTC, `Z`, fractional seconds only when there are some. */
export function formatUploadTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}
