// Python versions: parsing, ordering and range matching. Ranges are PEP 440
// specifier sets, matched by the project's one PEP 440 module.
import { parseSpecifier, specifierSetContains, type Specifier } from "../standards/pep440.js";

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

/**
 * A range of interpreter versions: a PEP 440 specifier set (`>=3.10,<3.13`,
 * `~=3.11`, `==3.12.*`, `!=3.12.1`), matched as pip's `packaging` matches it,
 * plus two spellings users bring from other tools: `3.x` / `3.12.x` (the same
 * as `==3.*` / `==3.12.*`) and `^3.10` (`>=3.10,==3.*`). Clauses are separated
 * by commas or blanks. shims/shim.sh evaluates the same grammar in sh
 * (`_vc_range`); a test holds the two to the same answers.
 */
export interface VersionRange {
  /** What the user wrote. */
  text: string;
  /** The PEP 440 specifiers it means (empty: any final release). */
  specifiers: Specifier[];
}

const RANGE_OPERATORS = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/** One clause of a range as PEP 440 specifiers; undefined when it is not one. */
function clauseSpecifiers(clause: string): Specifier[] | undefined {
  if (/^[xX*]$/.test(clause)) return [];
  const wild = /^(\d+(?:\.\d+){0,2})\.[xX*]$/.exec(clause);
  if (wild) return [{ op: "==", version: `${wild[1]}.*` }];
  if (clause.startsWith("^")) {
    const p = parseVersionPrefix(clause.slice(1));
    if (!p || p.pre) return undefined;
    return [{ op: ">=", version: clause.slice(1) }, { op: "==", version: `${p.major}.*` }];
  }
  if (!RANGE_OPERATORS.some((op) => clause.startsWith(op))) return undefined;
  const spec = parseSpecifier(clause);
  return spec ? [spec] : undefined;
}

/** Parses a range; undefined when the text is not one. */
export function parseVersionRange(text: string): VersionRange | undefined {
  const trimmed = text.trim();
  // Join an operator to its version (">= 3.10" → ">=3.10"), then split.
  const clauses = trimmed.replace(/(===|~=|==|!=|<=|>=|<|>|\^)\s+/g, "$1").split(/[\s,]+/).filter(Boolean);
  if (clauses.length === 0) return undefined;
  const specifiers: Specifier[] = [];
  for (const c of clauses) {
    const s = clauseSpecifiers(c);
    if (!s) return undefined;
    specifiers.push(...s);
  }
  return { text: trimmed, specifiers };
}

/**
 * Whether `v` lies in the range, by PEP 440: a pre-release only where a
 * clause names one (`>=3.14.0rc1`), `<=3.11` meaning up to 3.11.0.
 */
export function satisfiesRange(v: PythonVersion, range: VersionRange): boolean {
  return specifierSetContains(range.specifiers, formatVersion(v));
}
