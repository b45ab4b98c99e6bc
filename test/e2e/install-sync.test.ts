// `venvctl reinstall`, `uninstall` and `sync` as a user runs them: the built
// CLI, venvctl's resolver and the env's real pip, wheels built here in a
// --find-links directory.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { requireOrSkip, which } from "../helpers/require.js";
import { CLI, spawnAsync } from "../helpers/run-cli.js";
import { installed, makeEnv, pip, pythonStarts, show, venvctl, type TestEnv } from "../helpers/install-env.js";
import { buildInstallWheels } from "../helpers/install-wheels.js";

let sb: Sandbox & { cleanup(): void };
let wheels: string;
before(() => {
  sb = makeSandbox(undefined, "venvctl-install-sync");
  wheels = join(sb.dir, "wheels");
  buildInstallWheels(wheels);
});
after(() => sb.cleanup());

const local = () => ["--no-index", "-f", wheels];
async function pipInstall(env: TestEnv, ...args: string[]): Promise<void> {
  const r = await pip(env.python, ["install", ...local(), ...args], sb);
  assert.equal(r.code, 0, show(r));
  pythonStarts(env);
}

describe("reinstall", () => {
  test("keeps the installed version and rewrites the files of a broken package", async () => {
    const env = makeEnv(sb, "reinstall");
    await pipInstall(env, "alpha==1.0", "zeta");
    // Break them: a module deleted, another overwritten, a console script gone.
    rmSync(join(env.site, "alpha.py"));
    writeFileSync(join(env.site, "zeta.py"), "garbage(\n");
    rmSync(join(env.dir, "bin", "zeta-cmd"));
    // alpha 2.0 is available: reinstall must not upgrade.
    const r = await venvctl(["reinstall", "-p", env.dir, ...local(), "alpha", "zeta"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Reinstalling in the virtual environment at /);
    // The wheels were pip's, not in venvctl's cache: venvctl resolves what reinstall asks for
    // (pip's --upgrade --no-deps --force-reinstall alpha==1.0 zeta==1.0), fetches and installs; no Python starts.
    assert.match(r.stderr, /debug: resolved by venvctl: .*to install: alpha 1\.0, zeta 1\.0\n/);
    assert.deepEqual(pythonStarts(env), []);
    assert.equal(installed(env.site).alpha, "1.0");
    assert.equal(readFileSync(join(env.site, "alpha.py"), "utf8"), "VERSION = '1.0'\n");
    assert.equal(readFileSync(join(env.site, "zeta.py"), "utf8"), "def main():\n    print('zeta')\n");
    assert.ok(existsSync(join(env.dir, "bin", "zeta-cmd")));
    assert.equal(installed(env.site).beta, "2.0", "--no-deps: beta untouched");
  });

  test("a version given is the one installed; -r pins what the file leaves open", async () => {
    const env = makeEnv(sb, "reinstall-version");
    await pipInstall(env, "alpha==1.0", "beta==1.0");
    let r = await venvctl(["reinstall", "-p", env.dir, ...local(), "alpha==2.0"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(installed(env.site).alpha, "2.0");
    writeFileSync(join(sb.work, "reinstall.txt"), "beta\n");
    rmSync(join(env.site, "beta.py"));
    r = await venvctl(["reinstall", "-p", env.dir, ...local(), "-r", "reinstall.txt"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(installed(env.site).beta, "1.0", "pinned to the installed 1.0, though 2.0 is there");
    assert.ok(existsSync(join(env.site, "beta.py")));
  });

  test("a package that is not installed is an error, before pip", async () => {
    const env = makeEnv(sb, "reinstall-missing");
    const r = await venvctl(["reinstall", "-p", env.dir, ...local(), "alpha"], sb);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^error: alpha is not installed in the virtual environment at .*\nhint: install it with `venvctl install alpha`/m);
    assert.deepEqual(pythonStarts(env), []);
  });
});

describe("uninstall", () => {
  test("-y removes the package and its console script; pip's exit code", async () => {
    const env = makeEnv(sb, "uninstall");
    await pipInstall(env, "zeta", "leaf");
    writeFileSync(join(sb.work, "uninstall.txt"), "leaf\n");
    const r = await venvctl(["uninstall", "-p", env.dir, "-y", "zeta", "-r", "uninstall.txt"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Uninstalling from the virtual environment at .*\n[^]*Successfully uninstalled zeta-1\.0/);
    const got = installed(env.site);
    assert.equal(got.zeta, undefined);
    assert.equal(got.leaf, undefined);
    assert.ok(!existsSync(join(env.dir, "bin", "zeta-cmd")));
  });

  test("without -y pip asks on the terminal; with no terminal on stdin, -y is asked for before pip", async (t) => {
    const env = makeEnv(sb, "uninstall-ask");
    await pipInstall(env, "leaf");
    const ask = { PIP_NO_INPUT: undefined };
    // No terminal: pip's question would meet EOF (a traceback) or whatever a pipe holds.
    const piped = await venvctl(["uninstall", "-p", env.dir, "leaf"], sb, { input: "y\n", env: ask });
    assert.equal(piped.code, 2, show(piped));
    assert.match(piped.stderr, /^hint: pass -y \(--yes\) to uninstall without asking$/m);
    assert.equal(installed(env.site).leaf, "1.0", show(piped));
    // A terminal: script(1) runs venvctl on a pty and types what its stdin holds.
    const script = which("script");
    if (!requireOrSkip(t, script !== undefined, "script (util-linux) is needed to give venvctl a terminal")) return;
    const env2: Record<string, string> = { ...sb.env };
    delete env2.PIP_NO_INPUT;
    const command = [process.execPath, CLI, "uninstall", "-p", env.dir, "leaf"].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
    const onTerminal = (answer: string) => spawnAsync(script!, ["-qec", command, "/dev/null"], { cwd: sb.work, env: env2, input: answer });
    const no = await onTerminal("n\n");
    assert.equal(installed(env.site).leaf, "1.0", show(no));
    assert.match(no.stdout, /Proceed \(Y\/n\)\?/);
    const yes = await onTerminal("y\n");
    assert.equal(yes.code, 0, show(yes));
    assert.equal(installed(env.site).leaf, undefined);
  });
});

describe("sync", () => {
  test("installs what is missing, upgrades, removes what is not listed; pip and setuptools stay", async () => {
    const env = makeEnv(sb, "sync", { python: "3.11" });
    await pipInstall(env, "alpha==1.0", "beta==1.0", "gamma[fast]", "epsilon");
    const seedTools = Object.keys(installed(env.site)).filter((n) => n === "pip" || n === "setuptools");
    assert.deepEqual(seedTools.sort(), ["pip", "setuptools"], "Python 3.11 envs are seeded with both");
    writeFileSync(join(sb.work, "lock.txt"), "alpha==2.0\nbeta==2.0\ntop==1.0\n");

    // --dry-run: the plan on stdout, nothing changed, pip not started.
    const beforeDry = installed(env.site);
    const dry = await venvctl(["sync", "-p", env.dir, ...local(), "--dry-run", "lock.txt"], sb);
    assert.equal(dry.code, 0, show(dry));
    assert.deepEqual(dry.stdout.split("\n").filter(Boolean), [
      "install alpha==2.0  # 1.0 installed (lock.txt line 1)",
      "install beta==2.0  # 1.0 installed (lock.txt line 2)",
      "install top==1.0  # not installed (lock.txt line 3)",
      "uninstall delta==1.0",
      "uninstall epsilon==1.0",
      "uninstall gamma==1.0",
      "uninstall zeta==1.0",
    ]);
    assert.match(dry.stderr, /Would install 3 and uninstall 4 in the virtual environment at .* \(--dry-run: nothing changed\)/);
    assert.deepEqual(installed(env.site), beforeDry);
    assert.deepEqual(pythonStarts(env), []);

    const r = await venvctl(["sync", "-p", env.dir, ...local(), "lock.txt"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /Installed 5 distributions into .*: alpha 2\.0 \(was 1\.0\), beta 2\.0 \(was 1\.0\), leaf 1\.0, mid 1\.0, top 1\.0\n/);
    assert.match(r.stderr, /Uninstalled 4 distributions from .*: delta 1\.0, epsilon 1\.0, gamma 1\.0, zeta 1\.0\n/);
    assert.match(r.stderr, /is in sync with lock\.txt\n$/);
    // venvctl resolves, fetches what its cache lacks, installs and uninstalls: no Python starts.
    assert.deepEqual(pythonStarts(env), []);
    const got = installed(env.site);
    assert.deepEqual(
      Object.fromEntries(Object.entries(got).filter(([n]) => n !== "pip" && n !== "setuptools")),
      { alpha: "2.0", beta: "2.0", top: "1.0", mid: "1.0", leaf: "1.0" },
      "mid and leaf stay: top needs them",
    );
    assert.ok(got.pip && got.setuptools, "the seed tools stay");

    // In sync now: nothing runs.
    const again = await venvctl(["sync", "-p", env.dir, ...local(), "lock.txt"], sb);
    assert.equal(again.code, 0, show(again));
    assert.match(again.stderr, /is already in sync with lock\.txt/);
    assert.deepEqual(pythonStarts(env), []);
  });

  test("downgrades, and keeps what the listed packages need", async () => {
    const env = makeEnv(sb, "sync-down");
    await pipInstall(env, "alpha==2.0", "top");
    writeFileSync(join(sb.work, "down.txt"), "alpha==1.0\n");
    const r = await venvctl(["sync", "-p", env.dir, ...local(), "down.txt"], sb);
    assert.equal(r.code, 0, show(r));
    const got = installed(env.site);
    assert.equal(got.alpha, "1.0");
    assert.equal(got.beta, "2.0", "beta stays: alpha needs it (beta>=1 holds for 2.0)");
    assert.equal(got.top, undefined);
    assert.equal(got.mid, undefined);
    assert.ok(got.pip);
  });

  test("a failed resolution stops the sync before anything is uninstalled (venvctl's, and pip's)", async () => {
    const env = makeEnv(sb, "sync-fail");
    await pipInstall(env, "leaf");
    writeFileSync(join(sb.work, "fail.txt"), "no-such-project==1.0\n");
    const r = await venvctl(["sync", "-p", env.dir, ...local(), "fail.txt"], sb);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^error: no version of no-such-project matches no-such-project==1\.0 \(the indexes have no file of no-such-project for this environment\)\nhint: check the name/m);
    assert.equal(installed(env.site).leaf, "1.0", "nothing uninstalled");
    const p = await venvctl(["sync", "-p", env.dir, ...local(), "fail.txt"], sb, { env: { VENVCTL_RESOLVER: "pip" } });
    assert.equal(p.code, 1, show(p));
    assert.match(p.stderr, /No matching distribution found for no-such-project/);
    assert.equal(installed(env.site).leaf, "1.0", "nothing uninstalled");
  });
});
