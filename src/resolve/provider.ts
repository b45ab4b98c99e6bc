// What the resolver asks of the world (resolvelib's AbstractProvider, as
// pip's PipProvider answers it): the candidates of a project that meet
// every requirement on it, best first, and a candidate's dependencies.
// The resolver itself (resolve.ts) knows nothing of indexes, tags or
// markers; candidates.ts answers these questions from a package index.
import type { Specifier } from "../standards/pep440.js";

/**
 * One requirement on a project, as the resolver tracks it: an identifier
 * (`key`, or `key[extra]` for a project with one extra — pip's
 * ExtrasCandidate, which depends on the plain project at the same version)
 * and the versions it admits.
 */
export interface Requirement {
  /** The resolver's identifier: the canonical name, or `name[extra]`. */
  id: string;
  /** The project's name as written (for messages). */
  name: string;
  specifiers: readonly Specifier[];
  /** For messages: the requirement as written (`b>=1`, `a[x]==2.0`). */
  text: string;
  /** A constraint (`-c`): narrows versions, never asks for the project. */
  constraint?: boolean;
}

/** One version of a project (with at most one extra) the resolver may pin. */
export interface Candidate {
  /** Same identifier as the requirements it answers. */
  id: string;
  name: string;
  version: string;
}

/** Who asked for a requirement: a candidate, or the user (undefined). */
export interface RequirementInformation {
  requirement: Requirement;
  parent: Candidate | undefined;
}

export interface Provider<C extends Candidate = Candidate> {
  /**
   * The candidates for `id` that satisfy every requirement in
   * `requirements` and are none of `incompatible` (same version), best
   * first: the order of preference (installed kept unless upgrading,
   * newest first, pre-releases only as pip allows them). Never throws for
   * "none": an empty list is the answer.
   */
  findMatches(id: string, requirements: readonly Requirement[], incompatible: readonly C[]): Promise<C[]>;
  /** Whether a pinned candidate satisfies a requirement (its version is in the specifiers). */
  isSatisfiedBy(requirement: Requirement, candidate: C): boolean;
  /**
   * The candidate's dependencies whose markers hold for the target (and,
   * for `name[extra]`, `name==version` first, then the extra's). Throws a
   * VenvctlError when its metadata cannot be had.
   */
  dependencies(candidate: C): Promise<Requirement[]>;
  /** Told when the resolver pins a candidate (it may still be undone by backtracking). Optional. */
  pinned?(candidate: C): void;
  /** The order the user named projects in (pip's tie-break), by identifier; absent = not named. */
  userOrder(id: string): number | undefined;
  /**
   * Every version of the project behind `id` the provider has seen, newest
   * first (for "no version of b matches b>=5 (b has 1.0, 2.0)"); undefined
   * when it does not know. Optional: messages simply leave the list out.
   */
  versionsOf?(id: string): readonly string[] | undefined;
}
