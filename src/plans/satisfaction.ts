// Whether pip would find nothing to do: every requirement named, satisfied by
// the installed version, and so is everything it depends on. pip's resolver
// prefers an installed distribution whose version fits every specifier on it
// (resolution/resolvelib/factory.py: `specifier.contains(installed.version,
// prereleases=True)`), reads its dependencies from its metadata, and never
// asks the index about it. When all of them fit, pip changes nothing; venvctl
// answers that itself. Where pip's reading could differ from ours (markers
// under packaging 21 and 22+, extras spelled differently), the dependencies
// checked here are a superset of pip's, so a doubt costs a pip run, never a
// wrong "nothing to do".
import type { InstalledDist } from "../environments/installed-dist.js";
import type { InstalledEnvironment } from "../environments/installed.js";
import { listDir } from "../environments/listing.js";
import { evaluateMarker, type MarkerNode } from "../standards/markers.js";
import { canonicalizeName, safeExtra } from "../standards/names.js";
import { normalizeVersion, specifierContains, type Specifier } from "../standards/pep440.js";
import { STDLIB_PKGS } from "../environments/pip-profile.js";
import { stripPy } from "../util/python-text.js";
import type { RequirementEntry } from "../pip/requirements-file.js";
import { parseRequirement, type Grammar, type Requirement } from "../standards/requirement.js";

/** What the satisfaction check reads of a distribution: an installed one, or a wheel's metadata (plans/pinned.ts). */
export type DistView = Pick<InstalledDist, "rawName" | "rawVersion" | "version" | "format" | "dirNameParts" | "infoPath" | "headers">;

/** Distributions by name, as the satisfaction check looks them up. */
export interface DistLookup {
  get(name: string): DistView | undefined;
  /** Names with more than one metadata directory on sys.path. */
  readonly shadowed: ReadonlySet<string>;
}

/** pip's view of what is installed: the first distribution of each name on sys.path. */
export class InstalledIndex implements DistLookup {
  private readonly byName = new Map<string, InstalledDist>();
  /** Names with more than one metadata directory on sys.path (pkg_resources may pick another). */
  readonly shadowed: Set<string>;

  constructor(readonly env: InstalledEnvironment, shadowed: Set<string> = new Set()) {
    for (const d of env.dists) {
      if (!d.accepted) continue;
      const key = d.canonicalName;
      // pip never reports these as installed (utils/compat.py stdlib_pkgs).
      if (STDLIB_PKGS.includes(key)) continue;
      if (!this.byName.has(key)) this.byName.set(key, d);
    }
    this.shadowed = shadowed;
  }

  get(name: string): InstalledDist | undefined {
    return this.byName.get(canonicalizeName(name));
  }

  all(): InstalledDist[] {
    return [...this.byName.values()];
  }
}

/** Marker variables of the target, as pip's two generations of `packaging` see them. */
export interface MarkerContext {
  env: Record<string, string>;
}

/**
 * Whether a marker may hold: true when it holds under packaging 22+ (pip
 * 24.1+) or under packaging 21 (older pips). Evaluating both and taking either
 * keeps the checked set a superset of what the env's pip evaluates.
 */
export function markerMayHold(marker: MarkerNode, ctx: MarkerContext, extra: string): boolean {
  const env: Record<string, string> = { ...ctx.env, extra };
  const modern: Record<string, string> = { ...env };
  if (modern.python_full_version?.endsWith("+")) modern.python_full_version += "local";
  return evaluateMarker(marker, modern) || evaluateMarker(marker, env, { legacy: true });
}

export type DependencyResult = { ok: true; requirements: Requirement[] } | { ok: false; error: string };

/**
 * The dependencies of an installed distribution with these extras (each
 * given as Provides-Extra spells it): Requires-Dist entries whose markers may
 * hold for the base or for one of the extras.
 */
export function dependenciesMayApply(dist: DistView, extras: readonly string[], ctx: MarkerContext): DependencyResult {
  const out: Requirement[] = [];
  const contexts = [""];
  for (const x of extras) contexts.push(x, canonicalizeName(x), safeExtra(x), x.toLowerCase());
  const unique = [...new Set(contexts)];
  for (const raw of dist.headers("all").getAll("Requires-Dist")) {
    const parsed = parseRequirement(stripPy(raw));
    if (!parsed.ok) return { ok: false, error: `${dist.rawName} ${dist.version.text} has an invalid Requires-Dist: ${raw}` };
    const req = parsed.req;
    if (!req.marker || unique.some((x) => markerMayHold(req.marker!, ctx, x))) out.push(req);
  }
  return { ok: true, requirements: out };
}

/** The extras a distribution provides that match a requested one, as Provides-Extra spells them. */
export function providedExtra(dist: DistView, requested: string): string | undefined {
  const want = canonicalizeName(requested);
  for (const p of dist.headers("all").getAll("Provides-Extra")) {
    if (canonicalizeName(stripPy(p)) === want) return stripPy(p);
  }
  return undefined;
}

export interface SatisfactionInput {
  /** Requirements and constraints (from the command line and the files). */
  entries: readonly RequirementEntry[];
  /** What is installed (or would be, for a plan: see plans/pinned.ts). */
  installed: DistLookup;
  markers: MarkerContext;
  /** --no-deps: pip looks at the named requirements only. */
  noDeps: boolean;
  /** How the target's pip reads requirements (pip-profile.ts). */
  grammar: Grammar;
}

/**
 * Why a requirement read with `readAs` is pip's to decide on a pip reading
 * with `target`, or undefined when venvctl can check it: a legacy specifier
 * never (only packaging 21's LegacyVersion rules match it), a name ending in
 * `_` where that pip reads such names too.
 */
function undecidable(readAs: Grammar, target: Grammar): string | undefined {
  if (readAs.legacySpecifiers) return "its version specifier is not PEP 440 (which only pip before 24.1 accepts): pip decides";
  if (readAs.identifierNames && !target.identifierNames) return "its name is one only pip 24.1 and later accept: pip decides";
  return undefined;
}

export type Satisfaction =
  | {
      satisfied: true;
      /** Distinct projects named (markers holding here); what "All N requirements" counts. */
      requirements: number;
      /** Distributions checked: the named ones and everything they depend on. */
      distributions: number;
      /** Named requirements whose markers do not hold here (pip ignores them). */
      ignored: string[];
    }
  | { satisfied: false; reason: string };

interface Need {
  specifiers: Specifier[];
  /** Who asks, for messages: "-r requirements.txt (line 3)", "foo 1.0". */
  from: string;
}

function describeSource(e: RequirementEntry): string {
  return e.source ? `${e.constraint ? "-c" : "-r"} ${e.source.file} (line ${e.source.line})` : "the command line";
}

function formatSpecifiers(specs: readonly Specifier[]): string {
  return specs.map((s) => `${s.op}${s.version}`).join(",");
}

/**
 * Decides whether every requirement and its whole dependency closure is
 * satisfied by what is installed. Anything that cannot be decided with
 * certainty answers `satisfied: false` with the reason.
 */
export function checkSatisfied(input: SatisfactionInput): Satisfaction {
  const no = (reason: string): Satisfaction => ({ satisfied: false, reason });
  const { installed, markers } = input;
  const roots = new Map<string, { extras: Set<string>; needs: Need[] }>();
  const constraints = new Map<string, Need[]>();
  const ignored: string[] = [];

  for (const e of input.entries) {
    const where = describeSource(e);
    if (e.spec.kind === "editable") return no(`${where} is an editable requirement (-e ${e.text})`);
    if (e.spec.kind === "url") return no(`${where} is a URL (${e.spec.url})`);
    if (e.spec.kind === "path") return no(`${where} is a local path (${e.text})`);
    const pipDecides = e.readAs && undecidable(e.readAs, input.grammar);
    if (pipDecides) return no(`${where}: ${pipDecides}`);
    const req = e.spec.req;
    if (req.url) return no(`${where} is a direct reference (${req.name} @ ${req.url})`);
    if (Object.keys(e.hashes).length) return no(`${where} has --hash (pip checks hashes)`);
    if (e.marker && !markerMayHold(e.marker, markers, "")) {
      ignored.push(req.name);
      continue;
    }
    const key = canonicalizeName(req.name);
    if (e.constraint) {
      if (req.extras.length) return no(`${where} is a constraint with extras`);
      const list = constraints.get(key) ?? [];
      list.push({ specifiers: req.specifiers, from: where });
      constraints.set(key, list);
      continue;
    }
    const root = roots.get(key) ?? { extras: new Set<string>(), needs: [] };
    for (const x of req.extras) root.extras.add(x);
    root.needs.push({ specifiers: req.specifiers, from: where });
    roots.set(key, root);
  }
  if (roots.size === 0) return no("no requirement names a project to check");

  // Breadth-first over the closure; a distribution is walked again when new extras reach it.
  const extrasDone = new Map<string, Set<string>>();
  const queue: Array<{ name: string; extras: string[]; need: Need }> = [];
  for (const [key, root] of roots) {
    for (const need of root.needs) queue.push({ name: key, extras: [...root.extras], need });
  }
  while (queue.length) {
    const item = queue.shift()!;
    const key = canonicalizeName(item.name);
    const dist = installed.get(key);
    if (!dist) return no(`${item.name} is not installed (required by ${item.need.from})`);
    if (installed.shadowed.has(key)) return no(`more than one ${item.name} is installed on sys.path`);
    const version = dist.version;
    if (version.legacy) return no(`${dist.rawName} ${version.text} has a version that is not PEP 440`);
    // pips read the version from the .dist-info name or from METADATA, by release: they must agree.
    const dirVersion = dist.format === "dist-info" ? dist.dirNameParts.version : undefined;
    if (dirVersion !== undefined && dirVersion !== dist.rawVersion && normalizeVersion(dirVersion.replace(/_/g, "-")) !== normalizeVersion(dist.rawVersion)) {
      return no(`${dist.infoPath} says version ${dirVersion}, its metadata ${dist.rawVersion}`);
    }
    for (const spec of item.need.specifiers) {
      if (!specifierContains(spec, version.text, true)) {
        return no(`${dist.rawName} ${version.text} is installed, ${item.need.from} asks for ${item.name}${formatSpecifiers(item.need.specifiers)}`);
      }
    }
    let done = extrasDone.get(key);
    const fresh = done === undefined;
    if (!done) {
      done = new Set();
      extrasDone.set(key, done);
      for (const c of constraints.get(key) ?? []) {
        for (const spec of c.specifiers) {
          if (!specifierContains(spec, version.text, true)) {
            return no(`${dist.rawName} ${version.text} is installed, the constraint ${c.from} asks for ${item.name}${formatSpecifiers(c.specifiers)}`);
          }
        }
      }
    }
    const provided: string[] = [];
    let newExtras = false;
    for (const x of item.extras) {
      const p = providedExtra(dist, x);
      // pip warns that the extra is not provided, and goes on: let it say so.
      if (p === undefined) return no(`${dist.rawName} ${version.text} does not provide the extra '${x}'`);
      provided.push(p);
      if (!done.has(p)) {
        done.add(p);
        newExtras = true;
      }
    }
    if (input.noDeps || (!fresh && !newExtras)) continue;
    const deps = dependenciesMayApply(dist, provided, markers);
    if (!deps.ok) return no(deps.error);
    const from = `${dist.rawName} ${version.text}`;
    for (const dep of deps.requirements) {
      if (dep.url) return no(`${from} depends on a direct reference (${dep.name} @ ${dep.url})`);
      queue.push({ name: dep.name, extras: dep.extras, need: { specifiers: dep.specifiers, from } });
    }
  }
  return { satisfied: true, requirements: roots.size, distributions: extrasDone.size, ignored };
}

/**
 * The names a set of installed distributions needs, transitively (for sync:
 * what is kept). Missing dependencies are skipped; a distribution whose
 * dependencies cannot be read makes the answer undefined.
 */
export function installedClosure(
  roots: Iterable<{ name: string; extras: readonly string[] }>,
  installed: InstalledIndex,
  markers: MarkerContext,
): { names: Set<string> } | { error: string } {
  const names = new Set<string>();
  const extrasDone = new Map<string, Set<string>>();
  const queue = [...roots].map((r) => ({ name: r.name, extras: [...r.extras] }));
  while (queue.length) {
    const item = queue.shift()!;
    const key = canonicalizeName(item.name);
    const dist = installed.get(key);
    if (!dist) continue;
    names.add(key);
    let done = extrasDone.get(key);
    const fresh = done === undefined;
    done ??= new Set();
    extrasDone.set(key, done);
    const provided: string[] = [];
    let newExtras = false;
    for (const x of item.extras) {
      const p = providedExtra(dist, x) ?? x;
      provided.push(p);
      if (!done.has(p)) {
        done.add(p);
        newExtras = true;
      }
    }
    if (!fresh && !newExtras) continue;
    const deps = dependenciesMayApply(dist, provided, markers);
    if (!deps.ok) return { error: deps.error };
    for (const dep of deps.requirements) queue.push({ name: dep.name, extras: dep.extras });
  }
  return { names };
}

/**
 * Names that more than one metadata directory on sys.path claims. pip's
 * importlib backend takes the first, as venvctl does; pkg_resources keys
 * them differently and may take another, so those names are left to pip.
 */
export function shadowedNames(sysPath: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const dir of sysPath) {
    for (const name of listDir(dir) ?? []) {
      const m = /^(.+?)(?:-[^-]*)?\.(?:dist-info|egg-info)$/i.exec(name);
      if (!m) continue;
      const key = canonicalizeName(m[1]!);
      if (seen.has(key)) twice.add(key);
      seen.add(key);
    }
  }
  return twice;
}
