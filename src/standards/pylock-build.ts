// Building a lock from a resolution: the distributions a resolver chose for
// one target, each with its files as PEP 610 direct URL data — exactly the
// `download_info` objects of pip's installation report (`pip install
// --dry-run --report`; commands/lock.ts maps the report here).
// Files from an index become `wheels`/`sdist`; what the user named by URL,
// path or VCS becomes `archive`, `directory` or `vcs`, as pip's own `pip
// lock` maps them (pip/_internal/utils/pylock.py).
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { VenvctlError } from "../errors.js";
import type { DirectUrlJson } from "./direct-url.js";
import { canonicalizeName } from "./names.js";
import { distFileName, formatUploadTime, type Pylock, type PylockDistFile, type PylockPackage } from "./pylock-model.js";

/** One file (or tree) of a resolved distribution. */
export interface ResolvedArtifact {
  downloadInfo: DirectUrlJson;
  size?: number;
  /** When the index says (PEP 700 `upload-time`); UTC. */
  uploadTime?: string | Date;
  /** The file's name, when the URL's last component is not it. */
  fileName?: string;
}

/** A distribution the resolver chose for the target. */
export interface ResolvedDistribution {
  name: string;
  version: string;
  /** Named by URL, path or VCS (the report's `is_direct`): locked as archive, directory or vcs. */
  isDirect?: boolean;
  /** Its Requires-Python, recorded as the package's requires-python. */
  requiresPython?: string;
  /** When it is needed: none for a lock made for one target. */
  marker?: string;
  /** The index it was found on (`https://pypi.org/simple`). */
  index?: string;
  /** Its files: several wheels and an sdist, or the one direct reference. */
  artifacts: ResolvedArtifact[];
}

export interface BuildOptions {
  /** The absolute directory the lock is written in: local directories are recorded relative to it. */
  lockDir: string;
  requiresPython?: string;
  environments?: string[];
  /** Default `venvctl`. */
  createdBy?: string;
}

/**
 * The `environments` and `requires-python` of a lock made for one target:
 * its platform and implementation, and its Python's minor version.
 */
export function targetLockScope(markers: Readonly<Record<string, string>>): { environments: string[]; requiresPython: string } {
  const clauses = ["sys_platform", "platform_machine", "implementation_name"]
    .filter((k) => markers[k] !== undefined)
    .map((k) => `${k} == ${markers[k]!.includes("'") ? JSON.stringify(markers[k]) : `'${markers[k]}'`}`);
  const minor = /^\d+\.\d+/.exec(markers.python_full_version ?? markers.python_version ?? "")?.[0];
  return { environments: clauses.length ? [clauses.join(" and ")] : [], requiresPython: minor ? `==${minor}.*` : "" };
}

/** The lock for a resolution: packages sorted by name, files by name, hashes by algorithm. */
export function buildPylock(dists: readonly ResolvedDistribution[], opts: BuildOptions): Pylock {
  const seen = new Set<string>();
  const packages = dists.map((d) => {
    const name = canonicalizeName(d.name);
    if (seen.has(name)) {
      throw new VenvctlError(`cannot lock ${name} twice: the resolution holds two distributions of that name`,
        { hint: "a lock for one environment has one version of each distribution; this is a bug in what produced the resolution" });
    }
    seen.add(name);
    return lockPackage(d, name, opts);
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lock: Pylock = { lockVersion: "1.0", createdBy: opts.createdBy ?? "venvctl", packages };
  if (opts.environments?.length) lock.environments = [...opts.environments];
  if (opts.requiresPython) lock.requiresPython = opts.requiresPython;
  return lock;
}

function lockPackage(d: ResolvedDistribution, name: string, opts: BuildOptions): PylockPackage {
  const label = `${name} ${d.version}`;
  const p: PylockPackage = { name };
  if (d.marker) p.marker = d.marker;
  if (d.requiresPython) p.requiresPython = d.requiresPython;
  if (d.artifacts.length === 0) throw new VenvctlError(`cannot lock ${label}: the resolution gives no file for it`, { hint: BUG });

  if (d.isDirect) {
    if (d.artifacts.length !== 1) throw new VenvctlError(`cannot lock ${label}: a direct reference is one file or tree, not ${d.artifacts.length}`, { hint: BUG });
    const a = d.artifacts[0]!;
    const info = a.downloadInfo;
    if (info.vcs_info) {
      p.version = d.version; // pinned by the commit
      p.vcs = { type: info.vcs_info.vcs, url: info.url, commitId: info.vcs_info.commit_id };
      if (info.vcs_info.requested_revision) p.vcs.requestedRevision = info.vcs_info.requested_revision;
      if (info.subdirectory) p.vcs.subdirectory = info.subdirectory;
    } else if (info.dir_info) {
      // No version: a source tree can change under the lock (the specification says not to record one).
      p.directory = { path: lockPath(info.url, opts.lockDir, label) };
      if (info.dir_info.editable) p.directory.editable = true;
      if (info.subdirectory) p.directory.subdirectory = info.subdirectory;
    } else {
      p.version = d.version; // pinned by the hash
      const { name: _, ...file } = distFile(a, label);
      p.archive = info.subdirectory ? { ...file, subdirectory: info.subdirectory } : file;
    }
    return p;
  }

  p.version = d.version;
  if (d.index) p.index = d.index;
  const wheels: PylockDistFile[] = [];
  for (const a of d.artifacts) {
    if (!a.downloadInfo.archive_info) {
      throw new VenvctlError(`cannot lock ${label}: ${a.downloadInfo.url} is not a file (no archive_info), but ${name} was not named directly`, { hint: BUG });
    }
    const file = distFile(a, label);
    if (file.name!.endsWith(".whl")) {
      wheels.push(file);
    } else if (p.sdist) {
      throw new VenvctlError(`cannot lock ${label}: it has two sdists, ${p.sdist.name} and ${file.name}`, { hint: BUG });
    } else {
      p.sdist = file;
    }
  }
  if (wheels.length) p.wheels = wheels.sort((x, y) => (x.name! < y.name! ? -1 : x.name! > y.name! ? 1 : 0));
  return p;
}

const BUG = "this is a bug in what produced the resolution; please report it with the command you ran";

/** A wheel, sdist or archive entry: name, upload time, URL, size, hashes. */
function distFile(a: ResolvedArtifact, label: string): PylockDistFile {
  const info = a.downloadInfo;
  const file: PylockDistFile = { name: a.fileName ?? distFileName({ url: info.url }), hashes: hashesOf(info, label) };
  if (a.uploadTime !== undefined) file.uploadTime = uploadTime(a.uploadTime, label);
  file.url = info.url;
  if (a.size !== undefined) file.size = a.size;
  return file;
}

/** archive_info's `hashes`, else its older `hash` (`sha256=…`). */
function hashesOf(info: DirectUrlJson, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [algorithm, digest] of Object.entries(info.archive_info?.hashes ?? {})) out[algorithm.toLowerCase()] = digest.toLowerCase();
  const legacy = /^([A-Za-z0-9_]+)=([0-9A-Fa-f]+)$/.exec(info.archive_info?.hash ?? "");
  if (legacy) out[legacy[1]!.toLowerCase()] ??= legacy[2]!.toLowerCase();
  if (Object.keys(out).length === 0) {
    throw new VenvctlError(`cannot lock ${label}: no hash is known for ${info.url}`,
      { hint: "a lock records a hash of every file (PEP 751); use an index that publishes hashes, or a file pip can hash (a local path or an https URL)" });
  }
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function uploadTime(value: string | Date, label: string): string {
  // A time without an offset is UTC (the simple API's upload-time always is).
  const date = value instanceof Date ? value : new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new VenvctlError(`cannot lock ${label}: its upload time ${String(value)} is not a date`, { hint: BUG });
  return formatUploadTime(date);
}

/** A local directory's file: URL as a path relative to the lock's directory, with `/` (the specification allows it, for portability). */
function lockPath(url: string, lockDir: string, label: string): string {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    throw new VenvctlError(`cannot lock ${label}: its directory ${url} is not a local file: URL`, { hint: BUG });
  }
  if (!isAbsolute(lockDir)) throw new Error(`lockDir must be absolute: ${lockDir}`);
  const rel = relative(lockDir, path);
  return rel === "" ? "." : rel.split(sep).join("/");
}
