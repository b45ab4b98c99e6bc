// PEP 440 versions and specifiers of Python packages, as pip's vendored
// `packaging` parses, prints, orders and matches them. (Interpreter versions
// are src/interpreters/version.ts; this module is for distributions.) Numbers are
// kept as digit strings so that no version is too long to print back exactly.

/** A parsed PEP 440 version; numbers are digit strings without leading zeros. */
export interface Pep440Version {
  epoch: string;
  release: string[];
  pre?: { kind: "a" | "b" | "rc"; n: string } | undefined;
  post?: string | undefined;
  dev?: string | undefined;
  /** Local segments, lower-cased; numeric ones without leading zeros. */
  local?: string[] | undefined;
}

// packaging.version.VERSION_PATTERN, anchored as Version() anchors it.
const VERSION_RE = new RegExp(
  "^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)" +
    "(?<pre>[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?" +
    "(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?" +
    "(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?)" +
    "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
  "i",
);

/** Digits without leading zeros ("007" → "7", "000" → "0"). */
function num(digits: string): string {
  const s = digits.replace(/^0+/, "");
  return s === "" ? "0" : s;
}

/** Compares digit strings numerically. */
function cmpNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Parsed versions by text. A resolution compares the same few hundred
// version strings many thousand times (ordering candidates, matching each
// specifier); the regular expression is the cost, so each text is parsed
// once. Results are frozen: they are shared, and nothing may change one.
const parsedVersions = new Map<string, Pep440Version | undefined>();
const PARSED_MAX = 50_000;

/** Parses a version as `packaging.version.Version`; undefined when it is not PEP 440. */
export function parsePep440(text: string): Pep440Version | undefined {
  let v = parsedVersions.get(text);
  if (v === undefined && !parsedVersions.has(text)) {
    if (parsedVersions.size >= PARSED_MAX) parsedVersions.clear();
    v = parseUncached(text);
    parsedVersions.set(text, v);
  }
  return v;
}

function parseUncached(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const g = m.groups!;
  const v: Pep440Version = {
    epoch: num(g.epoch ?? "0"),
    release: g.release!.split(".").map(num),
  };
  if (g.pre_l !== undefined) {
    const l = g.pre_l.toLowerCase();
    const kind = l === "alpha" || l === "a" ? "a" : l === "beta" || l === "b" ? "b" : "rc";
    v.pre = { kind, n: num(g.pre_n ?? "0") };
  }
  if (g.post !== undefined) v.post = num(g.post_n1 ?? g.post_n2 ?? "0");
  if (g.dev !== undefined) v.dev = num(g.dev_n ?? "0");
  if (g.local !== undefined) {
    v.local = Object.freeze(g.local.toLowerCase().split(/[-_.]/).map((s) => (/^[0-9]+$/.test(s) ? num(s) : s))) as string[];
  }
  Object.freeze(v.release);
  if (v.pre) Object.freeze(v.pre);
  return Object.freeze(v);
}

/** `str(Version(text))`: the normalized form. */
export function formatPep440(v: Pep440Version): string {
  let s = v.epoch !== "0" ? `${v.epoch}!` : "";
  s += v.release.join(".");
  if (v.pre) s += `${v.pre.kind}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join(".")}`;
  return s;
}

/** The normalized form of a version string, or undefined when it is not PEP 440. */
export function normalizeVersion(text: string): string | undefined {
  const v = parsePep440(text);
  return v ? formatPep440(v) : undefined;
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

export function isPostrelease(v: Pep440Version): boolean {
  return v.post !== undefined;
}

/** The version without its local part. */
export function publicVersion(v: Pep440Version): Pep440Version {
  return { ...v, local: undefined };
}

/** epoch + release only (`base_version`). */
export function baseVersion(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release };
}

/** The length of a release without its trailing zeros (1.0 == 1.0.0). */
function significant(r: readonly string[]): number {
  let n = r.length;
  while (n > 0 && r[n - 1] === "0") n--;
  return n;
}

function cmpRelease(a: readonly string[], b: readonly string[]): number {
  // Trailing zeros do not count: 1.0 == 1.0.0. (No copies: resolving compares releases many thousand times.)
  const xn = significant(a);
  const yn = significant(b);
  for (let i = 0; i < Math.min(xn, yn); i++) {
    const c = cmpNum(a[i]!, b[i]!);
    if (c) return c;
  }
  return xn === yn ? 0 : xn < yn ? -1 : 1;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

/** Orders versions as packaging's _cmpkey does. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let c = cmpNum(a.epoch, b.epoch);
  if (c) return c;
  c = cmpRelease(a.release, b.release);
  if (c) return c;
  // Pre-release: a dev release without pre/post sorts before any pre-release;
  // no pre-release sorts after all of them.
  const preRank = (v: Pep440Version): [number, number, string] =>
    v.pre === undefined && v.post === undefined && v.dev !== undefined ? [-1, 0, "0"]
      : v.pre === undefined ? [1, 0, "0"]
      : [0, PRE_ORDER[v.pre.kind], v.pre.n];
  const pa = preRank(a);
  const pb = preRank(b);
  c = pa[0] - pb[0] || pa[1] - pb[1] || cmpNum(pa[2], pb[2]);
  if (c) return c;
  // Post-release: none sorts first.
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    c = cmpNum(a.post, b.post);
    if (c) return c;
  }
  // Dev release: none sorts last.
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    c = cmpNum(a.dev, b.dev);
    if (c) return c;
  }
  // Local: none sorts first; numeric segments above alphanumeric ones.
  if (!a.local || !b.local) return a.local ? 1 : b.local ? -1 : 0;
  for (let i = 0; i < Math.min(a.local.length, b.local.length); i++) {
    const x = a.local[i]!;
    const y = b.local[i]!;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) c = cmpNum(x, y);
    else if (xn !== yn) c = xn ? 1 : -1;
    else c = x < y ? -1 : x > y ? 1 : 0;
    if (c) return c;
  }
  return a.local.length === b.local.length ? 0 : a.local.length < b.local.length ? -1 : 1;
}

// ---- specifiers ---------------------------------------------------------

const PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
const POST = "(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?";
const DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
const LOCAL = "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";
// packaging.specifiers.Specifier._regex_str, one alternative per operator.
const SPECIFIER_RE = new RegExp(
  "^\\s*(?:" +
    "(?<arbitrary>===)\\s*(?<av>[^\\s;)]*)" +
    "|(?<eq>==|!=)\\s*(?<ev>v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|" + PRE + POST + DEV + LOCAL + "))" +
    "|(?<compat>~=)\\s*(?<cv>v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+" + PRE + POST + DEV + ")" +
    "|(?<ord><=|>=|<|>)\\s*(?<ov>v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*" + PRE + POST + DEV + ")" +
    ")\\s*$",
  "i",
);

export type SpecifierOp = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

/** One `op version` clause, as packaging.specifiers.Specifier holds it. */
export interface Specifier {
  op: SpecifierOp;
  version: string;
  /** A LegacySpecifier (packaging before 22, pip before 24.1): its version is not PEP 440, and only pip decides what it matches. */
  legacy?: true;
}

/** Parses one specifier clause; undefined when packaging would raise InvalidSpecifier. */
export function parseSpecifier(text: string): Specifier | undefined {
  const m = SPECIFIER_RE.exec(text);
  if (!m) return undefined;
  const g = m.groups!;
  if (g.arbitrary) return { op: "===", version: g.av! };
  if (g.eq) return { op: g.eq as SpecifierOp, version: g.ev! };
  if (g.compat) return { op: "~=", version: g.cv! };
  return { op: g.ord as SpecifierOp, version: g.ov! };
}

/**
 * Parses a comma-separated set of clauses (`>=3.8, <4`) as
 * packaging.specifiers.SpecifierSet does: empty clauses are skipped, so ""
 * is the set that holds every version. Undefined when a clause is invalid.
 */
export function parseSpecifierSet(text: string): Specifier[] | undefined {
  const out: Specifier[] = [];
  for (const clause of text.split(",")) {
    if (!clause.trim()) continue;
    const spec = parseSpecifier(clause);
    if (!spec) return undefined;
    out.push(spec);
  }
  return out;
}

/** Specifier.prereleases when not set explicitly (packaging 22+). */
function specAllowsPrereleases(spec: Specifier): boolean {
  if (!["==", ">=", "<=", "~=", "==="].includes(spec.op)) return false;
  const text = spec.op === "==" && spec.version.endsWith(".*") ? spec.version.slice(0, -2) : spec.version;
  const v = parsePep440(text);
  return v !== undefined && isPrerelease(v);
}

// packaging.specifiers._version_split / _pad_version.
function versionSplit(version: string): string[] {
  const bang = version.lastIndexOf("!");
  const epoch = bang >= 0 ? version.slice(0, bang) : "";
  const rest = bang >= 0 ? version.slice(bang + 1) : version;
  const out = [epoch || "0"];
  for (const item of rest.split(".")) {
    const m = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/.exec(item);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(item);
  }
  return out;
}

function padVersion(left: string[], right: string[]): [string[], string[]] {
  const digits = (xs: string[]) => {
    let n = 0;
    while (n < xs.length && /^[0-9]+$/.test(xs[n]!)) n++;
    return n;
  };
  const ln = digits(left);
  const rn = digits(right);
  const l = [...left.slice(0, ln), ...Array<string>(Math.max(0, rn - ln)).fill("0"), ...left.slice(ln)];
  const r = [...right.slice(0, rn), ...Array<string>(Math.max(0, ln - rn)).fill("0"), ...right.slice(rn)];
  return [l, r];
}

function equalMatch(prospective: Pep440Version, specVersion: string): boolean {
  if (specVersion.endsWith(".*")) {
    const specNorm = normalizeVersion(specVersion.slice(0, -2)) ?? specVersion.slice(0, -2);
    const splitSpec = versionSplit(specNorm);
    const splitProspective = versionSplit(formatPep440(publicVersion(prospective)));
    const [padded] = padVersion(splitProspective, splitSpec);
    const shortened = padded.slice(0, splitSpec.length);
    return shortened.length === splitSpec.length && shortened.every((x, i) => x === splitSpec[i]);
  }
  const spec = parsePep440(specVersion);
  if (!spec) return false;
  const p = spec.local ? prospective : publicVersion(prospective);
  return comparePep440(p, spec) === 0;
}

function operatorMatch(op: SpecifierOp, prospective: Pep440Version, specVersion: string): boolean {
  switch (op) {
    case "===":
      return formatPep440(prospective).toLowerCase() === specVersion.toLowerCase();
    case "==":
      return equalMatch(prospective, specVersion);
    case "!=":
      return !equalMatch(prospective, specVersion);
    case "~=": {
      const parts = versionSplit(specVersion).filter((_, i) => i > 0);
      const kept: string[] = [];
      for (const p of parts) {
        if (["dev", "a", "b", "rc", "post"].some((s) => p.startsWith(s))) break;
        kept.push(p);
      }
      const epoch = versionSplit(specVersion)[0]!;
      const prefix = `${epoch}!${kept.slice(0, -1).join(".")}.*`;
      return operatorMatch(">=", prospective, specVersion) && equalMatch(prospective, prefix);
    }
  }
  const spec = parsePep440(specVersion);
  if (!spec) return false;
  const pub = publicVersion(prospective);
  switch (op) {
    case "<=":
      return comparePep440(pub, spec) <= 0;
    case ">=":
      return comparePep440(pub, spec) >= 0;
    case "<": {
      if (!(comparePep440(prospective, spec) < 0)) return false;
      if (!isPrerelease(spec) && isPrerelease(prospective) &&
          comparePep440(baseVersion(prospective), baseVersion(spec)) === 0) return false;
      return true;
    }
    case ">": {
      if (!(comparePep440(prospective, spec) > 0)) return false;
      if (!isPostrelease(spec) && isPostrelease(prospective) &&
          comparePep440(baseVersion(prospective), baseVersion(spec)) === 0) return false;
      if (prospective.local && comparePep440(baseVersion(prospective), baseVersion(spec)) === 0) return false;
      return true;
    }
  }
  return false;
}

/**
 * Specifier.contains(version). `prereleases`: true as markers evaluate
 * (packaging 22+), or undefined for the specifier's own default.
 * A version that is not PEP 440 never matches.
 */
export function specifierContains(spec: Specifier, version: string, prereleases?: boolean): boolean {
  const v = parsePep440(version);
  if (!v) return false;
  const allow = prereleases ?? specAllowsPrereleases(spec);
  if (isPrerelease(v) && !allow) return false;
  return operatorMatch(spec.op, v, spec.version);
}

/**
 * SpecifierSet.contains(version) with its default for pre-releases: one is
 * allowed only where a specifier names one; an empty set holds every final
 * release. A version that is not PEP 440 never matches.
 */
export function specifierSetContains(specs: readonly Specifier[], version: string): boolean {
  const v = parsePep440(version);
  if (!v) return false;
  if (isPrerelease(v) && !specs.some(specAllowsPrereleases)) return false;
  return specs.every((s) => operatorMatch(s.op, v, s.version));
}

/**
 * SpecifierSet(specs).filter(versions, prereleases=pre or None), as pip's
 * CandidateEvaluator calls it: with specifiers, a pre-release passes only
 * when `pre` is set or a specifier names one; with none, pre-releases pass
 * only when no final release does. Versions that are not PEP 440 are dropped.
 */
export function filterVersions(specs: readonly Specifier[], versions: readonly string[], pre: boolean): string[] {
  const parsed = versions.map((text) => ({ text, v: parsePep440(text) })).filter((x): x is { text: string; v: Pep440Version } => x.v !== undefined);
  if (specs.length) {
    const allow = pre || specs.some(specAllowsPrereleases);
    return parsed.filter(({ v }) => (allow || !isPrerelease(v)) && specs.every((s) => operatorMatch(s.op, v, s.version))).map((x) => x.text);
  }
  const finals = parsed.filter(({ v }) => pre || !isPrerelease(v));
  return (finals.length ? finals : parsed).map((x) => x.text);
}
