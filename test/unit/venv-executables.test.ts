// Which executables a Windows venv gets, per CPython version, computed for a
// Windows install seen through a listing (the structural tier: no Windows
// here). The rules are CPython's Lib/venv/__init__.py (setup_python,
// symlink_or_copy); the first test checks that the versions' own sources,
// pyenv's copies of them on this machine, still have the mechanism each rule
// stands for, so a rule cannot drift from the source it cites.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { venvExecutables, type InstallView } from "../../src/platform/venv-executables.js";
import { PYENV_ROOT } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";

const HOME = "C:\\Users\\Zoë\\AppData\\Local\\Programs\\Python\\Python312";

/** A Windows install as a listing: paths (case as given) → file. */
function view(files: string[]): InstallView {
  const lower = files.map((f) => f.toLowerCase());
  return {
    isFile: (p) => lower.includes(p.toLowerCase()),
    list: (dir) => {
      const prefix = `${dir.toLowerCase()}\\`;
      const names = new Set<string>();
      files.forEach((f, i) => {
        if (lower[i]!.startsWith(prefix)) names.add(f.slice(prefix.length).split("\\")[0]!);
      });
      return [...names];
    },
  };
}

function windows(version: string, opts: { exe?: string; gilDisabled?: boolean } = {}) {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  const exe = `${HOME}\\${opts.exe ?? "python.exe"}`;
  return {
    version: { major, minor, patch },
    info: { os_name: "nt", executable: exe, base_executable: exe, gil_disabled: opts.gilDisabled ?? false },
  };
}

/** The python.org installer's top level, with the redirectors or launchers of the version. */
function install(extra: string[] = []): InstallView {
  return view([
    "python.exe", "pythonw.exe", "python312.dll", "python3.dll", "vcruntime140.dll", "vcruntime140_1.dll", "LICENSE.txt",
    "DLLs\\_ctypes.pyd", "DLLs\\sqlite3.dll", "Lib\\os.py", "tcl\\tcl8.6\\init.tcl",
    ...extra,
  ].map((f) => `${HOME}\\${f}`));
}
const REDIRECTORS = ["Lib\\venv\\scripts\\nt\\python.exe", "Lib\\venv\\scripts\\nt\\pythonw.exe"];
const LAUNCHERS = ["Lib\\venv\\scripts\\nt\\venvlauncher.exe", "Lib\\venv\\scripts\\nt\\venvwlauncher.exe"];

const names = (r: ReturnType<typeof venvExecutables>) => r.files.map((f) => f.name);
const sources = (r: ReturnType<typeof venvExecutables>) => Object.fromEntries(r.files.map((f) => [f.name, f.source.slice(HOME.length + 1)]));

test("each rule stands on its version's Lib/venv/__init__.py (pyenv's copies of CPython's sources)", (t) => {
  const versions = (() => {
    try {
      return readdirSync(join(PYENV_ROOT, "versions")).filter((v) => /^3\.\d+\.\d+$/.test(v));
    } catch {
      return [];
    }
  })();
  if (!requireOrSkip(t, versions.length > 0, `pyenv's CPython sources in ${PYENV_ROOT}/versions`)) return;
  for (const v of versions) {
    const [, minor, patch] = v.split(".").map(Number) as [number, number, number];
    const source = readFileSync(join(PYENV_ROOT, "versions", v, "lib", `python3.${minor}`, "venv", "__init__.py"), "utf8");
    const r = venvExecutables(windows(v), false, install([...REDIRECTORS, ...LAUNCHERS]));
    if (/copy_sources/.test(source)) {
      assert.ok(/venvlauncher\{exe_d\}\.exe/.test(source), `${v}: copies of venvlauncher`);
      assert.deepEqual(sources(r), { "python.exe": LAUNCHERS[0], "pythonw.exe": LAUNCHERS[1] }, v);
    } else if (/"scripts",\s*"nt"/.test(source)) {
      assert.ok(minor > 7 || (minor === 7 && patch >= 2), `${v}: redirectors since 3.7.2`);
      assert.equal(/suffixes\.add\(base_exe\)/.test(source), minor >= 11 || (minor === 10 && patch >= 1) || (minor === 9 && patch >= 8), `${v}: bpo-45337`);
      assert.deepEqual(sources(r), { "python.exe": REDIRECTORS[0], "pythonw.exe": REDIRECTORS[1] }, v);
    } else {
      assert.ok(/def include_binary/.test(source), `${v}: the binaries themselves`);
      assert.ok(minor < 7 || (minor === 7 && patch < 2), v);
      assert.ok(names(r).includes("python312.dll") && names(r).includes("_ctypes.pyd"), v);
    }
  }
});

test("3.13: python.exe and pythonw.exe are copies of venvlauncher.exe and venvwlauncher.exe; the free-threaded build's names too", () => {
  const r = venvExecutables(windows("3.13.0"), false, install(LAUNCHERS));
  assert.equal(r.link, "copy");
  assert.deepEqual(sources(r), { "python.exe": LAUNCHERS[0], "pythonw.exe": LAUNCHERS[1] });
  assert.deepEqual(r.missing, []);
  const t = venvExecutables(windows("3.13.1", { exe: "python3.13t.exe", gilDisabled: true }), false,
    install(["python3.13t.exe", "pythonw3.13t.exe", "Lib\\venv\\scripts\\nt\\venvlaunchert.exe", "Lib\\venv\\scripts\\nt\\venvwlaunchert.exe"]));
  assert.deepEqual(names(t), ["python.exe", "python3.13t.exe", "pythonw.exe", "pythonw3.13t.exe"]);
  assert.ok(t.files.every((f) => /venvw?launchert\.exe$/.test(f.source)));
  // An install without the launchers: venv warns for each and goes on.
  const bare = venvExecutables(windows("3.13.0"), false, install());
  assert.deepEqual(bare.files, []);
  assert.deepEqual(bare.missing.map((m) => m.slice(HOME.length + 1)), LAUNCHERS);
});

test("3.13 --symlinks: python.exe, pythonw.exe and the python*/vcruntime* DLLs, linked to the install", () => {
  const r = venvExecutables(windows("3.13.0"), true, install(LAUNCHERS));
  assert.equal(r.link, "symlink");
  assert.deepEqual(names(r).sort(), ["python.exe", "python3.dll", "python312.dll", "pythonw.exe", "vcruntime140.dll", "vcruntime140_1.dll"]);
  assert.equal(sources(r)["python.exe"], "python.exe");
});

test("3.8 to 3.12: copies of the redirectors of each name the install has; a source build's venvlauncher; a missing one warned", () => {
  const r = venvExecutables(windows("3.12.1"), false, install([...REDIRECTORS, "python_d.exe"]));
  // python_d.exe is in the install, but its redirector is not, nor a build's venvlauncher_d.exe.
  assert.deepEqual(sources(r), { "python.exe": REDIRECTORS[0], "pythonw.exe": REDIRECTORS[1] });
  assert.deepEqual(r.missing.map((m) => m.slice(HOME.length + 1)), ["Lib\\venv\\scripts\\nt\\python_d.exe"]);
  const build = venvExecutables(windows("3.11.7"), false, install(["venvlauncher.exe", "venvwlauncher.exe"]));
  assert.deepEqual(sources(build), { "python.exe": "venvlauncher.exe", "pythonw.exe": "venvwlauncher.exe" });
  // 3.12 adds the interpreter's own name (bpo-45337): an install whose interpreter is python3.exe.
  const named = venvExecutables(windows("3.12.1", { exe: "python3.exe" }), false, install([...REDIRECTORS, "python3.exe", "Lib\\venv\\scripts\\nt\\python3.exe"]));
  assert.deepEqual(names(named), ["python.exe", "pythonw.exe", "python3.exe"]);
  const older = venvExecutables(windows("3.9.7", { exe: "python3.exe" }), false, install([...REDIRECTORS, "python3.exe", "Lib\\venv\\scripts\\nt\\python3.exe"]));
  assert.deepEqual(names(older), ["python.exe", "pythonw.exe"], "3.9.7 predates bpo-45337");
});

test("3.8 to 3.12 --symlinks: every .exe and .dll beside the interpreter", () => {
  const r = venvExecutables(windows("3.10.13"), true, install(REDIRECTORS));
  assert.deepEqual(names(r).sort(), ["python.exe", "python3.dll", "python312.dll", "pythonw.exe", "vcruntime140.dll", "vcruntime140_1.dll"]);
});

test("3.3 to 3.7.1: copies of python.exe, the python*.exe, .dll and .pyd beside it and in DLLs, and Tcl's init.tcl", () => {
  const r = venvExecutables(windows("3.7.1"), false, install());
  assert.deepEqual(names(r).sort(), ["_ctypes.pyd", "python.exe", "python3.dll", "python312.dll", "pythonw.exe", "sqlite3.dll", "vcruntime140.dll", "vcruntime140_1.dll"]);
  assert.equal(sources(r)["python.exe"], "python.exe");
  assert.equal(sources(r)["_ctypes.pyd"], "DLLs\\_ctypes.pyd");
  assert.deepEqual(r.extra.map((e) => [e.source.slice(HOME.length + 1), e.rel]), [["tcl\\tcl8.6\\init.tcl", "Lib\\tcl8.6\\init.tcl"]]);
});

test("POSIX: the interpreter under its own name, then python, python3, python3.X; aliases link to it by name", () => {
  const posix = { version: { major: 3, minor: 12, patch: 1 }, info: { os_name: "posix", executable: "/opt/py/bin/python3.12", base_executable: "/opt/py/bin/python3.12" } };
  const nothing = view([]);
  const links = venvExecutables(posix, true, nothing);
  assert.deepEqual(links.files, [
    { name: "python3.12", source: "/opt/py/bin/python3.12", relative: false },
    { name: "python", source: "python3.12", relative: true },
    { name: "python3", source: "python3.12", relative: true },
  ]);
  const copies = venvExecutables(posix, false, nothing);
  assert.equal(copies.link, "copy");
  assert.ok(copies.files.every((f) => f.source === "/opt/py/bin/python3.12" && !f.relative));
});
