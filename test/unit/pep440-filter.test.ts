// filterVersions against its oracle: packaging's SpecifierSet.filter as pip
// 24.2 calls it (pip/_internal/index/package_finder.py, prereleases = --pre
// or None), run in that pip's vendored packaging on the same inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PYENV_ROOT } from "../helpers/hermetic.js";
import { filterVersions, parseSpecifierSet } from "../../src/standards/pep440.js";

const VERSIONS = ["0.9", "1.0", "1.0.post1", "1.1a1", "1.1", "2.0rc1", "2.0", "2.1.dev0", "3.0a2", "1!0.5", "1.0+local"];
const ONLY_PRE = ["1.0a1", "1.0b2", "2.0rc1"];
const SPECS = ["", ">=1", ">=1.1a1", "<2", "<2.0rc1", "==2.0rc1", "!=2.0", "~=1.0", "==1.*", ">0.9,<3", ">=2.0.dev0", "===1.1", "==1.0+local", "<=2.1.dev0"];

test("filterVersions admits what packaging's SpecifierSet.filter does, with and without --pre", () => {
  const python = join(PYENV_ROOT, "versions", "3.13.0", "bin", "python3");
  const cases = SPECS.flatMap((spec) => [VERSIONS, ONLY_PRE].flatMap((versions) => [false, true].map((pre) => ({ spec, versions, pre }))));
  const script = [
    "import json, sys",
    "from pip._vendor.packaging.specifiers import SpecifierSet",
    "cases = json.load(sys.stdin)",
    "print(json.dumps([list(SpecifierSet(c['spec']).filter(c['versions'], prereleases=(True if c['pre'] else None))) for c in cases]))",
  ].join("\n");
  const r = spawnSync(python, ["-c", script], { input: JSON.stringify(cases), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as string[][];
  cases.forEach((c, i) => {
    const specs = parseSpecifierSet(c.spec);
    assert.ok(specs, c.spec);
    assert.deepEqual(filterVersions(specs, c.versions, c.pre), expected[i], `${JSON.stringify(c.spec)} over ${c.versions.join(" ")}${c.pre ? " with --pre" : ""}`);
  });
});
