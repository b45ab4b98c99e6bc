// A Windows CPython install for the wine tier, made of the stand-in program
// in windows-python/fake-python.c (compiled here with Debian's mingw-w64:
// no Windows CPython can be fetched on these machines). The tree is laid out
// as the python.org installer lays out CPython X.Y on Windows: python.exe,
// pythonw.exe and the DLLs at the top, Lib\ with venv's redirectors in
// Lib\venv\scripts\nt (python.exe/pythonw.exe from 3.7.2, venvlauncher.exe /
// venvwlauncher.exe from 3.13), ensurepip's bundled wheels (the real pip
// wheels pyenv's CPython of the same minor ships: ensurepip is pure Python),
// and fake-probe.json, the answer CPython X.Y gives venvctl's probe on
// Windows (sysconfig's nt scheme, site.getsitepackages' Windows branch,
// platform's Windows values), with the per-run parts left to the program.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { digest } from "../../src/util/digest.js";
import { pyenvPython } from "./interpreters.js";
import { PROJECT_ROOT } from "./run-cli.js";

const SOURCE = join(PROJECT_ROOT, "test", "helpers", "windows-python", "fake-python.c");
const CACHE = join(PROJECT_ROOT, "node_modules", ".cache", "venvctl-tests");
export const MINGW_GCC = "/usr/bin/x86_64-w64-mingw32-gcc";

/** The stand-in python.exe, compiled once per source text; undefined without mingw-w64. */
export function fakePythonExe(): string | undefined {
  if (!existsSync(MINGW_GCC)) return undefined;
  const source = readFileSync(SOURCE);
  const exe = join(CACHE, `fake-python-${digest("sha256", source, "hex").slice(0, 16)}.exe`);
  if (existsSync(exe)) return exe;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${exe}.tmp-${process.pid}`;
  execFileSync(MINGW_GCC, ["-O2", "-s", "-municode", "-o", tmp, SOURCE], { stdio: ["ignore", "ignore", "inherit"] });
  renameSync(tmp, exe);
  return exe;
}

export interface WindowsPythonOptions {
  /** "3.12.1" */
  version: string;
  /** How venv gets its Scripts\python.exe; by default what that version ships. */
  launchers?: "redirector" | "venvlauncher" | "none";
}

/** How CPython X.Y.Z on Windows makes a venv's python.exe (Lib/venv/__init__.py). */
export function launcherKind(version: string): "redirector" | "venvlauncher" | "none" {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  if (major === 3 && minor >= 13) return "venvlauncher";
  if (major === 3 && (minor > 7 || (minor === 7 && patch >= 2))) return "redirector";
  return "none";
}

/** Lays out CPython `version` for Windows at `dir` (made), answering the probe through fake-probe.json. */
export function makeWindowsPython(dir: string, opts: WindowsPythonOptions): void {
  const exe = fakePythonExe();
  if (!exe) throw new Error("mingw-w64 is not installed: cannot build the stand-in Windows python");
  const [major, minor] = opts.version.split(".").map(Number) as [number, number];
  const nodot = `${major}${minor}`;
  for (const d of ["DLLs", "Include", "Scripts", join("Lib", "site-packages"), join("Lib", "venv", "scripts", "nt"), join("Lib", "ensurepip", "_bundled")]) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  copyFileSync(exe, join(dir, "python.exe"));
  copyFileSync(exe, join(dir, "pythonw.exe"));
  for (const dll of [`python${nodot}.dll`, "python3.dll", "vcruntime140.dll", "vcruntime140_1.dll"]) {
    writeFileSync(join(dir, dll), `stand-in for ${dll}\n`);
  }
  writeFileSync(join(dir, "DLLs", "_ctypes.pyd"), "stand-in for _ctypes.pyd\n");
  writeFileSync(join(dir, "Lib", "os.py"), "# stand-in for the standard library\n");
  writeFileSync(join(dir, "Lib", "venv", "__init__.py"), "# stand-in for venv\n");
  const nt = join(dir, "Lib", "venv", "scripts", "nt");
  switch (opts.launchers ?? launcherKind(opts.version)) {
    case "venvlauncher":
      copyFileSync(exe, join(nt, "venvlauncher.exe"));
      copyFileSync(exe, join(nt, "venvwlauncher.exe"));
      break;
    case "redirector":
      copyFileSync(exe, join(nt, "python.exe"));
      copyFileSync(exe, join(nt, "pythonw.exe"));
      break;
    case "none":
      break;
  }
  // ensurepip's wheels: those of pyenv's CPython of the same minor.
  const bundled = join(dir, "Lib", "ensurepip", "_bundled");
  const linux = pyenvPython(`${major}.${minor}`);
  const linuxBundled = linux ? join(linux, "..", "..", "lib", `python${major}.${minor}`, "ensurepip", "_bundled") : undefined;
  const files = linuxBundled && existsSync(linuxBundled) ? readdirSync(linuxBundled).filter((f) => f.endsWith(".whl")).sort() : [];
  for (const f of files) copyFileSync(join(linuxBundled!, f), join(bundled, f));
  const versionOf = (name: string) => files.find((f) => f.startsWith(`${name}-`))?.split("-")[1] ?? null;
  writeFileSync(join(dir, "fake-probe.json"), windowsProbeTemplate(opts.version, { files, pip: versionOf("pip"), setuptools: versionOf("setuptools") }) + "\n");
}

/**
 * What probe.py prints under CPython `version` on 64-bit Windows, with the
 * program's tokens where the answer depends on the run: @EXECUTABLE@ and
 * @BASE_EXECUTABLE@ (sys.executable, sys._base_executable), @PREFIX@ and
 * @BASE_PREFIX@, @IN_VENV@. sys.path leaves out the venv's own directory,
 * which CPython also lists inside a venv; venvctl rebuilds sys.path from the
 * site layout, not from it.
 */
export function windowsProbeTemplate(version: string, seed: { files: string[]; pip: string | null; setuptools: string | null }): string {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  const nodot = `${major}${minor}`;
  const P = "@PREFIX@";
  const B = "@BASE_PREFIX@";
  const V = "{{VENV}}";
  const scheme = (base: string, installed: string) => ({
    stdlib: `${installed}\\Lib`,
    platstdlib: `${base}\\Lib`,
    purelib: `${base}\\Lib\\site-packages`,
    platlib: `${base}\\Lib\\site-packages`,
    include: `${installed}\\Include`,
    platinclude: `${installed}\\Include`,
    scripts: `${base}\\Scripts`,
    data: base,
  });
  const info = {
    version_info: [major, minor, patch, "final", 0],
    implementation: "cpython",
    cache_tag: `cpython-${nodot}`,
    executable: "@EXECUTABLE@",
    base_executable: "@BASE_EXECUTABLE@",
    real_executable: "@EXECUTABLE@",
    prefix: P,
    base_prefix: B,
    exec_prefix: P,
    base_exec_prefix: B,
    pointer_size: 64,
    platform: "win32",
    os_name: "nt",
    has_venv: true,
    has_ensurepip: true,
    in_venv: "@IN_VENV@",
    gil_disabled: false,
    abiflags: "",
    ext_suffix: `.cp${nodot}-win_amd64.pyd`,
    sys_paths: scheme(P, B),
    sys_path: [`${B}\\python${nodot}.zip`, `${B}\\DLLs`, `${B}\\Lib`, B, `${P}\\Lib\\site-packages`],
    venv_dirs: { scripts: `${V}\\Scripts`, include: `${V}\\Include`, purelib: `${V}\\Lib\\site-packages` },
    venv_paths: scheme(V, V),
    seed: { dir: `${B}\\Lib\\ensurepip\\_bundled`, pip: seed.pip, setuptools: seed.setuptools, files: seed.files, wheel_pkg_dir: null },
    site: {
      site_dirs: [P, `${P}\\Lib\\site-packages`],
      venv_site_dirs: [V, `${V}\\Lib\\site-packages`],
      venv_base_site_dirs: [B, `${B}\\Lib\\site-packages`],
      user_site: `{{USERBASE}}\\Python${nodot}\\site-packages`,
      user_base_kind: "nt",
      base_path: [`${B}\\python${nodot}.zip`, `${B}\\DLLs`, `${B}\\Lib`],
      pip_importlib_flag: true,
    },
    marker_env: {
      implementation_name: "cpython",
      implementation_version: version,
      os_name: "nt",
      platform_machine: "AMD64",
      platform_release: "10",
      platform_system: "Windows",
      platform_version: "10.0.19045",
      python_full_version: version,
      platform_python_implementation: "CPython",
      python_version: `${major}.${minor}`,
      sys_platform: "win32",
    },
    tags: {
      platform: "win-amd64",
      py_debug: null,
      with_pymalloc: null,
      unicode_size: null,
      py_version_nodot: nodot,
      gil_disabled: minor >= 13 ? 0 : null,
      has_refcount: false,
      ext_d_pyd: false,
      maxunicode: 1114111,
      glibc: null,
      elf: null,
      musl: null,
      manylinux_module: false,
    },
  };
  return JSON.stringify(info).replace('"@IN_VENV@"', "@IN_VENV@");
}
