// The shims in the real shells: `eval "$(venvctl init SHELL)"`, then
// `python --version` in directories with different .python-version files,
// with VENVCTL_VERSION, after `venvctl use --shell`, inside an activated venv;
// `which`'s errors; `exec`'s exit code and argument passing; a rehash while
// shims run; a VENVCTL_ROOT venvctl may not write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeSandbox, SYSTEM_PATH, viaSandboxPyenv, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip, which as onPath } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";
import { describeRun, run, runShell, shimEnv, venvctlBinDir } from "../helpers/shims.js";

const PY = { "3.8": pyenvPython("3.8"), "3.9": pyenvPython("3.9"), "3.10": pyenvPython("3.10"), "3.11": pyenvPython("3.11"), "3.12": pyenvPython("3.12"), "3.13": pyenvPython("3.13") };
const HAVE = Object.values(PY).every(Boolean);
const NEED = "pyenv 3.8–3.13 are needed";

interface Project {
  sb: Sandbox;
  a: string;
  b: string;
  venv: string;
  env: Record<string, string>;
}

/** a/ pins 3.12, b/ pins 3.11, venv/ is a 3.13 venv; venvctl on PATH, shims not yet. */
function project(t: Parameters<typeof makeSandbox>[0]): Project {
  const sb = makeSandbox(t);
  const a = join(sb.work, "a");
  const b = join(sb.work, "b");
  mkdirSync(join(a, "deep"), { recursive: true });
  mkdirSync(b);
  writeFileSync(join(a, ".python-version"), "3.12\n");
  writeFileSync(join(b, ".python-version"), "3.11\n");
  const venv = join(sb.work, "venv");
  const made = spawnSync(PY["3.13"]!, ["-m", "venv", "--without-pip", venv], { env: sb.env, encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  const env: Record<string, string> = { ...sb.env, PATH: `${venvctlBinDir(sb)}:${SYSTEM_PATH}` };
  delete env.PWD;
  return { sb, a, b, venv, env };
}

/** The same steps in POSIX sh and in fish; each prints one line per step. */
function script(shell: string, p: Project): string {
  const init = shell === "dash" ? "sh" : shell;
  if (shell === "fish") {
    return `venvctl init fish 2>/dev/null | source; or exit 90
venvctl init fish 2>/dev/null | source
echo shims-on-path (count (string match -- '*/shims' $PATH))
cd ${p.a}/deep; python --version
cd ${p.b}; python --version
VENVCTL_VERSION=3.10 python --version
venvctl use --shell 3.9 2>/dev/null; python --version; echo VV=$VENVCTL_VERSION
cd ${p.a}; python --version
venvctl use --shell '>=3.8 <3.9' 2>/dev/null; echo VV=$VENVCTL_VERSION
venvctl use --shell --unset 2>/dev/null; python --version; echo VV=(set -q VENVCTL_VERSION; and echo set; or echo unset)
source ${p.venv}/bin/activate.fish; python --version; venvctl which python; deactivate
python --version
venvctl use 3.8 2>/dev/null; python --version
cd ${p.sb.work}; python3 --version
`;
  }
  return `eval "$(venvctl init ${init} 2>/dev/null)" || exit 90
eval "$(venvctl init ${init} 2>/dev/null)"
echo "shims-on-path $(echo "$PATH" | tr ':' '\\n' | grep -c '/shims$')"
cd ${p.a}/deep && python --version
cd ${p.b} && python --version
VENVCTL_VERSION=3.10 python --version
venvctl use --shell 3.9 2>/dev/null; python --version; echo "VV=$VENVCTL_VERSION"
cd ${p.a} && python --version
venvctl use --shell '>=3.8 <3.9' 2>/dev/null; echo "VV=$VENVCTL_VERSION"
venvctl use --shell --unset 2>/dev/null; python --version; echo "VV=\${VENVCTL_VERSION-unset}"
. ${p.venv}/bin/activate && python --version && venvctl which python; deactivate
python --version
venvctl use 3.8 2>/dev/null; python --version
cd ${p.sb.work} && python3 --version
`;
}

for (const shell of ["bash", "dash", "zsh", "ksh", "fish"]) {
  test(`${shell}: init, pins per directory, VENVCTL_VERSION, use --shell, an active venv`, (t) => {
    if (!requireOrSkip(t, HAVE, NEED)) return;
    if (!requireOrSkip(t, onPath(shell) !== undefined, `${shell} is not installed (apt-get install ${shell})`)) return;
    const p = project(t);
    const r = runShell(shell, script(shell, p), { cwd: p.sb.work, env: p.env });
    assert.equal(r.code, 0, describeRun(r));
    assert.deepEqual(r.stdout.trim().split("\n"), [
      "shims-on-path 1",
      "Python 3.12.1", // a/deep: a's pin, from two levels down
      "Python 3.11.7", // b
      "Python 3.10.13", // VENVCTL_VERSION for one command
      "Python 3.9.18", // use --shell, through the function
      "VV=3.9",
      "Python 3.9.18", // the shell pin wins over a's file
      "VV=3.8.18", // a range, resolved to the version it selects
      "Python 3.12.1", // unset: a's file again
      "VV=unset",
      "Python 3.13.0", // the venv's own python comes first…
      join(p.venv, "bin", "python"), // …and `which` says so
      "Python 3.12.1", // deactivated
      "Python 3.8.18", // `use` (local) through the function
      "Python 3.11.2", // no pin: the system's python3
    ], describeRun(r));
    assert.ok(existsSync(join(p.a, ".python-version")));
  });
}

test("which: the path, and clear errors naming versions, files and who has the command", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const p = project(t);
  const ok = runCli(["which", "pip3.12"], { cwd: p.a, env: p.env });
  assert.equal(ok.code, 0, describeResult(ok));
  assert.equal(ok.stdout, `${join(dirname(viaSandboxPyenv(p.sb, PY["3.12"]!)), "pip3.12")}\n`);

  const none = runCli(["which", "idle3.11"], { cwd: p.a, env: p.env });
  assert.equal(none.code, 1, describeResult(none));
  assert.equal(none.stdout, "");
  assert.match(none.stderr, /^error: idle3\.11: command not found: not in 3\.12\.1 \(set by .*\/a\/\.python-version\), nor on PATH\nhint: the `idle3\.11` command exists in: 3\.11\.7; select one with `venvctl use`/);

  writeFileSync(join(p.b, ".python-version"), "3.99\n");
  const missing = runCli(["which", "python"], { cwd: p.b, env: p.env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: version `3\.99` is not installed \(set by .*\/b\/\.python-version\)\nhint: installed: 3\.13\.0, 3\.12\.1/);

  const usage = runCli(["which", "../bin/python"], { cwd: p.b, env: p.env });
  assert.equal(usage.code, 2, describeResult(usage));
  const noArg = runCli(["which"], { cwd: p.b, env: p.env });
  assert.equal(noArg.code, 2, describeResult(noArg));
});

test("exec: CMD's exit code, arguments and options untouched, the version's bin first on PATH", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const p = project(t);
  const code = "import os, sys; print(sys.argv[1:]); print(os.environ['PATH'].split(':')[0]); sys.exit(42)";
  const r = runCli(["exec", "python", "-c", code, "--version", "-V", "a b", "--", ""], { cwd: p.a, env: p.env });
  assert.equal(r.code, 42, describeResult(r));
  assert.equal(r.stdout, `['--version', '-V', 'a b', '--', '']\n${dirname(viaSandboxPyenv(p.sb, PY["3.12"]!))}\n`);
  const dashdash = runCli(["exec", "--", "python", "-c", "print('hi')"], { cwd: p.b, env: p.env });
  assert.equal(dashdash.code, 0, describeResult(dashdash));
  assert.equal(dashdash.stdout, "hi\n");
  // stdin passes through.
  const stdin = runCli(["exec", "python", "-c", "import sys; print(sys.stdin.read().upper())"], { cwd: p.b, env: p.env, input: "piped" });
  assert.equal(stdin.stdout, "PIPED\n");

  // A CMD killed by a signal: the exit code a shell gives it, 128 + the signal's number.
  const killed = runCli(["exec", "python", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"], { cwd: p.b, env: p.env });
  assert.equal(killed.code, 128 + 15, describeResult(killed));

  const notFound = runCli(["exec", "no-such-tool", "x"], { cwd: p.a, env: p.env });
  assert.equal(notFound.code, 127, describeResult(notFound));
  assert.match(notFound.stderr, /^error: no-such-tool: command not found/);
  const noCmd = runCli(["exec"], { cwd: p.a, env: p.env });
  assert.equal(noCmd.code, 2, describeResult(noCmd));
  // Other commands still parse their options after the command name.
  const help = runCli(["use", "--help"], { cwd: p.a, env: p.env });
  assert.equal(help.code, 0, describeResult(help));
  assert.match(help.stdout, /--global/);
});

test("a rehash while shims run: every call runs, before, during and after the swap", async (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const p = project(t);
  const env = shimEnv(p.sb);
  assert.equal(runCli(["rehash"], { cwd: p.a, env }).code, 0);
  const loop = spawn("sh", ["-c", 'i=0; f=0; while [ $i -lt 150 ]; do python -c pass || f=$((f+1)); i=$((i+1)); done; echo "failed=$f"'], {
    cwd: p.a, env: { ...env, PWD: p.a },
  });
  let out = "";
  let err = "";
  loop.stdout.on("data", (d: Buffer) => (out += d.toString()));
  loop.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<number>((resolve) => loop.on("close", (c) => resolve(c ?? 1)));
  const targets = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const r = runCli(["rehash"], { cwd: p.a, env });
    assert.equal(r.code, 0, describeResult(r));
    targets.add(readlinkSync(join(p.sb.root, "shims")));
  }
  assert.equal(await done, 0);
  assert.equal(out.trim(), "failed=0", err);
  assert.equal(targets.size, 4, "each rehash swapped in a new set");
});

test("VENVCTL_ROOT not writable: rehash and use --global fail clearly, the shims stay; an unreadable version file", (t) => {
  if (!requireOrSkip(t, HAVE, NEED)) return;
  const setpriv = onPath("setpriv");
  if (!requireOrSkip(t, setpriv !== undefined && process.getuid?.() === 0, "needs root and setpriv (util-linux) to run as nobody")) return;
  const p = project(t);
  const env = shimEnv(p.sb);
  // nobody's cache lives outside the (root-owned) sandbox.
  t.after(() => spawnSync("rm", ["-rf", join("/tmp", `venvctl-nobody-cache-${process.pid}`)]));
  assert.equal(runCli(["rehash"], { cwd: p.a, env }).code, 0);
  const before = readlinkSync(join(p.sb.root, "shims"));
  // nobody may read and run everything in the sandbox, and write nothing in it.
  for (const d of [p.sb.dir, p.sb.work, p.a, p.sb.home]) chmodSync(d, 0o755);
  const asNobody = (args: string[]) =>
    run([setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, join(venvctlBinDir(p.sb), "venvctl"), ...args], {
      cwd: p.a, env: { ...env, VENVCTL_CACHE_DIR: join("/tmp", `venvctl-nobody-cache-${process.pid}`) },
    });
  const rehash = asNobody(["rehash"]);
  assert.equal(rehash.code, 1, describeRun(rehash));
  assert.match(rehash.stderr, /^error: cannot write the shims in .*\/root\/shims\n {2}Caused by: mkdir .*\/root\/\.shims-[^:]*: permission denied \(EACCES\)\nhint: check that .*\/root \(VENVCTL_ROOT\) is writable; the shims there are unchanged\n$/);
  // (nobody cannot see /root/.pyenv: pin the system's python3, which it can run.)
  const global = asNobody(["use", "--global", "system"]);
  assert.equal(global.code, 1, describeRun(global));
  assert.match(global.stderr, /^error: cannot write .*\/root\/version\n/);
  assert.equal(readlinkSync(join(p.sb.root, "shims")), before);
  assert.ok(!existsSync(join(p.sb.root, "version")));
  // The shims still work, for root and for nobody (who cannot reach pyenv's
  // 3.12, so gets the system's python3 as pyenv's fallback would).
  assert.equal(run([join(p.sb.root, "shims", "python"), "--version"], { cwd: p.a, env: { ...env, PWD: p.a } }).stdout, "Python 3.12.1\n");
  const py = run([setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", join(p.sb.root, "shims", "python3"), "--version"], { cwd: p.a, env: { ...env, PWD: p.a } });
  assert.equal(py.stdout, "Python 3.11.2\n", describeRun(py));
  // A version file nobody may read: a clear error naming it, from `which` and from the shim.
  const locked = join(p.sb.work, "locked");
  mkdirSync(locked, { mode: 0o755 });
  writeFileSync(join(locked, ".python-version"), "3.12\n", { mode: 0o000 });
  chmodSync(join(locked, ".python-version"), 0o000);
  const which = run([setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, join(venvctlBinDir(p.sb), "venvctl"), "which", "python3"], {
    cwd: locked, env: { ...env, VENVCTL_CACHE_DIR: join("/tmp", `venvctl-nobody-cache-${process.pid}`) },
  });
  assert.equal(which.code, 1, describeRun(which));
  assert.match(which.stderr, new RegExp(`^error: cannot read the version file ${join(locked, ".python-version").replace(/\./g, "\\.")}\n`));
  const shim = run([setpriv!, "--reuid=65534", "--regid=65534", "--clear-groups", join(p.sb.root, "shims", "python3"), "-V"], {
    cwd: locked, env: { ...env, PWD: locked, VENVCTL_CACHE_DIR: join("/tmp", `venvctl-nobody-cache-${process.pid}`) },
  });
  assert.equal(shim.code, 127, describeRun(shim));
  assert.ok(shim.stderr.includes(`cannot read the version file ${join(locked, ".python-version")}`), shim.stderr);
});
