// Why a resolution failed, in words: the conflicting requirements grouped by project, PubGrub-style.
import { VenvctlError } from "../errors.js";
import { specifierContains } from "../standards/pep440.js";
import type { Candidate, Requirement, RequirementInformation } from "./provider.js";

/** What the message may draw on beyond the causes. */
export interface ImpossibleContext {
  /** The user's requirements and constraints: those on a conflict's parents say why that parent version was the one. */
  asked?: readonly Requirement[];
  /** Provider.versionsOf: the versions a project has, for "no version of b matches b>=5 (b has 1.0, 2.0)". */
  versionsOf?: (id: string) => readonly string[] | undefined;
}

/** At most this many versions are listed in a message. */
const VERSIONS_SHOWN = 10;

/**
 * No set of candidates meets every requirement (resolvelib's
 * ResolutionImpossible). `causes` are resolvelib's: the requirements of the
 * last conflict and who asked for them; the message explains them, one
 * sentence per project, and the hint names what to loosen.
 */
export class ResolutionImpossible extends VenvctlError {
  readonly causes: RequirementInformation[];
  constructor(causes: readonly RequirementInformation[], context: ImpossibleContext = {}) {
    const texts = [...new Set(causes.map((c) => c.requirement.text))];
    const named = texts.length ? ` (${texts.slice(0, 4).join(", ")}${texts.length > 4 ? ", …" : ""})` : "";
    // Only the user's own requirements: nothing to loosen but them, or the index is not the one meant.
    const onlyAsked = causes.every((c) => c.parent === undefined);
    super(explainCauses(causes, context), {
      hint: (onlyAsked
        ? `check the name and version${named} and where venvctl looks (--index-url, --extra-index-url, --find-links, pip.conf); `
        : `loosen one of the requirements named${named}, or choose another version of the project that asks for it; `) +
        "VENVCTL_RESOLVER=pip has pip's resolver try, and say it its way",
    });
    this.causes = [...causes];
  }
}

/** What ResolutionTooLong reports. */
export interface TooLongDetails {
  /** Rounds used. */
  rounds: number;
  /** Seconds spent. */
  seconds: number;
  /** The limit that ran out. */
  limit: { rounds: number } | { seconds: number };
  /** Versions tried and given up, by project name. */
  rejected: ReadonlyMap<string, number>;
}

/**
 * The search ran out of rounds or time (resolvelib's ResolutionTooDeep, and
 * a deadline pip does not have): the requirements leave too many versions to
 * try. The message names the projects backtracked over most, the ones worth
 * pinning.
 */
export class ResolutionTooLong extends VenvctlError {
  readonly rounds: number;
  readonly seconds: number;
  /** The projects backtracked over most, most first. */
  readonly projects: string[];
  constructor(details: TooLongDetails) {
    const top = [...details.rejected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
    const limit = "rounds" in details.limit
      ? `${details.limit.rounds} rounds`
      : formatSeconds(details.limit.seconds);
    const most = top.length
      ? `; it backtracked most on ${top.map(([name, n]) => `${name} (${n} ${n === 1 ? "version" : "versions"} given up)`).join(", ")}`
      : "";
    const names = top.map(([name]) => name);
    super(`resolution took more than ${limit} without an answer${most}`, {
      hint: names.length
        ? `pin some of ${names.join(", ")} (\`${names[0]}==VERSION\`) or narrow their ranges, so that fewer versions need trying`
        : "pin some of the requirements or narrow their ranges, so that fewer versions need trying",
    });
    this.rounds = details.rounds;
    this.seconds = details.seconds;
    this.projects = names;
  }
}

function formatSeconds(s: number): string {
  const r = Math.round(s * 10) / 10;
  return r === 1 ? "1 second" : `${r} seconds`;
}

/** `a 2.0`, `a[x] 2.0`. */
function candidateLabel(c: Candidate): string {
  const open = c.id.indexOf("[");
  return `${open < 0 ? c.name : c.name + c.id.slice(open)} ${c.version}`;
}

/** `b`, `a[x]`: the project a requirement is on, as written, with the identifier's extras. */
function projectLabel(r: Requirement): string {
  const open = r.id.indexOf("[");
  return open < 0 ? r.name : r.name + r.id.slice(open);
}

/** One clause: who asked for what. */
function clause(i: RequirementInformation): string {
  if (i.parent !== undefined) return `${candidateLabel(i.parent)} depends on ${i.requirement.text}`;
  return i.requirement.constraint ? `your constraints allow only ${i.requirement.text}` : `you asked for ${i.requirement.text}`;
}

/**
 * The message of ResolutionImpossible. Causes on one project that disagree
 * make "because X and Y, no version of b satisfies both"; a single
 * requirement that nothing meets makes "no version of b matches b>=5".
 * The user's own requirement on a conflicting parent (`a>=2`, when `a 2.0`
 * depends on `b<1`) joins the clauses: it is why that version was taken.
 */
export function explainCauses(causes: readonly RequirementInformation[], context: ImpossibleContext = {}): string {
  const seen = new Set<string>();
  const groups = new Map<string, RequirementInformation[]>();
  for (const c of causes) {
    const key = `${c.requirement.id}\0${c.requirement.text}\0${c.requirement.constraint ? 1 : 0}\0${c.parent ? `${c.parent.id}@${c.parent.version}` : ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let group = groups.get(c.requirement.id);
    if (!group) groups.set(c.requirement.id, (group = []));
    group.push(c);
  }
  const sentences: string[] = [];
  for (const [id, infos] of groups) {
    const texts = new Set(infos.map((i) => i.requirement.text));
    sentences.push(texts.size === 1 ? unmatched(id, infos, context) : conflict(infos, context));
  }
  return sentences.length ? sentences.join("; ") : "the requirements cannot all be met together";
}

function conflict(infos: readonly RequirementInformation[], context: ImpossibleContext): string {
  const clauses: string[] = [];
  // Why each parent was the version it is: the user's requirement on it, where it narrows.
  for (const i of infos) {
    if (i.parent === undefined) continue;
    for (const asked of context.asked ?? []) {
      if (asked.id !== i.parent.id || !asked.specifiers.length) continue;
      const text = clause({ requirement: asked, parent: undefined });
      if (!clauses.includes(text)) clauses.push(text);
    }
  }
  for (const i of infos) if (i.parent !== undefined) clauses.push(clause(i));
  for (const i of infos) if (i.parent === undefined) clauses.push(clause(i));
  const project = projectLabel(infos[0]!.requirement);
  return `because ${clauses.join(" and ")}, no version of ${project} satisfies ${clauses.length === 2 ? "both" : "all of them"}`;
}

function unmatched(id: string, infos: readonly RequirementInformation[], context: ImpossibleContext): string {
  const requirement = infos[0]!.requirement;
  const project = projectLabel(requirement);
  const versions = context.versionsOf?.(id);
  // Versions the requirement admits that were still not to be had: ruled out by other requirements, or with no file for the target.
  const admitted = versions?.some((v) => requirement.specifiers.every((s) => specifierContains(s, v, true))) ?? false;
  let fact = admitted
    ? `no usable version of ${project} matches ${requirement.text}`
    : `no version of ${project} matches ${requirement.text}`;
  if (versions !== undefined) fact += versions.length ? ` (${project} has ${listVersions(versions)})` : ` (the indexes have no file of ${project} for this environment)`;
  const parents = infos.filter((i) => i.parent !== undefined).map((i) => candidateLabel(i.parent!));
  if (!parents.length) return fact;
  return `${parents.join(" and ")} ${parents.length === 1 ? "depends" : "depend"} on ${requirement.text}, but ${fact}`;
}

function listVersions(versions: readonly string[]): string {
  if (versions.length <= VERSIONS_SHOWN) return versions.join(", ");
  return `${versions.slice(0, VERSIONS_SHOWN).join(", ")} and ${versions.length - VERSIONS_SHOWN} more`;
}
