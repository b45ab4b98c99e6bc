// Which executables a venv's bin directory gets, and from where — the part of
// `python -m venv` that differs most between POSIX and Windows, and between
// CPython versions on Windows (Lib/venv/__init__.py, setup_python and
// symlink_or_copy, 3.3 through 3.13):
// - POSIX: the interpreter under the name it was started as, then python,
//   python3 and (3.9+) python3.X, symlinked (aliases relative, to the first)
//   or copied with --copies.
// - Windows 3.3 to 3.7.1: copies of python.exe, every python*.exe, .dll and
//   .pyd beside it and in its DLLs folder (--symlinks links them instead),
//   and Tcl's init.tcl into Lib\tclX.Y.
// - Windows 3.7.2 to 3.12: python.exe, python_d.exe, pythonw.exe,
//   pythonw_d.exe (and, since bpo-45337 — 3.9.8, 3.10.1, 3.11 — the
//   interpreter's own name), those that exist
//   beside the interpreter, each a copy of the redirector of that name in
//   Lib\venv\scripts\nt (a source build's venvlauncher.exe /
//   venvwlauncher.exe where there is none); --symlinks links every .exe and
//   .dll beside the interpreter instead.
// - Windows 3.13: python.exe and pythonw.exe (python3.13t.exe too when the
//   GIL is disabled) as copies of Lib\venv\scripts\nt\venvlauncher.exe and
//   venvwlauncher.exe (venvlaunchert.exe …); --symlinks links python.exe,
//   pythonw.exe and the python*/vcruntime* DLLs.
// The answer is computed from a view of the base install's directory, so it
// can be checked for a Windows install on any machine.
import { posix, win32 } from "node:path";

/** What of a probed interpreter this module reads (interpreters/interpreter.ts's Interpreter has it). */
export interface Interpreter {
  version: { major: number; minor: number; patch: number };
  info: { os_name: string; executable: string; base_executable: string; gil_disabled?: boolean | undefined };
}

export interface VenvExecutable {
  /** File name in the bin directory. */
  name: string;
  /** What is copied or linked: an absolute path, or (a POSIX alias's link) the first file's name. */
  source: string;
  /** For a symlink: whether `source` is the name of another file in the bin directory. */
  relative: boolean;
}

export interface VenvExecutables {
  /** Symlinks or copies, as asked (and as the version allows). */
  link: "symlink" | "copy";
  files: VenvExecutable[];
  /** Files CPython would warn it could not copy (and leaves out): told to the user the same way. */
  missing: string[];
  /** Windows 3.3 to 3.7.1: Tcl's init.tcl, copied to this path relative to the env. */
  extra: Array<{ source: string; rel: string }>;
}

/** What create needs to see of the base install's files (the real disk, or a test's view of one). */
export interface InstallView {
  /** Whether the path is a file. */
  isFile(path: string): boolean;
  /** The names in a directory ([] when it is not one). */
  list(path: string): string[];
}

/** Whether the interpreter makes Windows venvs. */
export function isWindowsInterpreter(interpreter: Interpreter): boolean {
  return interpreter.info.os_name === "nt";
}

/** The path functions for the interpreter's file system. */
export function pathsFor(interpreter: Interpreter): typeof posix {
  return isWindowsInterpreter(interpreter) ? win32 : posix;
}

/**
 * The executables of a venv for `interpreter`, whose bin directory files are
 * named as `python -m venv` of its version names them. `symlinks` is what
 * was asked; `view` shows the base install (Windows only).
 */
export function venvExecutables(interpreter: Interpreter, symlinks: boolean, view: InstallView): VenvExecutables {
  return isWindowsInterpreter(interpreter) ? windowsExecutables(interpreter, symlinks, view) : posixExecutables(interpreter, symlinks);
}

function posixExecutables(interpreter: Interpreter, symlinks: boolean): VenvExecutables {
  const info = interpreter.info;
  // venv links the interpreter under the name it was started as
  // (sys._base_executable), then adds python, python3 and (3.9+) python3.X.
  const base = info.base_executable || info.executable;
  const exeName = posix.basename(base);
  const { major, minor } = interpreter.version;
  const aliases = ["python", "python3"];
  if (major === 3 && minor >= 9) aliases.push(`python3.${minor}`);
  const files: VenvExecutable[] = [{ name: exeName, source: base, relative: false }];
  for (const alias of aliases) {
    if (alias !== exeName) files.push({ name: alias, source: symlinks ? exeName : base, relative: symlinks });
  }
  return { link: symlinks ? "symlink" : "copy", files, missing: [], extra: [] };
}

function windowsExecutables(interpreter: Interpreter, symlinks: boolean, view: InstallView): VenvExecutables {
  const info = interpreter.info;
  const base = info.base_executable || info.executable;
  const dir = win32.dirname(base);
  const exeName = win32.basename(base);
  const { major, minor, patch } = interpreter.version;
  const ci = (name: string) => name.toLowerCase();
  const ext = (name: string) => ci(win32.extname(name));
  const beside = view.list(dir);
  const has = (name: string) => beside.some((n) => ci(n) === ci(name));
  const scripts = win32.join(dir, "Lib", "venv", "scripts", "nt");
  const out: VenvExecutables = { link: symlinks ? "symlink" : "copy", files: [], missing: [], extra: [] };
  const add = (name: string, source: string) => {
    if (!out.files.some((f) => ci(f.name) === ci(name))) out.files.push({ name, source, relative: false });
  };

  if (major === 3 && minor >= 13) {
    const gilDisabled = Boolean(info.gil_disabled);
    const t = gilDisabled ? `3.${minor}t` : "";
    const names: Array<[string, string, string]> = [
      ["python.exe", `python${t}.exe`, gilDisabled ? "venvlaunchert.exe" : "venvlauncher.exe"],
      ["pythonw.exe", `pythonw${t}.exe`, gilDisabled ? "venvwlaunchert.exe" : "venvwlauncher.exe"],
    ];
    if (gilDisabled) {
      names.splice(1, 0, [`python${t}.exe`, `python${t}.exe`, "venvlaunchert.exe"]);
      names.push([`pythonw${t}.exe`, `pythonw${t}.exe`, "venvwlaunchert.exe"]);
    }
    if (symlinks) {
      for (const [name, target] of names) add(name, win32.join(dir, target));
      for (const f of beside) {
        if (ext(f) === ".dll" && (ci(f).startsWith("python") || ci(f).startsWith("vcruntime"))) add(f, win32.join(dir, f));
      }
      return out;
    }
    for (const [name, , launcher] of names) {
      const source = win32.join(scripts, launcher);
      if (view.isFile(source)) add(name, source);
      else out.missing.push(source);
    }
    return out;
  }

  if (major === 3 && (minor > 7 || (minor === 7 && patch >= 2))) {
    if (symlinks) {
      for (const f of beside) if (ext(f) === ".exe" || ext(f) === ".dll") add(f, win32.join(dir, f));
      return out;
    }
    const names = ["python.exe", "python_d.exe", "pythonw.exe", "pythonw_d.exe"];
    if (minor >= 11 || (minor === 10 && patch >= 1) || (minor === 9 && patch >= 8)) names.push(exeName);
    for (const name of names) {
      if (!has(name)) continue;
      // symlink_or_copy: the redirector of that name, else a build's venvlauncher.
      const redirector = win32.join(scripts, name);
      const stem = ci(name).replace(/\.exe$/, "");
      const d = stem.endsWith("_d") ? "_d" : "";
      const plain = d ? stem.slice(0, -2) : stem;
      const launcher = plain === "python" ? "venvlauncher" : plain === "pythonw" ? "venvwlauncher" : plain;
      const built = win32.join(dir, `${launcher}${d}.exe`);
      if (view.isFile(redirector)) add(name, redirector);
      else if (view.isFile(built)) add(name, built);
      else out.missing.push(redirector);
    }
    return out;
  }

  // 3.3 to 3.7.1: the interpreter and its binaries themselves.
  const binary = (f: string) => ext(f) === ".pyd" || ext(f) === ".dll" || (ci(f).startsWith("python") && ext(f) === ".exe");
  add(exeName, base);
  for (const f of beside) if (binary(f)) add(f, win32.join(dir, f));
  const dlls = win32.join(dir, "DLLs");
  for (const f of view.list(dlls)) if (binary(f)) add(f, win32.join(dlls, f));
  // init.tcl, found where the installer puts Tcl (venv walks the whole install for the first one).
  const tcl = win32.join(dir, "tcl");
  for (const sub of view.list(tcl).sort()) {
    const source = win32.join(tcl, sub, "init.tcl");
    if (view.isFile(source)) {
      out.extra.push({ source, rel: win32.join("Lib", sub, "init.tcl") });
      break;
    }
  }
  return out;
}
