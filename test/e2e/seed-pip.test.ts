// Seeded pip as a user meets it, with the built CLI and real interpreters:
// for every CPython 3.x here, pip runs, checks, lists itself, installs a wheel
// built by the test, and uninstalls itself cleanly (which reads our RECORD).
// Against ensurepip (`python -m venv`): the same files, launchers and RECORD.
// And the failure and concurrency cases of the issue, end to end.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, PYENV_ROOT, type Sandbox } from "../helpers/hermetic.js";
import { machineInterpreters, pyenvPython, type TestInterpreter } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { CLI, describeResult, runCli } from "../helpers/run-cli.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { filesBelow } from "../helpers/tree.js";

const interpreters = machineInterpreters().filter((i) => i.py3);
const PY312 = pyenvPython("3.12");

/** What `python -m venv` seeds for this version. */
const seedsOf = (py: TestInterpreter) => (Number(py.minor.split(".")[1]) <= 11 ? ["pip", "setuptools"] : ["pip"]);

function run(cmd: string, args: string[], env: Record<string, string>, cwd?: string) {
  const r = spawnSync(cmd, args, { env, cwd, encoding: "utf8", timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

function sitePackagesOf(env: string): string {
  const lib = join(env, "lib");
  const [pyDir] = readdirSync(lib).filter((n) => n.startsWith("python"));
  return join(lib, pyDir!, "site-packages");
}

function createSeeded(sb: Sandbox, py: string, env: string, extra: string[] = [], envVars: Record<string, string> = {}) {
  const r = runCli(["create", "-p", py, ...extra, env], { cwd: sb.work, env: { ...sb.env, ...envVars } });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stdout, "", "stdout carries data only");
  return r;
}

test("the machine has every CPython 3.x the issue names", (t) => {
  const have = new Set(interpreters.filter((i) => i.label.startsWith("pyenv")).map((i) => i.minor));
  const missing = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"].filter((m) => !have.has(m));
  if (!requireOrSkip(t, missing.length === 0, `pyenv versions missing: ${missing.join(", ")}`)) return;
  requireOrSkip(t, existsSync("/usr/share/python-wheels") && interpreters.some((i) => i.label === "debian 3.11"),
    "Debian's /usr/bin/python3.11 with /usr/share/python-wheels (python3-venv) is missing");
});

describe("a seeded env's pip works: --version, check, list, install, uninstall itself", () => {
  for (const py of interpreters) {
    test(py.label, (t) => {
      const sb = makeSandbox(t);
      const env = join(sb.work, "env");
      const created = createSeeded(sb, py.path, env);
      const seeds = seedsOf(py);
      assert.match(created.stderr, new RegExp(`^Seeded ${seeds.map((s) => `${s} [\\d.]+`).join(", ")}$`, "m"));
      const site = sitePackagesOf(env);
      // pip may write its bytecode, as it does for users: every later pip call
      // is faster for it, and the uninstall must then remove __pycache__ too.
      const e = { ...sb.env };
      delete e.PYTHONDONTWRITEBYTECODE;

      const version = run(join(env, "bin", "pip"), ["--version"], e);
      assert.equal(version.code, 0, version.stderr);
      assert.match(version.stdout, new RegExp(`^pip [\\d.]+ from ${site}/pip \\(python ${py.minor}\\)\n$`));

      const check = run(join(env, "bin", "python"), ["-m", "pip", "check"], e);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No broken requirements found/);

      const list = run(join(env, "bin", "pip"), ["list", "--format=json"], e);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual((JSON.parse(list.stdout) as Array<{ name: string }>).map((p) => p.name.toLowerCase()).sort(), seeds);

      // A wheel built here, installed by the seeded pip from a local directory.
      const dist = join(sb.work, "dist");
      buildWheel(dist, {
        name: "hello_venvctl",
        version: "1.0",
        files: { "hello_venvctl.py": "def main():\n    print('hello from venvctl')\n" },
        entryPoints: { console_scripts: { "hello-venvctl": "hello_venvctl:main" } },
      });
      const install = run(join(env, "bin", "pip"), ["install", "--no-index", "--find-links", dist, "hello_venvctl"], e);
      assert.equal(install.code, 0, install.stdout + install.stderr);
      const hello = run(join(env, "bin", "hello-venvctl"), [], e);
      assert.equal(hello.stdout, "hello from venvctl\n", hello.stderr);

      // pip uninstalls itself from our RECORD: every file it names is gone.
      const distInfo = readdirSync(site).find((n) => /^pip-.*\.dist-info$/.test(n))!;
      const recorded = readFileSync(join(site, distInfo, "RECORD"), "utf8").split(/\r?\n/).filter(Boolean)
        .map((l) => join(site, l.split(",")[0]!));
      assert.ok(recorded.length > 100);
      assert.ok(recorded.every((p) => existsSync(p)), "every RECORD path exists before");
      const uninstall = run(join(env, "bin", "pip"), ["uninstall", "-y", "pip"], e);
      assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
      assert.match(uninstall.stdout, /Successfully uninstalled pip-/);
      assert.deepEqual(recorded.filter((p) => existsSync(p)), [], "every file RECORD names is gone");
      assert.ok(!existsSync(join(site, "pip")), "pip's package directory is gone");
      assert.deepEqual(readdirSync(join(env, "bin")).filter((n) => /^pip/.test(n)), []);
    });
  }
});

describe("the same result as ensurepip (python -m venv): files, launchers, RECORD", () => {
  // 3.8 ships two pips (ensurepip pins one), Debian's takes /usr/share/python-wheels,
  // 3.13 has the newest pip; the rest match too (checked by hand; each oracle costs 3 s).
  const chosen = interpreters.filter((i) => ["pyenv 3.8", "debian 3.11", "pyenv 3.13"].some((l) => i.label.startsWith(l)));
  for (const py of chosen) {
    test(py.label, (t) => {
      const sb = makeSandbox(t);
      // Both built at the same path (shebangs name it), then moved aside.
      const env = join(sb.work, "env");
      createSeeded(sb, py.path, env);
      renameSync(env, join(sb.work, "ours"));
      const oracle = run(py.path, ["-m", "venv", env], sb.env, sb.work);
      assert.equal(oracle.code, 0, oracle.stderr);
      renameSync(env, join(sb.work, "theirs"));
      const ours = join(sb.work, "ours");
      const theirs = join(sb.work, "theirs");

      const perInstaller = /\.dist-info\/(INSTALLER|REQUESTED|direct_url\.json)$/;
      const a = filesBelow(sitePackagesOf(ours)).filter((p) => !perInstaller.test(p));
      const b = filesBelow(sitePackagesOf(theirs)).filter((p) => !perInstaller.test(p));
      assert.deepEqual(a, b, "site-packages: the same files");

      const launchers = (dir: string) => readdirSync(join(dir, "bin")).filter((n) => !/^(python|activate|Activate)/.test(n)).sort();
      assert.deepEqual(launchers(ours), launchers(theirs), "the same launchers");
      for (const n of launchers(ours)) {
        assert.equal(readFileSync(join(ours, "bin", n), "utf8"), readFileSync(join(theirs, "bin", n), "utf8"), `bin/${n}`);
        assert.equal(statSync(join(ours, "bin", n)).mode & 0o777, statSync(join(theirs, "bin", n)).mode & 0o777, `bin/${n} mode`);
      }
      for (const p of a.filter((f) => f.endsWith(".dist-info/RECORD"))) {
        const rows = (root: string) => readFileSync(join(sitePackagesOf(root), p), "utf8").split("\r\n")
          .filter((l) => l && !l.includes("__pycache__") && !/\.dist-info\/INSTALLER,/.test(l));
        assert.deepEqual(rows(ours), rows(theirs), `${p}, row for row`);
      }
    });
  }
});

describe("failures, end to end", () => {
  test("no seed wheel: exit 1 naming where it looked, hints; no env", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const seeds = join(sb.work, "seeds");
    mkdirSync(seeds);
    const r = runCli(["create", "-p", PY312!, "--seed-dir", seeds, "env"], { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 1, describeResult(r));
    assert.match(r.stderr, new RegExp(`^error: no seed wheels for pip \\(Python 3\\.12\\.\\d+\\); searched: ${seeds}$`, "m"));
    assert.match(r.stderr, /^hint: .*--without-pip.*--seed-dir/m);
    assert.deepEqual(readdirSync(sb.work), ["seeds"]);
  });

  test("a corrupt wheel: exit 1 naming it; no env, no cache entry", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const seeds = join(sb.work, "seeds");
    mkdirSync(seeds);
    writeFileSync(join(seeds, "pip-99.0-py3-none-any.whl"), "<html>502 Bad Gateway</html>\n");
    const r = runCli(["create", "-p", PY312!, "--seed-dir", seeds, "env"], { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 1, describeResult(r));
    assert.match(r.stderr, /^error: pip-99\.0-py3-none-any\.whl is not a valid wheel: bad ZIP archive/m);
    assert.deepEqual(readdirSync(sb.work), ["seeds"]);
    const wheels = join(sb.cache, "wheels");
    assert.ok(!existsSync(wheels) || readdirSync(wheels).every((n) => n === "keys"), "no cache entry");
  });

  test("an unwritable cache: one warning, and pip works", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const file = join(sb.dir, "cache-file");
    writeFileSync(file, "");
    const env = join(sb.work, "env");
    const r = createSeeded(sb, PY312!, env, [], { VENVCTL_CACHE_DIR: file });
    assert.deepEqual(r.stderr.split("\n").filter((l) => l.startsWith("warning:")), [
      `warning: cannot write the wheel cache at ${file}/wheels (ENOTDIR); seeding straight from the wheels`,
    ]);
    assert.equal(run(join(env, "bin", "pip"), ["--version"], sb.env).code, 0);
  });
});

test("three creates at once on a cold cache all succeed", async (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
  const sb = makeSandbox(t);
  const codes = await Promise.all([0, 1, 2].map((i) => new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, "create", "-p", PY312!, `env${i}`], { cwd: sb.work, env: sb.env });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, err }));
  })));
  for (const c of codes) assert.equal(c.code, 0, c.err);
  for (let i = 0; i < 3; i++) {
    const v = run(join(sb.work, `env${i}`, "bin", "pip"), ["--version"], sb.env);
    assert.equal(v.code, 0, v.stderr);
  }
  const entries = readdirSync(join(sb.cache, "wheels"));
  assert.deepEqual(entries.filter((n) => n.startsWith(".")), [], "no temporary directories left");
  assert.equal(entries.filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 1);
});

test("long and spaced env paths get the /bin/sh launcher form, and pip runs", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
  const sb = makeSandbox(t);
  for (const env of [join(sb.work, "d".repeat(120), "env"), join(sb.work, "with space", "env")]) {
    createSeeded(sb, PY312!, env);
    assert.match(readFileSync(join(env, "bin", "pip"), "utf8"), /^#!\/bin\/sh\n'''exec' /);
    const v = run(join(env, "bin", "pip"), ["--version"], sb.env);
    assert.equal(v.code, 0, v.stderr);
  }
});

test("--link-mode copy: no file shared with the cache", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  createSeeded(sb, PY312!, env, ["--link-mode", "copy"]);
  assert.equal(statSync(join(sitePackagesOf(env), "pip", "__init__.py")).nlink, 1);
  const linked = join(sb.work, "linked");
  createSeeded(sb, PY312!, linked);
  assert.ok(statSync(join(sitePackagesOf(linked), "pip", "__init__.py")).nlink > 1, "auto hardlinks on this file system");
});

test("--upgrade-deps runs the env's pip, which replaces the seeded pip it reads from our RECORD", (t) => {
  const py313Wheels = join(PYENV_ROOT, "versions", "3.13.0", "lib", "python3.13", "ensurepip", "_bundled");
  if (!requireOrSkip(t, PY312 !== undefined && existsSync(py313Wheels), "pyenv 3.12 and 3.13 (a newer pip wheel) are needed")) return;
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  // No index here: the newer pip comes from 3.13's bundled wheels.
  const r = createSeeded(sb, PY312!, env, ["--upgrade-deps"], { PIP_NO_INDEX: "1", PIP_FIND_LINKS: py313Wheels });
  assert.match(r.stderr, /Successfully installed pip-24/);
  const v = run(join(env, "bin", "pip"), ["--version"], sb.env);
  assert.match(v.stdout, /^pip 24\.\d+ /);
  const site = sitePackagesOf(env);
  assert.deepEqual(readdirSync(site).filter((n) => n.endsWith(".dist-info")).map((n) => n.replace(/-[\d.]+\.dist-info$/, "")), ["pip"], "one pip left");
});
