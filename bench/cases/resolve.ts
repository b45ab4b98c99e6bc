// The resolver's benchmark: venvctl beside pip on graphs built here
// (test/helpers/random-graphs.ts) and served on 127.0.0.1 from a child
// process (the harness blocks its event loop in spawnSync), with PyPI's
// caching headers and PEP 658 metadata files, as PyPI serves them.
//   realistic   an unpinned 24-line requirements.txt over 30 projects
//   backtracking a root requirement whose newest 110 releases all fail
// Fairness as in install-native.ts: both sides install into an env made the
// same way, untimed (`venvctl create -p 3.12`); "warm" means the harness's
// warm-up run filled venvctl's cache and pip's (PIP_CACHE_DIR, its own for
// these cases); "cold" empties venvctl's cache (but for the interpreter
// probes and V8's code cache: KEPT_WHEN_COLD) before each run, against pip with --no-cache-dir. `pip lock` is
// pip 26.2.1 (VENVCTL_BENCH_PIP_WHEEL: another wheel), in a venv of its own
// that venvctl locks for too.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Case, Command } from "../harness.js";
import { serveIndexInProcess, type IndexProcess } from "../../test/helpers/index-server.js";
import { backtrackingGraph, realisticGraph, writeGraph, type Graph, type WrittenGraph } from "../../test/helpers/random-graphs.js";
import { CLI, emptyCache, fixtureOnce, freshEnv, NODE, pyenvPython, type BenchContext } from "./env.js";

const PIP_WHEEL = process.env.VENVCTL_BENCH_PIP_WHEEL ?? "/opt/pypi/files/pip-26.2.1-py3-none-any.whl";

/** A graph's index and requirements file (written once per process). */
const graphFiles = (root: string, name: string, graph: () => Graph): { dir: string } & WrittenGraph =>
  fixtureOnce(root, `resolve-${name}`, (dir) => ({ dir, ...writeGraph(graph(), dir) }));

export function resolveCases(b: BenchContext): Case[] {
  const { work, tag } = b;
  const python312 = pyenvPython("3.12.1", "3.12");
  const root = dirname(work);
  const pipCache = join(work, "resolve-pip-cache");
  const env: Record<string, string> = { ...b.env, PIP_CACHE_DIR: pipCache };
  const coldCache = join(work, "resolve-cold-cache");
  const coldEnv = { ...env, VENVCTL_CACHE_DIR: coldCache };
  let server: IndexProcess | undefined;
  let requirements = "";

  const url = () => {
    if (!server) throw new Error("the index server is not running");
    return server.url;
  };
  /** Writes the graph (once), serves it, its yanked files marked. */
  const start = (name: string, graph: () => Graph) => () => {
    const files = graphFiles(root, name, graph);
    requirements = files.requirementsFile;
    server = serveIndexInProcess(files.dir, join(work, "resolve-index.url"), { cacheHeaders: true, metadataFiles: true, requiresPython: "from-metadata", yanked: files.yanked });
  };
  const stop = () => {
    server?.close();
    server = undefined;
  };
  const emptied = () => emptyCache(coldCache);
  const fresh = (dir: string) => freshEnv(dir, python312, b.env);
  /** A venv made once (for the resolving cases, which install nothing), with pip `wheel` when given. */
  const lastingEnv = (dir: string, wheel?: string) => {
    if (existsSync(join(dir, "bin", "python3"))) return;
    fresh(dir);
    if (wheel) execFileSync(join(dir, "bin", "python3"), ["-m", "pip", "install", "--no-index", "--quiet", wheel], { env: b.env, stdio: "ignore" });
  };

  // The argv is built when the case runs (the index's port is known only then).
  const command = (label: string, cmdEnv: Record<string, string>, argv: () => string[], also?: () => void): Command => {
    const cmd: Command = { label, argv: [], env: cmdEnv, cwd: work };
    cmd.before = () => {
      also?.();
      cmd.argv = argv();
    };
    return cmd;
  };
  const env1 = join(work, "resolve-venvctl");
  const env2 = join(work, "resolve-pip");
  const venvctlInstall = (label: string, cmdEnv: Record<string, string>, also?: () => void) =>
    command(label, cmdEnv, () => [NODE, CLI, "install", "-p", env1, "--index-url", url(), "-r", requirements], () => {
      fresh(env1);
      also?.();
    });
  const pipInstall = (label: string, extra: string[] = []) =>
    command(label, env, () => [join(env2, "bin", "python3"), "-m", "pip", "install", ...extra, "--index-url", url(), "-r", requirements], () => fresh(env2));

  const judged = (ratio: number, text: string) => (b.withCa ? undefined : { ratio, text });
  const realistic = start("realistic", realisticGraph);
  const cases: Case[] = [
    {
      name: `resolve: fresh env from an unpinned requirements file (24 lines, 30 projects), caches warm, CPython 3.12${tag}`,
      commands: [
        venvctlInstall("venvctl install -r unpinned.txt (cache warm)", env),
        pipInstall("pip install -r unpinned.txt (cache warm)"),
      ],
      target: judged(1 / 15, "≤ 1/15 of pip"),
      runs: 9,
      setup: realistic,
      teardown: stop,
    },
  ];
  // The NODE_EXTRA_CA_CERTS variant only reports the main case: the others are judged without it.
  if (b.withCa) return cases;

  const lockEnv = join(work, "resolve-lock-env");
  /** pip's resolution alone, in `venv`: a dry run with a report, what is installed ignored. */
  const dryRun = (label: string, venv: string) =>
    command(label, env, () => [
      join(venv, "bin", "python3"), "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-", "--index-url", url(), "-r", requirements,
    ]);
  const pipLockEnv = join(work, "resolve-pip-lock-env");
  const lockOut = join(work, "pylock.resolve.toml");
  cases.push(
    {
      name: "resolve: fresh env from an unpinned requirements file, venvctl's cache cold (pages and wheels from the index) vs pip --no-cache-dir, CPython 3.12",
      commands: [
        venvctlInstall("venvctl install -r unpinned.txt (cache cold)", coldEnv, emptied),
        pipInstall("pip install --no-cache-dir -r unpinned.txt", ["--no-cache-dir"]),
      ],
      target: judged(1 / 4, "≤ 1/4 of pip"),
      runs: 7,
      setup: realistic,
      teardown: stop,
    },
    {
      name: "resolve: a resolution that rejects 110 candidates (backtracking), lock to stdout vs pip's dry-run report, caches warm, CPython 3.12",
      commands: [
        command("venvctl lock -r backtracking.txt -o -", env, () => [NODE, CLI, "lock", "-p", lockEnv, "--index-url", url(), "-r", requirements, "-o", "-"]),
        dryRun("pip install --dry-run --ignore-installed --report -", lockEnv),
      ],
      target: judged(1 / 10, "≤ 1/10 of pip"),
      runs: 9,
      setup: () => {
        lastingEnv(lockEnv);
        start("backtracking", backtrackingGraph)();
      },
      teardown: stop,
    },
    {
      // The target is against `pip lock` or pip's dry-run report.
      // The ratio printed (and judged) is against the env's own pip's dry run,
      // the pip every other case runs (23.2.1, seeded); pip 26.2.1's dry run
      // and `pip lock` (which needs pip 25.1+) are timed beside it, and are
      // quicker: their ratios are worked out from the medians printed.
      name: "resolve: lock an unpinned requirements file (24 lines, 30 projects) vs pip's dry-run report (the env's pip 23.2.1; pip 26.2.1) and pip lock (26.2.1), caches warm, CPython 3.12",
      commands: [
        command("venvctl lock -r unpinned.txt -o -", env, () => [NODE, CLI, "lock", "-p", pipLockEnv, "--index-url", url(), "-r", requirements, "-o", "-"]),
        dryRun("pip 23.2.1 install --dry-run --report -", lockEnv),
        dryRun("pip 26.2.1 install --dry-run --report -", pipLockEnv),
        command("pip 26.2.1 lock -r unpinned.txt", env, () => [join(pipLockEnv, "bin", "python3"), "-m", "pip", "lock", "--quiet", "--index-url", url(), "-r", requirements, "-o", lockOut]),
      ],
      target: judged(1 / 10, "≤ 1/10 of the env's pip's dry-run report"),
      runs: 9,
      setup: () => {
        lastingEnv(lockEnv);
        lastingEnv(pipLockEnv, PIP_WHEEL);
        realistic();
      },
      teardown: stop,
    },
  );
  return cases;
}
