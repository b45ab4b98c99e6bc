// `venvctl install` as a user runs it: the built CLI, the env's real pip,
// wheels built here and served from a 127.0.0.1 index or a directory. The
// no-op answer is proved by what did not happen (no Python start in the env,
// no request to the index); the hand-over to pip by what did.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSandbox, PYENV_ROOT, type Sandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { CLI } from "../helpers/run-cli.js";
import { serveIndex, type IndexServer } from "../helpers/index-server.js";
import { installed, makeEnv, pythonStarts, show, venvctl, writeDist } from "../helpers/install-env.js";
import { buildInstallWheels } from "../helpers/install-wheels.js";

let sb: Sandbox & { cleanup(): void };
let wheels: string;
let index: IndexServer;

before(async () => {
  sb = makeSandbox(undefined, "venvctl-install-cli");
  wheels = join(sb.dir, "wheels");
  buildInstallWheels(wheels);
  index = await serveIndex(wheels);
});
after(async () => {
  await index.close();
  sb.cleanup();
});

const write = (files: Record<string, string | Buffer>) => {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(sb.work, name, ".."), { recursive: true });
    writeFileSync(join(sb.work, name), content);
  }
};
const pipRan = (starts: string[]) => starts.some((s) => /-m pip install/.test(s));
/** venvctl resolved (its debug line says so) and no Python started in the env: pip had no part. */
const resolvedNatively = (r: { stderr: string }, starts: string[]) => {
  assert.match(r.stderr, /debug: resolved by venvctl: /, show(r as Parameters<typeof show>[0]));
  assert.deepEqual(starts, [], "no Python started in the environment");
};

describe("install: files, constraints, the no-op", () => {
  test("nested requirement files with constraints, from --find-links; then the no-op without pip", async () => {
    const env = makeEnv(sb, "nested");
    write({
      "reqs/main.txt": "# the app\n-r sub/more.txt\n-c ../constraints.txt\nalpha\ngamma[fast]  # with the extra\n",
      "reqs/sub/more.txt": "top\n",
      "constraints.txt": "alpha<2\nbeta<2\n",
    });
    const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "-r", "reqs/main.txt"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "", "talk goes to stderr");
    assert.match(r.stderr, /^Installing into the virtual environment at .*nested\n/);
    assert.match(r.stderr, /Installed 8 distributions into the virtual environment at /);
    resolvedNatively(r, pythonStarts(env));
    const got = installed(env.site);
    assert.equal(got.alpha, "1.0", "the constraint alpha<2 holds");
    assert.equal(got.beta, "1.0", "the constraint beta<2 holds");
    assert.equal(got.delta, "1.0", "the extra's dependency");
    assert.equal(got.zeta, "1.0", "the dependency whose marker holds");
    assert.equal(got.epsilon, undefined, "the dependency whose marker does not hold");
    assert.deepEqual([got.top, got.mid, got.leaf], ["1.0", "1.0", "1.0"], "the chain from the nested file");

    // Everything is there now: answered without pip, without Python, without the index.
    const again = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "-r", "reqs/main.txt"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(again.code, 0, show(again));
    assert.equal(again.stdout, "");
    assert.match(again.stderr, /All 3 requirements are already satisfied in the virtual environment at /);
    assert.match(again.stderr, /debug: all satisfied without pip: 3 requirements, 8 distributions checked/);
    assert.deepEqual(pythonStarts(env), [], "no Python started in the environment");
    assert.deepEqual(index.requests, [], "the index was not asked");
  });

  test("from a 127.0.0.1 index: installs, then answers the same request at once (also with --pre)", async () => {
    const env = makeEnv(sb, "indexed");
    index.requests.length = 0;
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "alpha==2.0"], sb);
    assert.equal(r.code, 0, show(r));
    assert.ok(index.requests.includes("/simple/alpha/"), `requests: ${index.requests.join(" ")}`);
    assert.equal(installed(env.site).beta, "2.0", "the newest final release, not 3.0rc1");
    pythonStarts(env);
    index.requests.length = 0;
    for (const extra of [[], ["--pre"]]) {
      const again = await venvctl(["install", "-p", env.dir, "--index-url", index.url, ...extra, "alpha==2.0", "beta>=2"], sb);
      assert.equal(again.code, 0, show(again));
      assert.match(again.stderr, /All 2 requirements are already satisfied/);
      assert.deepEqual(index.requests, []);
      assert.deepEqual(pythonStarts(env), []);
    }
    // --upgrade asks for a change: the index is asked, and with --pre the release candidate is found.
    const up = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "--pre", "-U", "beta"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(up.code, 0, show(up));
    resolvedNatively(up, pythonStarts(env));
    assert.equal(installed(env.site).beta, "3.0rc1");
  });

  test("what is not satisfied is resolved: a missing dependency deep down, an extra, a marker, a pre-release", async () => {
    const env = makeEnv(sb, "fallbacks");
    const run = (...args: string[]) => venvctl(["install", "-p", env.dir, "--index-url", index.url, ...args], sb, { env: { VENVCTL_DEBUG: "1" } });

    // top without its dependencies: the closure (top → mid → leaf) is not satisfied.
    assert.equal((await run("--no-deps", "top")).code, 0);
    pythonStarts(env);
    let r = await run("top");
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /debug: resolving: mid is not installed \(required by top 1\.0\)/);
    resolvedNatively(r, pythonStarts(env));
    assert.equal(installed(env.site).leaf, "1.0");

    // gamma: zeta comes by a marker that holds on Python 3.
    assert.equal((await run("--no-deps", "gamma")).code, 0);
    pythonStarts(env);
    r = await run("gamma");
    assert.match(r.stderr, /resolving: zeta is not installed \(required by gamma 1\.0\)/);
    resolvedNatively(r, pythonStarts(env));
    assert.equal(installed(env.site).zeta, "1.0");
    assert.match((await run("gamma")).stderr, /The requirement is already satisfied in /);
    assert.deepEqual(pythonStarts(env), []);

    // gamma[fast]: the extra pulls delta.
    r = await run("gamma[fast]");
    assert.match(r.stderr, /resolving: delta is not installed \(required by gamma 1\.0\)/);
    resolvedNatively(r, pythonStarts(env));
    assert.equal(installed(env.site).delta, "1.0");

    // A pre-release installed does not satisfy `<3` (its base release is 3.0): pip downgrades.
    assert.equal((await run("--pre", "beta==3.0rc1")).code, 0);
    pythonStarts(env);
    r = await run("beta<3");
    assert.match(r.stderr, /resolving: beta 3\.0rc1 is installed/);
    resolvedNatively(r, pythonStarts(env));
    assert.equal(installed(env.site).beta, "2.0");
  });
});

describe("install: errors", () => {
  const cases: Array<[string, Record<string, string | Buffer>, string[], RegExp]> = [
    ["a malformed line", { "bad.txt": "alpha\nbeta >>= 1\n" }, ["-r", "bad.txt"], /^error: bad\.txt:2: Invalid requirement: 'beta >>= 1'/m],
    ["an unknown option in a file", { "opt.txt": "--frobnicate\n" }, ["-r", "opt.txt"], /^error: opt\.txt:1: no such option: --frobnicate/m],
    ["a missing file", {}, ["-r", "missing.txt"], /^error: missing\.txt: could not open requirements file missing\.txt: No such file or directory/m],
    ["an include cycle", { "c1.txt": "-r c2.txt\n", "c2.txt": "alpha\n-r c1.txt\n" }, ["-r", "c1.txt"], /^error: c2\.txt:2: include cycle: c1\.txt -> c2\.txt -> c1\.txt/m],
    ["a file that is not text", { "bin.txt": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff]) }, ["-r", "bin.txt"], /^error: bin\.txt: not a text file/m],
    ["an invalid requirement argument", {}, ["alpha=1"], /^error: Invalid requirement: 'alpha=1'.*\nhint: = is not a valid operator/m],
  ];
  let env: ReturnType<typeof makeEnv>;
  before(() => {
    env = makeEnv(sb, "errors");
  });
  for (const [what, files, args, expected] of cases) {
    test(`${what}: exit 2, FILE:LINE, pip not started, nothing installed`, async () => {
      write(files);
      const before = readdirSync(env.site).sort();
      const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, ...args], sb);
      assert.equal(r.code, 2, show(r));
      assert.equal(r.stdout, "");
      assert.match(r.stderr, expected);
      assert.deepEqual(pythonStarts(env), [], "pip was not started");
      assert.deepEqual(readdirSync(env.site).sort(), before, "nothing installed");
    });
  }

  test("a file only some pips accept (a legacy specifier, a cp437 coding line, a NUL in a comment) goes to pip, not refused", async () => {
    // pip 23.2.1 (Python 3.12) reads every line: it looks for alpha 1.0.x, and finds none.
    write({ "legacy.txt": Buffer.from("# -*- coding: cp437 -*-\nalpha==1.0.x  # caf\x82 \0\n", "latin1") });
    const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "-r", "legacy.txt"], sb);
    assert.equal(r.code, 1, show(r));
    assert.doesNotMatch(r.stderr, /^error:/m);
    assert.match(r.stderr, /ERROR: No matching distribution found for alpha==1\.0\.x/);
    assert.ok(pipRan(pythonStarts(env)), "pip ran");
  });

  test("pip failing (VENVCTL_RESOLVER=pip): its output and its exit code", async () => {
    const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "no-such-project"], sb, { env: { VENVCTL_RESOLVER: "pip" } });
    assert.equal(r.code, 1, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /ERROR: No matching distribution found for no-such-project/);
    // pip's own usage error (an option it does not know, passed after --) is its exit 2.
    const u = await venvctl(["install", "-p", env.dir, "alpha", "--", "--frobnicate"], sb);
    assert.equal(u.code, 2, show(u));
    assert.match(u.stderr, /no such option: --frobnicate/);
    assert.ok(pythonStarts(env).some((s) => s.includes("--frobnicate")), "the option went to pip");
  });

  test("Ctrl-C reaches pip (VENVCTL_RESOLVER=pip); venvctl waits for it and exits with its code", async () => {
    // An index that never answers: pip waits on it until interrupted.
    const requests: string[] = [];
    const hanging = createServer((req) => requests.push(req.url ?? ""));
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const port = (hanging.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [CLI, "install", "-p", env.dir, "--index-url", `http://127.0.0.1:${port}/simple/`, "slow-project"], {
        cwd: sb.work, env: { ...sb.env, VENVCTL_RESOLVER: "pip" }, detached: true, stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      for (let i = 0; i < 600 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(requests.length > 0, `pip never asked the index:\n${stderr}`);
      // As a terminal does: SIGINT to the whole foreground process group.
      process.kill(-child.pid!, "SIGINT");
      const code = await exited;
      assert.match(stderr, /Operation cancelled by user/, "pip saw the interrupt");
      assert.doesNotMatch(stderr, /internal error/);
      assert.equal(code, 1, `pip's exit code for an interrupt, passed on:\n${stderr}`);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test("`--report -` after --: pip's JSON stays on stdout", async () => {
    const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "leaf", "--", "--dry-run", "--quiet", "--report", "-"], sb);
    assert.equal(r.code, 0, show(r));
    const report = JSON.parse(r.stdout) as { install: Array<{ metadata: { name: string } }> };
    assert.deepEqual(report.install.map((i) => i.metadata.name), ["leaf"]);
  });

  test("nothing to install is a usage error", async () => {
    const r = await venvctl(["install", "-p", env.dir], sb);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /^error: nothing to install/);
  });
});

describe("install: environments", () => {
  test("a venv made --without-pip gets pip seeded first when pip is needed, saying so", async () => {
    const env = makeEnv(sb, "nopip", { withoutPip: true });
    assert.ok(!readdirSync(env.site).some((n) => n.startsWith("pip-")));
    // Satisfied without pip: nothing is seeded.
    writeDist(env.site, { name: "handmade", version: "1.0" });
    const noop = await venvctl(["install", "-p", env.dir, "handmade"], sb);
    assert.equal(noop.code, 0, show(noop));
    assert.match(noop.stderr, /already satisfied/);
    assert.ok(!readdirSync(env.site).some((n) => n.startsWith("pip-")), "no pip seeded for a no-op");

    // venvctl resolves and installs alone: still no pip.
    const native = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "leaf"], sb);
    assert.equal(native.code, 0, show(native));
    assert.ok(!readdirSync(env.site).some((n) => n.startsWith("pip-")), "no pip seeded when venvctl needs none");
    assert.equal(installed(env.site).leaf, "1.0");

    const r = await venvctl(["install", "-p", env.dir, "--no-index", "-f", wheels, "alpha"], sb, { env: { VENVCTL_RESOLVER: "pip" } });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /The virtual environment at .*nopip has no pip: seeding it from the bundled wheel\nSeeded pip \S+/);
    assert.ok(readdirSync(env.site).some((n) => n.startsWith("pip-")));
    assert.equal(installed(env.site).alpha, "2.0");
  });

  test("-p picks the environment; without it, the nearest .venv", async () => {
    const env = makeEnv(sb, "proj/.venv");
    mkdirSync(join(sb.work, "proj", "src"), { recursive: true });
    const r = await venvctl(["install", "--no-index", "-f", wheels, "leaf"], sb, { cwd: join(sb.work, "proj", "src") });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /Installing into the virtual environment at .*proj\/\.venv/);
    assert.equal(installed(env.site).leaf, "1.0");
  });

  test("after an install into a base interpreter, the shims are rehashed", async (t) => {
    // A stand-in base interpreter: a script (without #!, so venvctl takes it for
    // the interpreter itself) that answers the probe with the real Python and
    // fakes `-m pip install` by writing a new command beside itself.
    const real = join(PYENV_ROOT, "versions", "3.12.1", "bin", "python3.12");
    if (!requireOrSkip(t, existsSync(real), `${real} is not installed`)) return;
    const root = join(sb.dir, "fake-pyenv");
    const bin = join(root, "versions", "3.12.1", "bin");
    mkdirSync(bin, { recursive: true });
    const fake = join(bin, "python3.12");
    writeFileSync(fake, [
      ": a stand-in interpreter for the rehash test",
      'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then',
      `  echo "$*" >> ${JSON.stringify(join(sb.dir, "fake-pip.log"))}`,
      '  printf "#!/bin/sh\\necho new\\n" > "$(dirname "$0")/brand-new-cmd"; chmod +x "$(dirname "$0")/brand-new-cmd"',
      "  exit 0",
      "fi",
      `exec ${real} "$@"`,
      "",
    ].join("\n"));
    chmodSync(fake, 0o755);
    symlinkSync("python3.12", join(bin, "python3"));
    const env = { PYENV_ROOT: root };
    const rehash = await venvctl(["rehash"], sb, { env });
    assert.equal(rehash.code, 0, show(rehash));
    assert.ok(!existsSync(join(sb.root, "shims", "brand-new-cmd")));
    const r = await venvctl(["install", "-p", fake, "some-new-project"], sb, { env: { ...env, VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /Installing into the interpreter .*python3\.12/);
    assert.match(readFileSync(join(sb.dir, "fake-pip.log"), "utf8"), /-m pip install some-new-project/);
    assert.match(r.stderr, /Rehashed the shims/);
    assert.ok(existsSync(join(sb.root, "shims", "brand-new-cmd")), "the new command has a shim");
  });
});
