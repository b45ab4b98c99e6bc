// PEP 514 discovery for a Windows Context (platform injected, on Linux). The
// system's reg.exe is a script here (`%SystemRoot%\System32\reg.exe`, the
// only reg venvctl runs) that answers each key with the text wine's reg
// printed for such registrations (helpers/reg-query), paths made this
// machine's, and logs every call; the registered interpreters are links to
// pyenv's, so the probe answers for real. What it proves: the registry's
// interpreters are listed, tagged `registry`, PythonCore's by version and
// another company's as Company/Tag; the per-user registration wins over the
// machine's; a registration whose interpreter is missing is skipped with a
// debug line; one reg process per key, however often the inventory is built;
// none at all when an earlier source answers the pin or request, and the
// registry's interpreter when none does — with each pinned entry looked up
// everywhere before the next is tried.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { buildInventory } from "../../src/interpreters/inventory.js";
import { chooseInterpreter, findInterpreter } from "../../src/interpreters/selection.js";
import { parsePythonRequest } from "../../src/interpreters/request.js";
import { formatVersionsTable, versions } from "../../src/commands/versions.js";

const CRLF = (lines: string[]) => ["", ...lines, ""].join("\r\n");

interface World {
  win: ReturnType<typeof makeContext>;
  regCalls(): string[];
  py312: string;
  py311: string;
  uv310: string;
  org313: string;
  pyenvWin: string;
}

function world(t: TestContext, pin?: string): World | undefined {
  const [p312, p311, p313, p310] = ["3.12", "3.11", "3.13", "3.10"].map(pyenvPython);
  if (!requireOrSkip(t, Boolean(p312 && p311 && p313 && p310), "pyenv's 3.10 to 3.13 stand in for the registered installs")) return undefined;
  const sb = makeSandbox(t);
  const link = (path: string, to: string) => {
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(to, path);
  };
  const local = join(sb.home, "AppData", "Local");
  const roaming = join(sb.home, "AppData", "Roaming");
  // A per-user 3.12 installed to a directory of the user's choosing.
  const py312 = join(sb.dir, "Tools", "Python 3.12", "python.exe");
  const machine312 = join(sb.dir, "Program Files", "Python312", "python.exe");
  const py311 = join(sb.dir, "Program Files", "Python311", "python.exe");
  const uv310 = join(roaming, "uv-elsewhere", "cpython-3.10.13-windows-x86_64-none", "python.exe");
  // The python.org installer's per-user default: found in its directory, and registered too.
  const org313 = join(local, "Programs", "Python", "Python313", "python.exe");
  link(py312, p312!);
  link(machine312, p312!);
  link(py311, p311!);
  link(uv310, p310!);
  link(org313, p313!);
  // pyenv-win's 3.12.1: named exactly, so found without a probe (or a reg process).
  const pyenvWin = join(sb.dir, "pyenv-win");
  const pyenv312 = join(pyenvWin, "versions", "3.12.1", "python.exe");
  mkdirSync(dirname(pyenv312), { recursive: true });
  writeFileSync(pyenv312, "MZ");
  chmodSync(pyenv312, 0o755);

  const answers = join(sb.dir, "reg-answers");
  mkdirSync(answers);
  writeFileSync(join(answers, "HKCU.txt"), CRLF([
    "HKEY_CURRENT_USER\\Software\\Python\\Astral",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\Astral\\CPython3.10.13",
    "    DisplayName    REG_SZ    CPython 3.10.13 (64-bit)",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\Astral\\CPython3.10.13\\InstallPath",
    "    (Default)    REG_EXPAND_SZ    %APPDATA%/uv-elsewhere/cpython-3.10.13-windows-x86_64-none",
    "    ExecutablePath    REG_EXPAND_SZ    %APPDATA%/uv-elsewhere/cpython-3.10.13-windows-x86_64-none/python.exe",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.9",
    "    SysVersion    REG_SZ    3.9",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.9\\InstallPath",
    `    (Default)    REG_SZ    ${join(local, "Programs", "Python", "Python39")}`,
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.13",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.13\\InstallPath",
    `    (Default)    REG_SZ    ${dirname(org313)}`,
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12",
    "    SysVersion    REG_SZ    3.12",
    "",
    "HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath",
    `    (Default)    REG_SZ    ${dirname(py312)}`,
    `    ExecutablePath    REG_SZ    ${py312}`,
  ]));
  writeFileSync(join(answers, "HKLM.txt"), CRLF([
    "HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore",
    "",
    "HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.11",
    "",
    "HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.11\\InstallPath",
    `    (Default)    REG_SZ    ${dirname(py311)}`,
    "",
    "HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.12",
    "",
    "HKEY_LOCAL_MACHINE\\Software\\Python\\PythonCore\\3.12\\InstallPath",
    `    (Default)    REG_SZ    ${dirname(machine312)}`,
    `    ExecutablePath    REG_SZ    ${machine312}`,
  ]));
  // The 32-bit view has no Python key: reg fails, as Windows' does.
  const systemRoot = join(sb.dir, "Windows");
  const log = join(sb.dir, "reg-calls.log");
  mkdirSync(join(systemRoot, "System32"), { recursive: true });
  const reg = join(systemRoot, "System32", "reg.exe");
  writeFileSync(reg, [
    "#!/bin/sh",
    `printf '%s\\n' "$*" >> '${log}'`,
    'case "$2" in',
    `  'HKEY_CURRENT_USER\\Software\\Python') exec /bin/cat '${join(answers, "HKCU.txt")}' ;;`,
    `  'HKEY_LOCAL_MACHINE\\Software\\Python') exec /bin/cat '${join(answers, "HKLM.txt")}' ;;`,
    "esac",
    "echo 'ERROR: The system was unable to find the specified registry key or value.' >&2",
    "exit 1",
    "",
  ].join("\n"));
  chmodSync(reg, 0o755);

  if (pin) writeFileSync(join(sb.work, ".python-version"), `${pin}\n`);
  const base = makeContext(sb);
  const env = {
    ...base.env, PATH: join(sb.dir, "empty"), SystemRoot: systemRoot, APPDATA: roaming, LOCALAPPDATA: local,
    PYENV_ROOT: pyenvWin, UV_PYTHON_INSTALL_DIR: join(sb.dir, "no-uv"), VENVCTL_DEBUG: "1",
  };
  const win = { ...base, env, platform: "win32" as const, dirs: { ...base.dirs, home: sb.home } };
  return {
    win, py312, py311, uv310, org313, pyenvWin,
    regCalls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []),
  };
}

test("versions on Windows lists the registry's interpreters, per-user first, a missing one skipped; one reg process per key", async (t) => {
  const w = world(t);
  if (!w) return;
  const listed = await versions({ json: true }, w.win);
  const rows = listed.interpreters.map((i) => [i.name, i.version, i.source, i.path]);
  const pyenv312 = join(w.pyenvWin, "versions", "3.12.1", "python.exe");
  assert.deepEqual(rows, [
    ["3.13.0", "3.13.0", "python.org", w.org313],
    ["3.12.1", "3.12.1", "pyenv", pyenv312],
    // The registry ranks after every other source: newest first among its own.
    ["3.12.1", "3.12.1", "registry", w.py312],
    ["3.11.7", "3.11.7", "registry", w.py311],
    ["Astral/CPython3.10.13", "3.10.13", "registry", w.uv310],
  ]);
  // python.org's 3.13 is registered too: listed once, as found in its directory.
  assert.match(w.win.err(), /the registry's PythonCore\/3\.13 is .*Python313\/python\.exe, found already/);
  // The per-user PythonCore\3.12 shadows the machine's; the 3.9 without python.exe is skipped, said in a debug line.
  assert.match(w.win.err(), /skipping the registry's PythonCore\\3\.12 \(HKEY_LOCAL_MACHINE\): HKEY_CURRENT_USER registers it too/);
  assert.match(w.win.err(), /skipping the registry's PythonCore\\3\.9 \(HKEY_CURRENT_USER\): .*Python39\/python\.exe does not exist/);
  assert.deepEqual(w.regCalls(), [
    "query HKEY_CURRENT_USER\\Software\\Python /s",
    "query HKEY_LOCAL_MACHINE\\Software\\Python /s /reg:64",
    "query HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python /s /reg:64",
  ]);
  // The table names the source; the column widens for it.
  const table = formatVersionsTable(listed, w.win.dirs.home);
  assert.deepEqual(table.map((l) => l.trim().split(/\s{2,}/).slice(0, 3).join("|")), [
    "3.13.0|cpython|python.org", "3.12.1|cpython|pyenv", "3.12.1|cpython|registry", "3.11.7|cpython|registry", "Astral/CPython3.10.13|cpython|registry",
  ]);
  assert.equal(new Set(table.map((l) => l.search(/ [~/]/))).size, 1, `the paths line up:\n${table.join("\n")}`);

  // Company/Tag and PythonCore's tags are spellings too.
  const inv = await buildInventory(w.win);
  assert.equal(inv.keys.get("Astral/CPython3.10.13")?.python, w.uv310);
  assert.equal(inv.keys.get("PythonCore/3.12")?.python, w.py312);
  assert.equal(inv.keys.get("3.10")?.python, w.uv310);
  assert.equal(inv.keys.get("3.12")?.python, pyenv312, "a version an earlier source has is theirs");
  assert.equal(inv.keys.get("PythonCore/3.9"), undefined);
  assert.equal(w.regCalls().length, 3, "the registry is read once per key per process");
});

test("a pin an earlier source answers starts no reg; one only the registry answers reads it", async (t) => {
  const w = world(t, "3.12");
  if (!w) return;
  const chosen = await chooseInterpreter(w.win);
  assert.equal(chosen.python, join(w.pyenvWin, "versions", "3.12.1", "python.exe"));
  assert.deepEqual(w.regCalls(), [], "pyenv-win answered: no reg process");
  assert.doesNotMatch(w.win.err(), /reading the registry/);

  const found = await findInterpreter(w.win, parsePythonRequest("3.11"));
  assert.equal(found.interpreter.path, w.py311);
  assert.equal(found.source, "registry");
  assert.equal(w.regCalls().length, 3);
  assert.match(w.win.err(), /3\.11 is not among the interpreters found so far: reading the registry \(PEP 514\)/);
});

test("each pinned entry is looked up everywhere before the next: `3.11 3.12` chooses the registry's 3.11", async (t) => {
  const w = world(t, "3.11 3.12");
  if (!w) return;
  const chosen = await chooseInterpreter(w.win);
  assert.equal(chosen.python, w.py311);
  assert.equal(chosen.entry, "3.11");
  assert.equal(chosen.target?.source, "registry");
});

test("a pin may name a registration as py.exe's -V: does, Company/Tag", async (t) => {
  const w = world(t, "Astral/CPython3.10.13");
  if (!w) return;
  const chosen = await chooseInterpreter(w.win);
  assert.equal(chosen.python, w.uv310);
  assert.equal(chosen.name, "Astral/CPython3.10.13");
});

test("on POSIX the registry is never read", async (t) => {
  const w = world(t, "3.11");
  if (!w) return;
  const posix = { ...w.win, platform: "linux" as const };
  await assert.rejects(chooseInterpreter(posix), /version `3\.11` is not installed/);
  assert.deepEqual(w.regCalls(), []);
});
