// What a verified wheel holds, and where each of its files goes (PEP 427's
// install scheme: the root to purelib or platlib, `{name}.data/{key}/` to
// that key's directory). Shared by the verifier, the cache and the installer.
import { digest } from "../util/digest.js";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { VenvctlError } from "../errors.js";
import type { RecordRow } from "../standards/record.js";
export { canonicalizeName } from "../standards/names.js";

/** The directories a wheel installs into (pip's Scheme). */
export interface InstallScheme {
  purelib: string;
  platlib: string;
  scripts: string;
  headers: string;
  data: string;
}

export type SchemeKey = keyof InstallScheme;
export const SCHEME_KEYS: readonly SchemeKey[] = ["purelib", "platlib", "scripts", "headers", "data"];

/** One file of a wheel, as verified. */
export interface WheelFileInfo {
  /** Archive path (also its RECORD path): relative, `/`-separated, no `.` or `..` parts. */
  path: string;
  size: number;
  /** Its RECORD hash (`sha256=…`), checked against the content (computed, for RECORD and its signatures). */
  hash: string;
  /** The archive gives it an executable mode (pip then makes it executable). */
  executable: boolean;
  /** A `.data/scripts` file whose first line is `#!python` (rewritten per env). */
  placeholder: boolean;
}

/** A wheel's metadata and file list: everything an install needs besides the bytes. */
export interface WheelInfo {
  /** Name and Version from METADATA. */
  name: string;
  version: string;
  /** The `.dist-info` directory (`Foo.Bar_baz-1.0.dist-info`). */
  distInfo: string;
  rootIsPurelib: boolean;
  /** The wheel's RECORD rows, as written. */
  record: RecordRow[];
  /** entry_points.txt ("" when absent). */
  entryPoints: string;
  files: WheelFileInfo[];
  /** METADATA facts a resolver needs, read once when the wheel was verified. */
  facts: MetadataFacts;
}

/** What METADATA says about requirements: enough to check a pinned set's closure without opening the wheel. */
export interface MetadataFacts {
  requiresPython: string | undefined;
  requiresDist: string[];
  providesExtra: string[];
}


/** A wheel file read into memory, with its sha256 (the unpack cache's key). */
export interface WheelBytes {
  wheel: string;
  bytes: Buffer;
  sha256: string;
}

/** Reads a wheel file and hashes it (about 2 ms for pip's 2 MB). */
export function readWheelBytes(wheel: string): WheelBytes {
  const bytes = readFileSync(wheel);
  return { wheel, bytes, sha256: digest("sha256", bytes, "hex") };
}

/** A wheel file that cannot be installed: damaged, tampered with, or unsafe. */
export class CorruptWheelError extends VenvctlError {
  constructor(readonly wheel: string, reason: string, cause?: unknown) {
    super(`${basename(wheel)} is not a valid wheel: ${reason}`, {
      hint: `nothing was installed from ${wheel}; it is damaged or was changed after it was built — replace it with a good copy`,
      cause,
    });
  }
}

/** Where an archive path goes: a scheme key and the path below that key's directory. */
export interface Route {
  /** `root` is purelib or platlib, by Root-Is-Purelib. */
  key: SchemeKey | "root";
  rel: string;
}

/**
 * Routes an archive path (pip's root_scheme_file_maker / data_scheme_file_maker):
 * a top-level directory ending in `.data` holds `<key>/<path>`; everything
 * else belongs to the root. Undefined for a `.data` path without a valid key.
 */
export function routeArchivePath(path: string): Route | undefined {
  const slash = path.indexOf("/");
  if (slash < 0 || !path.slice(0, slash).endsWith(".data")) return { key: "root", rel: path };
  const rest = path.slice(slash + 1);
  const slash2 = rest.indexOf("/");
  if (slash2 <= 0 || slash2 === rest.length - 1) return undefined;
  const key = rest.slice(0, slash2);
  if (!(SCHEME_KEYS as readonly string[]).includes(key)) return undefined;
  return { key: key as SchemeKey, rel: rest.slice(slash2 + 1) };
}

/** The destination of a routed file in the scheme. */
export function destinationOf(route: Route, scheme: InstallScheme, rootIsPurelib: boolean): string {
  const base = route.key === "root" ? (rootIsPurelib ? scheme.purelib : scheme.platlib) : scheme[route.key];
  return join(base, route.rel);
}

/** Whether an archive path is one venvctl will write: relative, `/`-separated, no `.`, `..` or empty parts. */
export function isSafeArchivePath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.includes("\0")) return false;
  for (const part of path.split("/")) {
    if (part === "" || part === "." || part === "..") return false;
  }
  return true;
}
