// Windows console and GUI launchers (`<name>.exe`), byte for byte against
// the oracle: pip's own vendored distlib ScriptMaker (pyenv's CPython 3.12
// and its pip), made to take its Windows branch on this machine — os.name
// "nt", os.linesep "\r\n", sys.platform "win32" while it writes, the launcher
// stubs read from its own package as its Windows-only _get_launcher does,
// sys.executable given as the env's Windows python, SOURCE_DATE_EPOCH set so
// the ZIP's time is fixed. (The directories in the python paths hold no
// "python": on Linux os.path.split cannot split a Windows path, and distlib
// renames python to pythonw in the file name only.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseExportEntry } from "../../src/wheel/entry-points.js";
import { windowsLauncher, windowsStubName } from "../../src/wheel/launchers.js";
import { ZipArchive } from "../../src/wheel/zip.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";

const ORACLE = String.raw`
import os, sys
from pip._vendor.distlib import scripts as S
target, python, epoch, spec, gui, machine = sys.argv[1:7]
os.environ["SOURCE_DATE_EPOCH"] = epoch
maker = S.ScriptMaker(None, target)
maker.clobber = True
maker.variants = {""}
maker.set_mode = False
maker._is_nt = True
maker.add_launchers = True
suffix = {"amd64": "64", "x86": "32", "arm64": "64-arm"}[machine]
def launcher(kind):
    with open(os.path.join(os.path.dirname(S.__file__), kind + suffix + ".exe"), "rb") as f:
        return f.read()
maker._get_launcher = launcher
S.get_executable = lambda: python
saved = os.name, os.linesep, sys.platform
os.name, os.linesep, sys.platform = "nt", "\r\n", "win32"
try:
    maker.make_multiple([spec], {"gui": True} if gui == "1" else {})
finally:
    os.name, os.linesep, sys.platform = saved
`;

const python = pyenvPython("3.12");

for (const [label, exe] of [
  ["a plain path", "C:\\envs\\proj\\Scripts\\python.exe"],
  ["a path with spaces, quotes and non-ASCII letters", "C:\\Users\\Zoë O'Brien\\my env (x86)\\Scripts\\python.exe"],
] as const) {
  for (const gui of [false, true]) {
    for (const machine of ["amd64", "arm64"] as const) {
      test(`${gui ? "GUI" : "console"} launcher on ${machine}, ${label}: the bytes pip's distlib writes on Windows`, (t) => {
        if (!requireOrSkip(t, python !== undefined, "pyenv's CPython 3.12 and its pip (distlib) are the oracle")) return;
        const sb = makeSandbox(t);
        const out = join(sb.work, "Scripts");
        mkdirSync(out);
        const spec = gui ? "tool-gui = tool.cli:Main.run" : "tool = tool.cli:main";
        const r = spawnSync(python!, ["-c", ORACLE, out, exe, "1700000000", spec, gui ? "1" : "0", machine], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        const name = gui ? "tool-gui" : "tool";
        const expected = readFileSync(join(out, `${name}.exe`));
        const distlib = join(python!, "..", "..", "lib", "python3.12", "site-packages", "pip", "_vendor", "distlib");
        const stub = readFileSync(join(distlib, windowsStubName(gui, machine)));
        const ours = windowsLauncher({ ...parseExportEntry(spec), gui }, exe, { stub, sourceDateEpoch: "1700000000" });
        assert.ok(ours.equals(expected), `differs from distlib's at byte ${[...ours].findIndex((b, i) => b !== expected[i])} (${ours.length} vs ${expected.length} bytes)`);
        // What the launcher reads back: the shebang after the stub, the script as __main__.py.
        const tail = ours.subarray(stub.length);
        const line = tail.subarray(0, tail.indexOf(0x0a)).toString("utf8");
        const shown = gui ? exe.replace(/python\.exe$/, "pythonw.exe") : exe;
        assert.equal(line, `#!${shown.includes(" ") ? `"${shown}"` : shown}`);
        assert.equal(tail.subarray(Buffer.byteLength(line), Buffer.byteLength(line) + 3).toString("latin1"), "\n\r\n", "distlib ends the shebang in \\n, then os.linesep");
        // Python finds the ZIP from its end record; venvctl's own reader is stricter and reads it alone.
        const zip = new ZipArchive(tail.subarray(Buffer.byteLength(line) + 3));
        assert.deepEqual(zip.entries.map((e) => e.name), ["__main__.py"]);
        assert.match(zip.read(zip.entries[0]!).toString("utf8"), gui ? /from tool\.cli import Main\n[\s\S]*sys\.exit\(Main\.run\(\)\)\n$/ : /sys\.exit\(main\(\)\)\n$/);
      });
    }
  }
}

test("the stub names distlib picks: t/w, 64 or 32 bits, -arm on ARM64", () => {
  assert.equal(windowsStubName(false, "amd64"), "t64.exe");
  assert.equal(windowsStubName(true, "amd64"), "w64.exe");
  assert.equal(windowsStubName(false, "x86"), "t32.exe");
  assert.equal(windowsStubName(true, "arm64"), "w64-arm.exe");
});
