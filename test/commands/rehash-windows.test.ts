// `rehash` and `init` for a Windows Context (platform injected; the tree is
// made here on Linux, so paths join with `/` and the junction is a symlink):
// a `<name>.cmd` shim per command of pyenv-win's installs, named without
// PATHEXT's extensions and deduplicated without case, python.exe's directory
// and its Scripts\ both searched; the index in the form shims/shim.cmd reads
// (no key a cmd pin cannot spell); the PowerShell functions; no POSIX shim
// or range evaluator; `shims` swapped to a new generation, keeping foreign
// files. The wine tier (test/e2e/windows-shims-wine.test.ts) runs the same
// shims in a real cmd.exe. PowerShell cannot run on this machine (no pwsh
// package for it, none on npm), so its text is checked here, structurally.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { rehash } from "../../src/commands/rehash.js";
import { init } from "../../src/commands/init.js";
import { rehashShims } from "../../src/shims/rehash.js";
import { INDEX_FILE, MANIFEST_FILE, POWERSHELL_FILE, RANGES_FILE } from "../../src/shims/shim-set.js";
import { makeContext } from "../helpers/context.js";
import { renderCmdIndex } from "../../src/shims/shim-index.js";
import type { Target } from "../../src/interpreters/inventory.js";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";

function exe(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "MZ");
  chmodSync(path, 0o755);
}

function windowsContext(sb: Sandbox, root = sb.root) {
  const profile = join(sb.work, "Users", "ana");
  const versions = join(profile, ".pyenv", "pyenv-win", "versions");
  const v312 = join(versions, "3.12.1");
  const v311 = join(versions, "3.11.9");
  for (const f of ["python.exe", "pythonw.exe", "Scripts/pip.exe", "Scripts/pip3.12.exe", "Scripts/Black.EXE", "Scripts/tool.cmd"]) exe(join(v312, f));
  writeFileSync(join(v312, "python312.dll"), "not a command");
  writeFileSync(join(v312, "Scripts", "pip-script.py"), "not a command either");
  for (const f of ["python.exe", "Scripts/PIP.exe", "Scripts/pip3.11.exe"]) exe(join(v311, f));
  const base = makeContext(sb, { env: { VENVCTL_ROOT: root } });
  const env: Record<string, string | undefined> = {
    ...base.env,
    PATH: join(sb.dir, "nonexistent"),
    APPDATA: join(profile, "AppData", "Roaming"),
    LOCALAPPDATA: join(profile, "AppData", "Local"),
    PATHEXT: ".COM;.EXE;.BAT;.CMD;.VBS",
  };
  delete env.PYENV_ROOT;
  delete env.UV_PYTHON_INSTALL_DIR;
  const ctx = { ...base, env, platform: "win32" as const, dirs: { ...base.dirs, home: profile } };
  return { ctx, v312, v311, profile };
}

test("Windows: a .cmd shim per command (PATHEXT names, no case twice), the cmd index, the PowerShell functions, behind a junction", async (t) => {
  const sb = makeSandbox(t);
  const { ctx, v312, v311 } = windowsContext(sb);
  const r = await rehash({}, ctx);
  assert.deepEqual(r.shims, ["Black", "pip", "pip3.11", "pip3.12", "python", "pythonw", "tool"]);
  const dir = join(sb.root, "shims");
  assert.ok(lstatSync(dir).isSymbolicLink(), "shims is a link (a junction on Windows)");
  const target = readlinkSync(dir);
  assert.equal(dirname(target), sb.root, "a junction's target is absolute");
  assert.match(target, /\/\.shims-[a-z0-9]+-[0-9a-f]+$/);
  assert.deepEqual(readdirSync(dir).sort(), [INDEX_FILE, MANIFEST_FILE, POWERSHELL_FILE, ...r.shims.map((s) => `${s}.cmd`)].sort());
  assert.equal(existsSync(join(dir, RANGES_FILE)), false, "no sh range evaluator on Windows");

  const shim = readFileSync(join(dir, "python.cmd"), "utf8");
  assert.ok(shim.startsWith("@echo off\r\nrem venvctl shim for `python`"), shim.slice(0, 80));
  assert.doesNotMatch(shim, /\{\{|[^\r]\n/, "every placeholder filled, every line CRLF");
  assert.match(shim, /^set "_vc_cmd=python"\r$/m);
  assert.ok(shim.includes(`set "_vc_index=${join(dir, INDEX_FILE)}"`));
  assert.ok(shim.includes(`for %%g in ("${join(sb.root, "version")}" "${join(ctx.dirs.home, ".pyenv", "pyenv-win", "version")}") do (`));
  assert.ok(shim.includes(`"${join(sb.root, "shims")}"`), "its own directory is a shim directory");
  assert.match(shim, /^endlocal & "[^"]+" "[^"]+venvctl\.js" exec -- python %\*\r$/m, "what cmd cannot decide goes to venvctl exec");

  const index = readFileSync(join(dir, INDEX_FILE), "utf8");
  const lines = index.split("\r\n");
  assert.equal(lines.at(-1), "", "CRLF-terminated");
  const d312 = `|D|${v312}|${join(v312, "Scripts")}`;
  const d311 = `|D|${v311}|${join(v311, "Scripts")}`;
  for (const key of ["3.12.1", "3.12", "3", "cpython@3.12", "python-3.12.1"]) assert.ok(lines.includes(`${key}${d312}`), key);
  for (const key of ["3.11.9", "3.11"]) assert.ok(lines.includes(`${key}${d311}`), key);
  for (const l of lines.filter((x) => x && !x.startsWith("#"))) assert.equal(l.split("|").length, 4, l);

  const ps = readFileSync(join(dir, POWERSHELL_FILE), "utf8");
  assert.doesNotMatch(ps, /\{\{/);
  assert.ok(ps.includes(`$global:__venvctl_shims_dir = '${dir}'`));
  assert.ok(ps.includes("foreach ($__venvctl_name in @('Black', 'pip', 'pip3.11', 'pip3.12', 'python', 'pythonw', 'tool'))"));
  assert.ok(ps.includes("$psi.EnvironmentVariables['VENVCTL_SHIM_RESOLVE'] = '1'"));

  // Unchanged: left alone. A foreign file stays through the next generation, whose junction replaces the old one.
  assert.equal((await rehashShims(ctx, { ifChanged: true })).changed, false);
  writeFileSync(join(dir, "mine.cmd"), "@echo mine\r\n");
  exe(join(v311, "Scripts", "black.exe"));
  const again = await rehashShims(ctx);
  assert.deepEqual(again.kept, ["mine.cmd"]);
  assert.deepEqual(again.shims, r.shims, "black.exe of 3.11 is the same command as Black.EXE of 3.12");
  assert.notEqual(readlinkSync(dir), target);
  assert.equal(readFileSync(join(dir, "mine.cmd"), "utf8"), "@echo mine\r\n");
  assert.deepEqual(readdirSync(sb.root).filter((n) => n.startsWith(".shims-link")), [], "no link left aside");
});

test("Windows: a file venvctl did not write keeps its name; the POSIX shims of the same tree are untouched by platform", async (t) => {
  const sb = makeSandbox(t);
  const { ctx } = windowsContext(sb);
  await rehash({}, ctx);
  const dir = join(sb.root, "shims");
  writeFileSync(join(dir, "pip.cmd"), "@echo not a venvctl shim\r\n");
  const r = await rehashShims(ctx);
  assert.deepEqual(r.blocked, ["pip.cmd"]);
  assert.ok(!r.shims.includes("pip"));
  assert.equal(readFileSync(join(dir, "pip.cmd"), "utf8"), "@echo not a venvctl shim\r\n");

  // The same tree for a POSIX Context: sh shims only, no .cmd (and the Windows names mean nothing there).
  const posixRoot = join(sb.dir, "posix-root");
  const { ctx: win } = windowsContext(sb, posixRoot);
  const posix = { ...win, platform: "linux" as const, dirs: { ...win.dirs, root: posixRoot } };
  const p = await rehashShims(posix);
  const names = readdirSync(join(posixRoot, "shims"));
  assert.ok(!names.some((n) => n.endsWith(".cmd") || n === POWERSHELL_FILE), names.join(" "));
  assert.ok(names.includes(RANGES_FILE));
  assert.ok(!p.shims.includes("pip"), "no POSIX interpreter there");
});

test("init cmd, powershell and pwsh: the shims first on PATH, and what each shell adds", async (t) => {
  const sb = makeSandbox(t);
  const { ctx } = windowsContext(sb, join(sb.dir, "it's & (root)"));
  const dir = join(sb.dir, "it's & (root)", "shims");

  const cmd = await init({ shell: "cmd" }, ctx);
  assert.equal(cmd.shell, "cmd");
  assert.equal(cmd.warning, undefined);
  assert.ok(cmd.code.includes(`@if not defined VENVCTL_CMD_INIT set "PATH=${dir};%PATH%"\n`));
  assert.match(cmd.code, /HKCU\\Software\\Microsoft\\Command Processor" \/v AutoRun/);
  for (const line of cmd.code.trimEnd().split("\n")) assert.match(line, /^@/, "each line is quiet in a batch file");
  assert.ok(existsSync(join(dir, "python.cmd")), "init brings the shims up to date");

  for (const shell of ["powershell", "pwsh"] as const) {
    const ps = await init({ shell }, ctx);
    assert.equal(ps.shell, shell);
    const quoted = dir.replace(/'/g, "''");
    assert.ok(ps.code.includes(`$__venvctl_shims = '${quoted}'\n`), ps.code);
    assert.ok(ps.code.includes(`venvctl init ${shell} | Out-String | Invoke-Expression`));
    assert.ok(ps.code.includes("$env:PATH = $__venvctl_shims + $__venvctl_sep + $env:PATH"));
    assert.ok(ps.code.includes(". $__venvctl_functions"), "the PowerShell functions are loaded");
    assert.ok(ps.code.includes(`$env:VENVCTL_SHELL_INTEGRATION = '${shell}'`), "use --shell evaluates what venvctl prints");
  }
  // What `use --shell` prints for them.
  const { loadShell } = await import("../../src/shims/shell.js");
  assert.equal((await loadShell("powershell")).setEnv("VENVCTL_VERSION", "3.12 it's"), "$env:VENVCTL_VERSION = '3.12 it''s'\n");
  assert.equal((await loadShell("pwsh")).unsetEnv("VENVCTL_VERSION"), "Remove-Item Env:VENVCTL_VERSION -ErrorAction SilentlyContinue\n");
  assert.equal((await loadShell("cmd")).setEnv("VENVCTL_VERSION", "3.12 100%"), 'set "VENVCTL_VERSION=3.12 100%%"\n');
});

test("the cmd index leaves out keys a cmd pin cannot spell, and never writes an empty field", () => {
  const version = { major: 3, minor: 12, patch: 1 } as Target["version"];
  const managed: Target = { name: "3.12.1", version, implementation: "cpython", source: "pyenv", python: "C:\\p\\python.exe", bin: "C:\\p", freeThreaded: false };
  const onPath: Target = { name: "3.11.9", version, implementation: "cpython", source: "path", python: "C:\\T (x)\\python.exe", names: ["python", "python3"], freeThreaded: false };
  const keys = new Map<string, Target>([["3.12.1", managed], ["3.12 & x", managed], ["#0", managed], ["a|b", managed], ["3.11", onPath]]);
  const text = renderCmdIndex({ targets: [managed, onPath], keys }, (bin) => [bin, `${bin}\\Scripts`]);
  assert.deepEqual(text.split("\r\n").filter((l) => l && !l.startsWith("#")), [
    "3.12.1|D|C:\\p|C:\\p\\Scripts",
    "3.11|P|C:\\T (x)\\python.exe|python python3",
  ]);
});
