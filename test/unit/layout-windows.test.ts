// The Windows branches of the venv layout, which `create` cannot reach here
// (it refuses Windows interpreters until Windows is supported): checked as
// what they are, the layout and pyvenv.cfg `python -m venv` on Windows makes
// for a Windows interpreter's probe (Lib/venv/__init__.py: Scripts, no lib64,
// symlinks only when asked).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Interpreter, ProbeInfo } from "../../src/interpreters/interpreter.js";
import { pyvenvCfgEntries, venvLayout } from "../../src/venv/layout.js";

const ENV = "C:\\work\\env";
const windows = {
  path: "C:\\Python312\\python.exe",
  version: { major: 3, minor: 12, patch: 1 },
  info: {
    os_name: "nt",
    platform: "win32",
    pointer_size: 64,
    executable: "C:\\Python312\\python.exe",
    base_executable: "C:\\Python312\\python.exe",
    real_executable: "C:\\Python312\\python.exe",
    venv_dirs: { scripts: "{{VENV}}\\Scripts", include: "{{VENV}}\\Include", purelib: "{{VENV}}\\Lib\\site-packages" },
    venv_paths: {},
  } as unknown as ProbeInfo,
} as Interpreter;

const cfgOptions = {
  systemSitePackages: false, prompt: undefined, originalPrompt: undefined, withPip: true,
  clear: false, upgrade: false, upgradeDeps: false, venvctlVersion: "0",
};

test("a Windows interpreter's venv: Scripts, Lib\\site-packages, no lib64", () => {
  const layout = venvLayout(windows, ENV);
  assert.equal(layout.layoutKind, "windows");
  assert.equal(layout.binDir, `${ENV}\\Scripts`);
  assert.equal(layout.sitePackages, `${ENV}\\Lib\\site-packages`);
  assert.equal(layout.includeDir, `${ENV}\\Include`);
  assert.equal(layout.lib64, false, "venv makes lib64 on 64-bit POSIX only");
});

test("its pyvenv.cfg command: --symlinks only when asked (copies are Windows' default), never --copies", () => {
  const layout = venvLayout(windows, ENV);
  const command = (symlinks: boolean) => pyvenvCfgEntries(windows, layout, { ...cfgOptions, symlinks }).find((e) => e.key === "command")!.value;
  assert.equal(command(true), `C:\\Python312\\python.exe -m venv --symlinks ${ENV}`);
  assert.equal(command(false), `C:\\Python312\\python.exe -m venv ${ENV}`);
});
