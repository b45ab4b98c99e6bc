// Installing a fully pinned set (a freeze file) without pip: when every
// requirement is `name==version`, each pinned wheel is in venvctl's cache,
// and the set's closure is complete by the wheels' own metadata (markers
// evaluated for the target), pip has nothing to resolve. The closure is
// checked by the same code as the no-op answer (satisfaction.ts), over what
// the environment would hold after the install: the cached wheels' metadata
// in place of the installed distributions of the same names.
import { parseHeaders } from "../standards/metadata.js";
import { canonicalizeName } from "../standards/names.js";
import { normalizeVersion, parsePep440 } from "../standards/pep440.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import type { CheckedEnvironment } from "./install-check.js";
import { inputsDoubt } from "./install-check.js";
import { checkSatisfied, markerMayHold, type DistLookup, type DistView } from "./satisfaction.js";

/** A pinned distribution the cache has a wheel of for this target. */
export interface CachedCandidate<W> {
  key: string;
  version: string;
  /** The cached wheel (the store's handle). */
  wheel: W;
  /** Its metadata, as the satisfaction check reads an installed distribution's (distViewOf). */
  dist: DistView;
}

/** A wheel's metadata facts (kept by the store, read without the zip) as the satisfaction check reads a distribution. */
export function distViewOf(facts: { name: string; version: string; requiresDist: readonly string[]; providesExtra: readonly string[]; where: string }): DistView {
  const lines = [...facts.requiresDist.map((r) => `Requires-Dist: ${r}`), ...facts.providesExtra.map((x) => `Provides-Extra: ${x}`)];
  const headers = parseHeaders(lines.join("\n") + "\n");
  return {
    rawName: facts.name,
    rawVersion: facts.version,
    version: { text: facts.version, legacy: parsePep440(facts.version) === undefined },
    format: "dist-info",
    dirNameParts: { name: facts.name, version: facts.version },
    infoPath: facts.where,
    headers: () => headers,
  };
}

/** Finds the cached wheel of `key` at exactly `version` that fits the target, or undefined. */
export type CandidateLookup<W> = (key: string, version: string) => CachedCandidate<W> | undefined;

export type PinnedPlan<W> =
  | {
      ok: true;
      /** Wheels to install: the pins not installed at their version now. */
      install: CachedCandidate<W>[];
      /** Distinct projects named; distributions in the closure. */
      requirements: number;
      distributions: number;
    }
  | { ok: false; reason: string };

/**
 * The `name==version` pins of these inputs (canonical name → version), or
 * why they are not a fully pinned set.
 */
export function exactPins(inputs: ParsedRequirements, checked: CheckedEnvironment): Map<string, string> | { reason: string } {
  const doubt = inputsDoubt(inputs);
  if (doubt) return { reason: doubt };
  const pins = new Map<string, string>();
  for (const e of inputs.entries) {
    if (e.constraint) continue;
    if (e.marker && checked.markers && !markerMayHold(e.marker, checked.markers, "")) continue;
    if (e.spec.kind !== "named" || e.spec.req.url) return { reason: `${e.text} is not a name and version` };
    const specs = e.spec.req.specifiers;
    const only = specs.length === 1 ? specs[0]! : undefined;
    if (!only || only.op !== "==" || only.version.endsWith(".*")) return { reason: `${e.text} is not pinned with ==` };
    const key = canonicalizeName(e.spec.req.name);
    const version = normalizeVersion(only.version) ?? only.version;
    const had = pins.get(key);
    if (had !== undefined && had !== version) return { reason: `${e.spec.req.name} is pinned twice (${had}, ${version}): pip says why that fails` };
    pins.set(key, version);
  }
  if (pins.size === 0) return { reason: "nothing is pinned" };
  return pins;
}

/**
 * The plan for a fully pinned set, from the cache alone; not ok (with the
 * reason) when pip has to resolve or fetch anything.
 */
export function planPinned<W>(
  inputs: ParsedRequirements,
  checked: CheckedEnvironment,
  opts: { noDeps: boolean; /** Reinstall pins installed at their version too (--force-reinstall). */ force?: boolean },
  lookup: CandidateLookup<W>,
): PinnedPlan<W> {
  if (!checked.markers) return { ok: false, reason: "the interpreter's probe has no marker variables" };
  const pins = exactPins(inputs, checked);
  if (!(pins instanceof Map)) return { ok: false, reason: pins.reason };
  const install: CachedCandidate<W>[] = [];
  for (const [key, version] of pins) {
    const now = checked.index.get(key);
    if (!opts.force && now && !now.version.legacy && normalizeVersion(now.version.text) === version) continue;
    const candidate = lookup(key, version);
    if (!candidate) return { ok: false, reason: `${key} ${version} is not in venvctl's cache for this interpreter` };
    install.push(candidate);
  }
  const overlay = new WouldBeInstalled(checked.index, install);
  const closure = checkSatisfied({ entries: inputs.entries, installed: overlay, markers: checked.markers, noDeps: opts.noDeps, grammar: checked.opened.profile.grammar });
  if (!closure.satisfied) return { ok: false, reason: closure.reason };
  return { ok: true, install, requirements: closure.requirements, distributions: closure.distributions };
}

/** What the environment would hold after installing `candidates`: they replace what has their names. */
class WouldBeInstalled implements DistLookup {
  private readonly byKey: Map<string, DistView>;
  constructor(private readonly installed: DistLookup, candidates: ReadonlyArray<CachedCandidate<unknown>>) {
    this.byKey = new Map(candidates.map((c) => [c.key, c.dist]));
  }
  get shadowed(): ReadonlySet<string> {
    return this.installed.shadowed;
  }
  get(name: string): DistView | undefined {
    return this.byKey.get(canonicalizeName(name)) ?? this.installed.get(name);
  }
}
