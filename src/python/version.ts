// Python versions: parsing, ordering and range matching. The only module that
// knows semver; everything else speaks PythonVersion.
import { requireVendor } from "../util/vendor.js";

type Semver = typeof import("semver");
let semverModule: Semver | undefined;
/**
 * semver, loaded on first use: only ranges need it, and loading it costs
 * several milliseconds of start-up that `create -p 3.12` should not pay.
 */
function semver(): Semver {
  return (semverModule ??= requireVendor<Semver>("semver"));
}

export type PreKind = "a" | "b" | "rc";

/** A CPython-style release version: 3.12.1, 3.14.0rc1, 3.13.0a4. */
export interface PythonVersion {
  major: number;
  minor: number;
  patch: number;
  pre?: { kind: PreKind; n: number } | undefined;
}

/** A version with missing trailing parts: `3`, `3.12`, `3.12.1`, `3.14.0rc1`. */
export interface VersionPrefix {
  major: number;
  minor?: number | undefined;
  patch?: number | undefined;
  pre?: { kind: PreKind; n: number } | undefined;
}

const PREFIX_RE = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(a|b|rc|alpha|beta|c)(\d+))?$/i;

function normalizePreKind(k: string): PreKind {
  const l = k.toLowerCase();
  if (l === "a" || l === "alpha") return "a";
  if (l === "b" || l === "beta") return "b";
  return "rc";
}

/** Parses `3`, `3.12`, `3.12.1`, `3.14.0rc1`; undefined when it is not one. */
export function parseVersionPrefix(text: string): VersionPrefix | undefined {
  const m = PREFIX_RE.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = m[2] === undefined ? undefined : Number(m[2]);
  const patch = m[3] === undefined ? undefined : Number(m[3]);
  // A pre-release only makes sense on a full version (3.14.0rc1), or on
  // major.minor (3.14rc1 as uv accepts it, meaning 3.14.0rc1).
  if (m[4] !== undefined && minor === undefined) return undefined;
  const pre = m[4] === undefined ? undefined : { kind: normalizePreKind(m[4]), n: Number(m[5]) };
  return { major, minor, patch: pre && patch === undefined ? 0 : patch, pre };
}

/** Parses a full version (3.12.1, 3.14.0rc1; `3.12` is read as 3.12.0). */
export function parseVersion(text: string): PythonVersion | undefined {
  // Strip a trailing "+" (development builds print 3.13.0+) and local labels.
  const cleaned = text.trim().replace(/\+.*$/, "");
  const p = parseVersionPrefix(cleaned);
  if (!p || p.minor === undefined) return undefined;
  return { major: p.major, minor: p.minor, patch: p.patch ?? 0, pre: p.pre };
}

/** Builds a version from `sys.version_info` (major, minor, micro, releaselevel, serial). */
export function versionFromInfo(info: readonly [number, number, number, string, number]): PythonVersion {
  const [major, minor, patch, level, serial] = info;
  const kind: PreKind | undefined = level === "alpha" ? "a" : level === "beta" ? "b" : level === "candidate" ? "rc" : undefined;
  return { major, minor, patch, pre: kind ? { kind, n: serial } : undefined };
}

/** Formats as Python does: 3.12.1, 3.14.0rc1. */
export function formatVersion(v: PythonVersion | VersionPrefix): string {
  let s = String(v.major);
  if (v.minor !== undefined) s += `.${v.minor}`;
  if (v.patch !== undefined) s += `.${v.patch}`;
  if (v.pre) s += `${v.pre.kind}${v.pre.n}`;
  return s;
}

const PRE_ORDER: Record<PreKind, number> = { a: 0, b: 1, rc: 2 };

/** Orders versions: 3.14.0a1 < 3.14.0rc1 < 3.14.0 < 3.14.1. */
export function compareVersions(a: PythonVersion, b: PythonVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (!a.pre && !b.pre) return 0;
  if (!a.pre) return 1;
  if (!b.pre) return -1;
  if (a.pre.kind !== b.pre.kind) return PRE_ORDER[a.pre.kind] - PRE_ORDER[b.pre.kind];
  return a.pre.n - b.pre.n;
}

/**
 * Whether `v` matches a prefix: `3.12` matches every 3.12.y; `3` every 3.x.y.
 * A prefix without a pre-release matches final releases only, unless
 * `allowPre` (pyenv and uv pick a pre-release for `3.14` only when asked).
 */
export function matchesPrefix(v: PythonVersion, p: VersionPrefix, allowPre = false): boolean {
  if (v.major !== p.major) return false;
  if (p.minor !== undefined && v.minor !== p.minor) return false;
  if (p.patch !== undefined && v.patch !== p.patch) return false;
  if (p.pre) return v.pre !== undefined && v.pre.kind === p.pre.kind && v.pre.n === p.pre.n;
  return allowPre || v.pre === undefined;
}

function toSemver(v: PythonVersion): string {
  const base = `${v.major}.${v.minor}.${v.patch}`;
  if (!v.pre) return base;
  // semver orders pre-release identifiers as strings: a < b < rc, as Python does.
  return `${base}-${v.pre.kind}.${v.pre.n}`;
}

/** A parsed version range: `3.x`, `^3.10`, `>=3.10 <3.13`, `>=3.10,<3.13`, `~=3.10`. */
export interface VersionRange {
  /** What the user wrote. */
  text: string;
  /** The equivalent semver range. */
  semverRange: string;
}

/** Rewrites one PEP 440-style comparator into semver syntax. */
function comparatorToSemver(c: string): string | undefined {
  const m = /^(~=|===|==|!=|<=|>=|<|>|=|\^|~)?\s*(.+)$/.exec(c);
  if (!m) return undefined;
  const op = m[1] ?? "";
  let ver = m[2]!.trim();
  // `3.12.*` (PEP 440 wildcard) is semver's `3.12.x`.
  ver = ver.replace(/\.\*$/, ".x");
  const wild = /(^|\.)[x*X]($|\.)/.test(ver);
  if (!wild) {
    const p = parseVersionPrefix(ver);
    if (!p) return undefined;
    ver = p.pre
      ? `${p.major}.${p.minor ?? 0}.${p.patch ?? 0}-${p.pre.kind}.${p.pre.n}`
      : formatVersion({ major: p.major, minor: p.minor, patch: p.patch });
  } else if (!/^\d+(\.(\d+|[x*X]))*(\.[x*X])?$/.test(ver)) {
    return undefined;
  }
  switch (op) {
    case "~=": {
      // Compatible release: ~=3.10 is >=3.10,==3.*; ~=3.10.2 is >=3.10.2,==3.10.*.
      const parts = ver.split(".");
      if (parts.length < 2 || wild) return undefined;
      const upper = parts.slice(0, -1);
      upper[upper.length - 1] = String(Number(upper[upper.length - 1]) + 1);
      while (upper.length < 3) upper.push("0");
      // `-0` keeps the next series' pre-releases out (4.0.0a1 is not ~=3.10).
      return `>=${ver} <${upper.join(".")}-0`;
    }
    case "!=": {
      const p = parseVersionPrefix(ver);
      if (!p || wild) return undefined;
      return `<${ver} || >${ver}`;
    }
    case "==":
    case "===":
    case "=":
      return ver;
    default:
      return `${op}${ver}`;
  }
}

/**
 * Parses a range; undefined when the text is not one. Comparators may be
 * separated by spaces (semver) or commas (PEP 440); `||` alternates.
 */
export function parseVersionRange(text: string): VersionRange | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const alternatives = trimmed.split("||").map((a) => a.trim());
  const out: string[] = [];
  for (const alt of alternatives) {
    if (alt === "") return undefined;
    // Hyphen ranges (3.10 - 3.12) are semver's own.
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(alt);
    if (hyphen) {
      if (!parseVersionPrefix(hyphen[1]!) || !parseVersionPrefix(hyphen[2]!)) return undefined;
      out.push(alt);
      continue;
    }
    // Join an operator to its version (">= 3.10" → ">=3.10"), then split.
    const comparators = alt
      .replace(/(~=|===|==|!=|<=|>=|<|>|=|\^|~)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter(Boolean);
    const converted: string[] = [];
    for (const c of comparators) {
      const s = comparatorToSemver(c);
      if (s === undefined) return undefined;
      converted.push(s);
    }
    // `!=` expands to an alternation; distribute it over the other comparators.
    const disj = converted.map((c) => c.split("||").map((x) => x.trim()));
    let combos: string[] = [""];
    for (const options of disj) combos = combos.flatMap((prefix) => options.map((o) => `${prefix} ${o}`.trim()));
    out.push(...combos);
  }
  const semverRange = out.join(" || ");
  if (semver().validRange(semverRange) === null) return undefined;
  return { text: trimmed, semverRange };
}

/**
 * Whether `v` lies in the range. Pre-releases match only comparators that
 * name a pre-release of the same release (semver's rule, and pip's spirit).
 */
export function satisfiesRange(v: PythonVersion, range: VersionRange): boolean {
  return semver().satisfies(toSemver(v), range.semverRange);
}
