// The resolver's questions answered from a package index, as pip's
// resolvelib provider and factory answer them
// (pip/_internal/resolution/resolvelib/{provider,factory,found_candidates}.py):
// a project's candidates are its versions that every requirement admits
// (pre-releases as packaging's SpecifierSet.filter lets them), newest first,
// each version's best file by pip's CandidateEvaluator sort key (wheel tags,
// --prefer-binary, yanked last), yanked files only for an exact pin that
// nothing else meets; an installed distribution that fits is kept first
// unless the project may be upgraded, and never with --force-reinstall. A
// candidate's dependencies are its metadata's Requires-Dist whose markers
// hold for the target, and its Requires-Python as a requirement on the
// interpreter (pip's RequiresPythonRequirement).
import type { IndexClient } from "../index/client.js";
import type { IndexFile } from "../index/files.js";
import { allowedFormats, type IndexSettings } from "../index/settings.js";
import { VenvctlError } from "../errors.js";
import { evaluateMarker } from "../standards/markers.js";
import { parseHeaders } from "../standards/metadata.js";
import { canonicalizeName } from "../standards/names.js";
import { comparePep440, normalizeVersion, parsePep440, parseSpecifierSet, specifierContains, type Specifier } from "../standards/pep440.js";
import { parseRequirement, type Grammar } from "../standards/requirement.js";
import type { TagPriorities } from "../standards/wheel-tags.js";
import type { Candidate, Provider, Requirement } from "./provider.js";
import { bestOfRanked, rankFiles, type RankedFiles } from "./ranking.js";

/** The identifier of the requirement every candidate's Requires-Python becomes. */
export const PYTHON_ID = "<python>";

/** What the resolver reads of an installed distribution. */
export interface InstalledFacts {
  key: string;
  name: string;
  version: string;
  /** Its Requires-Dist and Provides-Extra, read only when the resolver keeps it. */
  metadata(): { requiresDist: readonly string[]; providesExtra: readonly string[] };
}

/** A version of a project the resolver may pin: from the index (its best file) or the installed one. */
export interface IndexCandidate extends Candidate {
  key: string;
  /** Canonical extras of an `name[extra]` identifier, sorted; [] for the project itself. */
  extras: readonly string[];
  file?: IndexFile | undefined;
  installed?: InstalledFacts | undefined;
}

/** The metadata of a chosen file, once read: what the resolution report carries. */
export interface CandidateMetadata {
  name: string;
  version: string;
  requiresDist: string[];
  requiresPython: string | undefined;
  providesExtra: string[];
}

export interface IndexProviderOptions {
  client: Pick<IndexClient, "projectFiles" | "metadata">;
  settings: Pick<IndexSettings, "pre" | "onlyBinary" | "noBinary" | "preferBinary">;
  tags: TagPriorities;
  /** The target's PEP 508 marker variables. */
  markerEnv: Readonly<Record<string, string>>;
  /** The env's pip reads markers with packaging before 22 (pip before 24.1). */
  legacyMarkers: boolean;
  /** How this pip's packaging reads a Requires-Dist. */
  grammar: Grammar;
  /** Installed distributions by canonical name ([] with --ignore-installed). */
  installed: ReadonlyMap<string, InstalledFacts>;
  /** -c constraints by canonical name: they narrow a project's versions (and its extras'), never ask for it. */
  constraints: ReadonlyMap<string, readonly Specifier[]>;
  /** --no-deps: a candidate depends on nothing but Python (and, for `name[extra]`, on `name`). */
  noDeps: boolean;
  /** Canonical names that may be upgraded past what is installed (--upgrade: the projects named). */
  upgrade: ReadonlySet<string>;
  forceReinstall: boolean;
  /** Canonical names in the order the user named them. */
  userOrder: ReadonlyMap<string, number>;
  /** The METADATA of an sdist whose PKG-INFO is not static: built (pip wheel), read from the built wheel. */
  build(file: IndexFile): Promise<string>;
  /** Told of each index file the resolver pins. */
  onPin?: ((file: IndexFile) => void) | undefined;
}

/** The identifier pip's resolver gives a requirement: `name`, or `name[extra,…]`. */
export function identify(key: string, extras: readonly string[]): string {
  return extras.length ? `${key}[${[...extras].sort().join(",")}]` : key;
}

/** `name[a,b]` → key and extras. */
function split(id: string): { key: string; extras: string[] } {
  const open = id.indexOf("[");
  return open < 0 ? { key: id, extras: [] } : { key: id.slice(0, open), extras: id.slice(open + 1, -1).split(",") };
}

/** The resolver's provider over a package index, for one target interpreter. */
export class IndexProvider implements Provider<IndexCandidate> {
  private readonly candidates = new Map<string, IndexCandidate>();
  private readonly metadataOf = new Map<IndexCandidate, Promise<CandidateMetadata>>();
  private readonly ranked = new Map<string, Promise<RankedFiles>>();
  private readonly prefetched = new Set<string>();
  /** The versions each project's index offers this target, newest first, once its page was read. */
  private readonly versionsSeen = new Map<string, readonly string[]>();

  constructor(private readonly opts: IndexProviderOptions) {}

  pinned(candidate: IndexCandidate): void {
    if (candidate.file) this.opts.onPin?.(candidate.file);
  }

  userOrder(id: string): number | undefined {
    return this.opts.userOrder.get(split(id).key);
  }

  isSatisfiedBy(requirement: Requirement, candidate: IndexCandidate): boolean {
    return requirement.specifiers.every((s) => specifierContains(s, candidate.version, true));
  }

  versionsOf(id: string): readonly string[] | undefined {
    return this.versionsSeen.get(split(id).key);
  }

  async findMatches(id: string, requirements: readonly Requirement[], incompatible: readonly IndexCandidate[]): Promise<IndexCandidate[]> {
    const specs = requirements.flatMap((r) => r.specifiers);
    if (id === PYTHON_ID) {
      const version = this.pythonVersion();
      return specs.every((s) => specifierContains(s, version, true)) ? [this.candidate(PYTHON_ID, "Python", version, [], {})] : [];
    }
    const { key, extras } = split(id);
    // pip's find_matches: the constraint on the project applies to every identifier of it.
    specs.push(...(this.opts.constraints.get(key) ?? []));
    const excluded = new Set(incompatible.map((c) => c.version));
    const out: IndexCandidate[] = [];
    const installed = this.opts.forceReinstall ? undefined : this.opts.installed.get(key);
    const installedFits = installed !== undefined && specs.every((s) => specifierContains(s, installed.version, true)) && !excluded.has(this.norm(installed.version));
    const installedCandidate = installedFits ? this.candidate(id, installed.name, this.norm(installed.version), extras, { installed }) : undefined;
    const prefersInstalled = !this.opts.upgrade.has(key);
    if (installedCandidate && prefersInstalled) out.push(installedCandidate);

    const best = await this.bestFiles(key, specs);
    for (const [version, file] of best) {
      if (excluded.has(version)) continue;
      if (installedCandidate && version === installedCandidate.version) {
        // pip's _iter_built_with_inserted: the installed distribution takes its version's place.
        if (!prefersInstalled) out.push(installedCandidate);
        continue;
      }
      out.push(this.candidate(id, file.project, version, extras, { file }));
    }
    if (installedCandidate && !prefersInstalled && !out.includes(installedCandidate)) {
      // Installed at a version the index lacks: it still stands, in its version's place.
      const at = out.findIndex((c) => comparePep440(parsePep440(c.version)!, parsePep440(installedCandidate.version)!) < 0);
      out.splice(at < 0 ? out.length : at, 0, installedCandidate);
    }
    return out;
  }

  async dependencies(candidate: IndexCandidate): Promise<Requirement[]> {
    if (candidate.id === PYTHON_ID) return [];
    const md = await this.metadata(candidate);
    const out: Requirement[] = [];
    if (candidate.extras.length) {
      // pip's ExtrasCandidate: the project itself at the same version, then what the extras add.
      out.push({ id: candidate.key, name: candidate.name, specifiers: [{ op: "==", version: candidate.version }], text: `${candidate.name}==${candidate.version}` });
    } else if (md.requiresPython !== undefined) {
      const specs = parseSpecifierSet(md.requiresPython);
      // An invalid Requires-Python is ignored, as pip does (with a warning there).
      if (specs?.length) out.push({ id: PYTHON_ID, name: "Python", specifiers: specs, text: `Python${md.requiresPython.replace(/\s+/g, "")}` });
    }
    if (this.opts.noDeps) return out;
    const provided = new Set(md.providesExtra.map(canonicalizeName));
    const extras = candidate.extras.filter((x) => provided.has(x));
    // importlib's iter_dependencies as pip calls it: markers under each valid extra, or under "" for none.
    const contexts = extras.length ? extras : [""];
    for (const raw of md.requiresDist) {
      const parsed = parseRequirement(raw, this.opts.grammar);
      if (!parsed.ok) throw new VenvctlError(`${candidate.name} ${candidate.version} has an invalid Requires-Dist: ${raw}`, { hint: "VENVCTL_RESOLVER=pip lets pip resolve (it skips such a distribution with a warning)" });
      const req = parsed.req;
      if (req.marker && !contexts.some((x) => this.markerHolds(req.marker!, x))) continue;
      if (req.url) throw new VenvctlError(`${candidate.name} ${candidate.version} depends on a URL (${raw})`, { hint: "VENVCTL_RESOLVER=pip lets pip resolve it" });
      const key = canonicalizeName(req.name);
      const reqExtras = [...new Set(req.extras.map(canonicalizeName))];
      out.push({ id: identify(key, reqExtras), name: req.name, specifiers: req.specifiers, text: raw.split(";")[0]!.trim() });
    }
    this.prefetch(out);
    return out;
  }

  /**
   * Starts reading what the resolver will most likely ask next for each
   * requirement, without waiting: the project's page, then the metadata of
   * its best admitted file. The resolver asks one question at a time; with
   * a cold cache each would be a round trip, so this keeps several in flight
   * (as the pages of a candidate's dependencies and their newest versions'
   * metadata are what it asks next). Failures are left for the resolver's
   * own asking to report; nothing is built (an sdist's dynamic metadata
   * waits until the resolver wants it).
   */
  prefetch(requirements: readonly Requirement[]): void {
    for (const r of requirements) {
      if (r.id === PYTHON_ID) continue;
      const { key } = split(r.id);
      if (this.prefetched.has(r.id)) continue;
      this.prefetched.add(r.id);
      const specs = [...r.specifiers, ...(this.opts.constraints.get(key) ?? [])];
      this.bestFiles(key, specs).then(
        (best) => {
          const first = best[0];
          if (first) this.opts.client.metadata(first[1]).catch(() => undefined);
        },
        () => undefined,
      );
    }
  }

  /** The candidate's metadata (read once): the installed distribution's, the index's, or a build's. */
  metadata(candidate: IndexCandidate): Promise<CandidateMetadata> {
    let p = this.metadataOf.get(candidate);
    if (!p) {
      p = this.readMetadata(candidate);
      this.metadataOf.set(candidate, p);
    }
    return p;
  }

  private async readMetadata(c: IndexCandidate): Promise<CandidateMetadata> {
    if (c.installed) {
      const md = c.installed.metadata();
      // pip does not hold an installed distribution to its Requires-Python.
      return { name: c.installed.name, version: c.installed.version, requiresDist: [...md.requiresDist], requiresPython: undefined, providesExtra: [...md.providesExtra] };
    }
    const file = c.file!;
    const text = (await this.opts.client.metadata(file)) ?? (await this.opts.build(file));
    const headers = parseHeaders(text);
    const name = headers.get("Name")?.trim();
    const version = headers.get("Version")?.trim();
    // pip's MetadataInconsistent: the file says it is another project or version.
    if (!name || canonicalizeName(name) !== c.key || !version || this.norm(version) !== c.version) {
      throw new VenvctlError(`${file.filename} (from ${file.source}) holds metadata for ${name ?? "no name"} ${version ?? "no version"}, not ${c.name} ${c.version}`, {
        hint: "the index serves a file under the wrong name; VENVCTL_RESOLVER=pip lets pip skip it",
      });
    }
    return { name, version, requiresDist: headers.getAll("Requires-Dist"), requiresPython: headers.get("Requires-Python")?.trim(), providesExtra: headers.getAll("Provides-Extra") };
  }

  /** Each admitted version's best file, newest first (pip's find_best_candidate, then iter_index_candidate_infos). */
  private async bestFiles(key: string, specs: readonly Specifier[]): Promise<Array<[string, IndexFile]>> {
    return bestOfRanked(await this.rankedFiles(key), specs, this.opts.settings.pre);
  }

  /**
   * A project's usable files (allowed format, a wheel this interpreter
   * takes, a Requires-Python it meets), best first by pip's
   * CandidateEvaluator._sort_key, and its versions newest first: what does
   * not depend on the requirements, worked out once per project.
   */
  private rankedFiles(key: string): Promise<RankedFiles> {
    let p = this.ranked.get(key);
    if (!p) {
      p = this.opts.client.projectFiles(key).then((files) => this.rank(key, files));
      this.ranked.set(key, p);
      p.catch(() => this.ranked.delete(key));
    }
    return p;
  }

  private rank(key: string, files: readonly IndexFile[]): RankedFiles {
    const ranked = rankFiles(files, {
      formats: allowedFormats(this.opts.settings, key),
      tags: this.opts.tags,
      python: this.pythonVersion(),
      preferBinary: this.opts.settings.preferBinary,
    });
    this.versionsSeen.set(key, ranked.versions);
    return ranked;
  }

  /** One object per identifier, version and source: the resolver tells incompatibilities by identity. */
  private candidate(id: string, name: string, version: string, extras: readonly string[], from: { file?: IndexFile; installed?: InstalledFacts }): IndexCandidate {
    const k = `${id} ${version} ${from.installed ? "installed" : from.file?.url ?? ""}`;
    let c = this.candidates.get(k);
    if (!c) {
      c = { id, name, version, key: split(id).key, extras: [...extras].map(canonicalizeName), file: from.file, installed: from.installed };
      this.candidates.set(k, c);
    }
    return c;
  }

  private norm(version: string): string {
    return normalizeVersion(version) ?? version;
  }

  private pythonVersion(): string {
    const full = this.opts.markerEnv.python_full_version ?? this.opts.markerEnv.python_version ?? "";
    return full.replace(/\+$/, "");
  }

  private markerHolds(marker: Parameters<typeof evaluateMarker>[0], extra: string): boolean {
    const env: Record<string, string> = { ...this.opts.markerEnv, extra };
    if (!this.opts.legacyMarkers && env.python_full_version?.endsWith("+")) env.python_full_version += "local";
    return evaluateMarker(marker, env, { legacy: this.opts.legacyMarkers });
  }
}
