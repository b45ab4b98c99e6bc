// Interpreter discovery for a Windows Context (platform injected; the tree
// is made here on Linux, so paths join with `/`): python.exe-style names on
// a `;`-separated PATH, compared without case; the Store's WindowsApps
// stubs skipped; pyenv-win's versions (exact by name, as pyenv's), uv's
// `%APPDATA%\uv\python`, the python.org installer's per-user
// `%LOCALAPPDATA%\Programs\Python\Python3XY` (probed: the name tells only the
// minor). The same tree seen by a POSIX Context finds only its POSIX name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { managedCandidates, pathCandidates } from "../../src/interpreters/discovery.js";
import { commandInDir } from "../../src/util/path-search.js";

function exe(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "MZ");
  chmodSync(path, 0o755);
}

test("a Windows Context finds python.exe on PATH, pyenv-win's, uv's and python.org's installs, and skips the Store's stubs", (t) => {
  const sb = makeSandbox(t);
  const profile = join(sb.work, "Users", "ana");
  const local = join(profile, "AppData", "Local");
  const roaming = join(profile, "AppData", "Roaming");
  const tools = join(sb.work, "Tools");
  const stubs = join(local, "Microsoft", "WindowsApps");
  exe(join(tools, "Python.EXE"));
  exe(join(tools, "python3.12.exe"));
  exe(join(tools, "pythonw.exe")); // the windowed interpreter is never a command-line candidate
  exe(join(tools, "python3")); // a POSIX name means nothing on Windows
  exe(join(stubs, "python.exe"));
  exe(join(profile, ".pyenv", "pyenv-win", "versions", "3.12.1", "python.exe"));
  exe(join(roaming, "uv", "python", "cpython-3.13.0-windows-x86_64-none", "python.exe"));
  exe(join(local, "Programs", "Python", "Python311", "python.exe"));
  mkdirSync(join(local, "Programs", "Python", "Launcher"), { recursive: true }); // py.exe's directory: no python.exe
  const base = makeContext(sb);
  const env = { PATH: `${stubs};${tools};relative\\dir`, APPDATA: roaming, LOCALAPPDATA: local, PYENV_ROOT: undefined, UV_PYTHON_INSTALL_DIR: undefined };
  const win = { ...base, env: { ...base.env, ...env }, platform: "win32" as const, dirs: { ...base.dirs, home: profile } };

  const onPath = pathCandidates(win).map((c) => [c.path, c.name]);
  assert.deepEqual(onPath, [[join(tools, "Python.EXE"), undefined], [join(tools, "python3.12.exe"), "python3.12.exe"]]);

  const managed = managedCandidates(win).map((c) => ({ source: c.source, path: c.path, version: c.version && `${c.version.major}.${c.version.minor}.${c.version.patch}` }));
  assert.deepEqual(managed, [
    { source: "pyenv", path: join(profile, ".pyenv", "pyenv-win", "versions", "3.12.1", "python.exe"), version: "3.12.1" },
    { source: "uv", path: join(roaming, "uv", "python", "cpython-3.13.0-windows-x86_64-none", "python.exe"), version: "3.13.0" },
    { source: "python.org", path: join(local, "Programs", "Python", "Python311", "python.exe"), version: undefined },
  ]);

  // The same tree and variables, on POSIX: only the POSIX name is an interpreter there.
  const posix = { ...win, platform: "linux" as const, env: { ...win.env, PATH: `${stubs}:${tools}` } };
  assert.deepEqual(pathCandidates(posix).map((c) => c.path), [join(tools, "python3")]);
  assert.deepEqual(managedCandidates(posix).filter((c) => c.path.startsWith(profile)), []);

  // A command is looked up as cmd.exe does: `python` is python.exe (PATHEXT), `python.exe` itself.
  const pyenvWin = join(profile, ".pyenv", "pyenv-win", "versions", "3.12.1");
  assert.equal(commandInDir(win, pyenvWin, "python"), join(pyenvWin, "python.exe"));
  assert.equal(commandInDir(win, pyenvWin, "python.exe"), join(pyenvWin, "python.exe"));
  assert.equal(commandInDir({ ...win, env: { ...win.env, PATHEXT: ".CMD" } }, pyenvWin, "python"), undefined);
  assert.equal(commandInDir(posix, pyenvWin, "python"), undefined);
});
