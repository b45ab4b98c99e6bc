// Building a lock from a resolution and writing it: the text is read back to
// the same data by venvctl (toml) and by Python's tomllib, packaging.pylock
// accepts it, the same input gives the same bytes, and a real pip report
// (pip install --dry-run --report) goes through build, write, read and select.
import { lockedDistributions } from "../../src/commands/lock.js";
import { parseInstallReport } from "../../src/pip/report.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import toml from "toml";
import {
  buildPylock, formatPylock, parsePylock, selectFromPylock, targetLockScope,
  type Pylock, type ResolvedDistribution,
} from "../../src/standards/pylock.js";
import { VenvctlError } from "../../src/errors.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { cpython, ORACLE_PYTHON, priorityFor, pythonJson, SPEC_EXAMPLE, TOMLLIB_PYTHON, UV_EXPORT } from "../helpers/pylock-fixtures.js";

const H = (c: string) => c.repeat(64);

/** A resolution with every kind of source and file the builder takes. */
const RESOLUTION: ResolvedDistribution[] = [
  {
    name: "Zope.Interface", version: "7.1.1", requiresPython: ">=3.8", index: "https://pypi.org/simple",
    artifacts: [
      { downloadInfo: { url: "https://files.example/zope_interface-7.1.1-cp312-cp312-manylinux_2_17_x86_64.whl", archive_info: { hashes: { sha256: H("a") } } }, size: 259000, uploadTime: "2024-10-10T07:59:47.123Z" },
      { downloadInfo: { url: "https://files.example/zope.interface-7.1.1.tar.gz", archive_info: { hash: `sha256=${H("b")}` } }, size: 252000, uploadTime: new Date("2024-10-10T07:57:00Z") },
      { downloadInfo: { url: "https://files.example/zope_interface-7.1.1-cp312-cp312-win_amd64.whl", archive_info: { hashes: { sha256: H("C"), md5: "0".repeat(32) } } }, size: 211000 },
    ],
  },
  {
    name: "attrs", version: "25.1.0",
    // A percent-encoded URL, and a time without an offset (UTC, as the simple API gives it).
    artifacts: [{ downloadInfo: { url: "https://files.example/a%2Bb/attrs-25.1.0-py3-none-any.whl", archive_info: { hashes: { sha256: H("d") } } }, uploadTime: "2025-01-25T11:30:10" }],
  },
  {
    name: "pip-test-package", version: "0.1.2", isDirect: true,
    artifacts: [{ downloadInfo: { url: "https://github.com/pypa/pip-test-package", vcs_info: { vcs: "git", commit_id: "f1c1020ebac81f9aeb5c766ff7a772f709e696ee", requested_revision: "0.1.2" }, subdirectory: "sub dir" } }],
  },
  {
    name: "my_app", version: "0.1.0", isDirect: true,
    artifacts: [{ downloadInfo: { url: "file:///work/project/src/my%20app", dir_info: { editable: true } } }],
  },
  {
    name: "root", version: "0.0.1", isDirect: true,
    artifacts: [{ downloadInfo: { url: "https://example.com/subdirectory-test.tar.gz", archive_info: { hashes: { sha256: H("e") } }, subdirectory: "packages/root" }, size: 1234 }],
  },
];

const BUILD = { lockDir: "/work/project", requiresPython: "==3.12.*", environments: ["sys_platform == 'linux' and platform_machine == 'x86_64'"] };

test("build → write: the layout uv writes, keys in the specification's order, sorted", () => {
  const text = formatPylock(buildPylock(RESOLUTION, BUILD));
  assert.equal(text, `lock-version = "1.0"
environments = ["sys_platform == 'linux' and platform_machine == 'x86_64'"]
requires-python = "==3.12.*"
created-by = "venvctl"

[[packages]]
name = "attrs"
version = "25.1.0"
wheels = [{ name = "attrs-25.1.0-py3-none-any.whl", upload-time = 2025-01-25T11:30:10Z, url = "https://files.example/a%2Bb/attrs-25.1.0-py3-none-any.whl", hashes = { sha256 = "${H("d")}" } }]

[[packages]]
name = "my-app"
directory = { path = "src/my app", editable = true }

[[packages]]
name = "pip-test-package"
version = "0.1.2"
vcs = { type = "git", url = "https://github.com/pypa/pip-test-package", requested-revision = "0.1.2", commit-id = "f1c1020ebac81f9aeb5c766ff7a772f709e696ee", subdirectory = "sub dir" }

[[packages]]
name = "root"
version = "0.0.1"
archive = { url = "https://example.com/subdirectory-test.tar.gz", size = 1234, hashes = { sha256 = "${H("e")}" }, subdirectory = "packages/root" }

[[packages]]
name = "zope-interface"
version = "7.1.1"
requires-python = ">=3.8"
index = "https://pypi.org/simple"
sdist = { name = "zope.interface-7.1.1.tar.gz", upload-time = 2024-10-10T07:57:00Z, url = "https://files.example/zope.interface-7.1.1.tar.gz", size = 252000, hashes = { sha256 = "${H("b")}" } }
wheels = [
    { name = "zope_interface-7.1.1-cp312-cp312-manylinux_2_17_x86_64.whl", upload-time = 2024-10-10T07:59:47.123Z, url = "https://files.example/zope_interface-7.1.1-cp312-cp312-manylinux_2_17_x86_64.whl", size = 259000, hashes = { sha256 = "${H("a")}" } },
    { name = "zope_interface-7.1.1-cp312-cp312-win_amd64.whl", url = "https://files.example/zope_interface-7.1.1-cp312-cp312-win_amd64.whl", size = 211000, hashes = { md5 = "${"0".repeat(32)}", sha256 = "${H("c")}" } },
]
`);
});

test("round trip: build → write → read gives the lock that was built; the same input, the same bytes", () => {
  const built = buildPylock(RESOLUTION, BUILD);
  const text = formatPylock(built);
  assert.deepEqual(parsePylock(text, "pylock.toml", "/work/project").lock, built);
  // Any order in, one text out.
  const shuffled = [...RESOLUTION].reverse().map((d) => ({ ...d, artifacts: [...d.artifacts].reverse() }));
  assert.equal(formatPylock(buildPylock(shuffled, BUILD)), text);
  // Read files written back are stable too (the specification's example, uv's export).
  for (const source of [SPEC_EXAMPLE, UV_EXPORT]) {
    const lock = parsePylock(source, "pylock.toml", "/x").lock;
    const again = parsePylock(formatPylock(lock), "pylock.toml", "/x").lock;
    // The writer sorts packages by name and wheels by file name.
    const byName = (a: { name?: string }, b: { name?: string }) => (a.name! < b.name! ? -1 : 1);
    const sorted = [...lock.packages].sort(byName).map((p) => (p.wheels ? { ...p, wheels: [...p.wheels].sort(byName) } : p));
    assert.deepEqual(again, { ...lock, packages: sorted });
  }
});

/** Strings that need TOML's escapes, in every place the writer puts strings. */
const TRICKY: Pylock = {
  lockVersion: "1.0",
  createdBy: "venvctl \"quoted\" \\ back\\slash",
  environments: ["platform_version == '#1 SMP \"x\"'"],
  packages: [{
    name: "a",
    version: "1.0",
    marker: "platform_release == 'é\t🐍'",
    wheels: [{ name: "a-1.0-py3-none-any.whl", path: "wheels\\a-1.0-py3-none-any.whl", hashes: { sha256: H("f") } }],
    tool: { "odd key": "line\nbreak\r\u0001\u001f\u007f\b\f", nested: { list: [1, 2.5, true, "x"], empty: {} } },
  }],
  tool: { venvctl: { version: "0.1.0", "dotted.key": [] }, flag: false },
};

test("strings are escaped so that toml and Python's tomllib read the same data back", (t) => {
  const text = formatPylock(TRICKY);
  const ours = parsePylock(text, "pylock.toml", "/x").lock;
  assert.deepEqual(ours, TRICKY);
  if (!requireOrSkip(t, TOMLLIB_PYTHON !== undefined, "needs pyenv's Python 3.12 (tomllib)")) return;
  const theirs = pythonJson(TOMLLIB_PYTHON!, "import json, sys, tomllib\nprint(json.dumps(tomllib.loads(json.load(sys.stdin))))", text);
  assert.deepEqual(theirs, JSON.parse(JSON.stringify(toml.parse(text))));
});

test("Python's tomllib reads a built lock to the data toml reads, and packaging.pylock accepts it", (t) => {
  if (!requireOrSkip(t, TOMLLIB_PYTHON !== undefined, "needs pyenv's Python 3.12 (tomllib)")) return;
  const text = formatPylock(buildPylock(RESOLUTION, BUILD));
  // Date-times as ISO text with milliseconds on both sides.
  const theirs = pythonJson(TOMLLIB_PYTHON!, `
import datetime, json, sys, tomllib
def iso(o):
    if isinstance(o, datetime.datetime):
        return o.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    raise TypeError(o)
print(json.dumps(tomllib.loads(json.load(sys.stdin)), default=iso))
`, text);
  assert.deepEqual(theirs, JSON.parse(JSON.stringify(toml.parse(text))));
  if (!requireOrSkip(t, ORACLE_PYTHON !== undefined, "needs pyenv's Python 3.11 with packaging 26 (packaging.pylock)")) return;
  const accepted = pythonJson(ORACLE_PYTHON!, `
import json, sys, tomllib
from packaging.pylock import Pylock
lock = Pylock.from_dict(tomllib.loads(json.load(sys.stdin)))
print(json.dumps([p.name for p in lock.packages]))
`, text);
  assert.deepEqual(accepted, ["attrs", "my-app", "pip-test-package", "root", "zope-interface"]);
});

test("what cannot be locked is refused, naming the distribution", () => {
  const refuse = (dists: ResolvedDistribution[], message: RegExp) =>
    assert.throws(() => buildPylock(dists, BUILD), (err: Error) => err instanceof VenvctlError && message.test(err.message) && !!(err as VenvctlError).hint);
  refuse([{ name: "a", version: "1", artifacts: [{ downloadInfo: { url: "https://x/a-1-py3-none-any.whl", archive_info: {} } }] }],
    /^cannot lock a 1: no hash is known for https:\/\/x\/a-1-py3-none-any\.whl$/);
  refuse([{ name: "a", version: "1", artifacts: [] }], /^cannot lock a 1: the resolution gives no file for it$/);
  refuse([{ name: "A", version: "1", isDirect: true, artifacts: [{ downloadInfo: { url: "file:///x", dir_info: {} } }] }, { name: "a", version: "2", artifacts: [] }],
    /^cannot lock a twice/);
  refuse([{ name: "a", version: "1", artifacts: [
    { downloadInfo: { url: "https://x/a-1.tar.gz", archive_info: { hashes: { sha256: H("1") } } } },
    { downloadInfo: { url: "https://x/a-1.zip", archive_info: { hashes: { sha256: H("2") } } } },
  ] }], /^cannot lock a 1: it has two sdists, a-1\.tar\.gz and a-1\.zip$/);
});

test("targetLockScope: the target's platform as environments, its minor version as requires-python", () => {
  assert.deepEqual(targetLockScope(cpython("3.12.1", "linux", "x86_64")), {
    environments: ["sys_platform == 'linux' and platform_machine == 'x86_64' and implementation_name == 'cpython'"],
    requiresPython: "==3.12.*",
  });
});

test("a real pip report: build, write, read and select give back pip's files and hashes", (t) => {
  const python = pyenvPython("3.13"); // pip 24.2: --report since 22.2
  if (!requireOrSkip(t, python !== undefined, "needs pyenv's Python 3.13 (pip 24.2)")) return;
  const sb = makeSandbox(t, "pylock-report");
  const wheels = join(sb.work, "wheels");
  mkdirSync(wheels);
  buildWheel(wheels, { name: "alpha", version: "1.0", metadata: ["Requires-Dist: beta>=2", "Requires-Python: >=3.8"], files: { "alpha/__init__.py": "" } });
  buildWheel(wheels, { name: "beta", version: "2.1", files: { "beta/__init__.py": "" } });
  const direct = buildWheel(join(sb.work), { name: "gamma", version: "3.0", files: { "gamma/__init__.py": "" } });
  const r = spawnSync(python!, ["-m", "pip", "install", "--dry-run", "--ignore-installed", "--report", "-", "--quiet", "--no-index", "--find-links", wheels,
    "alpha", `gamma @ ${pathToFileURL(direct).href}`], { encoding: "utf8", env: sb.env, cwd: sb.work, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const report = parseInstallReport(r.stdout);

  const dists = lockedDistributions(report.install);
  for (const d of dists) {
    for (const a of d.artifacts) a.size = statSync(new URL(a.downloadInfo.url)).size;
  }
  const lockDir = join(sb.work, "lock");
  const text = formatPylock(buildPylock(dists, { lockDir, createdBy: "venvctl", ...targetLockScope(report.environment) }));
  const file = parsePylock(text, "lock/pylock.toml", lockDir);
  assert.deepEqual(file.lock.packages.map((p) => [p.name, p.version, p.wheels ? "wheels" : p.archive ? "archive" : "?"]),
    [["alpha", "1.0", "wheels"], ["beta", "2.1", "wheels"], ["gamma", "3.0", "archive"]]);
  assert.equal(file.lock.packages[0]!.requiresPython, ">=3.8");

  const selected = selectFromPylock(file, { markers: report.environment, wheelPriority: priorityFor(["py3-none-any"]) });
  assert.equal(selected.length, 3);
  for (const s of selected) {
    const path = new URL(s.artifact.url!);
    const bytes = readFileSync(path);
    assert.equal(s.artifact.hashes.sha256, createHash("sha256").update(bytes).digest("hex"), s.name);
    assert.equal(s.artifact.size, bytes.length, s.name);
  }
  assert.deepEqual(selected.map((s) => [s.name, s.artifact.kind, s.artifact.fileName]), [
    ["alpha", "wheel", "alpha-1.0-py3-none-any.whl"], ["beta", "wheel", "beta-2.1-py3-none-any.whl"], ["gamma", "archive", "gamma-3.0-py3-none-any.whl"],
  ]);
});
