// `reg query KEY /s` output and PEP 514 read from it. The fixtures in
// helpers/reg-query/ are what wine's reg printed (CRLF and all) after `reg add`
// of a python.org per-user 3.12 and its free-threaded 3.13t, uv's
// Astral\CPython3.13.1 (REG_EXPAND_SZ paths), a company and tag with spaces,
// py.exe's PyLauncher settings; per machine a 3.12 that the per-user one
// shadows, a 3.11 with no ExecutablePath (PythonCore's default applies), an
// Anaconda; in the 32-bit view a legacy 2.7 and a 3.12-32 without
// ExecutablePath:
//   WINEPREFIX=… wine64 reg query "HKEY_CURRENT_USER\Software\Python" /s > hkcu.txt
//   … "HKEY_LOCAL_MACHINE\Software\Python" /s /reg:64 > hklm.txt
//   … "HKEY_LOCAL_MACHINE\Software\WOW6432Node\Python" /s /reg:64 > hklm-32.txt
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expandEnvironmentStrings, parseRegQuery, regExe } from "../../src/platform/windows-registry.js";
import { mergeRegistrations, PEP514_ROOTS, readRegistrations } from "../../src/platform/pep514.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";

const fixture = (name: string) => readFileSync(join(PROJECT_ROOT, "test", "helpers", "reg-query", name), "utf8");
const [HKCU, HKLM, HKLM32] = PEP514_ROOTS as [typeof PEP514_ROOTS[number], typeof PEP514_ROOTS[number], typeof PEP514_ROOTS[number]];
const ENV = { APPDATA: "C:\\Users\\Ana Lima\\AppData\\Roaming" };

test("reg's output: key headers (spaces and all), values of any type, empty data, CRLF", () => {
  const text = fixture("hkcu.txt");
  assert.ok(text.includes("\r\n"), "the fixture keeps reg's CRLF");
  const keys = parseRegQuery(text, HKCU.key);
  assert.deepEqual(keys.map((k) => k.below.join("\\")), [
    "Astral", "Astral\\CPython3.13.1", "Astral\\CPython3.13.1\\InstallPath",
    "Example Corp", "Example Corp\\Example Py 3", "Example Corp\\Example Py 3\\InstallPath",
    "PyLauncher",
    "PythonCore", "PythonCore\\3.12", "PythonCore\\3.12\\InstallPath", "PythonCore\\3.13t", "PythonCore\\3.13t\\InstallPath",
  ]);
  const install = keys.find((k) => k.below.join("\\") === "PythonCore\\3.12\\InstallPath")!;
  assert.deepEqual(install.values, [
    { name: "", type: "REG_SZ", data: "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python312\\" },
    { name: "ExecutablePath", type: "REG_SZ", data: "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python312\\python.exe" },
    { name: "WindowedExecutablePath", type: "REG_SZ", data: "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python312\\pythonw.exe" },
  ]);
  assert.deepEqual(keys.find((k) => k.below.join("\\") === "PyLauncher")!.values, [{ name: "InhibitSmartScreen", type: "REG_DWORD", data: "0x1" }]);
  assert.deepEqual(keys.find((k) => k.below.join("\\") === "Astral\\CPython3.13.1\\InstallPath")!.values[0],
    { name: "", type: "REG_EXPAND_SZ", data: "%APPDATA%\\uv\\python\\cpython-3.13.1-windows-x86_64-none" });

  // What Windows' reg adds: a translated default's name, value names with spaces,
  // empty data with or without its trailing separator, LF endings, a key outside
  // the one asked for, a line of another shape; names compared without case.
  const other = [
    "",
    "HKEY_CURRENT_USER\\SOFTWARE\\Python\\Vendor X\\1.0",
    "    (Standard)    REG_SZ    D:\\x",
    "    Some Name    REG_SZ    two  spaces  inside",
    "    Empty    REG_SZ    ",
    "    Bare    REG_SZ",
    "    Multi    REG_MULTI_SZ    a\\0b",
    "",
    "HKEY_CURRENT_USER\\Software\\Pythonic",
    "    Leak    REG_SZ    no",
    "End of search: 4 match(es) found.",
    "",
  ].join("\n");
  assert.deepEqual(parseRegQuery(other, HKCU.key), [{
    path: "HKEY_CURRENT_USER\\SOFTWARE\\Python\\Vendor X\\1.0",
    below: ["Vendor X", "1.0"],
    values: [
      { name: "", type: "REG_SZ", data: "D:\\x" },
      { name: "Some Name", type: "REG_SZ", data: "two  spaces  inside" },
      { name: "Empty", type: "REG_SZ", data: "" },
      { name: "Bare", type: "REG_SZ", data: "" },
      { name: "Multi", type: "REG_MULTI_SZ", data: "a\\0b" },
    ],
  }]);
  assert.deepEqual(parseRegQuery("", HKCU.key), []);
  assert.deepEqual(parseRegQuery("ERROR: The system was unable to find the specified registry key or value.\r\n", HKCU.key), []);
});

test("PEP 514 from the per-user key: ExecutablePath, REG_EXPAND_SZ, tags as registered; PyLauncher and an environment without ExecutablePath left out", () => {
  const { found, skipped } = readRegistrations(parseRegQuery(fixture("hkcu.txt"), HKCU.key), HKCU, ENV);
  const python312 = "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python312\\";
  const uv = "C:\\Users\\Ana Lima\\AppData\\Roaming\\uv\\python\\cpython-3.13.1-windows-x86_64-none";
  assert.deepEqual(found, [
    {
      company: "Astral", tag: "CPython3.13.1", place: "HKEY_CURRENT_USER", installPath: uv, executable: `${uv}\\python.exe`,
      windowedExecutable: `${uv}\\python.exe`, sysVersion: undefined, version: undefined, architecture: undefined, displayName: "CPython 3.13.1 (64-bit)",
    },
    {
      company: "PythonCore", tag: "3.12", place: "HKEY_CURRENT_USER", installPath: python312, executable: `${python312}python.exe`,
      windowedExecutable: `${python312}pythonw.exe`, sysVersion: "3.12", version: "3.12.1", architecture: "64bit", displayName: "Python 3.12 (64-bit)",
    },
    {
      company: "PythonCore", tag: "3.13t", place: "HKEY_CURRENT_USER",
      installPath: "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python313\\",
      executable: "C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python313\\python3.13t.exe",
      // No WindowedExecutablePath: PythonCore's pythonw.exe in the install directory.
      windowedExecutable: join("C:\\Users\\Ana Lima\\AppData\\Local\\Programs\\Python\\Python313\\", "pythonw.exe"),
      sysVersion: "3.13", version: "3.13", architecture: undefined, displayName: undefined,
    },
  ]);
  // Another company's environment without ExecutablePath is not executable (PEP 514); PyLauncher is no environment.
  assert.deepEqual(skipped, [{ company: "Example Corp", tag: "Example Py 3", place: "HKEY_CURRENT_USER", why: "it has no ExecutablePath (PEP 514: not executable)" }]);
});

test("PEP 514 per machine: PythonCore's default python.exe, the view's architecture, a legacy 32-bit tag named as py.exe names it", () => {
  const machine = readRegistrations(parseRegQuery(fixture("hklm.txt"), HKLM.key), HKLM, ENV);
  assert.deepEqual(machine.found.map((r) => [r.company, r.tag, r.executable, r.architecture]), [
    ["ContinuumAnalytics", "Anaconda39-64", "C:\\ProgramData\\Anaconda3\\python.exe", "64bit"],
    // No ExecutablePath: PythonCore's default, python.exe in InstallPath.
    ["PythonCore", "3.11", join("C:\\Program Files\\Python311\\", "python.exe"), "64bit"],
    ["PythonCore", "3.12", "C:\\Program Files\\Python312\\python.exe", "64bit"],
  ]);
  assert.deepEqual(machine.skipped, []);
  const wow = readRegistrations(parseRegQuery(fixture("hklm-32.txt"), HKLM32.key), HKLM32, ENV);
  assert.deepEqual(wow.found.map((r) => [r.tag, r.executable, r.architecture, r.sysVersion]), [
    ["2.7-32", join("C:\\Python27\\", "python.exe"), "32bit", "2.7"],
    ["3.12-32", join("C:\\Program Files (x86)\\Python312-32\\", "python.exe"), "32bit", "3.12"],
  ]);
  // No InstallPath: no environment (py.exe skips it too).
  const noInstall = readRegistrations(parseRegQuery("\r\nHKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.9\r\n    SysVersion    REG_SZ    3.9\r\n", HKCU.key), HKCU, ENV);
  assert.deepEqual(noInstall, { found: [], skipped: [{ company: "PythonCore", tag: "3.9", place: "HKEY_CURRENT_USER", why: "it has no InstallPath" }] });
});

test("the three places merged: per user first, a Company\\Tag registered twice taken from the first place", () => {
  const answers = [["hkcu.txt", HKCU], ["hklm.txt", HKLM], ["hklm-32.txt", HKLM32]].map(([f, root]) => parseRegQuery(fixture(f as string), (root as typeof HKCU).key));
  const { registrations, notes } = mergeRegistrations(answers, ENV);
  assert.deepEqual(registrations.map((r) => `${r.company}\\${r.tag} ${r.place}`), [
    "Astral\\CPython3.13.1 HKEY_CURRENT_USER",
    "PythonCore\\3.12 HKEY_CURRENT_USER",
    "PythonCore\\3.13t HKEY_CURRENT_USER",
    "ContinuumAnalytics\\Anaconda39-64 HKEY_LOCAL_MACHINE",
    "PythonCore\\3.11 HKEY_LOCAL_MACHINE",
    "PythonCore\\2.7-32 HKEY_LOCAL_MACHINE (32-bit)",
    "PythonCore\\3.12-32 HKEY_LOCAL_MACHINE (32-bit)",
  ]);
  assert.deepEqual(notes, [
    "skipping the registry's Example Corp\\Example Py 3 (HKEY_CURRENT_USER): it has no ExecutablePath (PEP 514: not executable)",
    "skipping the registry's PythonCore\\3.12 (HKEY_LOCAL_MACHINE): HKEY_CURRENT_USER registers it too, and comes first",
  ]);
});

test("reg.exe is the system's, found through SystemRoot (any case), and %VARS% expand as Windows expands them", () => {
  assert.equal(regExe({ env: { SYSTEMROOT: "D:\\WinNT" } }), join("D:\\WinNT", "System32", "reg.exe"));
  assert.equal(regExe({ env: {} }), join("C:\\Windows", "System32", "reg.exe"));
  assert.equal(expandEnvironmentStrings("%LocalAppData%\\x\\%NOPE%\\100%", { LOCALAPPDATA: "C:\\L" }), "C:\\L\\x\\%NOPE%\\100%");
});
