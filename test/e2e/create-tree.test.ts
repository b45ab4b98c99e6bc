// `venvctl create` against the oracle: for every interpreter on this machine,
// the tree must be what `python -m venv` of that interpreter makes, and the
// env's own python must see itself as a venv of that base.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { EXPECTED_PYENV_MINORS, machineInterpreters } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";
import { snapshotTree } from "../helpers/tree.js";
import { parsePyvenvCfg } from "../../src/standards/pyvenv-cfg.js";

const interpreters = machineInterpreters();

/** Files venvctl writes that `python -m venv` of some versions does not. */
function allowedExtras(minor: number): Set<string> {
  const extras = new Set<string>([".gitignore"]);
  if (minor < 8) extras.add("bin/Activate.ps1");
  return extras;
}

function runPython(exe: string, code: string, env: Record<string, string>): string {
  const r = spawnSync(exe, ["-c", code], { encoding: "utf8", env });
  assert.equal(r.status, 0, `${exe} -c failed: ${r.stderr}`);
  return r.stdout;
}

test("the machine has the interpreters the tests are written for", (t) => {
  const have = new Set(interpreters.filter((i) => i.label.startsWith("pyenv")).map((i) => i.minor));
  const missing = EXPECTED_PYENV_MINORS.filter((m) => !have.has(m));
  if (!requireOrSkip(t, missing.length === 0, `pyenv versions missing: ${missing.join(", ")}`)) return;
  requireOrSkip(t, interpreters.some((i) => i.label === "debian 3.11"), "Debian's /usr/bin/python3.11 is missing");
});

describe("create --without-pip matches python -m venv --without-pip", () => {
  for (const py of interpreters.filter((i) => i.py3)) {
    test(py.label, (t) => {
      const sb = makeSandbox(t);
      const ours = join(sb.work, "ours");
      const theirs = join(sb.work, "theirs");
      const r = runCli(["create", "--without-pip", "-p", py.path, ours], { cwd: sb.work, env: sb.env });
      assert.equal(r.code, 0, describeResult(r));
      assert.equal(r.stdout, "", "stdout carries data only");
      const oracle = spawnSync(py.path, ["-m", "venv", "--without-pip", theirs], { cwd: sb.work, env: sb.env, encoding: "utf8" });
      assert.equal(oracle.status, 0, oracle.stderr);

      const a = snapshotTree(ours);
      const b = snapshotTree(theirs);
      const minor = Number(py.minor.split(".")[1]);
      for (const [path, entry] of b) {
        const mine = a.get(path);
        assert.ok(mine, `${path} is missing from ours`);
        assert.equal(mine.kind, entry.kind, `${path}: kind`);
        if (entry.kind === "link") assert.equal(mine.target, entry.target, `${path}: link target`);
        if (entry.kind === "file" && path.startsWith("bin/")) assert.equal(mine.mode, entry.mode, `${path}: mode`);
      }
      const extras = [...a.keys()].filter((p) => !b.has(p));
      assert.deepEqual(extras.filter((p) => !allowedExtras(minor).has(p)), [], "only the allowed extra files");

      const cfg = (dir: string) =>
        parsePyvenvCfg(readFileSync(join(dir, "pyvenv.cfg"), "utf8"))
          .filter((e) => e.key !== "venvctl")
          .map((e) => `${e.key} = ${e.value.split(dir).join("<ENV>")}`);
      assert.deepEqual(cfg(ours), cfg(theirs), "pyvenv.cfg");
      assert.match(readFileSync(join(ours, "pyvenv.cfg"), "utf8"), /^venvctl = \d+\.\d+\.\d+/m);
      assert.equal(readFileSync(join(ours, ".gitignore"), "utf8").split("\n").filter((l) => l && !l.startsWith("#")).join(), "*");

      // The env's own python: prefix is the env, base_prefix the base, and
      // site-packages is the env's.
      const probe = "import json, sys, site; print(json.dumps([sys.prefix, getattr(sys, 'base_prefix', None), site.getsitepackages()]))";
      const [prefix, basePrefix, sitePackages] = JSON.parse(runPython(join(ours, "bin", "python"), probe, sb.env)) as [string, string, string[]];
      const [realBase] = JSON.parse(runPython(py.path, probe, sb.env)) as [string];
      assert.equal(prefix, ours);
      assert.equal(basePrefix, realBase);
      assert.ok(sitePackages.includes(join(ours, "lib", `python${py.minor}`, "site-packages")), sitePackages.join());
    });
  }
});

test("Python 2.7 gets a clear error that names the version and says why", (t) => {
  const py27 = interpreters.find((i) => i.minor === "2.7");
  if (!requireOrSkip(t, py27 !== undefined, "pyenv 2.7 is not installed")) return;
  const sb = makeSandbox(t);
  const r = runCli(["create", "-p", py27!.path, "env27"], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /^error: .*2\.7\.18.*no venv mechanism/m);
  assert.match(r.stderr, /^hint: /m);
  assert.equal(r.stdout, "");
  assert.deepEqual(snapshotTree(sb.work).size, 0, "nothing was written");
});
