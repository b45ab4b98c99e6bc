// Entry points and launchers, differentially where pip is the oracle: the
// console script names pip makes (pip, pip3, pip3.X; easy_install) and the
// launcher bytes distlib writes, short, long and spaced shebangs included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PYENV_ROOT } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import {
  consoleScriptSpecs, EntryPointError, isEntryPointWrapper, launcherEntries, parseEntryPoints, parseExportEntry,
} from "../../src/wheel/entry-points.js";
import { fixScriptShebang, hasPythonPlaceholder, launcherScript, shebangFor } from "../../src/wheel/launchers.js";

/** pip 24 (the newest here), the oracle. */
const PY313 = join(PYENV_ROOT, "versions", "3.13.0", "bin", "python3.13");

function pipOracle(script: string, input: unknown): unknown {
  const r = spawnSync(PY313, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("entry_points.txt is read as importlib.metadata reads it", () => {
  const groups = parseEntryPoints(
    "# comment\n[console_scripts]\n  pip = pip._internal.cli.main:main  \npip3=pip._internal.cli.main:main\n\n" +
      "[gui_scripts]\nviewer = app.gui:run [gui]\n[console_scripts]\npip = other:main\n",
  );
  assert.deepEqual([...groups.get("console_scripts")!], [["pip", "other:main"], ["pip3", "pip._internal.cli.main:main"]]);
  assert.deepEqual([...groups.get("gui_scripts")!], [["viewer", "app.gui:run [gui]"]]);
});

test("pip and setuptools get the target interpreter's names, as pip's get_console_script_specs", (t) => {
  if (!requireOrSkip(t, existsSync(PY313), "pyenv 3.13.0 (pip 24, the oracle) is needed")) return;
  const console = new Map([
    ["pip", "pip._internal.cli.main:main"],
    ["pip3", "pip._internal.cli.main:main"],
    ["pip3.8", "pip._internal.cli.main:main"],
    ["easy_install", "setuptools.command.easy_install:main"],
    ["easy_install-3.6", "setuptools.command.easy_install:main"],
    ["pipx", "pipx.main:cli"],
    ["tool", "tool:main"],
  ]);
  const expected = pipOracle(
    "import json, sys; from pip._internal.operations.install.wheel import get_console_script_specs as g; " +
      "print(json.dumps(g(dict(json.load(sys.stdin)))))",
    [...console],
  );
  assert.deepEqual(consoleScriptSpecs(console, { major: 3, minor: 13 }), expected);
  assert.deepEqual(consoleScriptSpecs(console, { major: 3, minor: 9 }).slice(0, 3), [
    "pip = pip._internal.cli.main:main", "pip3 = pip._internal.cli.main:main", "pip3.9 = pip._internal.cli.main:main",
  ]);
});

test("launchers are byte for byte what distlib writes, for short, long and spaced paths", (t) => {
  if (!requireOrSkip(t, existsSync(PY313), "pyenv 3.13.0 (pip 24, the oracle) is needed")) return;
  const pythons = [
    "/tmp/env/bin/python3",
    "/tmp/with space/bin/python3",
    `/tmp/${"d".repeat(100)}/bin/python3`,
    `/tmp/${"e".repeat(104)}/bin/python3.12`, // 124 bytes: 127 with `#!` and the newline
    `/tmp/${"e".repeat(105)}/bin/python3.12`, // one more: the /bin/sh form
  ];
  const specs = ["pip = pip._internal.cli.main:main", "tool = pkg.cli:App.run [extra]", "gui = pkg.gui:main"];
  const expected = pipOracle(
    `import json, sys
from pip._vendor.distlib.scripts import ScriptMaker, enquote_executable
from pip._vendor.distlib.util import get_export_entry
m = ScriptMaker(None, None)
out = []
for p, spec in json.load(sys.stdin):
    shebang = m._build_shebang(enquote_executable(p).encode("utf-8"), b"")
    if not shebang.endswith(b"\\n"):
        shebang += b"\\n"
    out.append((shebang + m._get_script_text(get_export_entry(spec)).encode("utf-8")).decode("utf-8"))
print(json.dumps(out))`,
    pythons.flatMap((p) => specs.map((s) => [p, s])),
  ) as string[];
  const ours = pythons.flatMap((p) => specs.map((s) => launcherScript(parseExportEntry(s), p, "linux").toString("utf8")));
  assert.deepEqual(ours, expected);
  assert.match(ours[specs.length * 3]!, /^#!\/tmp\/e+\/bin\/python3\.12\n/);
  assert.match(ours[specs.length * 4]!, /^#!\/bin\/sh\n'''exec' \/tmp\/e+\/bin\/python3\.12 "\$0" "\$@"\n' '''\n/);
  assert.match(ours[specs.length]!, /^#!\/bin\/sh\n'''exec' "\/tmp\/with space\/bin\/python3" "\$0" "\$@"\n/);
});

test("macOS allows 512-byte shebangs", () => {
  const long = `/Users/${"x".repeat(200)}/bin/python3`;
  assert.match(shebangFor(long, "darwin").toString(), /^#!\/Users\/x+\/bin\/python3\n$/);
  assert.match(shebangFor(long, "linux").toString(), /^#!\/bin\/sh\n/);
});

test("entry points that cannot be launchers are refused", () => {
  assert.throws(() => parseExportEntry("tool = pkg.cli"), (e: unknown) => e instanceof EntryPointError && /callable suffix is required/.test(e.message));
  assert.throws(() => parseExportEntry("tool = a:b:c"), EntryPointError);
  assert.throws(() => parseExportEntry("../../evil = pkg:main"), /invalid script name/);
  assert.throws(() => parseExportEntry("tool = [broken"), EntryPointError);
  assert.deepEqual(parseExportEntry("tool = pkg.cli:App.run [extra1, extra2]"), { name: "tool", module: "pkg.cli", func: "App.run" });
  assert.deepEqual(parseExportEntry("wérk = pakkë:mäin"), { name: "wérk", module: "pakkë", func: "mäin" });
});

test("launcherEntries: console scripts then GUI scripts", () => {
  const groups = parseEntryPoints("[console_scripts]\npip = pip._internal.cli.main:main\npip3.10 = pip._internal.cli.main:main\n[gui_scripts]\nview = v:main\n");
  assert.deepEqual(launcherEntries(groups, { major: 3, minor: 12 }).map((e) => `${e.name}${e.gui ? " (gui)" : ""}`), [
    "pip", "pip3", "pip3.12", "view (gui)",
  ]);
});

test("setuptools' own wrappers for entry points are recognised, as pip skips them", () => {
  const groups = parseEntryPoints("[console_scripts]\ntool = t:main\n[gui_scripts]\nview = v:main\n");
  for (const name of ["tool", "tool.exe", "tool-script.py", "view.pya", "VIEW.EXE".toLowerCase()]) {
    assert.ok(isEntryPointWrapper(name, groups), name);
  }
  assert.ok(!isEntryPointWrapper("other", groups));
  assert.ok(!isEntryPointWrapper("tool.sh", groups));
});

test("#!python becomes the env's python, the whole first line, as pip's fix_script", () => {
  assert.ok(hasPythonPlaceholder(Buffer.from("#!python\nprint(1)\n")));
  assert.ok(hasPythonPlaceholder(Buffer.from("#!pythonw -u\r\n")));
  assert.ok(!hasPythonPlaceholder(Buffer.from("#!/usr/bin/python\n")));
  assert.ok(!hasPythonPlaceholder(Buffer.from("#!pyth")));
  assert.equal(fixScriptShebang(Buffer.from("#!python -u\r\nprint(1)\n"), "/e/bin/python3").toString(), "#!/e/bin/python3\nprint(1)\n");
  assert.equal(fixScriptShebang(Buffer.from("#!python"), "/e/bin/python3").toString(), "#!/e/bin/python3\n");
});
