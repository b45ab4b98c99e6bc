// venvctl's own resolver behind `install` and `lock`, as a user runs them:
// the built CLI, wheels and sdists built here and served on 127.0.0.1, and
// pip as the oracle (its dry-run report on the same index and inputs).
// Which work pip did is proved by what ran in the environment (every Python
// start is recorded): resolving natively starts no Python at all.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { serveIndex, type IndexServer } from "../helpers/index-server.js";
import { installed, makeEnv, pip, pythonStarts, show, venvctl, type TestEnv } from "../helpers/install-env.js";
import { buildSdist } from "../helpers/sdist-builder.js";
import { buildWheel } from "../helpers/wheel-builder.js";

let sb: Sandbox & { cleanup(): void };
let index: IndexServer;
/** A venv whose pip is the oracle (never changed: pip only dry-runs in it). */
let oracle: TestEnv;

before(async () => {
  sb = makeSandbox(undefined, "venvctl-install-resolve");
  const dir = join(sb.dir, "index");
  const w = (name: string, version: string, requires: string[] = [], extra: string[] = []) =>
    buildWheel(dir, { name, version, metadata: [...requires.map((r) => `Requires-Dist: ${r}`), ...extra], files: { [`${name}.py`]: `VERSION = '${version}'\n` } });
  // Backtracking: app 3.0 and 2.0 need lib<1, which cli's lib>=1 rules out; app 1.0 fits.
  w("app", "3.0", ["lib<1"]);
  w("app", "2.0", ["lib<1", "extra-dep"]);
  w("app", "1.0", ["lib>=1,<3", "helper[fast]>=1"]);
  w("cli", "1.5", ["lib>=1"]);
  w("cli", "1.0", ["lib>=1"]);
  w("lib", "0.9");
  w("lib", "2.0");
  w("lib", "3.0a1");
  w("extra-dep", "1.0");
  w("helper", "1.0", ['speedup ; extra == "fast"', 'oldpy ; python_version < "3"'], ["Provides-Extra: fast"]);
  w("speedup", "1.0");
  w("oldpy", "1.0");
  // Unsatisfiable: left needs shared<1, right needs shared>=2.
  w("left", "1.0", ["shared<1"]);
  w("right", "1.0", ["shared>=2"]);
  w("shared", "0.5");
  w("shared", "2.0");
  // Installed versions kept unless --upgrade.
  w("keep", "1.0");
  w("keep", "2.0");
  w("uses-keep", "1.0", ["keep>=1"]);
  // sdists only: static metadata (2.2) is read without a build; 2.1 is built, once.
  buildSdist(dir, { name: "static-src", version: "1.0", metadataVersion: "2.2", metadata: ["Requires-Dist: leafy"], files: { "static_src/__init__.py": "" } });
  buildSdist(dir, { name: "dynamic-src", version: "1.0", metadata: ["Requires-Dist: leafy"], files: { "dynamic_src/__init__.py": "" } });
  w("leafy", "1.0");
  index = await serveIndex(dir, { metadataFiles: true });
  oracle = makeEnv(sb, "oracle");
});
after(async () => {
  await index.close();
  sb.cleanup();
});

const write = (name: string, text: string) => {
  writeFileSync(join(sb.work, name), text);
  return name;
};

/** What pip would install for these arguments in a fresh env: name → version, from its dry-run report. */
async function pipChooses(args: string[]): Promise<Record<string, string>> {
  const r = await pip(oracle.python, ["install", "--dry-run", "--quiet", "--ignore-installed", "--report", "-", "--index-url", index.url, ...args], sb);
  assert.equal(r.code, 0, show(r));
  pythonStarts(oracle);
  const report = JSON.parse(r.stdout) as { install: Array<{ metadata: { name: string; version: string } }> };
  return Object.fromEntries(report.install.map((i) => [i.metadata.name.toLowerCase(), i.metadata.version]).sort());
}

const withoutSeed = (got: Record<string, string>) => Object.fromEntries(Object.entries(got).filter(([k]) => !["pip", "setuptools", "wheel"].includes(k)).sort());

/** The pip verbs run in the env (`install --dry-run`, `wheel`, `download`…). */
function pipVerbs(env: TestEnv): string[] {
  return pythonStarts(env).flatMap((line) => {
    const m = / -m pip (\S+)( --dry-run)?/.exec(line);
    return m ? [m[2] ? `${m[1]} --dry-run` : m[1]!] : [];
  });
}

describe("install resolves natively", () => {
  test("ranges, backtracking, extras and markers: pip's choice, and no Python starts", async () => {
    const env = makeEnv(sb, "native-resolve");
    const req = write("resolve-req.txt", "app\ncli>=1\n");
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "-r", req], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /debug: resolved by venvctl: .* \d+ backtracks?/);
    assert.deepEqual(pipVerbs(env), [], "pip did not run");
    const want = await pipChooses(["-r", join(sb.work, req)]);
    assert.deepEqual(withoutSeed(installed(env.site)), want);
    // The store was cold: each chosen wheel was fetched as soon as it was pinned, before the resolution ended.
    const resolvedAt = r.stderr.indexOf("debug: resolved by venvctl:");
    for (const [name, version] of Object.entries(want)) {
      const at = r.stderr.indexOf(`debug: fetching ${name.replace(/-/g, "_")}-${version}-py3-none-any.whl while resolving`);
      assert.ok(at >= 0 && at < resolvedAt, `${name} ${version} fetched while resolving:\n${r.stderr}`);
    }
    assert.equal(want.app, "1.0", "the oracle backtracked too");
    assert.equal(want.speedup, "1.0", "the extra's dependency");
    assert.equal(want.oldpy, undefined, "a marker that does not hold");
    const check = await pip(env.python, ["check"], sb);
    assert.equal(check.code, 0, show(check));
  });

  test("what is installed is kept unless --upgrade names it", async () => {
    const env = makeEnv(sb, "native-keep");
    const run = (...args: string[]) => venvctl(["install", "-p", env.dir, "--index-url", index.url, ...args], sb);
    assert.equal((await run("keep==1.0")).code, 0);
    const dep = await run("uses-keep");
    assert.equal(dep.code, 0, show(dep));
    assert.equal(installed(env.site).keep, "1.0", "keep>=1 is met by what is installed");
    const up = await run("--upgrade", "keep");
    assert.equal(up.code, 0, show(up));
    assert.match(up.stderr, /keep 2\.0 \(was 1\.0\)/);
    assert.deepEqual(pipVerbs(env), []);
  });

  test("an sdist with static metadata is resolved without a build; one without is built once, and kept", async () => {
    const env = makeEnv(sb, "native-sdist");
    const lock = await venvctl(["lock", "-p", env.dir, "--index-url", index.url, "-o", "-", "static-src"], sb);
    assert.equal(lock.code, 0, show(lock));
    assert.match(lock.stdout, /name = "static-src"/);
    assert.match(lock.stdout, /name = "leafy"/);
    assert.deepEqual(pipVerbs(env), [], "Metadata-Version 2.2 without Dynamic: no build to resolve");

    const first = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "dynamic-src"], sb);
    assert.equal(first.code, 0, show(first));
    assert.deepEqual(pipVerbs(env), ["wheel"], "built once, for its metadata and its wheel");
    assert.equal(installed(env.site)["dynamic-src"], "1.0");
    assert.equal(installed(env.site).leafy, "1.0", "its dependencies, read from the build");
    const other = makeEnv(sb, "native-sdist-2");
    const second = await venvctl(["install", "-p", other.dir, "--index-url", index.url, "dynamic-src"], sb);
    assert.equal(second.code, 0, show(second));
    assert.deepEqual(pipVerbs(other), [], "the build is in the store");
  });

  test("VENVCTL_RESOLVER=pip hands resolution to pip", async () => {
    const env = makeEnv(sb, "native-pip-resolver");
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "uses-keep"], sb, { env: { VENVCTL_RESOLVER: "pip", VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /debug: pip resolves: VENVCTL_RESOLVER=pip/);
    // pip's dry run resolved (the wheels were in the cache already: no download).
    assert.deepEqual(pipVerbs(env), ["install --dry-run"]);
    const bad = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "lib>=2"], sb, { env: { VENVCTL_RESOLVER: "uv" } });
    assert.equal(bad.code, 2, show(bad));
    assert.match(bad.stderr, /^error: VENVCTL_RESOLVER=uv is not a resolver venvctl knows\nhint: /m);
  });

  test("a conflict is explained, with a hint; a version nothing has is named with what there is", async () => {
    const env = makeEnv(sb, "native-conflict");
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "left", "right"], sb);
    assert.equal(r.code, 1, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /error: because .*left 1\.0 depends on shared<1.*right 1\.0 depends on shared>=2|error: because .*right 1\.0 depends on shared>=2.*left 1\.0 depends on shared<1/);
    assert.match(r.stderr, /\nhint: /);
    const none = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "keep>=9"], sb);
    assert.equal(none.code, 1, show(none));
    assert.match(none.stderr, /error: no version of keep matches keep>=9 \(keep has 2\.0, 1\.0\)/);
    assert.deepEqual(withoutSeed(installed(env.site)), {}, "nothing was installed");
    const oracleSays = await pip(oracle.python, ["install", "--dry-run", "--quiet", "--index-url", index.url, "left", "right"], sb);
    assert.notEqual(oracleSays.code, 0, "pip refuses too");
  });

  test("an index that answers 500 or garbage is an error naming the URL", async () => {
    let mode: "500" | "garbage" = "500";
    const server: Server = createServer((req, res) => {
      if (mode === "500") {
        res.writeHead(500, { "content-type": "text/plain" }).end("boom\n");
      } else {
        res.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" }).end("{not json");
      }
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/simple/`;
    try {
      const env = makeEnv(sb, "native-bad-index");
      const r = await venvctl(["install", "-p", env.dir, "--index-url", url, "anything>=1"], sb);
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`error: .*http://127\\.0\\.0\\.1:${port}/simple/anything/.*500`));
      assert.match(r.stderr, /\nhint: /);
      mode = "garbage";
      const g = await venvctl(["install", "-p", env.dir, "--index-url", url, "anything>=1"], sb);
      assert.equal(g.code, 1, show(g));
      assert.match(g.stderr, new RegExp(`error: .*http://127\\.0\\.0\\.1:${port}/simple/anything/`));
      assert.doesNotMatch(g.stderr, /Traceback|at .*\.js:\d+/);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  test("lock resolves natively to pip's choice", async () => {
    const env = makeEnv(sb, "native-lock");
    const req = write("lock-req.txt", "app\ncli>=1\n");
    const r = await venvctl(["lock", "-p", env.dir, "--index-url", index.url, "-r", req, "-o", "-"], sb);
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(pipVerbs(env), []);
    const names = [...r.stdout.matchAll(/^name = "([^"]+)"\nversion = "([^"]+)"/gm)].map((m) => [m[1]!, m[2]!]);
    assert.deepEqual(Object.fromEntries(names.sort()), await pipChooses(["-r", join(sb.work, req)]));
  });
});
