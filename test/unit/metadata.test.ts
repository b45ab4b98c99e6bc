// The pure parts of reading installed packages, each checked against the
// Python code it imitates where that code is on this machine: email headers
// as importlib.metadata reads them, PEP 440 versions and specifiers, PEP 508
// markers and requirements (pip's vendored packaging: 24.1 in pip 24.2,
// 21.3 in pip 23.2.1), names, pip's JSON, pathlib's normalization.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dedentPy, parseHeaders, readMetadataHeaders } from "../../src/standards/metadata.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalizeName, isValidProjectName, safeName } from "../../src/standards/names.js";
import { comparePep440, normalizeVersion, parsePep440, parseSpecifier, specifierContains } from "../../src/standards/pep440.js";
import { evaluateMarker, parseMarker } from "../../src/standards/markers.js";
import { parseRequirement } from "../../src/standards/requirement.js";
import { jsonDumpsPy, normalizePathlib, sortByPy, splitlinesPy, stripPy } from "../../src/util/python-text.js";
import { parseDirectUrlJson } from "../../src/standards/direct-url.js";
import { fileUrlToPath } from "../../src/util/py-paths.js";
import { pipProfile } from "../../src/environments/pip-profile.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";

const PY313 = pyenvPython("3.13"); // pip 24.2, packaging 24.1
const PY311 = pyenvPython("3.11"); // pip 23.2.1, packaging 21.3

/** Runs a Python snippet that reads JSON on stdin and prints JSON. */
function python(exe: string, code: string, input: unknown): unknown {
  const r = spawnSync(exe, ["-c", code], { input: JSON.stringify(input), encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const HEADER_CASES = [
  "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n\nbody: not a header\n",
  "Name: foo\nLicense: line one\n        \n        line three\n\tfour\nVersion: 2\n",
  "Name: a\nname: b\nNAME: c\nClassifier: x\nClassifier: y\n",
  "Name:   spaced   \nSummary:\tTabbed\nEmpty:\nVersion:1\n",
  "From someone\nName: after-envelope\n",
  " leading continuation\nName: x\n",
  ":no name\nName: y\n  continued after a defect\n",
  "Name: x\nnot a header line\nVersion: 1\n",
  "Name: x\r\nSummary: crlf\r\n  folded\r\n\r\nbody",
  "Name: x\rSummary: old mac\r\rbody",
  "\ufeffName: with a BOM\n",
  "Name: caf\u00e9 \u2014 \u00fcnicode\nVersion: 1\n",
  "Name: no newline at the end",
  "Name: x\nSummary: a\n\n",
  "X-Odd!Name: 1\nName: z\n",
];

test("headers are read as importlib.metadata reads them (email compat32 + re-indenting)", (t) => {
  if (!requireOrSkip(t, PY313 !== undefined, "pyenv 3.13 is needed as the oracle")) return;
  const code = [
    "import sys, json, email",
    "from importlib.metadata import _adapters",
    "out = []",
    "for text in json.load(sys.stdin):",
    "    text = text.replace('\\r\\n', '\\n').replace('\\r', '\\n')",  // Python reads in text mode
    "    m = _adapters.Message(email.message_from_string(text))",
    "    out.append([[k, v] for k, v in m.items() if k != 'Description'])",
    "print(json.dumps(out))",
  ].join("\n");
  const expected = python(PY313!, code, HEADER_CASES) as Array<Array<[string, string]>>;
  HEADER_CASES.forEach((text, i) => {
    const got = parseHeaders(text).redent().entries.map((e) => [e[0], e[2]]);
    assert.deepEqual(got, expected[i], `case ${i}: ${JSON.stringify(text)}`);
  });
});

test("a metadata file is scanned a chunk at a time as its whole text is: lines, \\r\\n and continuations across every chunk boundary", () => {
  const dir = mkdtempSync(join(tmpdir(), "venvctl-metadata-"));
  try {
    const file = join(dir, "METADATA");
    for (let pad = 4040; pad <= 4100; pad++) {
      for (const eol of ["\n", "\r\n", "\r"]) {
        const text = [
          "Metadata-Version: 2.1", `Summary: ${"x".repeat(pad)}`, "  continued", "Name: Pad-Me", "Version: 1.0",
          "Classifier: A", "Classifier: é", "", "the body", "Name: not-a-header",
        ].join(eol);
        writeFileSync(file, text);
        const whole = parseHeaders(text).entries;
        assert.deepEqual(readMetadataHeaders(file)?.entries, whole, `pad ${pad}, ${JSON.stringify(eol)}`);
        const some = readMetadataHeaders(file, ["name", "version"])?.entries;
        assert.deepEqual(some, whole.filter(([, k]) => k === "name" || k === "version"), `name and version, pad ${pad}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Headers.get/getAll: case-insensitive, first value, all values in order", () => {
  const h = parseHeaders("Name: a\nclassifier: one\nCLASSIFIER: two\nname: b\n");
  assert.equal(h.get("NAME"), "a");
  assert.deepEqual(h.getAll("Classifier"), ["one", "two"]);
  assert.equal(h.get("Version"), undefined);
  assert.deepEqual(h.getAll("Version"), []);
});

test("textwrap.dedent", () => {
  assert.equal(dedentPy("        a\n        \n          b"), "a\n\n  b");
  assert.equal(dedentPy("  a\n\tb"), "  a\n\tb");
  assert.equal(dedentPy("x\n  y"), "x\n  y");
});

const VERSIONS = [
  "1.0", "01.00", "v1.0", " 1.0 ", "1.0a1", "1.0-alpha.1", "1.0.beta-2", "1.0c3", "1.0pre4", "1.0preview5", "1.0rc",
  "1.0-1", "1.0.post", "1.0_r2", "1.0rev3", "1.0.dev", "1.0-dev-7", "1!2.0", "0!1.0", "1.0+Ubuntu-01", "1.0+abc.5_X",
  "1.0a1.post2.dev3+local.7", "2024.01.05", "1.0-foo-bar", "", "1..0", "1.0+", "99999999999999999999.1", "1.0.0.0.0",
];

test("PEP 440 versions normalize as packaging 24 prints them", (t) => {
  if (!requireOrSkip(t, PY313 !== undefined, "pyenv 3.13 is needed as the oracle")) return;
  const code = [
    "import sys, json",
    "from pip._vendor.packaging.version import Version, InvalidVersion",
    "out = []",
    "for v in json.load(sys.stdin):",
    "    try: out.append(str(Version(v)))",
    "    except InvalidVersion: out.append(None)",
    "print(json.dumps(out))",
  ].join("\n");
  const expected = python(PY313!, code, VERSIONS) as Array<string | null>;
  VERSIONS.forEach((v, i) => assert.equal(normalizeVersion(v) ?? null, expected[i], JSON.stringify(v)));
});

const ORDERED = ["1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+abc", "1.0+abc.1", "1.0+1", "1.0.post1.dev1", "1.0.post1", "1.1", "1!0.1"];

test("PEP 440 ordering", () => {
  for (let i = 0; i < ORDERED.length; i++) {
    for (let j = 0; j < ORDERED.length; j++) {
      const c = comparePep440(parsePep440(ORDERED[i]!)!, parsePep440(ORDERED[j]!)!);
      assert.equal(Math.sign(c), Math.sign(i - j), `${ORDERED[i]} vs ${ORDERED[j]}`);
    }
  }
  assert.equal(comparePep440(parsePep440("1.0")!, parsePep440("1.0.0")!), 0);
});

const SPEC_CASES: Array<[string, string]> = [
  [">=3.8", "3.11"], [">=3.8", "3.7"], ["<3.11", "3.11.7"], ["<3.11", "3.10"], ["==3.11.*", "3.11.7"], ["==3.1.*", "3.11"],
  ["!=3.11.*", "3.11.0"], ["~=3.10", "3.11"], ["~=3.10.1", "3.11.0"], ["~=1.4.5a4", "1.4.6"], [">3.11", "3.11.1"], [">3.11", "3.11.post1"],
  [">3.11", "3.11+local"], ["<3.12", "3.12.0rc1"], ["<3.12rc1", "3.12.0b2"], ["==1.0+local", "1.0+local"], ["==1.0", "1.0+local"],
  ["===1.0", "1.0"], ["<=2.0", "2.0+x"], [">=1.0", "1.1a1"], ["==1.0.*", "1.0.post1"], ["==2", "2.0.0"], [">=3.6.1", "3.13.0"],
];

test("specifiers match as packaging 24 with pre-releases allowed (as markers use them)", (t) => {
  if (!requireOrSkip(t, PY313 !== undefined, "pyenv 3.13 is needed as the oracle")) return;
  const code = [
    "import sys, json",
    "from pip._vendor.packaging.specifiers import Specifier",
    "print(json.dumps([Specifier(s).contains(v, prereleases=True) for s, v in json.load(sys.stdin)]))",
  ].join("\n");
  const expected = python(PY313!, code, SPEC_CASES) as boolean[];
  SPEC_CASES.forEach(([s, v], i) => assert.equal(specifierContains(parseSpecifier(s)!, v, true), expected[i], `${v} in ${s}`));
});

test("specifier syntax: what packaging refuses, we refuse", () => {
  for (const bad of ["=>1", "==1.*.1", "~=1", ">=1.0.*", "<1.0+local", "==", "1.0"]) assert.equal(parseSpecifier(bad), undefined, bad);
  assert.deepEqual(parseSpecifier(" >= 1.0 "), { op: ">=", version: "1.0" });
  assert.deepEqual(parseSpecifier("===anything-goes"), { op: "===", version: "anything-goes" });
});

const MARKERS = [
  'python_version < "3.8"', 'python_version >= "3.8"', "python_full_version >= '3.6.1'", 'sys_platform == "linux"',
  'sys_platform == "win32" or os_name == "posix"', 'extra == "test"', 'extra != "test"',
  '(python_version < "3" or python_version >= "3.5") and platform_machine == "x86_64"',
  'platform_python_implementation == "CPython" and implementation_name == "cpython"', '"linux" in sys_platform',
  '"win" not in sys_platform', 'python_version ~= "3.1"', 'os.name == "posix"', "python_implementation == 'CPython'",
  'platform_system != "Windows" and python_version > "2.7"', 'implementation_version >= "3.11"',
];

for (const [label, exe, legacy] of [["24.1", PY313, false], ["21.3", PY311, true]] as const) {
  test(`markers evaluate as packaging ${label} (pip's vendored copy) with no extra`, (t) => {
    if (!requireOrSkip(t, exe !== undefined, "the oracle interpreter is needed")) return;
    const code = [
      "import sys, json",
      "from pip._vendor.packaging.markers import Marker, default_environment",
      "cases = json.load(sys.stdin)",
      "print(json.dumps({'env': default_environment(), 'results': [Marker(m).evaluate({'extra': ''}) for m in cases]}))",
    ].join("\n");
    const out = python(exe!, code, MARKERS) as { env: Record<string, string>; results: boolean[] };
    MARKERS.forEach((m, i) => {
      assert.equal(evaluateMarker(parseMarker(m), { ...out.env, extra: "" }, { legacy }), out.results[i], m);
    });
  });
}

test("markers: syntax errors are reported, not guessed", () => {
  for (const bad of ['python_version <', 'unknown_var == "1"', '(python_version < "3"', 'python_version < "3" and', "'unterminated"]) {
    assert.throws(() => parseMarker(bad), Error, bad);
  }
});

test("requirements (Requires-Dist): names as written, extras, specifiers, URLs, markers", () => {
  const r = parseRequirement('Foo.Bar_baz[Extra1, extra2] (>=1.0,<2) ; python_version >= "3.8"');
  assert.ok(r.ok);
  assert.equal(r.req.name, "Foo.Bar_baz");
  assert.deepEqual(r.req.extras, ["Extra1", "extra2"]);
  assert.deepEqual(r.req.specifiers, [{ op: ">=", version: "1.0" }, { op: "<", version: "2" }]);
  assert.equal(r.req.markerText, 'python_version >= "3.8"');
  const u = parseRequirement("pkg @ https://example.invalid/pkg.whl ; sys_platform == 'linux'");
  assert.ok(u.ok);
  assert.equal(u.req.url, "https://example.invalid/pkg.whl");
  assert.equal(parseRequirement("pkg @ file:///x;y").ok, true);
  for (const bad of ["", ">=1.0", "pkg >=", "pkg[", "pkg ; ", "pkg ==1.0 extra", "-pkg"]) assert.equal(parseRequirement(bad).ok, false, bad);
});

test("names: PEP 503 normalization, validity, setuptools' safe_name", () => {
  assert.equal(canonicalizeName("Foo.Bar_baz"), "foo-bar-baz");
  assert.equal(canonicalizeName("A__B--C..D"), "a-b-c-d");
  assert.ok(isValidProjectName("foo-bar"));
  assert.ok(!isValidProjectName("~ip"));
  assert.ok(!isValidProjectName("-ip"));
  assert.ok(!isValidProjectName(""));
  assert.equal(safeName("legacy_dev.pkg"), "legacy-dev.pkg");
});

test("Python text semantics: splitlines, strip, json.dumps, pathlib, sorting", (t) => {
  assert.deepEqual(splitlinesPy("a\nb\r\nc\rd\x0be\x1cf\u2028g\n"), ["a", "b", "c", "d", "e", "f", "g"]);
  assert.deepEqual(splitlinesPy("a\n\n"), ["a", ""]);
  assert.deepEqual(splitlinesPy(""), []);
  assert.equal(stripPy("\x1c\u00a0 x \t\u3000"), "x");
  assert.equal(stripPy("\ufeffx"), "\ufeffx");
  assert.equal(normalizePathlib("./a//b/./c/"), "a/b/c");
  assert.equal(normalizePathlib("../a/.."), "../a/..");
  assert.equal(normalizePathlib("/x/"), "/x");
  assert.deepEqual(sortByPy(["b", "B", "a", "\u{1f600}", "\uffff", "a"], (s) => s), ["B", "a", "a", "b", "\uffff", "\u{1f600}"]);
  if (!requireOrSkip(t, PY313 !== undefined, "pyenv 3.13 is needed as the oracle")) return;
  const values = [[{ name: "caf\u00e9", version: "1.0", n: 1, ok: true, none: null, q: 'a"b\\c\n\t\u0001\u007f\u{1f600}' }]];
  const expected = python(PY313!, "import sys, json; print(json.dumps(json.dumps(json.load(sys.stdin)[0])))", values) as string;
  assert.equal(jsonDumpsPy(values[0]), expected);
});

test("direct_url.json is validated as pip validates it", () => {
  assert.deepEqual(parseDirectUrlJson('{"url": "file:///p", "dir_info": {"editable": true}}').info, { kind: "dir", editable: true });
  assert.deepEqual(parseDirectUrlJson('{"url": "file:///p", "dir_info": {}}').info, { kind: "dir", editable: false });
  const vcs = parseDirectUrlJson('{"url": "https://g/r.git", "vcs_info": {"vcs": "git", "commit_id": "abc"}, "subdirectory": "sub"}');
  assert.equal(vcs.subdirectory, "sub");
  assert.throws(() => parseDirectUrlJson('{"dir_info": {}}'), /url must have a value/);
  assert.throws(() => parseDirectUrlJson('{"url": "x"}'), /missing one of archive_info, dir_info, vcs_info/);
  assert.throws(() => parseDirectUrlJson('{"url": "x", "dir_info": {}, "archive_info": {}}'), /more than one of/);
  assert.throws(() => parseDirectUrlJson('{"url": "x", "archive_info": {"hash": "nohash"}}'), /invalid archive_info.hash format/);
  assert.throws(() => parseDirectUrlJson('{"url": 1, "dir_info": {}}'), /unexpected type for url/);
  assert.throws(() => parseDirectUrlJson("not json"));
  assert.equal(fileUrlToPath("file:///tmp/a%20b/c"), "/tmp/a b/c");
  assert.equal(fileUrlToPath("file://localhost/x"), "/x");
  assert.equal(fileUrlToPath("file://elsewhere/x"), undefined);
  assert.equal(fileUrlToPath("https://x/y"), undefined);
});

test("pip profiles: what changed in which pip, on which Python", () => {
  const p = (pipVersion: string | undefined, minor: number, extra: Partial<Parameters<typeof pipProfile>[0]> = {}) =>
    pipProfile({ pipVersion, python: { major: 3, minor }, importlibFlag: true, envOverride: undefined, ...extra });
  assert.deepEqual(p("23.2.1", 11).freezeDevPackages, ["pip", "setuptools", "distribute", "wheel"]);
  assert.deepEqual(p("23.2.1", 12).freezeDevPackages, ["pip"]);
  assert.deepEqual(p("23.1", 12).freezeDevPackages, ["pip", "setuptools", "distribute", "wheel", "pkg-resources"]);
  assert.equal(p("23.2.1", 11).infoDirNameFirst, false);
  assert.equal(p("24.2", 13).infoDirNameFirst, true);
  assert.equal(p("24.1", 13).rawVersions, true);
  assert.equal(p("24.0", 12).rawVersions, false);
  assert.equal(p("23.0.1", 10).backend, "pkg_resources");
  assert.equal(p("23.0.1", 10, { envOverride: "1" }).backend, "importlib");
  assert.equal(p("24.2", 13, { importlibFlag: false }).backend, "pkg_resources");
  assert.equal(p("22.3", 11).unsupported, true);
  assert.equal(p(undefined, 13).rawVersions, true);
});
