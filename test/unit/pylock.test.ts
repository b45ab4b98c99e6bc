// Reading pylock.toml files: the specification's example, the files pip and
// uv write, and malformed files, each refused with FILE:LINE and a hint.
// Where packaging.pylock (packaging 26, what pip reads lock files with) is on
// this machine, it must accept and refuse the same files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isPylockFileName, parsePylock, PylockError, readPylock, type PylockFile } from "../../src/standards/pylock.js";
import { VenvctlError } from "../../src/errors.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { ORACLE_PYTHON, PIP_LOCK, pythonJson, SPEC_EXAMPLE, UV_EXPORT, UV_MULTI_USE } from "../helpers/pylock-fixtures.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const parse = (text: string): PylockFile => parsePylock(text, "pylock.toml", "/project");

/** The PylockError a text raises. */
function refusal(text: string): PylockError {
  try {
    parse(text);
  } catch (err) {
    assert.ok(err instanceof PylockError, `not a PylockError: ${String(err)}`);
    assert.ok(err instanceof VenvctlError);
    assert.ok(err.hint, "every refusal has a hint");
    return err;
  }
  assert.fail(`accepted:\n${text}`);
}

test("the specification's example: every key read, upload times in UTC", () => {
  const { lock, warnings, lines } = parse(SPEC_EXAMPLE);
  assert.deepEqual(warnings, []);
  assert.equal(lock.lockVersion, "1.0");
  assert.equal(lock.createdBy, "mousebender");
  assert.equal(lock.requiresPython, "== 3.12.*");
  assert.deepEqual(lock.environments, ["sys_platform == 'win32'", "sys_platform == 'linux'"]);
  assert.deepEqual(lock.packages.map((p) => [p.name, p.version, p.requiresPython]), [
    ["attrs", "25.1.0", ">= 3.8"], ["cattrs", "24.1.2", ">= 3.8"], ["numpy", "2.2.3", ">= 3.10"],
  ]);
  const attrs = lock.packages[0]!;
  assert.deepEqual(attrs.wheels, [{
    name: "attrs-25.1.0-py3-none-any.whl",
    // JavaScript dates hold milliseconds: .164985 is read as .164.
    uploadTime: "2025-01-25T11:30:10.164Z",
    url: "https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/attrs-25.1.0-py3-none-any.whl",
    size: 63152,
    hashes: { sha256: "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a" },
  }]);
  assert.deepEqual(attrs.attestationIdentities, [{ environment: "release-pypi", kind: "GitHub", repository: "python-attrs/attrs", workflow: "pypi-package.yml" }]);
  assert.deepEqual(lock.packages[1]!.dependencies, [{ name: "attrs" }]);
  assert.equal(lock.packages[2]!.wheels!.length, 2);
  assert.deepEqual(Object.keys(lock.tool!), ["mousebender"]);
  // Lines: each [[packages]] header, and the second numpy wheel's header.
  assert.deepEqual([0, 1, 2].map((i) => lines.packageLine(i)), [6, 24, 39]);
  assert.equal(lines.itemLine(2, "wheels", 1), 51);
  assert.equal(lines.topLine("requires-python"), 3);
});

test("pip lock's layout: sub-tables as [headers], every kind of source", () => {
  const { lock, lines } = parse(PIP_LOCK);
  assert.deepEqual(lock.packages.map((p) => p.name), ["pip-test-package", "pkga", "simple", "simplewheel"]);
  assert.deepEqual(lock.packages[0]!.vcs, {
    type: "git", url: "https://github.com/pypa/pip-test-package", requestedRevision: "0.1.2", commitId: "f1c1020ebac81f9aeb5c766ff7a772f709e696ee",
  });
  assert.deepEqual(lock.packages[1]!.directory, { path: ".", editable: true });
  assert.equal(lock.packages[1]!.version, undefined);
  assert.deepEqual(lock.packages[2]!.sdist, {
    name: "simple-2.0.tar.gz", url: "file:///data/packages/simple-2.0.tar.gz", size: 673,
    hashes: { sha256: "3a084929238d13bcd3bb928af04f3bac7ca2357d419e29f01459dc848e2d69a4" },
  });
  assert.equal(lock.packages[3]!.wheels![0]!.name, "simplewheel-2.0-1-py2.py3-none-any.whl");
  assert.equal(lines.packageKeyLine(2, "sdist.hashes"), 29);
  assert.equal(lines.itemLine(3, "wheels", 0), 36);
});

test("uv export's layout: inline tables, wheels one per line, a marker, a wheel named apart from its URL", () => {
  const { lock, lines } = parse(UV_EXPORT);
  assert.deepEqual(lock.packages.map((p) => p.name), ["anyio", "blinker", "colorama", "jinja2", "markupsafe", "project", "uv-public-pypackage"]);
  assert.equal(lock.requiresPython, ">=3.12");
  assert.equal(lock.packages[0]!.archive!.hashes.sha256, "048e05d0f6caeed70d731f3db756d35dcc1f35747c8c403364a8332c630441b8");
  assert.equal(lock.packages[2]!.marker, "sys_platform == 'win32'");
  assert.equal(lock.packages[1]!.sdist!.uploadTime, "2023-11-01T22:06:01Z");
  assert.equal(lock.packages[3]!.wheels![0]!.name, "jinja2-3.1.3-py3-none-any.whl");
  assert.equal(lock.packages[4]!.wheels!.length, 6);
  assert.deepEqual(lock.packages[5]!.directory, { path: ".", editable: true });
  assert.equal(lock.packages[6]!.vcs!.commitId, "b270df1a2fb5d012294e9aaf05e7e0bab1e6a389");
  // The markupsafe wheels are on lines 40–45, in the array that opens on line 39.
  assert.equal(lines.packageKeyLine(4, "wheels"), 39);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => lines.itemLine(4, "wheels", j)), [40, 41, 42, 43, 44, 45]);
  assert.equal(lines.itemLine(1, "wheels", 0), 17);
});

test("a multi-use lock: extras, dependency-groups, markers over them", () => {
  const { lock } = parse(UV_MULTI_USE);
  assert.deepEqual(lock.extras, ["empty", "fast", "slow"]);
  assert.deepEqual(lock.dependencyGroups, ["dev", "empty-group"]);
  assert.equal(lock.packages[0]!.marker, "'empty' in extras or 'fast' in extras");
});

test("lines: brackets and keys inside strings and comments do not count; inline packages are entries", () => {
  const text = [
    `lock-version = "1.0" # [[packages]]`,
    `created-by = """`,
    `[[packages]]`,
    `name = "not-a-package"`,
    `"""`,
    `packages = [`,
    `  { name = "a", directory = { path = "[a]" } }, # { name = "b" }`,
    `  { name = 'b', marker = "os_name == '{'", directory = { path = "b" } },`,
    `  {name = "c"},`,
    `]`,
  ].join("\n");
  const err = refusal(text);
  assert.equal(err.message, "pylock.toml:9: packages[2] (c): has no source: give it wheels, an sdist, or one of vcs, directory, archive");
  const { lock, lines } = parse(text.replace(`{name = "c"}`, `{name = "c", vcs = { type = "git", path = "c", commit-id = "1" }}`));
  assert.equal(lock.createdBy, "[[packages]]\nname = \"not-a-package\"\n"); // TOML drops the newline after """
  assert.deepEqual([0, 1, 2].map((i) => lines.packageLine(i)), [7, 8, 9]);
  assert.equal(lines.topLine("packages"), 6);
});

test("malformed files are refused with FILE:LINE, the entry, and a hint", () => {
  const head = `lock-version = "1.0"\ncreated-by = "test"\n`;
  const wheel = (hashes: string) => `{ name = "a-1.0-py3-none-any.whl", url = "https://x/a-1.0-py3-none-any.whl", hashes = ${hashes} }`;
  const cases: Array<[string, string, RegExp]> = [
    // TOML syntax: the parser's own line.
    ["syntax error", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [{ name = "a-1.0-py3-none-any.whl" url = "x" }]\n`,
      /^pylock\.toml:7: not valid TOML \(column 45\): unexpected "u"$/],
    ["unterminated string", `${head}\n[[packages]]\nname = "a\n`, /^pylock\.toml:5: not valid TOML \(column 10\): unexpected end of line$/],
    ["a key defined twice", `${head}\n[[packages]]\nname = "a"\nname = "b"\n`, /^pylock\.toml:6: not valid TOML \(column 1\): Cannot redefine existing key 'packages\.name'$/],
    // lock-version
    ["lock-version 2.0", `lock-version = "2.0"\ncreated-by = "x"\npackages = []\n`, /^pylock\.toml:1: lock-version "2\.0" is not supported: venvctl reads version 1 lock files$/],
    ["lock-version 0.9", `created-by = "x"\npackages = []\nlock-version = "0.9"\n`, /^pylock\.toml:3: lock-version "0\.9" is not supported/],
    ["lock-version as a float", `lock-version = 1.0\ncreated-by = "x"\npackages = []\n`, /^pylock\.toml:1: lock-version must be a string, not a number \(1\)$/],
    ["lock-version missing", `created-by = "x"\npackages = []\n`, /^pylock\.toml: missing the required key lock-version$/],
    ["created-by missing", `lock-version = "1.0"\npackages = []\n`, /^pylock\.toml: missing the required key created-by$/],
    ["packages missing", head, /^pylock\.toml: missing the required key packages$/],
    // packages[i]
    ["a package without a name", `${head}\n[[packages]]\nname = "a"\nversion = "1"\ndirectory = { path = "a" }\n\n[[packages]]\nversion = "2.0"\nwheels = [${wheel(`{ sha256 = "${"0".repeat(64)}" }`)}]\n`,
      /^pylock\.toml:9: packages\[1\]: missing the required key name$/],
    ["a name not normalized", `${head}\n[[packages]]\nname = "Foo_Bar"\ndirectory = { path = "a" }\n`, /^pylock\.toml:5: packages\[0\] \(Foo_Bar\): name "Foo_Bar" is not normalized/],
    ["two source kinds", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [${wheel(`{ sha256 = "${"0".repeat(64)}" }`)}]\nvcs = { type = "git", url = "https://x/a", commit-id = "abc" }\n`,
      /^pylock\.toml:8: packages\[0\] \(a\): has both wheels and vcs: a package comes either from files/],
    ["directory and archive", `${head}\n[[packages]]\nname = "a"\n[packages.directory]\npath = "a"\n[packages.archive]\nurl = "https://x/a.zip"\nhashes = { sha256 = "${"1".repeat(64)}" }\n`,
      /^pylock\.toml:8: packages\[0\] \(a\): has directory and archive: a package has at most one of vcs, directory, archive$/],
    ["no source", `${head}\n[[packages]]\nname = "a"\nversion = "1"\n`, /^pylock\.toml:4: packages\[0\] \(a\): has no source/],
    ["a version that is not PEP 440", `${head}\n[[packages]]\nname = "a"\nversion = "one"\ndirectory = { path = "." }\n`, /^pylock\.toml:6: packages\[0\] \(a\): version "one" is not a PEP 440 version$/],
    ["a bad marker", `${head}\n[[packages]]\nname = "a"\nmarker = "sys_platform = 'linux'"\ndirectory = { path = "." }\n`, /^pylock\.toml:6: packages\[0\] \(a\): invalid marker/],
    ["extras outside a membership test", `${head}\n[[packages]]\nname = "a"\nmarker = "extras == 'x'"\ndirectory = { path = "." }\n`, /^pylock\.toml:6: packages\[0\] \(a\): invalid marker: extras is a set of names/],
    ["extra in a lock's marker", `${head}\n[[packages]]\nname = "a"\nmarker = "extra == 'x'"\ndirectory = { path = "." }\n`, /^pylock\.toml:6: packages\[0\] \(a\): invalid marker: a lock file's markers have no extra variable \(use 'NAME' in extras\)/],
    ["a bad requires-python", `lock-version = "1.0"\nrequires-python = ">=3.x"\ncreated-by = "x"\npackages = []\n`, /^pylock\.toml:2: requires-python ">=3\.x" is not a version specifier/],
    ["a bad environment", `lock-version = "1.0"\nenvironments = ["os_name == 'posix'", "nonsense"]\ncreated-by = "x"\npackages = []\n`, /^pylock\.toml:2: environments\[1\]: invalid marker/],
    // Hashes
    ["an empty hash table", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [\n    ${wheel(`{ sha256 = "${"0".repeat(64)}" }`)},\n    ${wheel("{}")},\n]\n`,
      /^pylock\.toml:9: packages\[0\] \(a\)\.wheels\[1\]: hashes is empty/],
    ["hashes missing", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\n[packages.sdist]\nname = "a-1.0.tar.gz"\nurl = "https://x/a-1.0.tar.gz"\n`,
      /^pylock\.toml:7: packages\[0\] \(a\)\.sdist: missing the required key hashes$/],
    ["hashes as a string", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nsdist = { url = "https://x/a-1.0.tar.gz", hashes = "sha256:abc" }\n`,
      /^pylock\.toml:7: packages\[0\] \(a\)\.sdist: hashes must be a table, not a string/],
    ["a digest that is not hex", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\n\n[[packages.wheels]]\nname = "a-1.0-py3-none-any.whl"\nurl = "https://x/a.whl"\n[packages.wheels.hashes]\nsha256 = "xyz"\n`,
      /^pylock\.toml:8: packages\[0\] \(a\)\.wheels\[0\]: hashes\.sha256 is not a sha256 digest in hexadecimal \(64 digits\): "xyz"$/],
    ["a digest that is a number", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nsdist = { url = "https://x/a-1.0.tar.gz", hashes = { sha256 = 12 } }\n`,
      /hashes\.sha256 must be a string, not a number \(12\)$/],
    // Files
    ["a wheel without url or path", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [{ name = "a-1.0-py3-none-any.whl", hashes = { md5 = "${"a".repeat(32)}" } }]\n`,
      /^pylock\.toml:7: packages\[0\] \(a\)\.wheels\[0\]: needs a url or a path$/],
    ["a wheel name that is not one", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nwheels = [{ url = "https://x/a-1.0.zip", hashes = { sha256 = "${"0".repeat(64)}" } }]\n`,
      /^pylock\.toml:7: packages\[0\] \(a\)\.wheels\[0\]: "a-1\.0\.zip" is not a wheel's file name$/],
    ["a negative size", `${head}\n[[packages]]\nname = "a"\nversion = "1.0"\nsdist = { url = "https://x/a-1.0.tar.gz", size = -1, hashes = { sha256 = "${"0".repeat(64)}" } }\n`,
      /size must not be negative/],
    ["a vcs without commit-id", `${head}\n[[packages]]\nname = "a"\nvcs = { type = "git", url = "https://x/a" }\n`,
      /^pylock\.toml:6: packages\[0\] \(a\)\.vcs: missing the required key commit-id$/],
    ["an attestation without kind", `${head}\n[[packages]]\nname = "a"\ndirectory = { path = "." }\n[[packages.attestation-identities]]\nrepository = "x/y"\n`,
      /^pylock\.toml:7: packages\[0\] \(a\)\.attestation-identities\[0\]: missing the required key kind$/],
  ];
  for (const [what, text, expected] of cases) {
    const err = refusal(text);
    assert.match(err.message, expected, what);
  }
});

test("a newer minor version is read, with warnings for the keys venvctl does not know", () => {
  const { lock, warnings } = parse(`lock-version = "1.1"\ncreated-by = "x"\nnew-top = 1\n\n[[packages]]\nname = "a"\nnew-key = true\ndirectory = { path = ".", new-sub = 2 }\n`);
  assert.equal(lock.packages[0]!.name, "a");
  assert.deepEqual(warnings, [
    "pylock.toml: lock-version 1.1 is newer than 1.0, the version venvctl knows; keys it does not know are ignored",
    "pylock.toml: new-top is not a key known to venvctl (which reads lock-version 1.0); ignored",
    "pylock.toml: packages[0] (a).new-key is not a key known to venvctl (which reads lock-version 1.0); ignored",
    "pylock.toml: packages[0] (a).directory.new-sub is not a key known to venvctl (which reads lock-version 1.0); ignored",
  ]);
});

test("upload times: an offset (tomli_w's space form too) is converted to UTC; a local date-time is taken as UTC", () => {
  const lock = (time: string) =>
    `lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "a"\nversion = "1"\nsdist = { url = "https://x/a-1.tar.gz", upload-time = ${time}, hashes = { sha256 = "${"0".repeat(64)}" } }\n`;
  const read = (time: string) => parse(lock(time)).lock.packages[0]!.sdist!.uploadTime;
  assert.equal(read("2025-01-25 11:30:10.164985+00:00"), "2025-01-25T11:30:10.164Z");
  assert.equal(read("2025-01-25T13:30:10+02:00"), "2025-01-25T11:30:10Z");
  assert.equal(read("2025-01-25T11:30:10"), "2025-01-25T11:30:10Z");
  assert.match(refusal(lock(`"2025-99-01T00:00:00"`)).message, /upload-time must be a date-time, not a string \("2025-99-01T00:00:00"\)$/);
  assert.match(refusal(lock("2025-01-25")).message, /^pylock\.toml:6: packages\[0\] \(a\)\.sdist: upload-time must be a date-time, not a string \("2025-01-25"\)$/);
});

test("lock file names: pylock.toml and pylock.NAME.toml only", () => {
  for (const ok of ["pylock.toml", "/a/b/pylock.dev.toml", "pylock.spam.toml"]) assert.ok(isPylockFileName(ok), ok);
  for (const bad of ["pylock.a.b.toml", "requirements.txt", "Pylock.toml", "pylock..toml", "xpylock.toml"]) assert.ok(!isPylockFileName(bad), bad);
});

test("readPylock: the file's directory anchors relative paths; a missing file is named", (t) => {
  const sb = makeSandbox(t, "pylock-read");
  writeFileSync(join(sb.work, "pylock.toml"), PIP_LOCK);
  const file = readPylock("pylock.toml", sb.work);
  assert.equal(file.dir, sb.work);
  assert.equal(file.path, "pylock.toml");
  assert.throws(() => readPylock("nope/pylock.toml", sb.work), (err: Error) => {
    assert.ok(err instanceof VenvctlError);
    assert.match(err.message, /cannot read the lock file nope\/pylock\.toml: no such file or directory \(ENOENT\)/);
    return true;
  });
});

test("packaging.pylock accepts the same files and refuses the same malformed ones", (t) => {
  if (!requireOrSkip(t, ORACLE_PYTHON !== undefined, "needs pyenv's Python 3.11 with packaging 26 (packaging.pylock)")) return;
  const head = `lock-version = "1.0"\ncreated-by = "test"\n`;
  const files: Record<string, string> = {
    spec: SPEC_EXAMPLE, pip: PIP_LOCK, uv: UV_EXPORT, multi: UV_MULTI_USE,
    syntax: `${head}[[packages]]\nname = "a\n`,
    major: `lock-version = "2.0"\ncreated-by = "x"\npackages = []\n`,
    noname: `${head}[[packages]]\nversion = "2.0"\ndirectory = { path = "." }\n`,
    twosources: `${head}[[packages]]\nname = "a"\nsdist = { url = "https://x/a-1.tar.gz", hashes = { sha256 = "${"0".repeat(64)}" } }\narchive = { url = "https://x/a.zip", hashes = { sha256 = "${"0".repeat(64)}" } }\n`,
    emptyhashes: `${head}[[packages]]\nname = "a"\nsdist = { url = "https://x/a-1.tar.gz", hashes = {} }\n`,
    unnormalized: `${head}[[packages]]\nname = "A"\ndirectory = { path = "." }\n`,
    nosource: `${head}[[packages]]\nname = "a"\n`,
    emptywheels: `${head}[[packages]]\nname = "a"\nwheels = []\n`,
    emptywheelsandvcs: `${head}[[packages]]\nname = "a"\nwheels = []\nvcs = { type = "git", url = "https://x/a", commit-id = "abc" }\n`,
    badmarker: `${head}[[packages]]\nname = "a"\nmarker = "nonsense"\ndirectory = { path = "." }\n`,
  };
  const oracle = pythonJson(ORACLE_PYTHON!, `
import json, sys, tomllib
from packaging.pylock import Pylock
out = {}
for key, text in json.load(sys.stdin).items():
    try:
        Pylock.from_dict(tomllib.loads(text))
        out[key] = True
    except Exception as e:
        out[key] = False
print(json.dumps(out))
`, files) as Record<string, boolean>;
  for (const [key, text] of Object.entries(files)) {
    let ours = true;
    try {
      parse(text);
    } catch (err) {
      if (!(err instanceof PylockError)) throw err;
      ours = false;
    }
    assert.equal(ours, oracle[key], `${key}: venvctl ${ours ? "accepts" : "refuses"} it, packaging ${oracle[key] ? "accepts" : "refuses"} it`);
  }
});
