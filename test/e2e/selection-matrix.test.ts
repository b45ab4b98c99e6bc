// One selection chain: in every state — nothing pinned; each pin source;
// pyenv's global pin; venvctl's and pyenv's shims both on PATH, in either
// order; a symlinked or `//`-spelled shims directory; a range pin; an active
// venv — `version`, `which python`, `exec python`, the `python` shim,
// `create` and `list` all name the same interpreter. Real interpreters, the
// built CLI, real shims; pyenv's shims are canaries that must never run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";
import { describeRun, run, venvctlBinDir } from "../helpers/shims.js";

const DEBIAN = "/usr/bin/python3.11";
const HAVE = ["3.11", "3.12", "3.13"].every((m) => pyenvPython(m) !== undefined) && existsSync(DEBIAN);
const NEED = `pyenv 3.11, 3.12, 3.13 and ${DEBIAN}`;
const REAL_EXE = "import os, sys; print(os.path.realpath(sys.executable))";
const SITE_DIRS = "import site, sys; print('\\n'.join([os.path.realpath(p) for p in site.getsitepackages()]))";

interface State {
  name: string;
  /** The real interpreter every command must name. */
  expect: string;
  /** What `version --bare` says. */
  versionName: string;
  /** The shims directory as PATH spells it (the `python` shim run from there). */
  shimDir: string;
  env: Record<string, string>;
  cwd: string;
  /** The environment `list` reads, when it is a venv rather than the interpreter. */
  venv?: string;
}

interface Answers {
  version: string;
  which: string;
  exec: string;
  shim: string;
  create: string;
  list: string;
}

function ask(sb: Sandbox, s: State, i: number): Answers {
  const opts = { cwd: s.cwd, env: s.env };
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : `(${p} does not exist)`);
  const version = runCli(["version", "--bare"], opts);
  assert.equal(version.code, 0, `${s.name}: version: ${describeResult(version)}`);
  const which = runCli(["which", "python"], opts);
  assert.equal(which.code, 0, `${s.name}: which: ${describeResult(which)}`);
  const exec = runCli(["exec", "python", "-c", REAL_EXE], opts);
  assert.equal(exec.code, 0, `${s.name}: exec: ${describeResult(exec)}`);
  const shim = run([join(s.shimDir, "python"), "-c", REAL_EXE], opts);
  assert.equal(shim.code, 0, `${s.name}: shim: ${describeRun(shim)}`);
  const envDir = join(sb.dir, `env-${i}`);
  const create = runCli(["create", "--without-pip", envDir], opts);
  assert.equal(create.code, 0, `${s.name}: create: ${describeResult(create)}`);
  const list = runCli(["list", "-v", "--format", "json"], opts);
  assert.equal(list.code, 0, `${s.name}: list: ${describeResult(list)}`);
  const locations = [...new Set((JSON.parse(list.stdout) as Array<{ location: string }>).map((p) => realpathSync(p.location)))];
  return {
    version: version.stdout.split("\n")[0]!,
    which: real(which.stdout.trim()),
    exec: exec.stdout.trim(),
    shim: shim.stdout.trim(),
    create: real(join(envDir, "bin", "python")),
    list: locations.join(" "),
  };
}

/** The site directories an environment's own Python reports (the oracle for `list`). */
function siteDirsOf(python: string, env: Record<string, string>): string[] {
  const r = spawnSync(python, ["-c", `import os; ${SITE_DIRS}`], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split("\n");
}

test("every command and the shims name the same interpreter in every selection state", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const sb = makeSandbox(t);
  const py = (m: string) => realpathSync(pyenvPython(m)!);
  const debian = realpathSync(DEBIAN);
  // "system": a directory whose python and python3 are Debian's 3.11.2.
  const sysbin = join(sb.dir, "sysbin");
  mkdirSync(sysbin);
  for (const n of ["python", "python3"]) symlinkSync(DEBIAN, join(sysbin, n));
  // pyenv's shims: canaries that record being run.
  const pyenvShims = join(sb.pyenvRoot, "shims");
  const canary = join(sb.dir, "pyenv-shim-ran");
  mkdirSync(pyenvShims);
  for (const n of ["python", "python3", "pip"]) {
    writeFileSync(join(pyenvShims, n), `#!/bin/sh\necho "$0" >> '${canary}'\nexit 99\n`, { mode: 0o755 });
  }
  const shims = join(sb.root, "shims");
  const tail = `${venvctlBinDir(sb)}:${sysbin}:/usr/bin:/bin`;
  const base: Record<string, string> = { ...sb.env, PATH: `${shims}:${tail}` };
  delete base.PWD;
  const rehash = runCli(["rehash"], { cwd: sb.work, env: base });
  assert.equal(rehash.code, 0, describeResult(rehash));
  const alias = join(sb.dir, "alias");
  symlinkSync(sb.root, alias);
  const project = join(sb.work, "project");
  const deep = join(project, "src");
  mkdirSync(deep, { recursive: true });
  const venv = join(sb.dir, "venv");
  const made = runCli(["create", "-p", "3.13", venv], { cwd: sb.work, env: base });
  assert.equal(made.code, 0, describeResult(made));

  const pin = (file: string, text: string | undefined) => {
    if (text === undefined) rmSync(file, { force: true });
    else writeFileSync(file, text);
  };
  const local = join(project, ".python-version");
  const venvctlGlobal = join(sb.root, "version");
  const pyenvGlobal = join(sb.pyenvRoot, "version");
  const states: Array<State & { pins: Array<[string, string | undefined]> }> = [
    { name: "nothing pinned", expect: debian, versionName: "system", shimDir: shims, env: base, cwd: deep, pins: [] },
    { name: "VENVCTL_VERSION=3.12", expect: py("3.12"), versionName: "3.12.1", shimDir: shims, env: { ...base, VENVCTL_VERSION: "3.12" }, cwd: deep, pins: [[local, "3.13\n"]] },
    { name: ".python-version 3.13 (a parent's)", expect: py("3.13"), versionName: "3.13.0", shimDir: shims, env: base, cwd: deep, pins: [[local, "3.13\n"], [venvctlGlobal, "3.12\n"]] },
    { name: "$VENVCTL_ROOT/version 3.11", expect: py("3.11"), versionName: "3.11.7", shimDir: shims, env: base, cwd: deep, pins: [[local, undefined], [venvctlGlobal, "3.11\n"], [pyenvGlobal, "3.12\n"]] },
    { name: "$PYENV_ROOT/version 3.12.1", expect: py("3.12"), versionName: "3.12.1", shimDir: shims, env: base, cwd: deep, pins: [[venvctlGlobal, undefined], [pyenvGlobal, "3.12.1\n"]] },
    { name: "$PYENV_ROOT/version system", expect: debian, versionName: "system", shimDir: shims, env: base, cwd: deep, pins: [[pyenvGlobal, "system\n"]] },
    { name: "a range pin >=3.11,<3.13", expect: py("3.12"), versionName: "3.12.1", shimDir: shims, env: base, cwd: deep, pins: [[pyenvGlobal, undefined], [local, ">=3.11,<3.13\n"]] },
    { name: "pyenv's shims before venvctl's", expect: py("3.13"), versionName: "3.13.0", shimDir: shims, env: { ...base, PATH: `${pyenvShims}:${shims}:${tail}` }, cwd: deep, pins: [[local, "3.13\n"]] },
    { name: "venvctl's shims before pyenv's, nothing pinned", expect: debian, versionName: "system", shimDir: shims, env: { ...base, PATH: `${shims}:${pyenvShims}:${tail}` }, cwd: deep, pins: [[local, undefined]] },
    { name: "shims through a symlinked root", expect: debian, versionName: "system", shimDir: join(alias, "shims"), env: { ...base, PATH: `${join(alias, "shims")}/:${pyenvShims}/:${tail}` }, cwd: deep, pins: [] },
    { name: "shims spelled //", expect: py("3.11"), versionName: "3.11.7", shimDir: `/${shims}`, env: { ...base, PATH: `/${shims}:/${pyenvShims}:${tail}` }, cwd: deep, pins: [[local, "3.11\n"]] },
    { name: "an active venv (3.13)", expect: py("3.13"), versionName: "3.13.0", shimDir: shims, env: { ...base, VIRTUAL_ENV: venv, PATH: `${join(venv, "bin")}:${shims}:${tail}` }, cwd: deep, venv, pins: [[local, "3.11\n"]] },
  ];

  const table: string[] = ["| state | version | which python | exec python | python shim | create | list |", "|---|---|---|---|---|---|---|"];
  const versionsDir = `${realpathSync(join(sb.pyenvRoot, "versions"))}/`;
  const short = (p: string) => (p.startsWith(versionsDir) ? p.slice(versionsDir.length).replace(/\/bin\/python\d\.\d+$/, "") : p.replace(sb.dir, "$SANDBOX"));
  for (const [i, s] of states.entries()) {
    for (const [file, text] of s.pins) pin(file, text);
    const a = ask(sb, s, i);
    assert.equal(a.version, s.versionName, `${s.name}: version`);
    assert.equal(a.which, s.expect, `${s.name}: which python`);
    assert.equal(a.exec, s.expect, `${s.name}: exec python`);
    assert.equal(a.shim, s.expect, `${s.name}: the python shim`);
    assert.equal(a.create, s.expect, `${s.name}: create`);
    const sites = s.venv ? [realpathSync(join(s.venv, "lib", "python3.13", "site-packages"))] : siteDirsOf(s.expect, base);
    for (const loc of a.list.split(" ").filter(Boolean)) {
      assert.ok(sites.includes(loc), `${s.name}: list read ${loc}, not one of ${sites.join(", ")}`);
    }
    table.push(`| ${s.name} | ${a.version} | ${short(a.which)} | ${short(a.exec)} | ${short(a.shim)} | ${short(a.create)} | ${a.list ? short(a.list.split(" ")[0]!) : "(no packages)"} |`);
  }
  assert.ok(!existsSync(canary), "a pyenv shim ran");
  for (const row of table) t.diagnostic(row);
});

test("a shim never finds itself as the system's command, however PATH spells its directory", (t) => {
  const sb = makeSandbox(t);
  const env: Record<string, string> = { ...sb.env, PATH: `${venvctlBinDir(sb)}:/usr/bin:/bin` };
  delete env.PWD;
  assert.equal(runCli(["rehash"], { cwd: sb.work, env }).code, 0);
  const alias = join(sb.dir, "alias");
  symlinkSync(sb.root, alias);
  for (const dir of [join(alias, "shims"), `${join(alias, "shims")}/`, `/${join(sb.root, "shims")}`, `${sb.root}/./shims`]) {
    // Nothing pinned, and only the shims and /usr/bin: python3 is Debian's.
    const r = run([join(dir, "python3"), "-c", REAL_EXE], { cwd: sb.work, env: { ...env, PATH: `${dir}:/usr/bin:/bin` } });
    assert.equal(r.code, 0, `${dir}: ${describeRun(r)}`);
    assert.equal(r.stdout.trim(), realpathSync("/usr/bin/python3"), dir);
    const which = runCli(["which", "python3"], { cwd: sb.work, env: { ...env, PATH: `${dir}:${venvctlBinDir(sb)}:/usr/bin:/bin` } });
    assert.equal(which.stdout, "/usr/bin/python3\n", `${dir}: ${describeResult(which)}`);
  }
});
