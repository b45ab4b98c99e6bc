import { test } from "node:test";
import assert from "node:assert/strict";
import {
  compareVersions, formatVersion, matchesPrefix, parseVersion, parseVersionPrefix, parseVersionRange,
  satisfiesRange, versionFromInfo, type PythonVersion,
} from "../../src/interpreters/version.js";

const v = (s: string): PythonVersion => {
  const p = parseVersion(s);
  assert.ok(p, `parses ${s}`);
  return p;
};

test("parses and formats full versions, pre-releases included", () => {
  for (const s of ["3.12.1", "3.14.0rc1", "3.13.0a4", "3.13.0b2", "2.7.18", "3.10.13"]) {
    assert.equal(formatVersion(v(s)), s);
  }
  assert.equal(formatVersion(v("3.12")), "3.12.0");
  assert.equal(formatVersion(v("3.13.0+")), "3.13.0");
  assert.equal(formatVersion(v("3.14.0c1")), "3.14.0rc1");
  assert.equal(parseVersion("3"), undefined);
  assert.equal(parseVersion("three"), undefined);
  assert.equal(parseVersion("3.12.1.4"), undefined);
});

test("parses prefixes", () => {
  assert.deepEqual(parseVersionPrefix("3"), { major: 3, minor: undefined, patch: undefined, pre: undefined });
  assert.deepEqual(parseVersionPrefix("3.12"), { major: 3, minor: 12, patch: undefined, pre: undefined });
  assert.deepEqual(parseVersionPrefix("3.14rc1"), { major: 3, minor: 14, patch: 0, pre: { kind: "rc", n: 1 } });
  assert.equal(parseVersionPrefix("3rc1"), undefined);
  assert.equal(parseVersionPrefix("3.x"), undefined);
  assert.equal(parseVersionPrefix(""), undefined);
});

test("orders versions as Python does", () => {
  const sorted = ["3.14.0", "3.9.18", "3.14.0a1", "3.10.13", "3.14.0rc1", "3.14.0b3", "3.14.1", "2.7.18"]
    .map(v).sort(compareVersions).map(formatVersion);
  assert.deepEqual(sorted, ["2.7.18", "3.9.18", "3.10.13", "3.14.0a1", "3.14.0b3", "3.14.0rc1", "3.14.0", "3.14.1"]);
});

test("builds from sys.version_info", () => {
  assert.equal(formatVersion(versionFromInfo([3, 14, 0, "candidate", 1])), "3.14.0rc1");
  assert.equal(formatVersion(versionFromInfo([3, 12, 1, "final", 0])), "3.12.1");
});

test("prefix matching leaves pre-releases out unless asked", () => {
  assert.ok(matchesPrefix(v("3.12.1"), parseVersionPrefix("3.12")!));
  assert.ok(matchesPrefix(v("3.12.1"), parseVersionPrefix("3")!));
  assert.ok(!matchesPrefix(v("3.12.1"), parseVersionPrefix("3.1")!));
  assert.ok(!matchesPrefix(v("3.14.0rc1"), parseVersionPrefix("3.14")!));
  assert.ok(matchesPrefix(v("3.14.0rc1"), parseVersionPrefix("3.14")!, true));
  assert.ok(matchesPrefix(v("3.14.0rc1"), parseVersionPrefix("3.14.0rc1")!));
  assert.ok(!matchesPrefix(v("3.14.0"), parseVersionPrefix("3.14.0rc1")!));
});

test("ranges: PEP 440 specifier sets, 3.x and ^3.10", () => {
  const cases: Array<[string, string, boolean]> = [
    ["3.x", "3.12.1", true],
    ["3.x", "2.7.18", false],
    ["^3.10", "3.13.0", true],
    ["^3.10", "3.9.18", false],
    [">=3.10 <3.13", "3.12.1", true],
    [">=3.10 <3.13", "3.13.0", false],
    [">=3.10,<3.13", "3.10.13", true],
    [">= 3.10, < 3.13", "3.9.18", false],
    ["~=3.10", "3.13.0", true],
    ["~=3.10", "4.0.0", false],
    ["~=3.10.2", "3.10.13", true],
    ["~=3.10.2", "3.11.7", false],
    ["==3.12.*", "3.12.1", true],
    ["==3.12.*", "3.11.7", false],
    ["!=3.12.1", "3.12.1", false],
    [">=3.9,!=3.12.1", "3.12.1", false],
    [">=3.9,!=3.12.1", "3.13.0", true],
    // PEP 440, not semver: <=3.11 is up to 3.11.0, ==3.12 is 3.12.0 only.
    ["<=3.11", "3.11.7", false],
    ["<=3.11", "3.10.13", true],
    ["==3.12", "3.12.1", false],
    ["==3.12", "3.12.0", true],
    ["<3.13", "3.13.0rc1", false],
    ["<3.13.0rc2", "3.13.0rc1", false],
    [">=3.13.0a1,<3.13.0rc2", "3.13.0rc1", true],
    ["~=3.13.0rc1", "3.13.1", true],
    ["3.12.x", "3.12.1", true],
    ["3.12.x", "3.13.0", false],
    ["x", "2.7.18", true],
    ["x", "3.14.0rc1", false],
    ["===3.12.1", "3.12.1", true],
    [">=3.12", "3.14.0rc1", false],
    [">=3.14.0rc1", "3.14.0rc2", true],
  ];
  for (const [range, version, expected] of cases) {
    const r = parseVersionRange(range);
    assert.ok(r, `parses ${range}`);
    assert.equal(satisfiesRange(v(version), r), expected, `${version} in ${range}`);
  }
  for (const bad of ["", ">=", "banana", ">=3.x.y.z", "~=3", "3.10 - 3.12", "3.x || 2.7", ">=3.*", "^3.14.0rc1", "3.12"]) {
    assert.equal(parseVersionRange(bad), undefined, bad);
  }
});
