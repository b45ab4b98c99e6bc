// Choosing what to install from a lock, by the specification's installation
// steps: the lock's requires-python and environments, package markers (with
// extras and dependency groups), per-package requires-python, one entry per
// name, and the one artifact of each (best wheel, else sdist, else the direct
// source). Checked against packaging.pylock's Pylock.select where it is here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePylock, PylockError, selectFromPylock, type LockTarget, type SelectedPackage } from "../../src/standards/pylock.js";
import { requireOrSkip } from "../helpers/require.js";
import {
  cpython, LINUX_X86_64_CP312, ORACLE_PYTHON, PIP_LOCK, priorityFor, pythonJson, SPEC_EXAMPLE, UV_EXPORT, UV_MULTI_USE, WIN_AMD64_CP312,
} from "../helpers/pylock-fixtures.js";

const LINUX = cpython("3.12.1", "linux", "x86_64");
const WIN = cpython("3.12.1", "win32", "AMD64");
const linux: LockTarget = { markers: LINUX, wheelPriority: priorityFor(LINUX_X86_64_CP312) };
const win: LockTarget = { markers: WIN, wheelPriority: priorityFor(WIN_AMD64_CP312) };

const select = (text: string, target: LockTarget) => selectFromPylock(parsePylock(text, "pylock.toml", "/project"), target);
const summary = (selected: SelectedPackage[]) => selected.map((s) => [s.name, s.artifact.kind, s.artifact.fileName ?? null]);

function refusal(text: string, target: LockTarget): PylockError {
  try {
    select(text, target);
  } catch (err) {
    assert.ok(err instanceof PylockError, String(err));
    assert.ok(err.hint);
    return err;
  }
  assert.fail("selected without error");
}

test("the specification's example on Linux x86_64: the wheel for each package, everything the installer needs", () => {
  const selected = select(SPEC_EXAMPLE, linux);
  assert.deepEqual(selected[2], {
    name: "numpy",
    version: "2.2.3",
    line: 39,
    artifact: {
      kind: "wheel",
      fileName: "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      url: "https://files.pythonhosted.org/packages/39/04/78d2e7402fb479d893953fb78fa7045f7deb635ec095b6b4f0260223091a/numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      size: 16116679,
      hashes: { sha256: "3b787adbf04b0db1967798dba8da1af07e387908ed1553a0d6e74c084d1ceafe" },
      uploadTime: "2025-02-13T16:50:00.079Z",
    },
  });
  assert.deepEqual(summary(selected), [
    ["attrs", "wheel", "attrs-25.1.0-py3-none-any.whl"],
    ["cattrs", "wheel", "cattrs-24.1.2-py3-none-any.whl"],
    ["numpy", "wheel", "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"],
  ]);
});

test("the specification's example on Windows: the win_amd64 wheel", () => {
  assert.deepEqual(select(SPEC_EXAMPLE, win).map((s) => s.artifact.fileName), [
    "attrs-25.1.0-py3-none-any.whl", "cattrs-24.1.2-py3-none-any.whl", "numpy-2.2.3-cp312-cp312-win_amd64.whl",
  ]);
});

test("the specification's example elsewhere: environments, requires-python, no wheel, each FILE:LINE", () => {
  const mac = refusal(SPEC_EXAMPLE, { markers: cpython("3.12.1", "darwin", "arm64"), wheelPriority: () => 0 });
  assert.equal(mac.message, "pylock.toml:2: cpython 3.12.1 on darwin arm64 is none of the lock's environments: sys_platform == 'win32'; sys_platform == 'linux'");
  const py311 = refusal(SPEC_EXAMPLE, { markers: cpython("3.11.7", "linux", "x86_64"), wheelPriority: () => 0 });
  assert.equal(py311.message, "pylock.toml:3: the lock is for Python == 3.12.* (requires-python), not 3.11.7 (cpython 3.11.7 on linux x86_64)");
  // aarch64 Linux: pure wheels fit, numpy's do not, and it has no sdist.
  const arm = refusal(SPEC_EXAMPLE, { markers: cpython("3.12.1", "linux", "aarch64"), wheelPriority: priorityFor(["cp312-cp312-manylinux_2_17_aarch64", "py3-none-any"]) });
  assert.equal(arm.message, "pylock.toml:44: numpy 2.2.3 has no wheel for cpython 3.12.1 on linux aarch64 and no sdist; its wheels are for cp312-cp312-win_amd64, cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64");
  assert.match(arm.hint!, /lock again for this one/);
});

test("the target's description and Python version can be given", () => {
  const err = refusal(SPEC_EXAMPLE, { ...linux, pythonVersion: "3.13.0", description: "the env at ./venv" });
  assert.equal(err.message, "pylock.toml:3: the lock is for Python == 3.12.* (requires-python), not 3.13.0 (the env at ./venv)");
  // A pre-release interpreter is compared by its release, as pip compares Requires-Python.
  assert.equal(select(SPEC_EXAMPLE, { ...linux, pythonVersion: "3.12.0rc1" }).length, 3);
});

test("a development build's python_full_version (3.13.0+) is compared as packaging 22+ compares it", () => {
  const lock = `lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "a"\nmarker = "python_full_version >= '3.13'"\ndirectory = { path = "a" }\n`;
  const markers = { ...cpython("3.13.0", "linux", "x86_64"), python_full_version: "3.13.0+" };
  assert.deepEqual(select(lock, { markers, wheelPriority: () => undefined }).map((s) => s.name), ["a"]);
});

test("uv export on Linux: markers for another platform skip the package; names, paths, vcs and archives", () => {
  const selected = select(UV_EXPORT, linux);
  assert.deepEqual(summary(selected), [
    ["anyio", "archive", "anyio-4.3.0-py3-none-any.whl"],
    ["blinker", "wheel", "blinker-1.7.0-py3-none-any.whl"],
    // colorama: sys_platform == 'win32'
    ["jinja2", "wheel", "jinja2-3.1.3-py3-none-any.whl"],
    ["markupsafe", "wheel", "markupsafe-2.1.5-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"],
    ["project", "directory", null],
    ["uv-public-pypackage", "vcs", null],
  ]);
  const byName = new Map(selected.map((s) => [s.name, s]));
  assert.equal(byName.get("jinja2")!.artifact.url, "https://files.pythonhosted.org/packages/30/6d/6de6be2d02603ab56e72997708809e8a5b0fbfee080735109b40a3564843/Jinja2-3.1.3-py3-none-any.whl");
  assert.equal(byName.get("blinker")!.index, "https://pypi.org/simple");
  assert.deepEqual(byName.get("project")!.artifact, { kind: "directory", hashes: {}, path: "/project", editable: true });
  assert.deepEqual(byName.get("uv-public-pypackage")!.artifact, {
    kind: "vcs", hashes: {}, url: "https://github.com/astral-test/uv-public-pypackage", vcs: { type: "git", commitId: "b270df1a2fb5d012294e9aaf05e7e0bab1e6a389" },
  });
  assert.equal(byName.get("project")!.version, undefined);
});

test("uv export on Windows: colorama comes in, and markupsafe falls back to its sdist", () => {
  const selected = select(UV_EXPORT, win);
  const colorama = selected.find((s) => s.name === "colorama")!;
  assert.equal(colorama.artifact.fileName, "colorama-0.4.6-py2.py3-none-any.whl");
  const markupsafe = selected.find((s) => s.name === "markupsafe")!;
  assert.deepEqual(markupsafe.artifact, {
    kind: "sdist",
    fileName: "MarkupSafe-2.1.5.tar.gz",
    url: "https://files.pythonhosted.org/packages/87/5b/aae44c6655f3801e81aa3eef09dbbf012431987ba564d7231722f68df02d/MarkupSafe-2.1.5.tar.gz",
    size: 19384,
    hashes: { sha256: "d283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b" },
    uploadTime: "2024-02-02T16:31:22Z",
  });
});

test("pip lock: relative paths from the lock file's directory, file: URLs as written", () => {
  const selected = selectFromPylock(parsePylock(PIP_LOCK, "locks/pylock.toml", "/work/locks"), linux);
  assert.deepEqual(summary(selected), [
    ["pip-test-package", "vcs", null],
    ["pkga", "directory", null],
    ["simple", "sdist", "simple-2.0.tar.gz"],
    ["simplewheel", "wheel", "simplewheel-2.0-1-py2.py3-none-any.whl"],
  ]);
  assert.equal(selected[1]!.artifact.path, "/work/locks");
  assert.equal(selected[0]!.artifact.vcs!.requestedRevision, "0.1.2");
  assert.equal(selected[2]!.artifact.url, "file:///data/packages/simple-2.0.tar.gz");
  assert.equal(selected[3]!.artifact.size, 2156);
});

test("a lock whose packages are all for another platform selects nothing", () => {
  const lock = `lock-version = "1.0"\ncreated-by = "t"\n\n[[packages]]\nname = "pywin32"\nversion = "306"\nmarker = "sys_platform == 'win32'"\nwheels = [{ url = "https://x/pywin32-306-cp312-cp312-win_amd64.whl", hashes = { sha256 = "${"a".repeat(64)}" } }]\n`;
  assert.deepEqual(select(lock, linux), []);
  assert.equal(select(lock, win).length, 1);
});

test("a package's own requires-python, when its marker holds", () => {
  const lock = `lock-version = "1.0"\ncreated-by = "t"\n\n[[packages]]\nname = "new"\nversion = "1"\nrequires-python = ">=3.13"\nwheels = [{ url = "https://x/new-1-py3-none-any.whl", hashes = { sha256 = "${"a".repeat(64)}" } }]\n\n[[packages]]\nname = "old"\nversion = "1"\nmarker = "python_version < '3.8'"\nrequires-python = "<3.8"\nsdist = { url = "https://x/old-1.tar.gz", hashes = { sha256 = "${"b".repeat(64)}" } }\n`;
  const err = refusal(lock, linux);
  assert.equal(err.message, "pylock.toml:7: new 1 needs Python >=3.13 (requires-python), not 3.12.1 (cpython 3.12.1 on linux x86_64)");
  assert.deepEqual(summary(select(lock, { ...linux, markers: cpython("3.13.0", "linux", "x86_64"), wheelPriority: priorityFor(["py3-none-any"]) })), [["new", "wheel", "new-1-py3-none-any.whl"]]);
});

test("one entry per name: two that both apply are an error; exclusive markers are not", () => {
  const entry = (version: string, marker: string) =>
    `\n[[packages]]\nname = "attrs"\nversion = "${version}"\nmarker = "${marker}"\nwheels = [{ url = "https://x/attrs-${version}-py3-none-any.whl", hashes = { sha256 = "${"c".repeat(64)}" } }]\n`;
  const head = `lock-version = "1.0"\ncreated-by = "t"\n`;
  const both = head + entry("25.1.0", "python_version >= '3.8'") + entry("24.1.0", "sys_platform == 'linux'");
  const err = refusal(both, linux);
  assert.equal(err.message, "pylock.toml:10: attrs is in the lock twice for cpython 3.12.1 on linux x86_64: packages[0] (25.1.0) at line 4 and packages[1] (24.1.0)");
  assert.match(err.hint!, /narrow each name to one entry/);
  const exclusive = head + entry("25.1.0", "sys_platform != 'linux'") + entry("24.1.0", "sys_platform == 'linux'");
  assert.deepEqual(select(exclusive, linux).map((s) => s.version), ["24.1.0"]);
  assert.deepEqual(select(exclusive, win).map((s) => s.version), ["25.1.0"]);
});

test("the best wheel wins, the first in the file among equals", () => {
  const w = (tag: string) => `{ url = "https://x/a-1-${tag}.whl", hashes = { sha256 = "${"d".repeat(64)}" } }`;
  const lock = `lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "a"\nversion = "1"\nwheels = [${w("py3-none-any")}, ${w("cp312-abi3-manylinux_2_17_x86_64")}, ${w("cp312-cp312-linux_x86_64")}, ${w("cp312-cp312-linux_x86_64.manylinux_2_17_x86_64")}]\n`;
  assert.equal(select(lock, linux)[0]!.artifact.fileName, "a-1-cp312-cp312-linux_x86_64.manylinux_2_17_x86_64.whl");
  assert.equal(select(lock, { ...linux, wheelPriority: () => 7 })[0]!.artifact.fileName, "a-1-py3-none-any.whl");
});

test("extras and dependency groups: uv's multi-use lock, per platform, extras and groups", () => {
  // The expected selections of uv's test, one line per case.
  const cases: Array<[string, string[], string[], string[]]> = [
    ["linux", [], [], ["dependency"]],
    ["linux", ["empty"], [], ["conditional", "dependency"]],
    ["linux", ["fast"], [], ["conditional", "dependency", "helper", "leaf"]],
    ["win32", ["fast"], [], ["conditional", "dependency"]],
    ["win32", ["slow"], [], ["dependency", "helper", "leaf"]],
    ["darwin", [], ["dev"], ["dependency", "helper", "leaf"]],
  ];
  for (const [platform, extras, groups, expected] of cases) {
    const markers = cpython("3.12.0", platform as "linux", "arm64");
    const got = select(UV_MULTI_USE, { markers, wheelPriority: priorityFor(["py3-none-any"]), extras, dependencyGroups: groups }).map((s) => s.name);
    assert.deepEqual(got, expected, `${platform} ${JSON.stringify(extras)} ${JSON.stringify(groups)}`);
  }
  // Extras are compared normalized.
  assert.ok(select(UV_MULTI_USE, { ...linux, extras: ["Fast"] }).some((s) => s.name === "helper"));
});

test("the default groups are the lock's default-groups; passing groups replaces them", () => {
  const lock = `lock-version = "1.0"\ndefault-groups = ["default"]\ncreated-by = "t"\n\n[[packages]]\nname = "base"\nversion = "1"\nmarker = "'default' in dependency_groups"\ndirectory = { path = "base" }\n\n[[packages]]\nname = "tools"\nmarker = "'dev' in dependency_groups and 'docs' not in extras"\ndirectory = { path = "tools" }\n`;
  assert.deepEqual(select(lock, linux).map((s) => s.name), ["base"]);
  assert.deepEqual(select(lock, { ...linux, dependencyGroups: ["dev"] }).map((s) => s.name), ["tools"]);
  assert.deepEqual(select(lock, { ...linux, dependencyGroups: ["dev"], extras: ["docs"] }).map((s) => s.name), []);
  assert.deepEqual(select(lock, { ...linux, dependencyGroups: [] }).map((s) => s.name), []);
});

test("a file whose only hashes venvctl cannot check is refused when it is the one chosen", () => {
  const lock = `lock-version = "1.0"\ncreated-by = "t"\n\n[[packages]]\nname = "a"\nversion = "1"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl", hashes = { whirlpool = "abc123" } }]\n`;
  const err = refusal(lock, linux);
  assert.equal(err.message, "pylock.toml:4: a 1: none of its hashes (whirlpool) is one venvctl can check");
});

test("packaging.pylock's Pylock.select chooses the same artifacts and fails in the same cases", (t) => {
  if (!requireOrSkip(t, ORACLE_PYTHON !== undefined, "needs pyenv's Python 3.11 with packaging 26 (packaging.pylock)")) return;
  const dup = (m1: string, m2: string) => `lock-version = "1.0"\ncreated-by = "t"\n` + [m1, m2].map((m, i) =>
    `[[packages]]\nname = "a"\nversion = "${i + 1}"\nmarker = "${m}"\nsdist = { url = "https://x/a-${i + 1}.tar.gz", hashes = { sha256 = "${"e".repeat(64)}" } }\n`).join("");
  const ARM = cpython("3.12.1", "linux", "aarch64");
  const cases: Array<{ what: string; text: string; env: Record<string, string>; tags: string[]; extras?: string[]; groups?: string[] }> = [
    { what: "spec, linux", text: SPEC_EXAMPLE, env: LINUX, tags: LINUX_X86_64_CP312 },
    { what: "spec, windows", text: SPEC_EXAMPLE, env: WIN, tags: WIN_AMD64_CP312 },
    { what: "spec, macOS", text: SPEC_EXAMPLE, env: cpython("3.12.1", "darwin", "arm64"), tags: ["py3-none-any"] },
    { what: "spec, 3.11", text: SPEC_EXAMPLE, env: cpython("3.11.7", "linux", "x86_64"), tags: ["py3-none-any"] },
    { what: "spec, aarch64", text: SPEC_EXAMPLE, env: ARM, tags: ["cp312-cp312-manylinux_2_17_aarch64", "py3-none-any"] },
    { what: "uv, linux", text: UV_EXPORT, env: LINUX, tags: LINUX_X86_64_CP312 },
    { what: "uv, windows", text: UV_EXPORT, env: WIN, tags: WIN_AMD64_CP312 },
    { what: "uv, aarch64", text: UV_EXPORT, env: ARM, tags: ["cp312-cp312-manylinux_2_17_aarch64", "cp312-cp312-manylinux2014_aarch64", "py3-none-any"] },
    { what: "pip, linux", text: PIP_LOCK, env: LINUX, tags: LINUX_X86_64_CP312 },
    { what: "multi-use, default", text: UV_MULTI_USE, env: LINUX, tags: ["py3-none-any"] },
    { what: "multi-use, fast", text: UV_MULTI_USE, env: LINUX, tags: ["py3-none-any"], extras: ["fast"] },
    { what: "multi-use, slow on windows", text: UV_MULTI_USE, env: WIN, tags: ["py3-none-any"], extras: ["slow"] },
    { what: "multi-use, dev on macOS", text: UV_MULTI_USE, env: cpython("3.12.1", "darwin", "arm64"), tags: ["py3-none-any"], groups: ["dev"] },
    { what: "two entries apply", text: dup("os_name == 'posix'", "python_version >= '3'"), env: LINUX, tags: [] },
    { what: "exclusive entries", text: dup("os_name == 'nt'", "os_name == 'posix'"), env: LINUX, tags: [] },
    { what: "extra (not extras) in a lock's marker", text: dup("extra == 'x'", "os_name == 'nt'"), env: LINUX, tags: [] },
  ];
  const oracle = pythonJson(ORACLE_PYTHON!, `
import json, sys, tomllib
from packaging.pylock import Pylock, PackageWheel, PackageSdist, PackageVcs, PackageDirectory, PackageArchive
from packaging.tags import Tag
KINDS = {PackageWheel: "wheel", PackageSdist: "sdist", PackageVcs: "vcs", PackageDirectory: "directory", PackageArchive: "archive"}
out = []
for c in json.load(sys.stdin):
    try:
        lock = Pylock.from_dict(tomllib.loads(c["text"]))
        tags = [Tag(*t.split("-")) for t in c["tags"]]
        res = []
        for pkg, art in lock.select(environment=c["env"], tags=tags, extras=c.get("extras"), dependency_groups=c.get("groups")):
            kind = KINDS[type(art)]
            res.append([str(pkg.name), kind, art.filename if kind in ("wheel", "sdist") else None])
        out.append(res)
    except Exception as e:
        out.append("error")  # PylockSelectError, or KeyError for a name the context lacks
print(json.dumps(out))
`, cases) as Array<unknown[] | string>;
  cases.forEach((c, i) => {
    let ours: unknown[] | string;
    try {
      ours = select(c.text, { markers: c.env, wheelPriority: priorityFor(c.tags), extras: c.extras, dependencyGroups: c.groups } as LockTarget)
        .map((s) => [s.name, s.artifact.kind, s.artifact.kind === "wheel" || s.artifact.kind === "sdist" ? s.artifact.fileName! : null]);
    } catch (err) {
      if (!(err instanceof PylockError)) throw err;
      ours = "error";
    }
    assert.deepEqual(ours, oracle[i], c.what);
  });
});
