// venvctl's native install against pip's, on the generated distribution set
// (test/helpers/dist-set.ts: dependencies, extras, markers, .data/ scripts,
// headers and data, entry points, a namespace package, a .pth file, a
// platform wheel, an sdist) served on 127.0.0.1: one fresh env installed by
// `venvctl install`, one by the env's own `pip install`, both made by
// `venvctl create`, then upgrade, downgrade, reinstall, a freeze file into
// fresh envs, and `pip uninstall` of everything. After every step the two
// envs must agree on pip freeze, pip check, every file and its contents
// (test/helpers/env-diff.ts says what legitimately differs), RECORDs that
// tell the truth, and every script's behaviour; and the venvctl side must
// have been installed natively: INSTALLER says venvctl, and pip ran at most
// to resolve and fetch (never an install without --dry-run), not at all for
// a freeze file whose wheels are in the cache.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { installed, makeEnv, pip, pythonStarts, show, venvctl, type Output, type TestEnv } from "../helpers/install-env.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { serveIndex, type IndexServer } from "../helpers/index-server.js";
import { requireOrSkip } from "../helpers/require.js";
import { spawnAsync } from "../helpers/run-cli.js";
import { buildDistSet, DIST_SET_REQUIREMENTS, DIST_SET_SCRIPTS, distSetExpected, type DistSet } from "../helpers/dist-set.js";
import { checkRecords, diffSnapshots, distInfos, snapshotEnv, type Comparable } from "../helpers/env-diff.js";

/** 3.12, and an older minor whose markers differ (python_version >= "3.10") and whose venvs get setuptools. */
const MINORS = ["3.12", "3.9"];

let sb: Sandbox & { cleanup(): void };
let set: DistSet;
let server: IndexServer;
before(async () => {
  sb = makeSandbox(undefined, "venvctl-native-diff");
  set = buildDistSet(join(sb.dir, "dists"), MINORS.map((m) => pyenvPython(m)).filter((p): p is string => p !== undefined));
  server = await serveIndex(set.dir);
  writeFileSync(join(sb.work, "reqs.txt"), DIST_SET_REQUIREMENTS);
});
after(async () => {
  await server?.close();
  sb?.cleanup();
});

/** A venvctl run and the Python starts it made in its env. */
interface Step extends Output {
  starts: string[];
}

/** Whether a recorded Python start is pip installing (3.10+ record `python -m pip install …`, older ones `-m install …`). */
const isPipInstall = (start: string) => {
  const words = start.split(" ");
  return words.includes("install") && !words.includes("--dry-run");
};

/** The text with both envs' paths made one. */
const samePaths = (text: string, ...envs: TestEnv[]) => envs.reduce((t, e) => t.split(e.dir).join("<ENV>"), text);

for (const minor of MINORS) {
  const python = pyenvPython(minor);
  if (!python) {
    test(`native install against pip, CPython ${minor}`, (t) => void requireOrSkip(t, false, `no pyenv CPython ${minor} on this machine`));
    continue;
  }

  describe(`venvctl's native install against pip's, CPython ${minor}`, () => {
    // A: venvctl installs. B: the env's pip installs. Same basename, so the same prompt in activate.
    let A: TestEnv;
    let B: TestEnv;
    let seeds: Set<string>;
    let baselineFiles: Set<string>;
    let first: Step;
    let firstPip: Output;

    const idx = () => ["--index-url", server.url];
    const findLinks = () => ["--no-index", "--find-links", set.dir];

    async function venvctlStep(env: TestEnv, args: string[]): Promise<Step> {
      pythonStarts(env);
      const r = await venvctl(args, sb, { env: { VENVCTL_DEBUG: "1" } });
      return { ...r, starts: pythonStarts(env) };
    }
    /**
     * pip run as a user runs it: `bin/pip`, whose shebang (venvctl's seed, as
     * `python3 -m venv`'s) is bin/python3, which pip writes into the scripts it
     * makes — and the env's python that venvctl names. (`bin/python -m pip`
     * would write bin/python.)
     */
    async function pipStep(env: TestEnv, args: string[]): Promise<Output> {
      const r = await pip(join(env.dir, "bin", "python3"), args, sb);
      pythonStarts(env);
      return r;
    }

    /** The two envs agree: pip freeze, pip check, every file, RECORDs true and complete. */
    async function assertAgree(a: TestEnv, b: TestEnv): Promise<void> {
      const [freezeA, freezeB] = [await pip(a.python, ["freeze"], sb), await pip(b.python, ["freeze"], sb)];
      assert.equal(freezeA.code, 0, show(freezeA));
      assert.equal(freezeA.stdout, freezeB.stdout, "pip freeze differs");
      const [checkA, checkB] = [await pip(a.python, ["check"], sb), await pip(b.python, ["check"], sb)];
      assert.deepEqual([checkA.code, checkA.stdout], [checkB.code, checkB.stdout], `pip check differs:\n${show(checkA)}\n${show(checkB)}`);
      assert.equal(checkB.code, 0, `pip's own env is broken, the set is wrong:\n${show(checkB)}`);
      pythonStarts(a);
      pythonStarts(b);
      assert.deepEqual(diffSnapshots(snapshotEnv(a.dir), snapshotEnv(b.dir)), []);
      for (const [label, env] of [["venvctl", a], ["pip", b]] as const) {
        const { problems, listed } = checkRecords(env.dir, env.site);
        assert.deepEqual(problems, [], `${label}'s env: RECORDs that do not tell the truth`);
        const unlisted = [...snapshotEnv(env.dir)].filter(([p, c]) => c.kind !== "dir" && !baselineFiles.has(p) && !listed.has(p)).map(([p]) => p);
        assert.deepEqual(unlisted, [], `${label}'s env: installed files no RECORD lists (pip uninstall would leave them)`);
      }
    }

    /**
     * The venvctl side was installed natively (FAILS until the native
     * pipeline lands: today venvctl hands the install to pip, so INSTALLER
     * says pip and the env's pip ran `install`).
     */
    function assertNative(env: TestEnv, step: Step, names: string[]): void {
      const infos = distInfos(env.site);
      for (const name of names) {
        const info = infos.get(name);
        assert.ok(info, `${name} is not installed`);
        assert.equal(readFileSync(join(info, "INSTALLER"), "utf8"), "venvctl\n", `${name}'s INSTALLER: not installed natively\n${step.stderr}`);
      }
      assert.deepEqual(step.starts.filter(isPipInstall), [], "pip installed (it may only resolve with --dry-run, download and build)");
    }

    before(async () => {
      A = makeEnv(sb, `venvctl/env-${minor}`, { python: minor });
      B = makeEnv(sb, `pip/env-${minor}`, { python: minor });
      seeds = new Set(distInfos(A.site).keys());
      baselineFiles = new Set(snapshotEnv(A.dir).keys());
      first = await venvctlStep(A, ["install", "-p", A.dir, ...idx(), "-r", "reqs.txt"]);
      firstPip = await pipStep(B, ["install", ...idx(), "-r", "reqs.txt"]);
    });

    const setNames = (env: TestEnv) => [...distInfos(env.site).keys()].filter((n) => !seeds.has(n)).sort();

    test("both install the set; the markers, extras and ranges pick what the set says", () => {
      assert.equal(first.code, 0, show(first));
      assert.equal(first.stdout, "", "stdout carries data only");
      assert.equal(firstPip.code, 0, show(firstPip));
      const expected = distSetExpected(minor);
      const pick = (env: TestEnv) => Object.fromEntries(Object.entries(installed(env.site)).filter(([n]) => !seeds.has(n)));
      assert.deepEqual(pick(B), expected, "pip's install is not what the set describes: the fixture is wrong");
      assert.deepEqual(pick(A), expected);
    });

    test("they agree: pip freeze, pip check, every file and its contents, RECORD", async () => {
      await assertAgree(A, B);
    });

    test("every script behaves the same", async () => {
      const scripts = [...checkRecords(B.dir, B.site).listed].filter((p) => p.startsWith("bin/") && !baselineFiles.has(p)).map((p) => p.slice(4)).sort();
      assert.deepEqual(scripts, [...DIST_SET_SCRIPTS].sort(), "the set's scripts as pip installs them");
      for (const script of scripts) {
        const run = (env: TestEnv) => spawnAsync(join(env.dir, "bin", script), ["one", "two words"], { cwd: sb.work, env: sb.env });
        const [a, b] = [await run(A), await run(B)];
        assert.deepEqual(
          { code: a.code, stdout: samePaths(a.stdout, A, B), stderr: samePaths(a.stderr, A, B) },
          { code: b.code, stdout: samePaths(b.stdout, A, B), stderr: samePaths(b.stderr, A, B) },
          `bin/${script} behaves differently`,
        );
        assert.ok(b.stdout.length > 0, `bin/${script} printed nothing under pip's install`);
      }
      pythonStarts(A);
      pythonStarts(B);
    });

    test("the install was native: INSTALLER says venvctl, pip only resolved", () => {
      assertNative(A, first, setNames(A));
    });

    test("upgrade (install --upgrade): the old version's files go, its new dependency comes", async () => {
      const r = await venvctlStep(A, ["install", "-p", A.dir, ...idx(), "--upgrade", "app-core"]);
      const p = await pipStep(B, ["install", ...idx(), "--upgrade", "app-core"]);
      assert.equal(r.code, 0, show(r));
      assert.equal(p.code, 0, show(p));
      assert.deepEqual([installed(B.site)["app-core"], installed(B.site)["util-strings"]], ["2.0", "1.1"], "the set's upgrade");
      await assertAgree(A, B);
      assertNative(A, r, ["app-core", "util-strings"]);
    });

    test("downgrade (install NAME==OLD): a console script of the newer version goes", async () => {
      const r = await venvctlStep(A, ["install", "-p", A.dir, ...idx(), "db-driver==1.0"]);
      const p = await pipStep(B, ["install", ...idx(), "db-driver==1.0"]);
      assert.equal(r.code, 0, show(r));
      assert.equal(p.code, 0, show(p));
      assert.equal(installed(B.site)["db-driver"], "1.0");
      assert.ok(!snapshotEnv(B.dir).has("bin/db-migrate"), "pip removed db-driver 2.0's script");
      await assertAgree(A, B);
      assertNative(A, r, ["db-driver"]);
    });

    test("reinstall (from a --find-links directory): damaged files come back, the sdist is rebuilt or reused", async () => {
      for (const env of [A, B]) {
        rmSync(join(env.site, "data_tool", "__init__.py"));
        // Replaced, not written through: a hard link would carry the write into venvctl's cache.
        rmSync(join(env.site, "fastcalc", "__init__.py"));
        writeFileSync(join(env.site, "fastcalc", "__init__.py"), "garbage(\n");
        rmSync(join(env.dir, "bin", "sdist-only"));
      }
      const r = await venvctlStep(A, ["reinstall", "-p", A.dir, ...findLinks(), "data-tool", "fastcalc", "sdist-only"]);
      const p = await pipStep(B, ["install", "--upgrade", "--no-deps", "--force-reinstall", ...findLinks(), "data-tool==1.0", "fastcalc==1.0", "sdist-only==1.0"]);
      assert.equal(r.code, 0, show(r));
      assert.equal(p.code, 0, show(p));
      await assertAgree(A, B);
      assertNative(A, r, ["data-tool", "fastcalc", "sdist-only"]);
    });

    test("a freeze file into fresh envs: the same envs, and with every wheel in venvctl's cache no pip and no index at all", async () => {
      const frozen = await pip(B.python, ["freeze"], sb);
      assert.equal(frozen.code, 0, show(frozen));
      writeFileSync(join(sb.work, `frozen-${minor}.txt`), frozen.stdout);
      const C = makeEnv(sb, `venvctl-pinned/env-${minor}`, { python: minor });
      const D = makeEnv(sb, `pip-pinned/env-${minor}`, { python: minor });
      const requestsBefore = server.requests.length;
      const r = await venvctlStep(C, ["install", "-p", C.dir, ...idx(), "-r", `frozen-${minor}.txt`]);
      const requests = server.requests.slice(requestsBefore);
      const p = await pipStep(D, ["install", ...idx(), "-r", `frozen-${minor}.txt`]);
      assert.equal(r.code, 0, show(r));
      assert.equal(p.code, 0, show(p));
      await assertAgree(C, D);
      assertNative(C, r, setNames(C));
      // `-m pip …` (3.10+) or `-m …` (older Pythons record sys.argv, where -m stands for the module).
      assert.deepEqual(r.starts.filter((s) => s.split(" ").includes("-m")), [], "pip ran");
      assert.deepEqual(requests, [], "the index was asked");
    });

    test("pip uninstall -y removes every distribution venvctl installed, as it does pip's", async () => {
      const names = setNames(A);
      assert.deepEqual(names, setNames(B));
      const [a, b] = [await pipStep(A, ["uninstall", "-y", ...names]), await pipStep(B, ["uninstall", "-y", ...names])];
      assert.equal(a.code, 0, show(a));
      assert.equal(b.code, 0, show(b));
      assert.equal(a.stdout.match(/Successfully uninstalled /g)?.length, names.length, a.stdout);
      assert.deepEqual(setNames(A), []);
      const left = (env: TestEnv) => [...snapshotEnv(env.dir)].filter(([p, c]: [string, Comparable]) => c.kind !== "dir" && !baselineFiles.has(p)).map(([p]) => p);
      assert.deepEqual(left(B), [], "pip left files of its own install");
      assert.deepEqual(left(A), [], "files of venvctl's install left behind");
      assert.deepEqual(diffSnapshots(snapshotEnv(A.dir), snapshotEnv(B.dir)), []);
    });
  });
}
