// Resolution by venvctl itself, for install, sync, reinstall and lock: the
// requirements and constraints as pip reads them, the index settings as pip
// settles them (index/settings.ts), the provider over the index
// (candidates.ts) and the backtracking resolver (resolve.ts); the answer is
// what pip's `--dry-run --report` would list, so everything after
// resolution is the same whichever resolved. Where venvctl cannot resolve
// as pip would (a URL requirement, hash-checking mode, a setting it does
// not honour, VENVCTL_RESOLVER=pip), it says why and pip resolves.
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import { IndexClient } from "../index/client.js";
import type { IndexFile } from "../index/files.js";
import { indexSettings, type IndexSettings } from "../index/settings.js";
import type { CheckedEnvironment } from "../plans/install-check.js";
import { markerMayHold } from "../plans/satisfaction.js";
import type { ResolvedDist } from "../pip/report.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import type { IndexOptions } from "../pip/runner.js";
import { pipSettingsSteeringResolution } from "../pip/settings.js";
import { canonicalizeName } from "../standards/names.js";
import type { Specifier } from "../standards/pep440.js";
import { TagPriorities } from "../standards/wheel-tags.js";
import { debug } from "../util/log.js";
import { identify, IndexProvider, PYTHON_ID, type InstalledFacts } from "./candidates.js";
import type { Requirement } from "./provider.js";
import { resolve } from "./resolve.js";

/** How long a resolution may search before it is given up (pip has only its round limit; a user waiting has less patience). */
const RESOLUTION_DEADLINE_MS = 180_000;

/** Who resolves: VENVCTL_RESOLVER (`venvctl`, the default, or `pip`). */
export function resolverChoice(env: Readonly<Record<string, string | undefined>>): "venvctl" | "pip" {
  const v = env.VENVCTL_RESOLVER;
  if (v === undefined || v === "" || v === "venvctl") return "venvctl";
  if (v === "pip") return "pip";
  throw new UsageError(`VENVCTL_RESOLVER=${v} is not a resolver venvctl knows`, { hint: "VENVCTL_RESOLVER=venvctl (the default) or VENVCTL_RESOLVER=pip" });
}

/**
 * The index settings venvctl resolves with, or why pip resolves these
 * inputs instead.
 */
export function nativeResolution(
  ctx: Pick<Context, "env" | "dirs" | "platform" | "cwd">,
  target: PackageTarget,
  inputs: ParsedRequirements,
  index: IndexOptions,
): { settings: IndexSettings } | { why: string } {
  if (resolverChoice(ctx.env) === "pip") return { why: "VENVCTL_RESOLVER=pip" };
  if (!target.interpreter.info.marker_env || !target.interpreter.info.tags) return { why: "the interpreter's probe has no marker variables or wheel tags" };
  for (const e of inputs.entries) {
    if (e.spec.kind !== "named") return { why: `${e.text} is not a name and version range` };
    if (e.spec.req.url) return { why: `${e.text} names a URL` };
    if (e.readAs) return { why: `${e.text} is read differently by different pips` };
    if (Object.keys(e.hashes).length) return { why: "hash-checking mode (--hash): pip checks what it resolves" };
  }
  if (inputs.options.some((o) => o.name === "--require-hashes")) return { why: "hash-checking mode (--require-hashes): pip checks what it resolves" };
  const steering = pipSettingsSteeringResolution(ctx, target.prefix);
  if (steering) return { why: steering };
  const answer = indexSettings(ctx, target.prefix, index, inputs.options);
  return "unsupported" in answer ? { why: answer.unsupported } : answer;
}

export interface NativeResolveOptions {
  settings: IndexSettings;
  /** --upgrade: the projects named may move past what is installed. */
  upgrade: boolean;
  forceReinstall: boolean;
  noDeps: boolean;
  /** What is installed (undefined: ignored, as a lock resolves). */
  checked: CheckedEnvironment | undefined;
  /** An sdist whose metadata is not static, built (pip wheel): its METADATA. */
  build(file: IndexFile, client: IndexClient): Promise<string>;
  /** Told of each file the resolver pins (an install starts fetching it: EarlyFetches). */
  onPin?: ((file: IndexFile, client: IndexClient) => void) | undefined;
}

export interface NativeResolution {
  /** What to install, as pip's report lists it. */
  install: ResolvedDist[];
  /** The index file each comes from (to download or build). */
  files: Map<ResolvedDist, IndexFile>;
  /** The client that read the index (to download what is chosen); the caller closes it. */
  client: IndexClient;
  rounds: number;
  backtracks: number;
}

/** Resolves the inputs against the index for the target; the client stays open for the downloads. */
export async function resolveNatively(ctx: Context, target: PackageTarget, inputs: ParsedRequirements, opts: NativeResolveOptions): Promise<NativeResolution> {
  const info = target.interpreter.info;
  const markerEnv = info.marker_env!;
  const markers = { env: markerEnv };
  const roots: Requirement[] = [];
  const constraints = new Map<string, Specifier[]>();
  const userOrder = new Map<string, number>();
  const requestedExtras = new Map<string, Set<string>>();
  for (const e of inputs.entries) {
    if (e.spec.kind !== "named") continue;
    // pip's match_markers: a line whose marker fails here is ignored.
    if (e.marker && !markerMayHold(e.marker, markers, "")) continue;
    const req = e.spec.req;
    const key = canonicalizeName(req.name);
    if (e.constraint) {
      constraints.set(key, [...(constraints.get(key) ?? []), ...req.specifiers]);
      continue;
    }
    if (!userOrder.has(key)) userOrder.set(key, userOrder.size);
    const extras = [...new Set(req.extras.map(canonicalizeName))];
    const had = requestedExtras.get(key) ?? new Set();
    for (const x of req.extras) had.add(x);
    requestedExtras.set(key, had);
    roots.push({ id: identify(key, extras), name: req.name, specifiers: req.specifiers, text: e.text });
  }
  const installed = new Map<string, InstalledFacts>();
  if (opts.checked) {
    for (const d of opts.checked.index.all()) {
      installed.set(d.canonicalName, {
        key: d.canonicalName,
        name: d.rawName,
        version: d.version.text,
        metadata: () => {
          const h = d.headers("all");
          return { requiresDist: h.getAll("Requires-Dist"), providesExtra: h.getAll("Provides-Extra") };
        },
      });
    }
  }
  const client = new IndexClient(ctx, opts.settings);
  const profile = opts.checked?.opened.profile;
  const provider = new IndexProvider({
    client,
    settings: opts.settings,
    tags: TagPriorities.of(info),
    markerEnv,
    legacyMarkers: profile ? profile.grammar.legacySpecifiers === true : false,
    grammar: profile?.grammar ?? {},
    installed,
    constraints,
    upgrade: opts.upgrade ? new Set(userOrder.keys()) : new Set(),
    forceReinstall: opts.forceReinstall,
    noDeps: opts.noDeps,
    userOrder,
    build: (file) => opts.build(file, client),
    onPin: opts.onPin && ((file) => opts.onPin!(file, client)),
  });
  provider.prefetch(roots.filter((r) => !r.constraint));
  let resolution;
  try {
    resolution = await resolve(roots, provider, { deadline: Date.now() + RESOLUTION_DEADLINE_MS, debug: (m) => debug(ctx, `resolver: ${m}`) });
  } catch (err) {
    client.close();
    throw err;
  }
  const install: ResolvedDist[] = [];
  const files = new Map<ResolvedDist, IndexFile>();
  for (const [id, c] of resolution.pins) {
    if (id === PYTHON_ID || c.extras.length || !c.file) continue;
    const md = await provider.metadata(c);
    const had = installed.get(c.key);
    if (had && !opts.forceReinstall && had.version === md.version) continue;
    const entry = reportEntry(c.file, c.key, md, userOrder.has(c.key), [...(requestedExtras.get(c.key) ?? [])]);
    install.push(entry);
    files.set(entry, c.file);
  }
  debug(ctx, `resolved by venvctl: ${resolution.pins.size} pins in ${resolution.rounds} rounds, ${resolution.backtracks} backtracks; to install: ${install.map((d) => `${d.name} ${d.version}`).join(", ") || "nothing"}`);
  return { install, files, client, rounds: resolution.rounds, backtracks: resolution.backtracks };
}

/** A chosen candidate as pip's report entry (what install and lock read of a resolution). */
function reportEntry(
  file: IndexFile,
  key: string,
  md: { name: string; version: string; requiresDist: string[]; requiresPython: string | undefined },
  requested: boolean,
  requestedExtras: string[],
): ResolvedDist {
  const sha256 = file.hashes.sha256;
  return {
    name: md.name,
    key,
    version: md.version,
    download: { url: file.url, archive_info: sha256 ? { hash: `sha256=${sha256}`, hashes: { sha256 } } : {} },
    kind: file.kind,
    sha256,
    requested,
    isDirect: false,
    requestedExtras,
    requiresPython: md.requiresPython,
    requiresDist: md.requiresDist,
    fileName: file.filename,
  };
}
