// Issue 12's benchmark: installing into a fresh environment, venvctl beside
// the env's own pip, on a generated set shaped like a real environment (30
// wheels of 10 to 1,500 files, 6,901 files in all, one like numpy: see
// buildSizedSet) served on 127.0.0.1 with PyPI's caching headers, so pip's
// HTTP cache works as it does against PyPI.
//
// Fairness: both sides install into an env made the same way, untimed, in
// `before`: removed, then `venvctl create -p 3.12` (pip seeded; the same tree
// for both). Both get the same requirements file and --index-url. "Warm"
// means the harness's warm-up run has filled venvctl's cache and pip's HTTP
// and wheel cache (PIP_CACHE_DIR, its own for these cases). "Cold" empties the
// cache before every timed run: venvctl's (all of VENVCTL_CACHE_DIR but the
// interpreter probes, which every command has in any real use), and in the
// both-cold case pip's too.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Case, Command } from "../harness.js";
import { buildSizedSet, type SizedSet } from "../../test/helpers/sized-set.js";
import { serveIndexInProcess, type IndexProcess } from "../../test/helpers/index-server.js";
import { CLI, emptyCache, fixtureOnce, freshEnv, NODE, pyenvPython, type BenchContext } from "./env.js";

/** The set of `copies` × 30 wheels (written once per process). */
const sizedSet = (root: string, copies: number): SizedSet => fixtureOnce(root, `install-native-set-${copies * 30}`, (dir) => buildSizedSet(dir, copies));

export function installNativeCases(b: BenchContext): Case[] {
  const { work, tag } = b;
  const python312 = pyenvPython("3.12.1", "3.12");
  const root = dirname(work);
  const pipCache = join(work, "install-native-pip-cache");
  const env: Record<string, string> = { ...b.env, PIP_CACHE_DIR: pipCache };
  const coldCache = join(work, "install-native-cold-cache");
  let server: IndexProcess | undefined;

  const emptied = (dir: string) => () => emptyCache(dir);
  const fresh = (dir: string, also?: () => void) => () => {
    freshEnv(dir, python312, b.env);
    also?.();
  };
  const url = () => {
    if (!server) throw new Error("the index server is not running");
    return server.url;
  };
  /** Writes the set's requirements files, starts the index; answers the files. */
  const start = (copies: number) => {
    const set = sizedSet(root, copies);
    const pinned = join(work, `install-native-${copies * 30}-pinned.txt`);
    const unpinned = join(work, `install-native-${copies * 30}-unpinned.txt`);
    writeFileSync(pinned, set.pinned.join("\n") + "\n");
    writeFileSync(unpinned, set.unpinned.join("\n") + "\n");
    server = serveIndexInProcess(set.dir, join(work, "install-native-index.url"), { cacheHeaders: true });
    return { set, pinned, unpinned };
  };
  const stop = () => {
    server?.close();
    server = undefined;
  };

  // The argv is built when the case runs (the index's port is known only then).
  const venvctlInstall = (label: string, dir: string, files: () => string, cmdEnv = env, also?: () => void): Command => {
    const cmd: Command = { label, argv: [], env: cmdEnv, cwd: work, before: fresh(dir, also) };
    const before = cmd.before!;
    cmd.before = () => {
      before();
      cmd.argv = [NODE, CLI, "install", "-p", dir, "--index-url", url(), "-r", files()];
    };
    return cmd;
  };
  const pipInstall = (label: string, dir: string, files: () => string, extra: string[] = [], cmdEnv = env, also?: () => void): Command => {
    const cmd: Command = { label, argv: [], env: cmdEnv, cwd: work, before: fresh(dir, also) };
    const before = cmd.before!;
    cmd.before = () => {
      before();
      cmd.argv = [join(dir, "bin", "python3"), "-m", "pip", "install", ...extra, "--index-url", url(), "-r", files()];
    };
    return cmd;
  };

  const judged = (ratio: number, text: string) => (b.withCa ? undefined : { ratio, text });
  const env1 = join(work, "install-native-venvctl");
  const env2 = join(work, "install-native-pip");
  let files = { pinned: "", unpinned: "" };
  const setup = (copies: number) => () => {
    const s = start(copies);
    files = { pinned: s.pinned, unpinned: s.unpinned };
  };
  const shape = (copies: number) => `${copies * 30} wheels, ${(copies * 6901).toLocaleString("en")} files`;

  const cases: Case[] = [
    {
      name: `install-native: fresh env from a fully pinned requirements file, caches warm, ${shape(1)}, CPython 3.12${tag}`,
      commands: [
        venvctlInstall("venvctl install -r pinned.txt (cache warm)", env1, () => files.pinned),
        pipInstall("pip install -r pinned.txt (cache warm)", env2, () => files.pinned),
      ],
      target: judged(1 / 25, "≤ 1/25 of pip (issue 18)"),
      runs: 9,
      setup: setup(1),
      teardown: stop,
    },
  ];
  // The NODE_EXTRA_CA_CERTS variant only reports the main case: the others cost minutes and are judged without it.
  if (b.withCa) return cases;

  // PEP 751 names lock files pylock.toml or pylock.NAME.toml.
  const pylock = join(work, "pylock.install-native.toml");
  cases.push(
    {
      name: `install-native: venvctl sync pylock.toml into a fresh env vs pip installing the same pins (--no-deps: neither resolves), caches warm, ${shape(1)}, CPython 3.12`,
      commands: [
        {
          label: "venvctl sync pylock.toml (cache warm)",
          argv: [NODE, CLI, "sync", "-p", env1, pylock],
          env,
          cwd: work,
          before: fresh(env1),
        },
        pipInstall("pip install --no-deps -r pinned.txt (cache warm)", env2, () => files.pinned, ["--no-deps"]),
      ],
      target: judged(1 / 15, "≤ 1/15 of pip"),
      runs: 9,
      setup: () => {
        setup(1)();
        // The lock is written by venvctl itself, against this run's index (its URLs carry the port).
        const r = spawnSync(NODE, [CLI, "lock", "-p", python312, "-r", files.pinned, "--index-url", url(), "-o", pylock], { env, cwd: work, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`venvctl lock failed (exit ${r.status}), so the sync case cannot run:\n${r.stderr}`);
      },
      teardown: stop,
    },
    {
      name: `install-native: fresh env from an unpinned requirements file (pip resolves), caches warm, ${shape(1)}, CPython 3.12`,
      commands: [
        venvctlInstall("venvctl install -r unpinned.txt (cache warm)", env1, () => files.unpinned),
        pipInstall("pip install -r unpinned.txt (cache warm)", env2, () => files.unpinned),
      ],
      target: judged(1 / 3, "≤ 1/3 of pip"),
      runs: 9,
      setup: setup(1),
      teardown: stop,
    },
    {
      name: `install-native: venvctl's cache cold vs pip's cache warm, pinned, ${shape(1)}, CPython 3.12`,
      commands: [
        venvctlInstall("venvctl install -r pinned.txt (cache cold)", env1, () => files.pinned, { ...env, VENVCTL_CACHE_DIR: coldCache }, emptied(coldCache)),
        pipInstall("pip install -r pinned.txt (cache warm)", env2, () => files.pinned),
      ],
      target: judged(1, "never slower than pip (≤ 1×)"),
      runs: 7,
      setup: setup(1),
      teardown: stop,
    },
    {
      name: `install-native: both caches cold, pinned, ${shape(1)}, CPython 3.12`,
      commands: [
        venvctlInstall("venvctl install -r pinned.txt (cache cold)", env1, () => files.pinned, { ...env, VENVCTL_CACHE_DIR: coldCache }, emptied(coldCache)),
        pipInstall("pip install -r pinned.txt (cache cold)", env2, () => files.pinned, [], env, () => rmSync(pipCache, { recursive: true, force: true })),
      ],
      target: judged(1, "never slower than pip (≤ 1×)"),
      runs: 7,
      setup: setup(1),
      teardown: stop,
    },
    {
      name: `install-native: fresh env from a fully pinned requirements file, caches warm, ${shape(10)}, CPython 3.12`,
      commands: [
        venvctlInstall("venvctl install -r pinned.txt (cache warm)", env1, () => files.pinned),
        pipInstall("pip install -r pinned.txt (cache warm)", env2, () => files.pinned),
      ],
      target: judged(1 / 15, "≤ 1/15 of pip: the ratio holds at 10× the set"),
      runs: 5,
      setup: setup(10),
      teardown: stop,
    },
  );
  return cases;
}
