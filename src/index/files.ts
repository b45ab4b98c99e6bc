// The files a package index lists for a project (PEP 503/691/592/658/700),
// and how a file's name tells its kind and version as pip's LinkEvaluator
// reads it: a wheel by its PEP 427 name, an sdist (.tar.gz, .zip) by the
// longest `NAME-` prefix that canonicalizes to the project's name. Anything
// else (.exe, .egg, .tar.bz2, names of another project) is dropped.
import { canonicalizeName } from "../standards/names.js";
import { parsePep440 } from "../standards/pep440.js";
import { parseWheelFileName } from "../standards/wheel-tags.js";

/** One distribution file of a project, from an index page or a find-links place. */
export interface IndexFile {
  /** The percent-decoded last path segment. */
  filename: string;
  /** Absolute, fragment removed, no credentials. */
  url: string;
  /** The canonical name of the project page it came from. */
  project: string;
  kind: "wheel" | "sdist";
  /** From the file name (wheel: its version field, `_` read as `-`; sdist: after NAME-). */
  version: string;
  /** Lower-case hex digests by algorithm, from `#sha256=…` or JSON `hashes`. */
  hashes: Record<string, string>;
  /** data-requires-python / requires-python, html-unescaped. */
  requiresPython?: string;
  /** PEP 592: the reason, or true when yanked without one. */
  yanked?: string | true;
  /** PEP 658/714: hashes of the `.metadata` file, or true when it is there without a hash. */
  coreMetadata?: Record<string, string> | true;
  /** PEP 700. */
  size?: number;
  uploadTime?: string;
  /** The page or directory URL it was listed on (for messages). */
  source: string;
}

/** What a listing says about one link, before its name is judged. */
export type FileLink = Omit<IndexFile, "filename" | "project" | "kind" | "version">;

const SDIST = /\.(tar\.gz|zip)$/i;

/**
 * pip's _find_name_version_sep: the first `-` whose prefix canonicalizes to
 * the project's name splits NAME-VERSION; undefined when none does.
 */
export function sdistVersion(stem: string, project: string): string | undefined {
  for (let i = stem.indexOf("-"); i >= 0; i = stem.indexOf("-", i + 1)) {
    if (canonicalizeName(stem.slice(0, i)) === project) return stem.slice(i + 1);
  }
  return undefined;
}

/**
 * The file a link names, for `project` (canonical): its kind and version
 * from its file name, or undefined when it is not a wheel or sdist of that
 * project with a PEP 440 version (pip skips those too).
 */
export function indexFileOf(filename: string, project: string, link: FileLink): IndexFile | undefined {
  let kind: IndexFile["kind"];
  let version: string | undefined;
  if (filename.toLowerCase().endsWith(".whl")) {
    const w = parseWheelFileName(filename);
    if (!w || canonicalizeName(w.name) !== project) return undefined;
    kind = "wheel";
    version = w.version.replace(/_/g, "-");
  } else if (SDIST.test(filename)) {
    kind = "sdist";
    version = sdistVersion(filename.replace(SDIST, ""), project);
  } else {
    return undefined;
  }
  if (!version || !parsePep440(version)) return undefined;
  return { filename, project, kind, version, ...link };
}

/** `sha256=abc…` (a URL fragment, a data-core-metadata value) as {sha256: "abc…"}, or undefined. */
export function parseHashPair(text: string): Record<string, string> | undefined {
  const m = /^([A-Za-z0-9_]+)=([0-9A-Fa-f]+)$/.exec(text.trim());
  return m ? { [m[1]!.toLowerCase()]: m[2]!.toLowerCase() } : undefined;
}
