// Version files and checkouts are untrusted input. A `.python-version` naming
// a program (`bash`, `rm`), a path, `default`/`any`, or holding NULs, CRLF, a
// BOM or a 10 MB line: no command and no shim ever executes anything outside
// the discovered interpreters (canaries record any run; strace lists every
// execve), nothing hangs or overflows the stack, and the shim agrees with
// `which`. A checkout's `.venv/bin/python3` is never run to learn about it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip, which as whichTool } from "../helpers/require.js";
import { CLI, describeResult, runCli, type CliResult } from "../helpers/run-cli.js";
import { describeRun, run, venvctlBinDir } from "../helpers/shims.js";

const HAVE = pyenvPython("3.12") !== undefined;
const NEED = "pyenv 3.12";
/** Names a hostile pin might use, each a canary on PATH (and `head`, which nothing may take from PATH). */
const CANARY_NAMES = ["bash", "sh", "perl", "env", "rm", "nope", "any", "default", "head", "evil.sh"];

interface World {
  sb: Sandbox;
  log: string;
  project: string;
  env: Record<string, string>;
}

function canary(path: string, log: string): void {
  writeFileSync(path, `#!/bin/sh\necho "$0 $*" >> '${log}'\nexit 0\n`, { mode: 0o755 });
}

function world(t: Parameters<typeof makeSandbox>[0]): World {
  const sb = makeSandbox(t);
  const log = join(sb.dir, "canary.log");
  const evilbin = join(sb.dir, "evilbin");
  mkdirSync(evilbin);
  for (const n of CANARY_NAMES) canary(join(evilbin, n), log);
  const project = join(sb.work, "project");
  mkdirSync(join(project, "evil", "bin"), { recursive: true });
  canary(join(project, "evil.sh"), log);
  canary(join(project, "evil", "bin", "python"), log);
  canary(join(project, "evil", "bin", "python3"), log);
  const env: Record<string, string> = { ...sb.env, PATH: `${evilbin}:${join(sb.root, "shims")}:${venvctlBinDir(sb)}:/usr/bin:/bin` };
  delete env.PWD;
  const r = runCli(["rehash"], { cwd: sb.work, env });
  assert.equal(r.code, 0, describeResult(r));
  return { sb, log, project, env };
}

function ran(w: World): string {
  return existsSync(w.log) ? readFileSync(w.log, "utf8") : "";
}

const HOSTILE: Array<[string, string | Buffer]> = [
  ["a shell", "bash\n"],
  ["sh", "sh\n"],
  ["perl", "perl\n"],
  ["env", "env\n"],
  ["rm", "rm -rf\n"],
  ["a script in the checkout", "./evil.sh\n"],
  ["a directory above", "../evil\n"],
  ["an absolute path", "/bin/sh\n"],
  ["a path out of versions/", "../../../../../../tmp/evil\n"],
  ["default", "default\n"],
  ["any", "any\n"],
  ["nope any", "nope any\n"],
  ["NUL inside a word", Buffer.from("ba\0sh\n")],
  ["CRLF", "bash\r\nperl\r\n"],
  ["a BOM", "\uFEFFbash\n"],
  ["a 10 MB line", Buffer.concat([Buffer.from("bash "), Buffer.alloc(10 * 1024 * 1024, "x")])],
];

test("hostile .python-version files: nothing outside the discovered interpreters runs, nothing hangs", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const w = world(t);
  const deep = join(w.project, "evil");
  writeFileSync(join(w.project, "requirements.txt"), "pip\n");
  const opts = { cwd: deep, env: w.env, timeoutMs: 120_000 };
  for (const [what, text] of HOSTILE) {
    writeFileSync(join(w.project, ".python-version"), text);
    const results: Array<[string, CliResult]> = [
      ["version", runCli(["version"], opts)],
      ["which", runCli(["which", "python"], opts)],
      ["exec", runCli(["exec", "python", "-c", "1"], opts)],
      ["create", runCli(["create", "--without-pip", join(w.sb.dir, "env")], opts)],
      ["list", runCli(["list"], opts)],
      ["freeze", runCli(["freeze"], opts)],
      ["show", runCli(["show", "pip"], opts)],
      ["install", runCli(["install", "-r", join(w.project, "requirements.txt")], opts)],
    ];
    for (const [cmd, r] of results) {
      assert.notEqual(r.code, 0, `${what}: ${cmd} succeeded: ${describeResult(r)}`);
      assert.match(r.stderr, /^error: (version|versions) .* not installed \(set by .*\.python-version\)/m, `${what}: ${cmd}: ${describeResult(r)}`);
      assert.doesNotMatch(r.stderr, /internal error|Maximum call stack/, `${what}: ${cmd}`);
      assert.ok(r.stderr.length < 10_000, `${what}: ${cmd}: a hostile entry is not echoed whole (${r.stderr.length} bytes)`);
    }
    const shim = run([join(w.sb.root, "shims", "python"), "-c", "1"], opts);
    assert.equal(shim.code, 127, `${what}: shim: ${describeRun(shim)}`);
    assert.match(shim.stderr, /is not installed \(set by .*\.python-version\)/, `${what}: shim`);
    assert.ok(shim.stderr.length < 10_000, `${what}: the shim echoed ${shim.stderr.length} bytes`);
    assert.equal(ran(w), "", `${what}: a canary ran`);
  }
});

test("a hostile entry before an installed one: only that interpreter runs (strace's execve list)", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const strace = whichTool("strace");
  if (!requireOrSkip(t, strace !== undefined, "strace is not installed")) return;
  const w = world(t);
  writeFileSync(join(w.project, ".python-version"), "bash ./evil.sh ../evil default 3.12\n");
  const trace = join(w.sb.dir, "trace");
  const r = spawnSync(strace!, ["-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", trace, process.execPath, CLI, "create", join(w.sb.dir, "env")], {
    cwd: w.project, env: w.env, encoding: "utf8", timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const python312 = realpathSync(pyenvPython("3.12")!);
  const programs = new Set([...readFileSync(trace, "utf8").matchAll(/execve\("([^"]+)"/g)].map((m) => realpathSync(m[1]!)));
  for (const p of programs) {
    assert.ok(p === realpathSync(process.execPath) || p === python312, `executed ${p}; only node and ${python312} may run`);
  }
  assert.equal(ran(w), "");
  // The shim agrees: 3.12, the first installed entry.
  const shim = run([join(w.sb.root, "shims", "python"), "-c", "import sys; print(sys.version_info[:2])"], { cwd: w.project, env: w.env });
  assert.equal(shim.stdout, "(3, 12)\n", describeRun(shim));
  assert.equal(ran(w), "");
});

test("`default` and `any` in VENVCTL_VERSION are not installed, without recursion or a hang", (t) => {
  const w = world(t);
  for (const value of ["default", "any", "nope any", "default:any"]) {
    const env = { ...w.env, VENVCTL_VERSION: value };
    const r = runCli(["create", "--without-pip", join(w.sb.dir, "env")], { cwd: w.sb.work, env, timeoutMs: 120_000 });
    assert.equal(r.code, 1, `${value}: ${describeResult(r)}`);
    assert.match(r.stderr, /not installed \(set by VENVCTL_VERSION\)/, value);
    const shim = run([join(w.sb.root, "shims", "python3"), "-c", "1"], { cwd: w.sb.work, env });
    assert.equal(shim.code, 127, describeRun(shim));
    assert.match(shim.stderr, /not installed \(set by VENVCTL_VERSION\)/);
  }
  assert.equal(ran(w), "");
});

/** A checkout holding `.venv` whose bin/python3 is a canary, with one installed distribution. */
function checkout(w: World, home: string): string {
  const dir = join(w.sb.work, `checkout-${Math.random().toString(36).slice(2)}`);
  const venv = join(dir, ".venv");
  const site = join(venv, "lib", "python3.12", "site-packages");
  mkdirSync(join(site, "demo-1.0.dist-info"), { recursive: true });
  mkdirSync(join(venv, "bin"), { recursive: true });
  writeFileSync(join(site, "demo-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n");
  writeFileSync(join(venv, "pyvenv.cfg"), `home = ${home}\ninclude-system-site-packages = false\nversion = 3.12.1\n`);
  for (const n of ["python", "python3", "python3.12"]) canary(join(venv, "bin", n), w.log);
  writeFileSync(join(dir, "requirements.txt"), "demo==1.0\n");
  return dir;
}

test("a checkout's .venv/bin/python3 is never run: list, freeze, show and a no-op install read it natively", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const w = world(t);
  const home = join(w.sb.pyenvRoot, "versions", "3.12.1", "bin");
  const dir = checkout(w, home);
  const opts = { cwd: dir, env: w.env };
  const list = runCli(["list", "--format", "freeze"], opts);
  assert.equal(list.code, 0, describeResult(list));
  assert.equal(list.stdout, "demo==1.0\n");
  const freeze = runCli(["freeze"], opts);
  assert.equal(freeze.stdout, "demo==1.0\n", describeResult(freeze));
  const show = runCli(["show", "demo"], opts);
  assert.match(show.stdout, /^Name: demo\nVersion: 1\.0\n/, describeResult(show));
  const install = runCli(["install", "-r", "requirements.txt"], opts);
  assert.equal(install.code, 0, describeResult(install));
  assert.equal(ran(w), "", "the checkout's python ran");

  // A base that is not a discovered interpreter (here: inside the checkout) is refused with a hint.
  for (const bad of [join(dir, "..", "checkout-evil"), join(w.project, "evil", "bin"), join(dir, ".venv", "bin")]) {
    mkdirSync(bad, { recursive: true });
    const other = checkout(w, bad);
    const r = runCli(["list"], { cwd: other, env: w.env });
    assert.equal(r.code, 1, `${bad}: ${describeResult(r)}`);
    assert.match(r.stderr, /^error: the base interpreter of the virtual environment at .* (is missing|is not one venvctl knows)\nhint: /m, bad);
  }
  assert.equal(ran(w), "", "a canary ran");
});
