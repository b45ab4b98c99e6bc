// Wheel tags against the oracle: for real interpreters, venvctl's list (from
// the probe) must equal `[str(t) for t in pip._vendor.packaging.tags.sys_tags()]`
// run in that interpreter; variants this machine lacks (free-threaded, debug,
// 32-bit, armv8l, musl, aarch64 on an old glibc) are asked of packaging
// itself with the facts patched in (test/helpers/tags-oracle.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { requireOrSkip } from "../helpers/require.js";
import { makeSandbox, PYENV_ROOT } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";
import { probeInterpreter } from "../../src/interpreters/interpreter.js";
import { supportedTags, TagPriorities, TagsUnknownError, wheelFileTags, type TagTarget } from "../../src/standards/wheel-tags.js";

const ORACLE = join(PROJECT_ROOT, "test", "helpers", "tags-oracle.py");
const PYTHONS = [
  join(PYENV_ROOT, "versions", "3.7.16", "bin", "python3.7"),
  join(PYENV_ROOT, "versions", "3.8.18", "bin", "python3.8"),
  join(PYENV_ROOT, "versions", "3.11.7", "bin", "python3.11"),
  join(PYENV_ROOT, "versions", "3.12.1", "bin", "python3.12"),
  join(PYENV_ROOT, "versions", "3.13.0", "bin", "python3.13"),
  "/usr/bin/python3.11",
];

/** pip 24.2's site-packages (packaging 24.1), for interpreters whose own pip vendors an older packaging. */
const CURRENT_PACKAGING = join(PYENV_ROOT, "versions", "3.13.0", "lib", "python3.13", "site-packages");

function runOracle(python: string, args: string[]): { packaging: string; tags: string[] } {
  const r = spawnSync(python, ["-I", ORACLE, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const [packaging, ...tags] = r.stdout.trim().split("\n");
  return { packaging: packaging!, tags };
}

function oracle(python: string, facts?: object): string[] {
  return runOracle(python, facts ? [JSON.stringify(facts)] : []).tags;
}

for (const python of PYTHONS) {
  test(`sys_tags of ${python}, from the probe, equal pip's`, async (t) => {
    if (!requireOrSkip(t, existsSync(python), `${python} is not on this machine`)) return;
    const sb = makeSandbox(t);
    const interp = await probeInterpreter(makeContext(sb), python);
    const ours = supportedTags(interp.info);
    const own = runOracle(python, []);
    assert.ok(own.tags.length > 100, "the oracle lists the manylinux ladder");
    if (Number(own.packaging.split(".")[0]) >= 22) {
      assert.deepEqual(ours, own.tags);
      return;
    }
    // packaging 22 (pip 23.1) added `cpXY-none-any` before `pyXY-none-any`;
    // venvctl follows the current packaging. That one is asked where it
    // runs (3.8+); the own older list must differ by exactly that tag.
    const [major, minor] = interp.info.version_info;
    const added = `cp${major}${minor}-none-any`;
    assert.deepEqual(ours.filter((tag) => tag !== added), own.tags, `packaging ${own.packaging}, but for ${added}`);
    assert.ok(ours.indexOf(added) === ours.indexOf(`py${major}${minor}-none-any`) - 1);
    if (minor >= 8) {
      const current = runOracle(python, ["--packaging-from", CURRENT_PACKAGING]);
      assert.equal(current.packaging, "24.1");
      assert.deepEqual(ours, current.tags);
    }
  });
}

test("variants asked of packaging with patched facts: free-threaded, debug, i686, armv8l, musl, aarch64", async (t) => {
  const sb = makeSandbox(t);
  const py = PYTHONS[4]!;
  const interp = await probeInterpreter(makeContext(sb), py);
  const base = interp.info;
  type Variant = { name: string; facts: Record<string, unknown>; target: TagTarget };
  const withFacts = (over: Partial<NonNullable<TagTarget["tags"]>>, pointer = base.pointer_size): TagTarget => ({
    ...base, pointer_size: pointer, tags: { ...base.tags!, ...over },
  });
  const variants: Variant[] = [
    { name: "free-threaded", facts: { config: { Py_GIL_DISABLED: 1 } }, target: withFacts({ gil_disabled: 1 }) },
    { name: "debug", facts: { config: { Py_DEBUG: 1 } }, target: withFacts({ py_debug: 1 }) },
    { name: "free-threaded debug", facts: { config: { Py_DEBUG: 1, Py_GIL_DISABLED: 1 } }, target: withFacts({ py_debug: 1, gil_disabled: 1 }) },
    {
      name: "32-bit on x86_64",
      facts: { is_32bit: true, elf: { machine: 3, flags: 0 } },
      target: withFacts({ elf: { capacity: 1, encoding: 1, machine: 3, flags: 0, interpreter: null } }, 32),
    },
    {
      name: "armv8l (32-bit on aarch64, hard-float)",
      facts: { is_32bit: true, platform: "linux-aarch64", glibc: [2, 31], elf: { machine: 40, flags: 0x05000400 } },
      target: withFacts({ platform: "linux-aarch64", glibc: [2, 31], elf: { capacity: 1, encoding: 1, machine: 40, flags: 0x05000400, interpreter: null } }, 32),
    },
    {
      name: "musl, no glibc",
      facts: { glibc: null, musl: [1, 2] },
      target: withFacts({ glibc: null, musl: [1, 2] }),
    },
    {
      name: "aarch64 on glibc 2.17",
      facts: { platform: "linux-aarch64", glibc: [2, 17] },
      target: withFacts({ platform: "linux-aarch64", glibc: [2, 17] }),
    },
  ];
  for (const v of variants) {
    assert.deepEqual(supportedTags(v.target), oracle(py, v.facts), v.name);
  }
});

test("a wheel's priority: its best tag; undefined when none fits; compressed tag sets expanded", async (t) => {
  const sb = makeSandbox(t);
  const interp = await probeInterpreter(makeContext(sb), PYTHONS[3]!);
  const prio = TagPriorities.of(interp.info);
  const cp312 = prio.ofWheel("numpy-2.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  const abi3 = prio.ofWheel("cryptography-42.0.0-cp39-abi3-manylinux_2_28_x86_64.whl");
  const pure = prio.ofWheel("six-1.16.0-py2.py3-none-any.whl");
  assert.ok(cp312 !== undefined && abi3 !== undefined && pure !== undefined);
  assert.ok(cp312 < abi3 && abi3 < pure, `${cp312} < ${abi3} < ${pure}`);
  assert.equal(prio.ofWheel("numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl"), undefined, "another CPython");
  assert.equal(prio.ofWheel("x-1.0-cp312-cp312-musllinux_1_2_x86_64.whl"), undefined, "musl on glibc");
  assert.equal(prio.ofWheel("x-1.0-cp312-cp312-manylinux_2_99_x86_64.whl"), undefined, "a newer glibc");
  assert.equal(prio.ofWheel("x-1.0-py2-none-any.whl"), undefined, "Python 2 only");
  assert.equal(prio.ofWheel("not-a-wheel.tar.gz"), undefined);
  assert.deepEqual(wheelFileTags("Six-1.0-1build-PY2.py3-none-ANY.whl"), ["py2-none-any", "py3-none-any"]);
});

test("an answer from an older probe (no tag facts) is refused, not guessed", () => {
  const target = { implementation: "cpython", version_info: [3, 12, 1] as const, pointer_size: 64 };
  assert.throws(() => supportedTags(target), TagsUnknownError);
});
