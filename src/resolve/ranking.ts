// A project's files as pip's finder ranks them
// (pip/_internal/index/package_finder.py): the ones the target can use (an
// allowed format, a wheel whose tags it takes, a Requires-Python it meets),
// best first by CandidateEvaluator._sort_key, worked out once per project;
// then, per set of requirements, each admitted version's best file
// (find_best_candidate), yanked files only for an exact pin nothing else meets.
import type { IndexFile } from "../index/files.js";
import { comparePep440, filterVersions, normalizeVersion, parsePep440, parseSpecifierSet, specifierContains, type Pep440Version, type Specifier } from "../standards/pep440.js";
import type { TagPriorities } from "../standards/wheel-tags.js";

/** A file the target can use, with what pip sorts files by. */
export interface RankedFile {
  file: IndexFile;
  version: string;
  parsed: Pep440Version;
  rank: number;
  notYanked: number;
  binary: number;
  build: number;
}

export interface RankedFiles {
  files: readonly RankedFile[];
  /** The versions the files have, newest first. */
  versions: readonly string[];
}

export interface RankingTarget {
  formats: { wheel: boolean; sdist: boolean };
  tags: TagPriorities;
  /** The interpreter's version, for Requires-Python. */
  python: string;
  /** --prefer-binary: a wheel before a newer sdist. */
  preferBinary: boolean;
}

/** The usable files, best first (not yanked, binary with --prefer-binary, version, tag rank, build tag), and their versions. */
export function rankFiles(files: readonly IndexFile[], t: RankingTarget): RankedFiles {
  const usable: RankedFile[] = [];
  for (const file of files) {
    if (file.kind === "wheel" ? !t.formats.wheel : !t.formats.sdist) continue;
    const version = normalizeVersion(file.version);
    if (version === undefined) continue;
    let rank: number;
    if (file.kind === "wheel") {
      const r = t.tags.ofWheel(file.filename);
      if (r === undefined) continue;
      rank = -r;
    } else rank = -t.tags.tags.length;
    if (file.requiresPython !== undefined) {
      const rp = parseSpecifierSet(file.requiresPython);
      if (rp && !rp.every((s) => specifierContains(s, t.python, true))) continue;
    }
    usable.push({ file, version, parsed: parsePep440(version)!, rank, notYanked: file.yanked === undefined ? 1 : 0, binary: t.preferBinary && file.kind === "wheel" ? 1 : 0, build: buildTag(file.filename) });
  }
  usable.sort((a, b) => b.notYanked - a.notYanked || b.binary - a.binary || comparePep440(b.parsed, a.parsed) || b.rank - a.rank || b.build - a.build);
  const versions = [...new Set(usable.map((u) => u.version))].sort((a, b) => comparePep440(parsePep440(b)!, parsePep440(a)!));
  return { files: usable, versions };
}

/** Each version `specs` admit (pre-releases as packaging's filter lets them), newest first, with its best file. */
export function bestOfRanked(ranked: RankedFiles, specs: readonly Specifier[], pre: boolean): Array<[string, IndexFile]> {
  const admitted = new Set(filterVersions(specs, ranked.versions, pre));
  const applicable = ranked.files.filter((u) => admitted.has(u.version));
  const keepYanked = applicable.every((u) => u.file.yanked !== undefined) && isPinned(specs);
  const out: Array<[string, IndexFile]> = [];
  const seen = new Set<string>();
  for (const u of applicable) {
    if (u.file.yanked !== undefined && !keepYanked) continue;
    if (seen.has(u.version)) continue;
    seen.add(u.version);
    out.push([u.version, u.file]);
  }
  return out;
}

/** pip's is_pinned: an `===`, or an `==` without a wildcard. */
function isPinned(specs: readonly Specifier[]): boolean {
  return specs.some((s) => s.op === "===" || (s.op === "==" && !s.version.endsWith(".*")));
}

/** A wheel's build tag as pip sorts it (its leading number; 0 for none or an sdist). */
function buildTag(filename: string): number {
  const m = /^[^-]+-[^-]+-(\d+)[^-]*-[^-]+-[^-]+-[^-]+\.whl$/.exec(filename);
  return m ? Number(m[1]) : 0;
}
