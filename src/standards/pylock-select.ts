// What to install from a lock for one target, by the specification's
// "Installation" steps (and packaging.pylock.Pylock.select): the lock's
// requires-python and environments must hold; each package whose marker holds
// is taken (its own requires-python must hold too), never two of one name;
// each gets one artifact: its vcs, directory or archive, else its best wheel
// for the target, else its sdist. Nothing here touches the network or disk.
import { isAbsolute, resolve } from "node:path";
import { evaluateMarker, parseMarker } from "./markers.js";
import { parseSpecifierSet, specifierSetContains } from "./pep440.js";
import { distFileName, PylockError, type PylockDistFile, type PylockFile, type PylockPackage } from "./pylock-model.js";

/** The environment being installed into. */
export interface LockTarget {
  /** Its PEP 508 marker variables (the interpreter probe's). */
  markers: Readonly<Record<string, string>>;
  /** Its Python version; by default the markers' python_full_version. */
  pythonVersion?: string;
  /**
   * How well a wheel fits the target, by file name: lower is better,
   * undefined when it cannot be installed there (wheel-tags.ts).
   */
  wheelPriority: (fileName: string) => number | undefined;
  /** The extras to install (`'x' in extras` markers); by default none. */
  extras?: readonly string[];
  /** The dependency groups to install; by default the lock's default-groups. */
  dependencyGroups?: readonly string[];
  /** The target in messages (`CPython 3.12.1 on linux x86_64`); by default made from the markers. */
  description?: string;
}

/** The one file (or source tree) to install a package from. */
export interface LockedArtifact {
  kind: "wheel" | "sdist" | "archive" | "vcs" | "directory";
  /** A wheel's or sdist's file name; an archive's, from its path or URL. */
  fileName?: string;
  /** Where to download it, when there is no `path`. */
  url?: string;
  /** An absolute local path (a relative one in the lock is resolved against the lock file's directory); preferred over `url`. */
  path?: string;
  size?: number;
  /** Algorithm → hex digest, to check the file against; empty for vcs and directory. */
  hashes: Record<string, string>;
  uploadTime?: string;
  /** Where the project is inside the archive, checkout or directory. */
  subdirectory?: string;
  vcs?: { type: string; commitId: string; requestedRevision?: string };
  /** A directory that was installed editable when the lock was made. */
  editable?: boolean;
}

export interface SelectedPackage {
  name: string;
  version?: string;
  /** The index it came from, if the lock says. */
  index?: string;
  /** Where the entry is in the lock file, for messages. */
  line: number | undefined;
  artifact: LockedArtifact;
}

// hashlib.algorithms_guaranteed: what any installer can check.
const CHECKABLE = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_224", "sha3_256", "sha3_384", "sha3_512"]);

const OTHER_TARGET = "the lock was made for another environment; lock again for this one (venvctl lock), or install into an environment it was made for";

/**
 * The packages to install from a lock into `target`, in the lock's order, each
 * with its artifact. Throws PylockError (FILE:LINE) where the specification
 * says an installer must fail.
 */
export function selectFromPylock(file: PylockFile, target: LockTarget): SelectedPackage[] {
  const { lock, lines } = file;
  const fail = (line: number | undefined, message: string, hint: string): never => {
    throw new PylockError(file.path, line, message, hint);
  };
  const description = target.description ?? describe(target.markers);
  // As pip compares Requires-Python: the release, `3.13.0rc1` as 3.13.0 (sys.version_info[:3]).
  const full = target.pythonVersion ?? target.markers.python_full_version ?? "";
  const python = /^\d+(\.\d+)*/.exec(full)?.[0] ?? full;
  // A development build's `3.13.0+` is read as packaging 22+ reads it (_repair_python_full_version).
  const markers = target.markers.python_full_version?.endsWith("+")
    ? { ...target.markers, python_full_version: `${target.markers.python_full_version}local` }
    : target.markers;
  const env = {
    ...markers,
    extras: new Set(target.extras ?? []),
    dependency_groups: new Set(target.dependencyGroups ?? lock.defaultGroups ?? []),
  };

  if (lock.requiresPython !== undefined && !specifierSetContains(parseSpecifierSet(lock.requiresPython)!, python)) {
    fail(lines.topLine("requires-python"), `the lock is for Python ${lock.requiresPython} (requires-python), not ${python} (${description})`, OTHER_TARGET);
  }
  if (lock.environments?.length && !lock.environments.some((m) => evaluateMarker(parseMarker(m), markers))) {
    fail(lines.topLine("environments"), `${description} is none of the lock's environments: ${lock.environments.join("; ")}`, OTHER_TARGET);
  }

  const chosen = new Map<string, number>();
  const selected: SelectedPackage[] = [];
  lock.packages.forEach((p, i) => {
    if (p.marker !== undefined && !evaluateMarker(parseMarker(p.marker, { lockFile: true }), env)) return;
    const line = lines.packageLine(i);
    const label = `${p.name}${p.version ? ` ${p.version}` : ""}`;
    if (p.requiresPython !== undefined && !specifierSetContains(parseSpecifierSet(p.requiresPython)!, python)) {
      fail(lines.packageKeyLine(i, "requires-python"), `${label} needs Python ${p.requiresPython} (requires-python), not ${python} (${description})`, OTHER_TARGET);
    }
    const earlier = chosen.get(p.name);
    if (earlier !== undefined) {
      const other = lock.packages[earlier]!;
      fail(line, `${p.name} is in the lock twice for ${description}: packages[${earlier}]${other.version ? ` (${other.version})` : ""} at line ${lines.packageLine(earlier)} and packages[${i}]${p.version ? ` (${p.version})` : ""}`,
        "both entries' markers hold for this environment; a lock must narrow each name to one entry (PEP 751): fix the markers, or lock again");
    }
    chosen.set(p.name, i);
    const artifact = artifactOf(file, p, i, target, description);
    if (artifact.kind !== "vcs" && artifact.kind !== "directory" && !Object.keys(artifact.hashes).some((a) => CHECKABLE.has(a))) {
      fail(line, `${label}: none of its hashes (${Object.keys(artifact.hashes).join(", ")}) is one venvctl can check`,
        `venvctl checks every file against its hash; the lock needs one of ${[...CHECKABLE].join(", ")} (sha256 is usual)`);
    }
    const out: SelectedPackage = { name: p.name, line, artifact };
    if (p.version !== undefined) out.version = p.version;
    if (p.index !== undefined) out.index = p.index;
    selected.push(out);
  });
  return selected;
}

function artifactOf(file: PylockFile, p: PylockPackage, i: number, target: LockTarget, description: string): LockedArtifact {
  const local = (path: string | undefined) => (path === undefined ? undefined : isAbsolute(path) ? path : resolve(file.dir, path));
  const where = (kind: LockedArtifact["kind"], src: { url?: string; path?: string }): LockedArtifact => {
    const a: LockedArtifact = { kind, hashes: {} };
    if (src.url !== undefined) a.url = src.url;
    const path = local(src.path);
    if (path !== undefined) a.path = path;
    return a;
  };
  const fromFile = (kind: LockedArtifact["kind"], f: PylockDistFile & { subdirectory?: string }): LockedArtifact => {
    const a = where(kind, f);
    a.fileName = distFileName(f);
    a.hashes = { ...f.hashes };
    if (f.size !== undefined) a.size = f.size;
    if (f.uploadTime !== undefined) a.uploadTime = f.uploadTime;
    if (f.subdirectory !== undefined) a.subdirectory = f.subdirectory;
    return a;
  };

  if (p.vcs) {
    const a = where("vcs", p.vcs);
    a.vcs = { type: p.vcs.type, commitId: p.vcs.commitId };
    if (p.vcs.requestedRevision !== undefined) a.vcs.requestedRevision = p.vcs.requestedRevision;
    if (p.vcs.subdirectory !== undefined) a.subdirectory = p.vcs.subdirectory;
    return a;
  }
  if (p.directory) {
    const a = where("directory", p.directory);
    a.editable = p.directory.editable ?? false;
    if (p.directory.subdirectory !== undefined) a.subdirectory = p.directory.subdirectory;
    return a;
  }
  if (p.archive) return fromFile("archive", p.archive);

  // The best wheel: the lowest priority; the first in the file among equals.
  let best: { wheel: PylockDistFile; priority: number } | undefined;
  for (const wheel of p.wheels ?? []) {
    const priority = target.wheelPriority(distFileName(wheel));
    if (priority !== undefined && (!best || priority < best.priority)) best = { wheel, priority };
  }
  if (best) return fromFile("wheel", best.wheel);
  if (p.sdist) return fromFile("sdist", p.sdist);
  // Only wheels, none for this target: name what they are for.
  const offered = (p.wheels ?? []).map((w) => distFileName(w).replace(/\.whl$/, "").split("-").slice(-3).join("-"));
  throw new PylockError(file.path, file.lines.packageKeyLine(i, "wheels"),
    `${p.name}${p.version ? ` ${p.version}` : ""} has no wheel for ${description} and no sdist; its wheels are for ${offered.join(", ")}`,
    OTHER_TARGET);
}

/** `cpython 3.12.1 on linux x86_64`, from the marker variables. */
function describe(m: Readonly<Record<string, string>>): string {
  const python = [m.implementation_name || "python", m.python_full_version].filter(Boolean).join(" ");
  const platform = [m.sys_platform, m.platform_machine].filter(Boolean).join(" ");
  return platform ? `${python} on ${platform}` : python;
}
