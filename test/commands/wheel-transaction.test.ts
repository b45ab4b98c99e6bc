// The general installer as a transaction, in-process, on real venvs: wheels
// with every kind of content installed as pip installs them (a differential:
// the same env path, pip's tree and RECORDs against ours), upgrade, downgrade,
// reinstall and uninstall by RECORD as pip does them, bytecode with
// --compile as pip writes it, and every failure — a corrupt wheel, a tag or
// Requires-Python that does not fit, a full disk, SIGINT mid-way, a dist
// without RECORD — leaving the env byte for byte as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs, { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { makeSandbox, PYENV_ROOT, type Sandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { probeInterpreter } from "../../src/interpreters/interpreter.js";
import { interpreterEnvTarget } from "../../src/venv/install-target.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";
import { pip, show } from "../helpers/install-env.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { assertSameTree, contentSnapshot, contentWheels, freshVenv, fullSnapshot, type Venv } from "../helpers/txn-env.js";
import { changeEnvironment, installDistributions, uninstallDistributions, type TransactionOptions } from "../../src/wheel/transaction.js";
import { directUrlJson, IncompatibleWheelError } from "../../src/wheel/install.js";
import { CorruptWheelError } from "../../src/wheel/contents.js";
import { VenvctlError } from "../../src/errors.js";

function opts(sb: Sandbox, extra: Partial<TransactionOptions> = {}): TransactionOptions {
  return { cacheDir: join(sb.cache, "wheels"), linkMode: "auto", handleSignals: false, env: sb.env, ...extra };
}

/** pip's INSTALLER says pip; ours venvctl: the one file (and its RECORD row) that differs by design. */
function withoutInstaller(snap: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of snap) if (!k.endsWith(".dist-info/INSTALLER") && !k.endsWith(".dist-info/RECORD")) out.set(k, v);
  return out;
}

/** RECORD rows of every dist-info, INSTALLER rows left out (their hash differs by design). */
function records(v: Venv): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of readdirSync(v.site).filter((n) => n.endsWith(".dist-info"))) {
    out[n] = readFileSync(join(v.site, n, "RECORD"), "utf8").split("\r\n").filter((l) => l && !l.includes(".dist-info/INSTALLER,"));
  }
  return out;
}

async function pipInstall(sb: Sandbox, v: Venv, args: string[]): Promise<void> {
  const r = await pip(v.python, ["install", "--no-index", "--no-deps", ...args], sb);
  assert.equal(r.code, 0, show(r));
}

test("differential: .data scripts/headers/data, entry points, a namespace package, a .pth, platlib — installed as pip installs them; pip uninstalls ours", async (t) => {
  const sb = makeSandbox(t);
  const wheels = contentWheels(join(sb.dir, "wheels"));
  const envDir = join(sb.work, "env");
  const names = ["Rich.Pkg", "ns-a", "ns-b", "pth-pkg", "plat-pkg"];

  const pipEnv = await freshVenv(sb, envDir);
  const fresh = contentSnapshot(envDir);
  await pipInstall(sb, pipEnv, ["--no-compile", "--find-links", join(sb.dir, "wheels"), ...names]);
  const pipTree = contentSnapshot(envDir);
  const pipRecords = records(pipEnv);

  const ours = await freshVenv(sb, envDir);
  const result = await installDistributions(ours.target, wheels.map((w) => ({ wheel: w, requested: true })), opts(sb));
  assert.deepEqual(result.installed.map((r) => r.name), names);
  assertSameTree(withoutInstaller(contentSnapshot(envDir)), withoutInstaller(pipTree), "ours against pip's");
  assert.deepEqual(records(ours), pipRecords, "RECORD rows (INSTALLER aside)");
  assert.equal(readFileSync(join(ours.site, "Rich.Pkg-1.0.dist-info", "INSTALLER"), "utf8"), "venvctl\n");

  // The env works: scripts run, the .pth ran, the namespace package imports.
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8", env: sb.env });
  assert.equal(run(join(envDir, "bin", "rich"), []).stdout, "rich 1.0\n");
  assert.equal(run(join(envDir, "bin", "rich-tool"), []).stdout, "rich 1.0\n");
  const check = run(ours.python, ["-c", "import sys, nsp.a, nsp.b, plat_pkg, rich_extra; print(sys.pth_pkg_loaded)"]);
  assert.equal(check.stdout, "True\n", check.stderr);

  // pip uninstalls what venvctl installed (its linked files are read-only), leaving a fresh env.
  const linked = statSync(join(ours.site, "rich_pkg", "util.py"));
  assert.equal(linked.mode & 0o777, 0o444, "a file hardlinked from the cache is read-only");
  assert.ok(linked.nlink >= 2, "hardlinked from the unpack cache");
  const un = await pip(ours.python, ["uninstall", "-y", ...names], sb);
  assert.equal(un.code, 0, show(un));
  // pip leaves emptied directories pip itself made (include/site/…, share/) where it found them; compare files only.
  const filesOnly = (m: Map<string, string>) => new Map([...m].filter(([, v]) => v !== "dir"));
  assertSameTree(filesOnly(contentSnapshot(envDir)), filesOnly(fresh), "after pip uninstall");
});

test("upgrade, downgrade and reinstall replace the old files as pip does; uninstall removes by RECORD, .pyc and emptied dirs included", async (t) => {
  const sb = makeSandbox(t);
  const v1 = contentWheels(join(sb.dir, "w1"), "1.0", { "rich_pkg/old_only.py": "O = 1\n" })[0]!;
  const v2 = contentWheels(join(sb.dir, "w2"), "2.0", { "rich_pkg/sub/new_only.py": "N = 1\n" })[0]!;
  const envDir = join(sb.work, "env");

  const steps: Array<[string, string]> = [["1.0", v1], ["2.0", v2], ["1.0", v1], ["1.0", v1]];
  const pipTrees: Array<Map<string, string>> = [];
  const pipDirectUrls: string[] = [];
  const pipEnv = await freshVenv(sb, envDir);
  for (const [version, wheel] of steps) {
    await pipInstall(sb, pipEnv, ["--no-compile", "--force-reinstall", wheel]);
    pipTrees.push(contentSnapshot(envDir));
    pipDirectUrls.push(readFileSync(join(pipEnv.site, `Rich.Pkg-${version}.dist-info`, "direct_url.json"), "utf8"));
  }
  const pipRecords = records(pipEnv);

  const ours = await freshVenv(sb, envDir);
  for (const [i, [version, wheel]] of steps.entries()) {
    // pip writes direct_url.json for a wheel named by path; ours is made from
    // the same dict (what pip's --report gives as download_info).
    const directUrl = directUrlJson(JSON.parse(pipDirectUrls[i]!));
    assert.equal(directUrl, pipDirectUrls[i], "direct_url.json byte for byte as pip writes it");
    const r = await installDistributions(ours.target, [{ wheel, requested: true, directUrl, schemeName: "rich-pkg" }], opts(sb));
    assert.deepEqual(r.removed.map((d) => d.version), i === 0 ? [] : [steps[i - 1]![0]]);
    assertSameTree(withoutInstaller(contentSnapshot(envDir)), withoutInstaller(pipTrees[i]!), `step ${i + 1} (${version})`);
  }
  assert.deepEqual(records(ours), pipRecords, "RECORD rows, direct_url.json's included");

  // Uninstall: bytecode Python wrote since is removed too, and the dirs left empty.
  const before = contentSnapshot(envDir);
  spawnSync(ours.python, ["-c", "import rich_pkg.util"], { env: { ...sb.env, PYTHONDONTWRITEBYTECODE: "" } });
  assert.ok(existsSync(join(ours.site, "rich_pkg", "__pycache__")), "Python wrote bytecode");
  const r = await uninstallDistributions(ours.target, ["rich.pkg", "not-installed"], { handleSignals: false });
  assert.deepEqual(r.notInstalled, ["not-installed"]);
  assert.ok(!existsSync(join(ours.site, "rich_pkg")), "the package directory, __pycache__ included, is gone");
  assert.ok(!existsSync(join(envDir, "include", "site")), "the emptied headers directories are gone");
  assert.ok(!existsSync(join(envDir, "share")), "the emptied data directories are gone");
  assert.ok(existsSync(join(envDir, "include")), "the env's own include directory stays");
  const left = [...contentSnapshot(envDir).keys()].filter((k) => !before.has(k));
  assert.deepEqual(left, []);
  assert.deepEqual([...contentSnapshot(envDir).keys()].filter((k) => /rich/i.test(k) && !k.includes("site-packages/pip/")), [], "nothing of Rich.Pkg is left");
});

test("--compile writes the .pyc files pip writes and lists them in RECORD as pip does", async (t) => {
  const sb = makeSandbox(t);
  const wheels = contentWheels(join(sb.dir, "wheels"));
  const envDir = join(sb.work, "env");
  // pip's own imports write bytecode of pip: only the installed projects' count.
  const pycs = (root: string) => [...fullSnapshot(root).keys()].filter((k) => k.endsWith(".pyc") && !/site-packages\/pip\//.test(k)).sort();

  const pipEnv = await freshVenv(sb, envDir);
  const r0 = await pip(pipEnv.python, ["install", "--no-index", "--no-deps", ...wheels], sb, { PYTHONDONTWRITEBYTECODE: "" });
  assert.equal(r0.code, 0, show(r0));
  const pipPycs = pycs(envDir);
  const pipRecords = records(pipEnv);
  assert.ok(pipPycs.some((p) => p.endsWith("rich_pkg/__pycache__/util.cpython-312.pyc")));

  const ours = await freshVenv(sb, envDir);
  // Named by path, pip names the headers directory after the file name (`_` as `-`).
  const schemeName = (w: string) => basename(w).split("-")[0]!.replace(/_/g, "-");
  await installDistributions(ours.target, wheels.map((w) => ({ wheel: w, requested: true, schemeName: schemeName(w) })), opts(sb, { compile: true }));
  assert.deepEqual(pycs(envDir), pipPycs);
  const noDirectUrl = (r: Record<string, string[]>) => Object.fromEntries(Object.entries(r).map(([k, rows]) => [k, rows.filter((l) => !l.includes("direct_url.json"))]));
  assert.deepEqual(noDirectUrl(records(ours)), noDirectUrl(pipRecords));
  // Not compiled by default.
  const plain = await freshVenv(sb, join(sb.work, "plain"));
  await installDistributions(plain.target, wheels.map((w) => ({ wheel: w })), opts(sb));
  assert.deepEqual(pycs(plain.dir), []);
});

/** An env with v1 installed, and a check that it stays byte for byte as it is. */
async function installedV1(sb: Sandbox): Promise<{ v: Venv; unchanged: (what: string) => void; wheels: string[] }> {
  const wheels = contentWheels(join(sb.dir, "w1"), "1.0");
  const v = await freshVenv(sb, join(sb.work, "env"));
  await installDistributions(v.target, wheels.map((w) => ({ wheel: w })), opts(sb));
  const before = fullSnapshot(v.dir);
  return { v, wheels, unchanged: (what) => assertSameTree(fullSnapshot(v.dir), before, what) };
}

test("failures leave the env byte for byte as it was: a corrupt wheel, a tag or Requires-Python that does not fit, a dist without RECORD", async (t) => {
  const sb = makeSandbox(t);
  const { v, unchanged } = await installedV1(sb);
  const v2 = contentWheels(join(sb.dir, "w2"), "2.0")[0]!;
  const corrupt = buildWheel(join(sb.dir, "bad"), {
    name: "ns-a", version: "2.0", files: { "nsp/a/__init__.py": "A = 2\n" },
    tamper: (e) => e.set("nsp/a/__init__.py", Buffer.from("A = 3\n")),
  });
  await assert.rejects(installDistributions(v.target, [{ wheel: v2 }, { wheel: corrupt }], opts(sb)), CorruptWheelError);
  unchanged("after a corrupt wheel");

  const other = buildWheel(join(sb.dir, "tag"), { name: "ns-a", version: "3.0", tag: "cp311-cp311-manylinux_2_17_x86_64", files: { "nsp/a/x.py": "" } });
  await assert.rejects(installDistributions(v.target, [{ wheel: v2 }, { wheel: other }], opts(sb)), (err: unknown) =>
    err instanceof IncompatibleWheelError && /ns_a-3\.0-cp311.*does not fit .*CPython 3\.12/.test(err.message));
  unchanged("after a wheel for another interpreter");

  const py4 = buildWheel(join(sb.dir, "rp"), { name: "ns-a", version: "4.0", metadata: ["Requires-Python: >=3.13"], files: { "nsp/a/y.py": "" } });
  await assert.rejects(installDistributions(v.target, [{ wheel: v2 }, { wheel: py4 }], opts(sb)), (err: unknown) =>
    err instanceof IncompatibleWheelError && /requires Python >=3\.13, and .* is Python 3\.12\.1/.test(err.message));
  unchanged("after Requires-Python excluding the env");

  rmSync(join(v.site, "pth_pkg-1.0.dist-info", "RECORD"));
  const norecord = fullSnapshot(v.dir);
  await assert.rejects(uninstallDistributions(v.target, ["ns-b", "pth-pkg"], { handleSignals: false }), (err: unknown) =>
    err instanceof VenvctlError && /pth-pkg 1\.0|pth_pkg 1\.0/.test(err.message) && /no RECORD/.test(err.message) && !!err.hint);
  assertSameTree(fullSnapshot(v.dir), norecord, "after a dist without RECORD");
});

test("a disk that fills mid-way (ENOSPC on a write) leaves the env as it was", async (t) => {
  const sb = makeSandbox(t);
  const { v, unchanged } = await installedV1(sb);
  const v2 = contentWheels(join(sb.dir, "w2"), "2.0");
  // Installed straight from the wheels (no cache): every file is written, and the 12th write fails.
  const real = fs.writeSync;
  let n = 0;
  (fs as { writeSync: unknown }).writeSync = function (this: unknown, ...args: unknown[]) {
    if (++n === 12) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    return (real as (...a: unknown[]) => number).apply(this, args);
  };
  syncBuiltinESMExports();
  try {
    await assert.rejects(installDistributions(v.target, v2.map((w) => ({ wheel: w })), opts(sb, { cacheDir: undefined })), (err: unknown) =>
      err instanceof VenvctlError && err.message === `cannot change the packages of ${v.dir}: no space left on device (ENOSPC)`);
  } finally {
    fs.writeSync = real;
    syncBuiltinESMExports();
  }
  assert.ok(n >= 12, "the fault was reached");
  unchanged("after ENOSPC");
  assert.ok(!readdirSync(v.dir).some((n) => n.startsWith(".venvctl-stash")), "no stash left");
});

test("SIGINT mid-install (in a child process) rolls back and exits 130; a SIGKILLed one is undone by the next run", async (t) => {
  const sb = makeSandbox(t);
  const { v, unchanged } = await installedV1(sb);
  const v2 = contentWheels(join(sb.dir, "w2"), "2.0");
  const marker = join(sb.dir, "placed");
  const runChild = (signal: NodeJS.Signals) => new Promise<number | null>((resolveExit, reject) => {
    rmSync(marker, { force: true });
    const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "test", "helpers", "change-env.ts")], {
      env: { ...sb.env, CHANGE_ENV: JSON.stringify({ envDir: v.dir, wheels: v2, cacheDir: join(sb.cache, "wheels"), marker }) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const poll = setInterval(() => {
      if (existsSync(marker)) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 50);
    child.on("error", reject);
    child.on("exit", (code, sig) => {
      clearInterval(poll);
      if (!existsSync(marker)) reject(new Error(`the child ended before placing a wheel: ${stderr}`));
      resolveExit(code ?? (sig === "SIGKILL" ? -9 : null));
    });
  });
  assert.equal(await runChild("SIGINT"), 130);
  unchanged("after SIGINT");
  assert.equal(await runChild("SIGTERM"), 143);
  unchanged("after SIGTERM");

  assert.equal(await runChild("SIGKILL"), -9);
  assert.ok(readdirSync(v.dir).some((n) => n.startsWith(".venvctl-stash")), "a SIGKILL leaves the stash and its journal");
  // The next change settles it first (here: removing a name that is not installed).
  await changeEnvironment(v.target, { remove: ["nothing-here"] }, opts(sb));
  unchanged("after the next run undid the SIGKILLed one");
});

test("install schemes equal pip's get_scheme: in a venv, and for a base interpreter", async (t) => {
  const sb = makeSandbox(t);
  const pipScheme = (python: string, name: string) => {
    const r = spawnSync(python, ["-c", [
      "import json, sys",
      "from pip._internal.locations import get_scheme",
      "s = get_scheme(sys.argv[1])",
      "print(json.dumps({k: getattr(s, k) for k in ('purelib', 'platlib', 'scripts', 'headers', 'data')}))",
    ].join("\n"), name], { encoding: "utf8", env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const v = await freshVenv(sb, join(sb.work, "env"));
  assert.deepEqual(v.target.scheme("Some.Name"), pipScheme(v.python, "Some.Name"));
  const base = join(PYENV_ROOT, "versions", "3.12.1", "bin", "python3.12");
  const target = interpreterEnvTarget(await probeInterpreter(makeContext(sb), base));
  assert.deepEqual(target.scheme("Some.Name"), pipScheme(base, "Some.Name"));
  assert.equal(target.python, base);
});

test("one change at a time: a live owner's lock is refused, naming it; a dead owner's is taken over", async (t) => {
  const sb = makeSandbox(t);
  const { v } = await installedV1(sb);
  const v2 = contentWheels(join(sb.dir, "w2"), "2.0");
  const holder = spawn("sleep", ["600"], { stdio: "ignore" });
  t.after(() => holder.kill("SIGKILL"));
  const lock = join(v.dir, ".venvctl-lock");
  fs.mkdirSync(lock);
  fs.writeFileSync(join(lock, ".venvctl-owner"), JSON.stringify({
    role: "lock", target: "env", pid: holder.pid, host: hostname(),
    boot: readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim(), started: new Date().toISOString(),
  }));
  const held = fullSnapshot(v.dir);
  await assert.rejects(installDistributions(v.target, v2.map((w) => ({ wheel: w })), opts(sb)), (err: unknown) =>
    err instanceof VenvctlError && err.message === `another venvctl (pid ${holder.pid}) is changing the packages of ${v.dir}`);
  assertSameTree(fullSnapshot(v.dir), held, "refused while locked");
  holder.kill("SIGKILL");
  await new Promise((r) => holder.on("exit", r));
  const r = await installDistributions(v.target, v2.map((w) => ({ wheel: w })), opts(sb));
  assert.equal(r.installed.length, 5);
  assert.ok(!existsSync(lock), "the lock is released");
});
