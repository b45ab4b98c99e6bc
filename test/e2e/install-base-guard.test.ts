// A base interpreter's packages change only when asked for explicitly:
// install, uninstall, sync and reinstall outside a venv need --system or a
// -p naming the interpreter; an externally managed one (PEP 668) is refused
// as pip refuses it, unless --break-system-packages. And options after `--`
// can never make sync run a step the user did not ask for.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { installed, makeEnv, pip, pythonStarts, show, venvctl } from "../helpers/install-env.js";
import { buildInstallWheels } from "../helpers/install-wheels.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";

let sb: Sandbox & { cleanup(): void };
let wheels: string;
before(() => {
  sb = makeSandbox(undefined, "venvctl-base-guard");
  wheels = join(sb.dir, "wheels");
  buildInstallWheels(wheels);
});
after(() => sb.cleanup());
const local = () => ["--no-index", "-f", wheels];
const HAVE = pyenvPython("3.12") !== undefined && pyenvPython("3.11") !== undefined;

test("outside a venv, changing the selected base interpreter needs --system or -p; a dry run too", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11 and 3.12 are needed")) return;
  // The selection gives pyenv's 3.11.7 (its ~100 packages): the case.
  const dir = join(sb.work, "empty");
  mkdirSync(dir);
  writeFileSync(join(dir, ".python-version"), "3.11\n");
  writeFileSync(join(dir, "r.txt"), "alpha==1.0\n");
  for (const args of [["sync", "r.txt", "--dry-run"], ["sync", "r.txt"], ["install", "alpha"], ["uninstall", "-y", "pip"], ["reinstall", "pip"]]) {
    const r = await venvctl(args, sb, { cwd: dir });
    assert.equal(r.code, 2, `${args.join(" ")}: ${show(r)}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^error: no virtual environment here: `\w+` would change the packages of the interpreter .*3\.11\.7.*\nhint: .*--system/, args.join(" "));
  }
  // Asked for: --system (a dry run, so the machine's 3.11.7 keeps its packages).
  const planned = await venvctl(["sync", "--system", "--dry-run", ...local(), "r.txt"], sb, { cwd: dir });
  assert.equal(planned.code, 0, show(planned));
  assert.match(planned.stdout, /^install alpha==1\.0 /m);
  assert.match(planned.stdout, /^uninstall /m);
  // -p naming it is asking too.
  const named = await venvctl(["sync", "-p", "3.11", "--dry-run", ...local(), "r.txt"], sb, { cwd: dir });
  assert.equal(named.code, 0, show(named));
  assert.equal(named.stdout, planned.stdout);
});

test("an externally managed interpreter (PEP 668) is refused as pip refuses it, unless --break-system-packages", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.12 is needed")) return;
  // A copy of pyenv's 3.12 (it runs from anywhere), marked as a distributor marks one.
  const copy = join(sb.dir, "managed-3.12");
  const source = join(pyenvPython("3.12")!, "..", "..");
  cpSync(source, copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (p) => !/\/(test|__pycache__|site-packages\/(?!pip|_distutils|setuptools|pkg_resources)[^/]+)$/.test(p),
  });
  const stdlib = join(copy, "lib", "python3.12");
  writeFileSync(join(stdlib, "EXTERNALLY-MANAGED"), "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package you are trying to install.\n");
  const python = join(copy, "bin", "python3.12");
  const before = installed(join(stdlib, "site-packages"));
  const refused = await venvctl(["install", "-p", python, ...local(), "alpha==1.0"], sb);
  assert.equal(refused.code, 1, show(refused));
  assert.match(refused.stderr, /^error: the interpreter .*managed-3\.12\/bin\/python3\.12 is externally managed \(PEP 668: .*EXTERNALLY-MANAGED\)\n  Caused by: To install Python packages system-wide, try apt install\npython3-xyz, where xyz/);
  assert.match(refused.stderr, /\nhint: make a virtual environment with `venvctl create`; or pass --break-system-packages/);
  // pip says the same of it: the oracle agrees the interpreter is managed.
  const oracle = await pip(python, ["install", ...local(), "alpha==1.0"], sb);
  assert.notEqual(oracle.code, 0);
  assert.match(oracle.stderr, /externally-managed-environment/);
  assert.deepEqual(installed(join(stdlib, "site-packages")), before, "nothing installed");
  // Asked for: pip runs, told to break the system packages, and installs.
  const forced = await venvctl(["install", "-p", python, "--break-system-packages", ...local(), "alpha==1.0"], sb);
  assert.equal(forced.code, 0, show(forced));
  assert.equal(installed(join(stdlib, "site-packages")).alpha, "1.0");
  // Debian's own: refused before pip runs (and a wheel nobody has, should it not be).
  const debian = await venvctl(["install", "-p", "/usr/bin/python3.11", "--no-index", "no-such-project-anywhere"], sb);
  if (existsSync("/usr/lib/python3.11/EXTERNALLY-MANAGED")) {
    assert.equal(debian.code, 1, show(debian));
    assert.match(debian.stderr, /is externally managed \(PEP 668: \/usr\/lib\/python3\.11\/EXTERNALLY-MANAGED\)/);
  }
  // A venv is never externally managed.
  const env = makeEnv(sb, "venv-of-managed", { python });
  const inVenv = await venvctl(["install", "-p", env.dir, ...local(), "alpha==1.0"], sb);
  assert.equal(inVenv.code, 0, show(inVenv));
  assert.equal(spawnSync(python, ["-c", "1"]).status, 0);
  assert.ok(readdirSync(copy).length > 0);
});

test("sync FILE -- --dry-run changes nothing; pip options that install elsewhere are refused", async () => {
  const env = makeEnv(sb, "sync-passthrough");
  const add = await pip(env.python, ["install", ...local(), "alpha==1.0", "zeta"], sb);
  assert.equal(add.code, 0, show(add));
  pythonStarts(env);
  writeFileSync(join(sb.work, "only-alpha.txt"), "alpha==2.0\n");
  const before = installed(env.site);
  const r = await venvctl(["sync", "-p", env.dir, ...local(), "only-alpha.txt", "--", "--dry-run"], sb);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /^install alpha==2\.0 /m);
  assert.match(r.stdout, /^uninstall zeta==1\.0$/m);
  assert.match(r.stderr, /--dry-run: nothing changed/);
  assert.deepEqual(installed(env.site), before, "nothing installed or uninstalled");
  assert.deepEqual(pythonStarts(env), [], "pip did not run");
  for (const opt of [["--target", "x"], ["--prefix=/tmp/x"], ["--root", "/"], ["--user"], ["-tx"]]) {
    const e = await venvctl(["sync", "-p", env.dir, ...local(), "only-alpha.txt", "--", ...opt], sb);
    assert.equal(e.code, 2, `${opt.join(" ")}: ${show(e)}`);
    assert.match(e.stderr, /^error: sync makes an environment hold what the files list; pip's .* installs somewhere else/);
  }
  assert.deepEqual(installed(env.site), before);
});
