// Dependency graphs for the resolver's tests and benchmark: random ones from a
// seed (the same seed gives the same graph on every machine, so a failure is
// rerun with VENVCTL_DIFF_SEEDS=N), one shaped like a real unpinned
// requirements.txt, and one that makes pip's resolver backtrack 100+ times.
// writeGraph turns a graph into real wheels (and a few sdists) with the
// builders beside this file, for the index server to serve.
//
// What the graphs hold, so that the differential test meets each case pip
// handles: ranges (>=, <, ==, !=, ~=, ==X.*), extras (Provides-Extra and
// `extra == "fast"` markers), environment markers true and false for CPython 3
// on Linux, yanked files (PEP 592), pre-releases (which pip takes only when a
// specifier names one or nothing else fits), Requires-Python that excludes the
// target, sdists (built by the installer), conflicts that need backtracking,
// cycles, and graphs that cannot be satisfied.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSdist } from "./sdist-builder.js";
import { buildWheel, wheelFileName } from "./wheel-builder.js";
import { sdistFileName } from "./sdist-builder.js";

/** One version of a project, as its METADATA says it. */
export interface GraphRelease {
  version: string;
  /** Requires-Dist values, markers included (`bee>=1.0; python_version < "3"`). */
  requires: string[];
  /** Provides-Extra names → the requirements each adds (written with `extra == "NAME"`). */
  extras?: Record<string, string[]>;
  /** Requires-Python, when the release has one. */
  requiresPython?: string;
  /** Its files are yanked (PEP 592): the reason, or true for none. */
  yanked?: string | true;
  /** "only": published as an sdist alone (the installer builds it); "also": a wheel and an sdist. */
  sdist?: "only" | "also";
}

export interface GraphProject {
  name: string;
  /** Oldest first. */
  releases: GraphRelease[];
}

/** Which cases a graph was made to contain (for the test's coverage check and for messages). */
export type GraphFeature =
  | "extras" | "markers" | "yanked" | "prerelease" | "requires-python" | "sdist"
  | "backtracking" | "unsatisfiable" | "cycle" | "missing-project";

export interface Graph {
  /** "random 17", "realistic", "backtracking". */
  label: string;
  projects: GraphProject[];
  /** The requirements file's lines. */
  requirements: string[];
  features: GraphFeature[];
}

export interface WrittenGraph {
  /** The requirements file (in the graph's directory). */
  requirementsFile: string;
  /** Yanked file names → reason, as serveIndex's `yanked` option takes them. */
  yanked: Record<string, string | true>;
}

/** mulberry32: a small, fast, seeded PRNG (the same on every platform). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** `n` distinct elements, in their original order. */
  sample<T>(xs: readonly T[], n: number): T[] {
    const idx = xs.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx.slice(0, Math.min(n, xs.length)).sort((a, b) => a - b).map((i) => xs[i]!);
  }
}

// Versions in PEP 440 order, so that a project's releases (a subset, in this
// order) are oldest first without a version parser here.
const VERSION_POOL = ["0.9", "1.0", "1.1", "1.2", "1.5", "2.0a1", "2.0b1", "2.0", "2.1", "2.1.1", "3.0rc1", "3.0", "3.1", "4.0.dev1"];
const isPre = (v: string) => /(a|b|rc|\.dev)\d+$/.test(v);

// Markers and what they are for the target (CPython 3.8+ on Linux).
const TRUE_MARKERS = ['python_version >= "3.8"', 'os_name == "posix"', 'sys_platform == "linux"', 'platform_python_implementation == "CPython"'];
const FALSE_MARKERS = ['python_version < "3"', 'sys_platform == "win32"', 'implementation_name == "pypy"', 'os_name == "nt"'];

const NAMES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu", "hen", "ibis", "jay", "koi", "lark"];

/**
 * A specifier for a dependency on a project with these versions (oldest
 * first), or "" for none (at least `loose` of the time). Each one alone
 * leaves some release; together they may not.
 */
function randomSpecifier(r: Random, versions: readonly string[], loose = 0.2): string {
  if (r.chance(loose)) return "";
  const v = r.pick(versions);
  const finals = versions.filter((x) => !isPre(x));
  switch (r.int(1, 9)) {
    case 1:
      return "";
    case 2:
      return `>=${v}`;
    case 3:
      // Below some release but the oldest: something is left.
      return `<${versions.length > 1 ? r.pick(versions.slice(1)) : "99"}`;
    case 4:
      return `==${v}`;
    case 5:
      return `!=${v}`;
    case 6: {
      const f = finals.length ? r.pick(finals) : v;
      return `~=${f}`;
    }
    case 7: {
      const f = finals.length ? r.pick(finals) : v;
      return `==${f.split(".")[0]}.*`;
    }
    default: {
      const [lo, hi] = r.sample(versions, 2);
      return hi ? `>=${lo},<${hi}` : `>=${lo}`;
    }
  }
}

/**
 * A random graph: 4 to 8 projects with 2 to 5 releases each, dependencies
 * from each project to later ones (a DAG, but for an occasional cycle), and
 * about a third of the graphs with a conflict planted that only backtracking
 * gets past, about one in eight with one that nothing gets past.
 */
export function randomGraph(seed: number): Graph {
  const r = new Random(seed * 7919 + 1);
  const features = new Set<GraphFeature>();
  const count = r.int(4, 8);
  const prefix = `r${seed}-`;
  const projects: GraphProject[] = NAMES.slice(0, count).map((n) => {
    const versions = r.sample(VERSION_POOL, r.int(2, 5));
    if (versions.some(isPre)) features.add("prerelease");
    return { name: prefix + n, releases: versions.map((version) => ({ version, requires: [] as string[] })) };
  });
  const versionsOf = (p: GraphProject) => p.releases.map((x) => x.version);
  const withMarker = (req: string): string => {
    if (!r.chance(0.15)) return req;
    features.add("markers");
    return `${req}; ${r.chance(0.5) ? r.pick(TRUE_MARKERS) : r.pick(FALSE_MARKERS)}`;
  };
  // Extras: some projects offer `fast`, which adds a dependency on a later project.
  const offersExtra = new Set<number>();
  projects.forEach((p, i) => {
    if (i < count - 1 && r.chance(0.35)) offersExtra.add(i);
  });
  const reqOn = (j: number, loose = 0.5): string => {
    const dep = projects[j]!;
    const extra = offersExtra.has(j) && r.chance(0.5) ? "[fast]" : "";
    if (extra) features.add("extras");
    return withMarker(`${dep.name}${extra}${randomSpecifier(r, versionsOf(dep), loose)}`);
  };

  projects.forEach((p, i) => {
    for (const rel of p.releases) {
      const later = projects.map((_, j) => j).filter((j) => j > i);
      for (const j of r.sample(later, r.int(0, Math.min(2, later.length)))) rel.requires.push(reqOn(j));
      if (offersExtra.has(i) && r.chance(0.8)) {
        const j = r.pick(later);
        rel.extras = { fast: [withMarker(`${projects[j]!.name}${randomSpecifier(r, versionsOf(projects[j]!), 0.5)}`)] };
      }
      // A dependency that exists for another platform only: never looked up.
      if (r.chance(0.05)) {
        rel.requires.push(`${prefix}nowhere>=1; ${r.pick(FALSE_MARKERS)}`);
        features.add("markers");
      }
    }
    const newest = p.releases[p.releases.length - 1]!;
    if (p.releases.length > 1 && r.chance(0.12)) {
      newest.yanked = r.chance(0.5) ? "broken build" : true;
      features.add("yanked");
    }
    if (p.releases.length > 1 && r.chance(0.06)) {
      newest.requiresPython = "<3";
      features.add("requires-python");
    }
  });
  // Now and then a cycle: the last project needs the first (loosely).
  if (r.chance(0.1)) {
    projects[count - 1]!.releases[0]!.requires.push(`${projects[0]!.name}>=${projects[0]!.releases[0]!.version}`);
    features.add("cycle");
  }
  // A few sdists: one release published as an sdist alone, or beside its wheel.
  if (r.chance(0.12)) {
    const p = r.pick(projects);
    r.pick(p.releases).sdist = r.chance(0.4) ? "only" : "also";
    features.add("sdist");
  }

  const requirements: string[] = [];
  const rootIdx = r.sample(projects.map((_, i) => i), r.int(2, Math.min(4, count)));
  for (const i of rootIdx) requirements.push(i === 0 ? `${projects[0]!.name}${randomSpecifier(r, versionsOf(projects[0]!))}` : reqOn(i, 0.2));
  if (!rootIdx.includes(0)) requirements.unshift(projects[0]!.name);

  // A planted conflict: x's newest releases need y >= k, the root wants y < k;
  // x's older releases do not, so backtracking finds them.
  if (r.chance(0.33)) {
    const xi = r.int(0, count - 2);
    const yi = r.int(xi + 1, count - 1);
    const x = projects[xi]!;
    const y = projects[yi]!;
    if (x.releases.length >= 2 && y.releases.length >= 2) {
      const k = r.int(1, y.releases.length - 1);
      const cut = y.releases[k]!.version;
      const bad = r.int(1, x.releases.length - 1);
      x.releases.forEach((rel, n) => {
        rel.requires = rel.requires.filter((q) => !q.startsWith(`${y.name}[`) && !new RegExp(`^${y.name}(?![\\w.-])`).test(q));
        if (n >= x.releases.length - bad) rel.requires.push(`${y.name}>=${cut}`);
      });
      requirements.push(x.name, `${y.name}<${cut}`);
      features.add("backtracking");
    }
  }
  // A conflict nothing gets past, of one of three kinds.
  if (r.chance(0.12)) {
    const kind = r.int(0, 2);
    const x = projects[r.int(0, count - 2)]!;
    if (kind === 0) {
      // Every release of x pins y to its newest; the root refuses that one.
      const y = projects[count - 1]!;
      const last = y.releases[y.releases.length - 1]!.version;
      for (const rel of x.releases) rel.requires.push(`${y.name}==${last}`);
      requirements.push(x.name, `${y.name}!=${last}`);
    } else if (kind === 1) {
      requirements.push(`${x.name}>=9`);
    } else {
      // A dependency (for every platform) on a project the index does not have.
      for (const rel of x.releases) rel.requires.push(`${prefix}missing>=1`);
      requirements.push(x.name);
      features.add("missing-project");
    }
    features.add("unsatisfiable");
  }
  // A root line for another platform, and a comment: both ignored.
  if (r.chance(0.2)) {
    requirements.push(`# for Windows only`, `${projects[count - 1]!.name}==0.0.1; sys_platform == "win32"`);
    features.add("markers");
  }
  return { label: `random ${seed}`, projects, requirements, features: [...features].sort() };
}

// 30 project names as a real requirements file has them: dots, underscores, capitals.
const REALISTIC_NAMES = [
  "rw-requests", "rw-urllib3", "rw-certifi", "rw-idna", "rw-charset-normalizer", "rw-click", "rw-flask", "rw-werkzeug",
  "rw-jinja2", "rw-markupsafe", "rw-itsdangerous", "rw-blinker", "rw-sqlalchemy", "rw-greenlet", "rw-typing-extensions",
  "rw-pydantic", "rw-pydantic-core", "rw-annotated-types", "rw-python-dateutil", "rw-six", "rw-pytz", "rw-tzdata",
  "rw-numpy", "rw-pandas", "rw-packaging", "rw-attrs", "RW_PyYAML", "rw.colorama", "rw-tqdm", "rw-rich",
];

/**
 * A graph shaped like a real project's unpinned requirements.txt: 30 projects
 * with 3 to 5 releases each, dependencies with ranges between them (newest
 * releases satisfy each other, as on PyPI most days), one extra, markers true
 * and false, one yanked newest release, one pre-release newer than the rest;
 * the file names 24 of the 30 with ranges and leaves the rest to be pulled in.
 */
export function realisticGraph(): Graph {
  const r = new Random(20240601);
  const majors = ["1", "2", "3"];
  const projects: GraphProject[] = REALISTIC_NAMES.map((name) => {
    const n = r.int(3, 5);
    const major = r.pick(majors);
    const versions: string[] = [];
    for (let i = 0; i < n; i++) versions.push(i === n - 1 && r.chance(0.3) ? `${Number(major) + 1}.0` : `${major}.${i}.${r.int(0, 3)}`);
    return { name, releases: versions.map((version) => ({ version, requires: [] as string[] })) };
  });
  const oldest = (p: GraphProject) => p.releases[0]!.version;
  const nextMajor = (p: GraphProject) => `${Number(p.releases[p.releases.length - 1]!.version.split(".")[0]) + 1}`;
  // Each project's releases but the oldest depend on 1 to 3 of the projects after it.
  projects.forEach((p, i) => {
    const later = projects.map((_, j) => j).filter((j) => j > i);
    const deps = r.sample(later, r.int(0, Math.min(3, later.length)));
    p.releases.forEach((rel, n) => {
      if (n === 0) return;
      for (const j of deps) {
        const d = projects[j]!;
        rel.requires.push(r.chance(0.5) ? `${d.name}>=${oldest(d)}` : `${d.name}>=${oldest(d)},<${nextMajor(d)}`);
      }
    });
  });
  const byName = (n: string) => projects.find((p) => p.name === n)!;
  const newest = (p: GraphProject) => p.releases[p.releases.length - 1]!;
  newest(byName("rw-requests")).extras = { socks: [`rw-six>=${oldest(byName("rw-six"))}`] };
  newest(byName("rw-flask")).requires.push(`rw-colorama; sys_platform == "win32"`, `rw-blinker>=${oldest(byName("rw-blinker"))}; python_version >= "3.8"`);
  newest(byName("rw-tqdm")).requires.push(`rw.colorama; platform_system == "Windows"`);
  newest(byName("rw-attrs")).yanked = "regression";
  byName("rw-rich").releases.push({ version: "99.0b1", requires: [] });

  const requirements = ["# what `pip freeze` never wrote: ranges, as people write them"];
  for (const p of projects.slice(0, 24)) {
    const spec = r.pick([`>=${oldest(p)}`, `>=${oldest(p)},<${nextMajor(p)}`, `~=${newest(p).version.split(".").slice(0, 2).join(".")}`, ""]);
    requirements.push(p.name === "rw-requests" ? `${p.name}[socks]${spec}` : `${p.name}${spec}`);
  }
  return { label: "realistic", projects, requirements, features: ["extras", "markers", "yanked", "prerelease"] };
}

/**
 * A graph pip's resolver gets through only by rejecting 110 candidates: the
 * root wants `bt-app` and `bt-base<2`; bt-app's newest 110 releases each need
 * `bt-mid`, whose every release needs `bt-base>=2`, so each of them is pinned,
 * its dependencies looked at, and given up; bt-app 0.1 (needing bt-base<2)
 * is where the resolution ends.
 */
export function backtrackingGraph(): Graph {
  const app: GraphRelease[] = [{ version: "0.1", requires: ["bt-base>=1,<2"] }];
  for (let i = 1; i <= 110; i++) app.push({ version: `1.${i}`, requires: [`bt-mid>=1.${i % 3}`] });
  return {
    label: "backtracking",
    projects: [
      { name: "bt-app", releases: app },
      { name: "bt-mid", releases: ["1.0", "1.1", "1.2"].map((version) => ({ version, requires: ["bt-base>=2"] })) },
      { name: "bt-base", releases: ["1.0", "1.5", "2.0", "2.1"].map((version) => ({ version, requires: [] })) },
    ],
    requirements: ["bt-app", "bt-base<2"],
    features: ["backtracking"],
  };
}

/** The METADATA lines of a release beyond Name and Version. */
function metadataLines(rel: GraphRelease): string[] {
  const lines: string[] = [];
  if (rel.requiresPython) lines.push(`Requires-Python: ${rel.requiresPython}`);
  for (const q of rel.requires) lines.push(`Requires-Dist: ${q}`);
  for (const [extra, reqs] of Object.entries(rel.extras ?? {})) {
    lines.push(`Provides-Extra: ${extra}`);
    for (const q of reqs) {
      const [req, marker] = q.split(/;\s*/, 2) as [string, string | undefined];
      lines.push(`Requires-Dist: ${req}; ${marker ? `(${marker}) and ` : ""}extra == "${extra}"`);
    }
  }
  return lines;
}

/**
 * Writes the graph's wheels and sdists into `dir` (what serveIndex serves) and
 * its requirements file beside them (the server ignores it).
 */
export function writeGraph(graph: Graph, dir: string): WrittenGraph {
  mkdirSync(dir, { recursive: true });
  const yanked: Record<string, string | true> = {};
  for (const p of graph.projects) {
    const module = p.name.replace(/[-.]+/g, "_").toLowerCase();
    for (const rel of p.releases) {
      const files = { [`${module}/__init__.py`]: `VERSION = ${JSON.stringify(rel.version)}\n` };
      const metadata = metadataLines(rel);
      const names: string[] = [];
      if (rel.sdist !== "only") {
        buildWheel(dir, { name: p.name, version: rel.version, metadata, files });
        names.push(wheelFileName({ name: p.name, version: rel.version }));
      }
      if (rel.sdist) {
        buildSdist(dir, { name: p.name, version: rel.version, metadata, files });
        names.push(sdistFileName({ name: p.name, version: rel.version }));
      }
      if (rel.yanked !== undefined) for (const n of names) yanked[n] = rel.yanked;
    }
  }
  const requirementsFile = join(dir, "requirements.txt");
  writeFileSync(requirementsFile, graph.requirements.join("\n") + "\n");
  return { requirementsFile, yanked };
}

/** The graph as text, for a failure message: the requirements file, then every release. */
export function describeGraph(graph: Graph): string {
  const out = [`graph ${graph.label} (features: ${graph.features.join(", ") || "none"})`, "requirements.txt:"];
  for (const line of graph.requirements) out.push(`  ${line}`);
  for (const p of graph.projects) {
    for (const rel of p.releases) {
      const notes = [
        rel.yanked !== undefined ? `yanked${rel.yanked === true ? "" : `: ${rel.yanked}`}` : "",
        rel.sdist === "only" ? "sdist only" : rel.sdist === "also" ? "wheel and sdist" : "",
        rel.requiresPython ? `Requires-Python ${rel.requiresPython}` : "",
      ].filter(Boolean);
      const extras = Object.entries(rel.extras ?? {}).map(([e, qs]) => ` [${e}]: ${qs.join(", ")}`).join("");
      out.push(`${p.name} ${rel.version}${notes.length ? ` (${notes.join("; ")})` : ""}: ${rel.requires.join(", ") || "-"}${extras}`);
    }
  }
  return out.join("\n");
}
