// The resolver, differentially: for many random dependency graphs (built as
// wheels and served on 127.0.0.1), `venvctl lock -r req.txt -o -` beside
// pip's own answer (`pip install --dry-run --report`, installed
// distributions ignored) in the same venv. The chosen name==version sets must
// be equal; where they are not, pip is asked whether it accepts venvctl's set
// (pinned by a constraints file), and where both refuse, that both do so.
//   VENVCTL_DIFF_GRAPHS=N    how many graphs (seeds 1..N; default 300: about 4 minutes on 2 cores)
//   VENVCTL_DIFF_SEEDS=1,2,3 only these seeds (to rerun a failure)
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import toml from "toml";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { serveIndex } from "../helpers/index-server.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { backtrackingGraph, describeGraph, randomGraph, writeGraph, type Graph } from "../helpers/random-graphs.js";
import { CLI, describeResult, runCli, spawnAsync, type CliResult } from "../helpers/run-cli.js";

const GRAPHS = Number(process.env.VENVCTL_DIFF_GRAPHS ?? 300);
const SEEDS = process.env.VENVCTL_DIFF_SEEDS
  ? process.env.VENVCTL_DIFF_SEEDS.split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n))
  : Array.from({ length: GRAPHS }, (_, i) => i + 1);
// Two graphs at a time: each runs two or three Python processes, on a 2-core machine.
const CONCURRENCY = 2;

let sb: Sandbox & { cleanup(): void };
let venv: string;
let python: string;

before(() => {
  sb = makeSandbox(undefined, "venvctl-resolve-diff");
  // One venv for the whole file: venvctl locks for it, and its pip is the oracle.
  const py = pyenvPython("3.12");
  assert.ok(py, "pyenv's CPython 3.12 is installed (see ARCHITECTURE.md, machine facts)");
  venv = join(sb.work, "oracle");
  const r = runCli(["create", "-p", py, venv], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, describeResult(r));
  python = join(venv, "bin", "python");
});
after(() => sb.cleanup());

const normalize = (name: string) => name.replace(/[-_.]+/g, "-").toLowerCase();

type Outcome = "exact" | "also-accepts" | "both-refuse" | "disagree";

interface GraphRun {
  seed: number;
  outcome: Outcome;
  /** Why it disagrees (with both sides' output), for the failure message. */
  detail?: string;
  /** pip said it was looking at several versions of a project: its resolver backtracked. */
  backtracked: boolean;
  /** pip's chosen set installs some distribution with an extra. */
  usedExtras: boolean;
  /** pip chose a pre-release. */
  chosePrerelease: boolean;
  /** pip refused on its own but accepts venvctl's set when pinned to it. */
  pipRefusedAlone?: boolean;
}

interface PipAnswer {
  result: CliResult;
  /** name==version, normalized; undefined when pip refused. */
  set?: Set<string>;
  extras: boolean;
}

/** pip's resolution in the oracle venv: a dry run with a report, what is installed ignored. */
async function pipResolve(dir: string, url: string, requirementsFile: string, constraints?: string): Promise<PipAnswer> {
  const report = join(dir, constraints ? "report-constrained.json" : "report.json");
  // Not --quiet: pip's "looking at multiple versions" line is how a backtrack shows; the report goes to a file.
  const args = ["-m", "pip", "install", "--dry-run", "--ignore-installed", "--report", report, "-r", requirementsFile, "--index-url", url];
  if (constraints) args.push("-c", constraints);
  const result = await spawnAsync(python, args, { cwd: dir, env: sb.env, timeoutMs: 300_000 });
  if (result.code !== 0) return { result, extras: false };
  const parsed = JSON.parse(readFileSync(report, "utf8")) as { install: { metadata: { name: string; version: string }; requested_extras?: string[] }[] };
  return {
    result,
    set: new Set(parsed.install.map((d) => `${normalize(d.metadata.name)}==${d.metadata.version}`)),
    extras: parsed.install.some((d) => (d.requested_extras ?? []).length > 0),
  };
}

/** venvctl's resolution: `venvctl lock -o -` for the same venv, its pylock.toml's packages. */
async function venvctlResolve(dir: string, url: string, requirementsFile: string): Promise<{ result: CliResult; set?: Set<string> }> {
  // VENVCTL_DEBUG: its "resolved by venvctl" line proves pip did not resolve for it.
  const env = { ...sb.env, VENVCTL_DEBUG: "1" };
  const result = await spawnAsync(process.execPath, [CLI, "lock", "-p", venv, "-r", requirementsFile, "-o", "-", "--index-url", url], { cwd: dir, env, timeoutMs: 300_000 });
  if (result.code !== 0) return { result };
  const lock = toml.parse(result.stdout) as { packages?: { name: string; version: string }[] };
  return { result, set: new Set((lock.packages ?? []).map((p) => `${normalize(p.name)}==${p.version}`)) };
}

const sorted = (s: Set<string> | undefined) => (s ? [...s].sort().join(" ") : "(refused)");
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** The releases whose every file is yanked, as name==version. */
function yankedReleases(graph: Graph): Set<string> {
  const out = new Set<string>();
  for (const p of graph.projects) for (const r of p.releases) if (r.yanked !== undefined) out.add(`${normalize(p.name)}==${r.version}`);
  return out;
}

async function runGraph(seed: number): Promise<GraphRun> {
  // Both page formats and both ways of getting metadata (PEP 658 files, or the wheel), by seed.
  return compareOn(seed, randomGraph(seed), join(sb.dir, "graphs", String(seed)), { format: seed % 2 ? "json" : "html", metadataFiles: seed % 3 !== 0 });
}

/** Serves `graph` from `dir` and compares venvctl's resolution of its requirements with pip's. */
async function compareOn(seed: number, graph: Graph, dir: string, serve: { format: "json" | "html"; metadataFiles: boolean }): Promise<GraphRun> {
  const { requirementsFile, yanked } = writeGraph(graph, dir);
  const server = await serveIndex(dir, { yanked, requiresPython: "from-metadata", ...serve });
  try {
    const [ours, pip] = await Promise.all([venvctlResolve(dir, server.url, requirementsFile), pipResolve(dir, server.url, requirementsFile)]);
    const facts = {
      seed,
      backtracked: /pip is looking at multiple versions/.test(pip.result.stdout + pip.result.stderr),
      usedExtras: pip.extras,
      chosePrerelease: [...(pip.set ?? [])].some((x) => /(a|b|rc|\.dev)\d+$/.test(x)),
    };
    const both = () => `--- venvctl lock: ${describeResult(ours.result)}\n--- pip: ${describeResult(pip.result)}`;
    const disagree = (why: string): GraphRun => ({ ...facts, outcome: "disagree", detail: `${why}\nvenvctl: ${sorted(ours.set)}\npip:     ${sorted(pip.set)}\n${describeGraph(graph)}\n${both()}` });

    // pip refusing alone is checked as a difference below: pip's resolver is
    // not complete (its backjumping gives up on some graphs that have an
    // answer), and pip accepting venvctl's set, pinned, proves it is one.
    if (/pip resolves: /.test(ours.result.stderr) || (ours.set && !/debug: resolved by venvctl: /.test(ours.result.stderr))) {
      return disagree("venvctl handed the resolution to pip");
    }
    if (!ours.set) {
      if (!pip.set && ours.result.code === 1 && /^error: /m.test(ours.result.stderr)) return { ...facts, outcome: "both-refuse" };
      return disagree(!pip.set ? "both refuse, but venvctl not with exit 1 and an `error:` line" : "venvctl refuses what pip resolves");
    }
    if (pip.set && sameSet(ours.set, pip.set)) return { ...facts, outcome: "exact" };
    // A different set can still be right: pip's resolver takes the projects
    // in its own order (pinned first, then upper-bounded, then by name...)
    // and, at each one, the newest version that fits what is pinned so far;
    // a resolver taking them in another order meets another, equally valid,
    // end (e.g. the newest `a` with an older `b`, where pip found the newest
    // `b` with an older `a`). Neither is "the" answer; what must hold is that
    // pip, told to take venvctl's versions, accepts exactly that set: every
    // requirement met, nothing missing, nothing extra.
    const constraints = join(dir, "constraints.txt");
    writeFileSync(constraints, [...ours.set].sort().join("\n") + "\n");
    const check = await pipResolve(dir, server.url, requirementsFile, constraints);
    if (!check.set) return disagree(`pip refuses venvctl's set when pinned to it:\n${describeResult(check.result)}`);
    if (!sameSet(check.set, ours.set)) return disagree(`pip, pinned to venvctl's set, chooses another: ${sorted(check.set)}`);
    // Pinning with == lets pip take a yanked release (PEP 592), so the check
    // above cannot see venvctl choosing one that no `==` asked for.
    const wrongYank = [...ours.set].filter((x) => yankedReleases(graph).has(x) && !pip.set?.has(x));
    if (wrongYank.length) return disagree(`venvctl chose yanked releases pip did not: ${wrongYank.join(", ")}`);
    return { ...facts, outcome: "also-accepts", pipRefusedAlone: !pip.set };
  } finally {
    await server.close();
  }
}

test(`venvctl lock chooses what pip chooses, or a set pip accepts, or refuses where pip refuses (${SEEDS.length} graphs)`, { timeout: 60 * 60_000 }, async (t) => {
  const started = Date.now();
  const runs: GraphRun[] = [];
  const queue = [...SEEDS];
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) runs.push(await runGraph(seed));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  runs.sort((a, b) => a.seed - b.seed);

  const count = (o: Outcome) => runs.filter((r) => r.outcome === o).length;
  t.diagnostic(`exact ${count("exact")} / also-accepts ${count("also-accepts")} / both-refuse ${count("both-refuse")} / disagree ${count("disagree")}`);
  const backtracked = runs.filter((r) => r.backtracked).length;
  const extras = runs.filter((r) => r.usedExtras).length;
  const pre = runs.filter((r) => r.chosePrerelease).length;
  t.diagnostic(`pip backtracked on ${backtracked}, installed an extra on ${extras}, chose a pre-release on ${pre} graphs; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const also = runs.filter((r) => r.outcome === "also-accepts").map((r) => r.seed);
  if (also.length) t.diagnostic(`pip also accepts venvctl's set for seeds ${also.join(",")}`);
  const alone = runs.filter((r) => r.pipRefusedAlone).map((r) => r.seed);
  if (alone.length) t.diagnostic(`pip refused on its own, but accepts venvctl's set pinned, for seeds ${alone.join(",")}`);

  const bad = runs.filter((r) => r.outcome === "disagree");
  assert.equal(bad.length, 0, `${bad.length} graphs disagree (rerun with VENVCTL_DIFF_SEEDS=${bad.map((r) => r.seed).join(",")}):\n\n${bad.map((r) => `seed ${r.seed}: ${r.detail}`).join("\n\n")}`);
  // The graphs must have exercised what they were made for (when the whole run was asked for).
  if (!process.env.VENVCTL_DIFF_SEEDS && SEEDS.length >= 50) {
    assert.ok(backtracked > 0, "some graph made pip backtrack");
    assert.ok(count("both-refuse") > 0, "some graph could not be satisfied");
    assert.ok(extras > 0, "some graph installed an extra");
  }
});

test("the graph of the backtracking benchmark (its root's newest 110 releases all fail): venvctl's lock is pip's answer", { timeout: 20 * 60_000 }, async () => {
  const run = await compareOn(0, backtrackingGraph(), join(sb.dir, "graphs", "backtracking"), { format: "html", metadataFiles: true });
  assert.equal(run.outcome, "exact", run.detail);
  assert.ok(run.backtracked, "pip backtracked on it too");
});
