// The wheel installer writing into a Windows env (the structural tier: the
// files land on this machine's disk, with what a Windows env gets): console
// and GUI scripts as <name>.exe from pip's own distlib stubs (found in the
// env's pip first, then in the base interpreter's), `.data/scripts` into
// Scripts with `#!python` rewritten and ended by os.linesep, RECORD naming
// them with `/` as pip does; and a clear error where no pip has the stubs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { buildWheel } from "../helpers/wheel-builder.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { installWheel } from "../../src/wheel/install.js";
import type { InstallOptions } from "../../src/wheel/install-types.js";
import { VenvctlError } from "../../src/errors.js";

const python = pyenvPython("3.12");
const WIN_PYTHON = "C:\\Users\\Zoë\\proj\\.venv\\Scripts\\python.exe";

test("a Windows env gets <name>.exe launchers from pip's stubs and .data/scripts with CRLF shebangs", async (t) => {
  if (!requireOrSkip(t, python !== undefined, "pyenv's CPython 3.12 ships pip, whose distlib holds the launcher stubs")) return;
  const distlib = join(python!, "..", "..", "lib", "python3.12", "site-packages", "pip", "_vendor", "distlib");
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  const scheme = { purelib: join(env, "Lib", "site-packages"), platlib: join(env, "Lib", "site-packages"), scripts: join(env, "Scripts"), headers: join(env, "Include", "site", "python3.12", "tool"), data: env };
  const wheel = buildWheel(sb.work, {
    name: "tool",
    version: "1.0",
    files: { "tool/__init__.py": "def main(): pass\n", "tool-1.0.data/scripts/hello": "#!python\nprint('hi')\n" },
    entryPoints: { console_scripts: { tool: "tool:main" }, gui_scripts: { "tool-gui": "tool:main" } },
  });
  const opts: InstallOptions = {
    scheme, python: WIN_PYTHON, pythonVersion: { major: 3, minor: 12 }, linkMode: "copy",
    windows: { machine: "amd64", stubDirs: [distlib], sourceDateEpoch: "1700000000" },
  };
  const result = await installWheel(wheel, opts);
  assert.deepEqual(readdirSync(scheme.scripts).sort(), ["hello", "tool-gui.exe", "tool.exe"]);
  const t64 = readFileSync(join(distlib, "t64.exe"));
  const w64 = readFileSync(join(distlib, "w64.exe"));
  const console = readFileSync(join(scheme.scripts, "tool.exe"));
  const gui = readFileSync(join(scheme.scripts, "tool-gui.exe"));
  assert.ok(console.subarray(0, t64.length).equals(t64), "tool.exe starts with distlib's t64.exe");
  assert.ok(gui.subarray(0, w64.length).equals(w64), "tool-gui.exe starts with distlib's w64.exe");
  assert.equal(console.subarray(t64.length).toString("utf8").split("\n")[0], `#!${WIN_PYTHON}`);
  assert.equal(gui.subarray(w64.length).toString("utf8").split("\n")[0], `#!${WIN_PYTHON.replace("python.exe", "pythonw.exe")}`);
  assert.equal(readFileSync(join(scheme.scripts, "hello"), "utf8"), `#!${WIN_PYTHON}\r\nprint('hi')\n`);
  const record = readFileSync(join(scheme.purelib, "tool-1.0.dist-info", "RECORD"), "utf8");
  for (const f of ["hello", "tool.exe", "tool-gui.exe"]) assert.match(record, new RegExp(`^\\.\\./\\.\\./Scripts/${f.replace(".", "\\.")},sha256=`, "m"), f);
  assert.ok(result.files.some((f) => f.endsWith("tool.exe")));

  // Without any pip to take the stubs from: an error naming where it looked, nothing half-written.
  const bare = join(sb.work, "bare");
  mkdirSync(bare);
  const elsewhere = { ...opts, scheme: { ...scheme, purelib: join(bare, "Lib"), platlib: join(bare, "Lib"), scripts: join(bare, "Scripts"), data: bare }, windows: { machine: "amd64" as const, stubDirs: [join(sb.work, "no-pip")] } };
  await assert.rejects(installWheel(wheel, elsewhere), (err: unknown) => {
    assert.ok(err instanceof VenvctlError);
    assert.match(err.message, /cannot write the Windows launchers of tool's scripts: no pip's t64\.exe in /);
    assert.match(err.hint ?? "", /install pip/);
    return true;
  });
});
