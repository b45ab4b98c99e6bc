// The backtracking resolver: resolvelib 1.0.1's Resolution, the one pip 24.x vendors, ported step for step.
// One file, though long: resolvelib's Resolution is one class whose steps share its state, and reads best beside it.
//
// https://github.com/sarugaku/resolvelib/blob/1.0.1/src/resolvelib/resolvers.py
// The order of pins is pip 24.x's PipProvider.get_preference (without its
// direct-URL and Requires-Python parts):
// https://github.com/pypa/pip/blob/24.2/src/pip/_internal/resolution/resolvelib/provider.py
//
// Where this port differs from resolvelib, it is for pip's sake or for ours:
// - constraints (`-c`) are requirements with `constraint: true` kept in the
//   criteria, as pip keeps its Constraint beside them: they narrow what
//   findMatches returns, but an id only constraints name is never pinned
//   (and never looked up), as pip does not ask for a constrained project;
// - incompatibilities are kept once each (resolvelib's lists repeat them);
// - the result's reachability walk stops at pins already seen, where
//   resolvelib's _has_route_to_root recurses for ever on an orphaned cycle;
// - the deadline and the round limit end the search with ResolutionTooLong
//   wherever it can loop, and the event loop gets a turn now and then.
import { ResolutionImpossible, ResolutionTooLong } from "./explain.js";
import type { Candidate, Provider, Requirement, RequirementInformation } from "./provider.js";

/** How long the resolver may search, and whom it tells what it decides. */
export interface ResolveOptions {
  /** Rounds (pins tried) before giving up; pip's 200000 when absent. */
  maxRounds?: number;
  /** Absolute time, in `now()`'s milliseconds, past which the search ends with ResolutionTooLong. */
  deadline?: number;
  /** The clock (Date.now when absent); tests inject one. */
  now?: () => number;
  /** Told each decision (pins, rejections, backtracks), for VENVCTL_DEBUG. */
  debug?: (message: string) => void;
}

/**
 * What the resolver settled on: one candidate per identifier, in the order
 * they were pinned (only those still reachable from the user's requirements,
 * as resolvelib's _build_result keeps them), and who asked for each.
 */
export interface Resolution<C extends Candidate> {
  /** Identifier → candidate, in pin order. */
  pins: Map<string, C>;
  /** Identifier → the requirements on it (not constraints), from the user (parent undefined) or a pinned candidate. */
  requiredBy: Map<string, RequirementInformation[]>;
  /** Rounds used, counted as resolvelib counts them against max_rounds. */
  rounds: number;
  /** How many times a pin failed and the resolver backjumped. */
  backtracks: number;
}

/** pip's limit_how_complex_resolution_can_be. */
const DEFAULT_MAX_ROUNDS = 200_000;

/** Loop steps between turns given to the event loop (timers, signals, a test's timeout). */
const STEPS_PER_TURN = 256;

/**
 * Resolves `roots` (the user's requirements and constraints) over `provider`
 * with resolvelib 1.0.1's backtracking, so that venvctl picks what pip 24.x
 * would pick. Throws ResolutionImpossible (with resolvelib's causes) when no
 * set of candidates meets every requirement, ResolutionTooLong when the
 * rounds or the deadline run out, and whatever the provider throws.
 */
export async function resolve<C extends Candidate>(
  roots: readonly Requirement[],
  provider: Provider<C>,
  opts: ResolveOptions = {},
): Promise<Resolution<C>> {
  const resolution = new Search(provider, roots, opts);
  const state = await resolution.run();
  return buildResult(state, resolution.rounds, resolution.backtracks);
}

/**
 * resolvelib's Criterion: what is known of one identifier. `candidates` is
 * undefined while only constraints name it (nothing asks for the project).
 */
interface Criterion<C> {
  candidates: readonly C[] | undefined;
  information: readonly RequirementInformation[];
  incompatibilities: readonly C[];
}

/** resolvelib's State: the pins so far (insertion order matters: backjump pops the last), the criteria, the causes of the last backtrack. */
interface State<C> {
  mapping: Map<string, C>;
  criteria: Map<string, Criterion<C>>;
  backtrackCauses: RequirementInformation[];
}

/** A criterion some requirement (not only a constraint) asks for. */
function asks<C>(criterion: Criterion<C>): boolean {
  return criterion.information.some((i) => !i.requirement.constraint);
}

/**
 * A criterion pip's resolver would hold: some requirement asked for it once.
 * One whose information was all dropped with an invalidated parent is still
 * pinned, as resolvelib 1.0.1 pins it (and that pin can change the answer).
 */
function asked<C>(criterion: Criterion<C>): boolean {
  return criterion.candidates !== undefined;
}

/** pip's preference key: lower sorts first. */
type Preference = [notPinned: boolean, notBacktrackCause: boolean, depth: number, userOrder: number, free: boolean, id: string];

function comparePreference(a: Preference, b: Preference): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** `a 2.0`, `a[x] 2.0`: a candidate as messages name it. */
function label(c: Candidate): string {
  const open = c.id.indexOf("[");
  return `${open < 0 ? c.name : c.name + c.id.slice(open)} ${c.version}`;
}

/** One resolve call: resolvelib's Resolution object, with pip's provider state (_known_depths) beside it. */
class Search<C extends Candidate> {
  private states: State<C>[] = [];
  private readonly deps = new Map<C, Promise<Requirement[]>>();
  private readonly knownDepths = new Map<string, number>();
  /** Versions rejected or backtracked over, by project name (pip's reject_count_by_package). */
  private readonly rejected = new Map<string, number>();
  private readonly maxRounds: number;
  private readonly now: () => number;
  private readonly start: number;
  private steps = 0;
  rounds = 0;
  backtracks = 0;

  constructor(
    private readonly p: Provider<C>,
    private readonly roots: readonly Requirement[],
    private readonly opts: ResolveOptions,
  ) {
    this.maxRounds = opts.maxRounds ?? DEFAULT_MAX_ROUNDS;
    this.now = opts.now ?? Date.now;
    this.start = this.now();
  }

  private get state(): State<C> {
    const s = this.states[this.states.length - 1];
    if (!s) throw new Error("resolver has no state");
    return s;
  }

  /** resolvelib's Resolution.resolve. */
  async run(): Promise<State<C>> {
    const root: State<C> = { mapping: new Map(), criteria: new Map(), backtrackCauses: [] };
    this.states = [root];
    // Constraints first, so that they narrow every requirement's candidates
    // from the start, as pip's constraints (known before resolving) do.
    const ordered = [...this.roots.filter((r) => r.constraint), ...this.roots.filter((r) => !r.constraint)];
    for (const r of ordered) {
      await this.tick();
      const conflict = await this.addToCriteria(root.criteria, r, undefined);
      if (conflict) throw this.impossible(conflict.information);
    }
    // The root state stays as a sentinel so the first pin has something to backtrack to.
    this.pushNewState();

    for (let round = 0; round < this.maxRounds; round++) {
      this.rounds = round + 1;
      await this.tick();
      const state = this.state;
      const unsatisfied: string[] = [];
      const satisfied = new Set<string>();
      for (const [key, criterion] of state.criteria) {
        if (this.isCurrentPinSatisfying(key, criterion)) satisfied.add(key);
        else if (asked(criterion)) unsatisfied.push(key);
      }
      if (!unsatisfied.length) return state;

      const name = this.mostPreferred(unsatisfied);
      const failureCauses = await this.attemptToPin(name);
      if (failureCauses.length) {
        const causes = failureCauses.flatMap((c) => c.information);
        this.backtracks++;
        this.opts.debug?.(`cannot pin ${name}: ${[...new Set(causes.map(describeInformation))].join("; ")}; backtracking`);
        const success = await this.backjump(causes);
        const after = this.state;
        after.backtrackCauses.length = 0;
        for (const c of causes) after.backtrackCauses.push(c);
        if (!success) throw this.impossible(after.backtrackCauses);
      } else {
        // Requirements the new pin added may invalidate earlier pins: what
        // those pins asked for no longer holds (resolvelib 1.0.1's fix for
        // stale information).
        const newlyUnsatisfied = new Set<string>();
        for (const [key, criterion] of state.criteria) {
          if (satisfied.has(key) && !this.isCurrentPinSatisfying(key, criterion)) newlyUnsatisfied.add(key);
        }
        this.removeInformationFromCriteria(state.criteria, newlyUnsatisfied);
        this.pushNewState();
      }
    }
    throw this.tooLong({ rounds: this.maxRounds });
  }

  private pushNewState(): void {
    const base = this.state;
    this.states.push({
      mapping: new Map(base.mapping),
      criteria: new Map(base.criteria),
      backtrackCauses: [...base.backtrackCauses],
    });
  }

  /** The requirements findMatches gets for `id`: its criterion's, and for `a[x]` the constraints on `a` (pip's _get_with_identifier). */
  private requirementsFor(criteria: Map<string, Criterion<C>>, id: string, information: readonly RequirementInformation[]): Requirement[] {
    const out = information.map((i) => i.requirement);
    const open = id.indexOf("[");
    if (open > 0) {
      const base = criteria.get(id.slice(0, open));
      if (base) for (const i of base.information) if (i.requirement.constraint) out.push(i.requirement);
    }
    return out;
  }

  /**
   * resolvelib's _add_to_criteria: merges a requirement into its criterion.
   * Returns the criterion that would have no candidates (resolvelib's
   * RequirementsConflicted), or undefined once `criteria` holds the merge.
   */
  private async addToCriteria(criteria: Map<string, Criterion<C>>, requirement: Requirement, parent: C | undefined): Promise<Criterion<C> | undefined> {
    const id = requirement.id;
    const criterion = criteria.get(id);
    const incompatibilities = criterion ? [...criterion.incompatibilities] : [];
    const information = [...(criterion?.information ?? []), { requirement, parent }];
    const merged: Criterion<C> = { candidates: undefined, information, incompatibilities };
    if (asks(merged) || (criterion !== undefined && asked(criterion))) {
      merged.candidates = await this.p.findMatches(id, this.requirementsFor(criteria, id, information), incompatibilities);
      if (!merged.candidates.length) return merged;
    }
    criteria.set(id, merged);
    return undefined;
  }

  /** resolvelib's _remove_information_from_criteria: drops what invalidated pins asked for. */
  private removeInformationFromCriteria(criteria: Map<string, Criterion<C>>, parents: ReadonlySet<string>): void {
    if (!parents.size) return;
    for (const [key, criterion] of criteria) {
      criteria.set(key, {
        candidates: criterion.candidates,
        information: criterion.information.filter((i) => i.parent === undefined || !parents.has(i.parent.id)),
        incompatibilities: criterion.incompatibilities,
      });
    }
  }

  /** The first of the most preferred names, as Python's min() picks. */
  private mostPreferred(names: readonly string[]): string {
    let best = names[0]!;
    let bestKey = this.preference(best);
    for (const name of names.slice(1)) {
      const key = this.preference(name);
      if (comparePreference(key, bestKey) < 0) {
        best = name;
        bestKey = key;
      }
    }
    return best;
  }

  /**
   * PipProvider.get_preference: pinned (`==`, `===`) first, then the causes
   * of the last backtrack, then the shallowest (depth inferred from the
   * parents' depths), the user's order, constrained before free, and the
   * identifier. Constraints do not count, as pip keeps them out of the
   * information it reads.
   */
  private preference(id: string): Preference {
    const state = this.state;
    const information = (state.criteria.get(id)?.information ?? []).filter((i) => !i.requirement.constraint);
    const operators = information.flatMap((i) => i.requirement.specifiers.map((s) => s.op));
    const pinned = operators.some((op) => op.startsWith("=="));
    const unfree = operators.length > 0;
    const userOrder = this.p.userOrder(id);
    let depth: number;
    if (userOrder !== undefined) {
      depth = 1;
    } else if (information.length) {
      let min = Infinity;
      for (const i of information) {
        const d = i.parent === undefined ? 0 : (this.knownDepths.get(i.parent.id) ?? Infinity);
        if (d < min) min = d;
      }
      depth = min + 1;
    } else {
      depth = Infinity;
    }
    this.knownDepths.set(id, depth);
    const backtrackCause = state.backtrackCauses.some((c) => c.requirement.id === id || c.parent?.id === id);
    return [!pinned, !backtrackCause, depth, userOrder ?? Infinity, !unfree, id];
  }

  private isCurrentPinSatisfying(name: string, criterion: Criterion<C>): boolean {
    const pin = this.state.mapping.get(name);
    if (pin === undefined) return false;
    return criterion.information.every((i) => this.p.isSatisfiedBy(i.requirement, pin));
  }

  /** provider.dependencies, once per candidate object (backjump asks again). */
  private dependencies(candidate: C): Promise<Requirement[]> {
    let p = this.deps.get(candidate);
    if (!p) {
      p = this.p.dependencies(candidate);
      this.deps.set(candidate, p);
    }
    return p;
  }

  /** resolvelib's _get_updated_criteria: the criteria with the candidate's dependencies merged, or the criterion that conflicts. */
  private async updatedCriteria(candidate: C): Promise<{ criteria: Map<string, Criterion<C>> } | { conflict: Criterion<C> }> {
    const criteria = new Map(this.state.criteria);
    for (const requirement of await this.dependencies(candidate)) {
      const conflict = await this.addToCriteria(criteria, requirement, candidate);
      if (conflict) return { conflict };
    }
    return { criteria };
  }

  /** resolvelib's _attempt_to_pin_criterion: pins the first candidate whose dependencies fit; else the conflicts. */
  private async attemptToPin(name: string): Promise<Criterion<C>[]> {
    const criterion = this.state.criteria.get(name)!;
    const causes: Criterion<C>[] = [];
    for (const candidate of criterion.candidates ?? []) {
      await this.tick();
      const updated = await this.updatedCriteria(candidate);
      if ("conflict" in updated) {
        this.reject(candidate);
        this.opts.debug?.(`rejecting ${label(candidate)}: ${updated.conflict.information.map(describeInformation).join("; ")}`);
        causes.push(updated.conflict);
        continue;
      }
      // resolvelib's InconsistentCandidate: findMatches and isSatisfiedBy disagree, a bug in the provider.
      const unmet = criterion.information.find((i) => !this.p.isSatisfiedBy(i.requirement, candidate));
      if (unmet) throw new Error(`provider returned ${label(candidate)} for ${name}, which does not satisfy ${unmet.requirement.text}`);

      this.opts.debug?.(`pinning ${label(candidate)}`);
      this.p.pinned?.(candidate);
      const state = this.state;
      state.criteria = updated.criteria;
      // The newest pin goes last: backjump pops the last-inserted one.
      state.mapping.delete(name);
      state.mapping.set(name, candidate);
      return [];
    }
    return causes;
  }

  /**
   * resolvelib 1.0.1's _backjump: drops states until one whose last pin
   * depends on something in the conflict, marks that pin incompatible in the
   * state before it, and carries over the incompatibilities found since.
   * False when there is nothing left to undo.
   */
  private async backjump(causes: readonly RequirementInformation[]): Promise<boolean> {
    const incompatibleDeps = new Set<string>();
    for (const c of causes) if (c.parent !== undefined) incompatibleDeps.add(c.parent.id);
    for (const c of causes) incompatibleDeps.add(c.requirement.id);

    while (this.states.length >= 3) {
      await this.tick();
      // The state that triggered backtracking.
      this.states.pop();

      let broken: State<C> | undefined;
      let name = "";
      let candidate: C | undefined;
      let incompatibleState = false;
      while (!incompatibleState) {
        await this.tick();
        broken = this.states.pop();
        const last = broken === undefined ? undefined : lastEntry(broken.mapping);
        if (broken === undefined || last === undefined) throw this.impossible(causes);
        [name, candidate] = last;
        broken.mapping.delete(name);
        const current = await this.dependencies(candidate);
        incompatibleState = current.some((d) => incompatibleDeps.has(d.id));
      }
      this.reject(candidate!);
      this.opts.debug?.(`backtracking over ${label(candidate!)}`);

      const fromBroken: [string, C[]][] = [];
      for (const [k, v] of broken!.criteria) fromBroken.push([k, [...v.incompatibilities]]);
      // And the incompatibility just learned.
      fromBroken.push([name, [candidate!]]);

      this.pushNewState();
      if (await this.patchCriteria(fromBroken)) return true;
      // The state before conflicts too once the incompatibilities apply: go further back.
    }
    return false;
  }

  /** _backjump's _patch_criteria: applies the carried incompatibilities to the new state; false when a criterion is left with no candidate. */
  private async patchCriteria(fromBroken: readonly [string, C[]][]): Promise<boolean> {
    const state = this.state;
    for (const [k, incompatibilities] of fromBroken) {
      if (!incompatibilities.length) continue;
      const criterion = state.criteria.get(k);
      if (!criterion) continue;
      await this.tick();
      let candidates = criterion.candidates;
      if (asked(criterion)) {
        // resolvelib's IteratorMapping: the carried incompatibilities chained with the criterion's own.
        candidates = await this.p.findMatches(k, this.requirementsFor(state.criteria, k, criterion.information), [...incompatibilities, ...criterion.incompatibilities]);
        if (!candidates.length) return false;
      }
      for (const c of criterion.incompatibilities) if (!incompatibilities.includes(c)) incompatibilities.push(c);
      state.criteria.set(k, { candidates, information: [...criterion.information], incompatibilities });
    }
    return true;
  }

  /** Counts a version tried and given up, for ResolutionTooLong's message. */
  private reject(candidate: C): void {
    this.rejected.set(candidate.name, (this.rejected.get(candidate.name) ?? 0) + 1);
  }

  /** Checks the deadline, and now and then lets the event loop run. */
  private async tick(): Promise<void> {
    if (this.opts.deadline !== undefined && this.now() >= this.opts.deadline) {
      throw this.tooLong({ seconds: (this.opts.deadline - this.start) / 1000 });
    }
    if (++this.steps % STEPS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private tooLong(limit: { rounds: number } | { seconds: number }): ResolutionTooLong {
    return new ResolutionTooLong({ rounds: this.rounds, seconds: (this.now() - this.start) / 1000, limit, rejected: this.rejected });
  }

  private impossible(causes: readonly RequirementInformation[]): ResolutionImpossible {
    const versionsOf = this.p.versionsOf?.bind(this.p);
    return new ResolutionImpossible(causes, { asked: this.roots, ...(versionsOf ? { versionsOf } : {}) });
  }
}

/** The last-inserted entry of a Map (OrderedDict.popitem's). */
function lastEntry<K, V>(map: Map<K, V>): [K, V] | undefined {
  let last: [K, V] | undefined;
  for (const entry of map) last = entry;
  return last;
}

function describeInformation(i: RequirementInformation): string {
  return i.parent === undefined ? `${i.requirement.text} (asked)` : `${i.requirement.text} (from ${label(i.parent)})`;
}

/**
 * resolvelib's _build_result: keeps the pins reachable from the user's
 * requirements through the pinned candidates (by identity, as resolvelib
 * matches parents), so a pin whose askers were all undone is left out.
 */
function buildResult<C extends Candidate>(state: State<C>, rounds: number, backtracks: number): Resolution<C> {
  const keyOf = new Map<Candidate, string>();
  for (const [k, v] of state.mapping) keyOf.set(v, k);
  const ROOT = "\0root";
  const children = new Map<string, string[]>();
  for (const [key, criterion] of state.criteria) {
    for (const i of criterion.information) {
      if (i.requirement.constraint) continue;
      const pkey = i.parent === undefined ? ROOT : keyOf.get(i.parent);
      if (pkey === undefined) continue;
      let list = children.get(pkey);
      if (!list) children.set(pkey, (list = []));
      list.push(key);
    }
  }
  const connected = new Set<string>([ROOT]);
  const queue = [ROOT];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!connected.has(child)) {
        connected.add(child);
        queue.push(child);
      }
    }
  }
  const pins = new Map<string, C>();
  const requiredBy = new Map<string, RequirementInformation[]>();
  for (const [key, candidate] of state.mapping) {
    if (!connected.has(key)) continue;
    pins.set(key, candidate);
    requiredBy.set(key, (state.criteria.get(key)?.information ?? []).filter((i) => {
      if (i.requirement.constraint) return false;
      if (i.parent === undefined) return true;
      const pkey = keyOf.get(i.parent);
      return pkey !== undefined && connected.has(pkey);
    }));
  }
  return { pins, requiredBy, rounds, backtracks };
}
