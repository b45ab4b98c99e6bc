import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { formatPyvenvCfg, getCfgValue, parsePyvenvCfg, pythonRepr } from "../../src/standards/pyvenv-cfg.js";
import { PYENV_ROOT } from "../helpers/hermetic.js";

test("splits each line at the first =", () => {
  const text = "home = /usr/bin\ninclude-system-site-packages = false\nprompt = 'a = b'\ncommand = /x -m venv --prompt=\"p\" /e\nnot a pair\n\nVersion = 3.12.1\r\n";
  const entries = parsePyvenvCfg(text);
  assert.deepEqual(entries.map((e) => e.key), ["home", "include-system-site-packages", "prompt", "command", "Version"]);
  assert.equal(getCfgValue(entries, "prompt"), "'a = b'");
  assert.equal(getCfgValue(entries, "command"), '/x -m venv --prompt="p" /e');
  assert.equal(getCfgValue(entries, "version"), "3.12.1");
  assert.equal(formatPyvenvCfg([{ key: "home", value: "/usr/bin" }]), "home = /usr/bin\n");
});

test("pythonRepr matches Python's repr() on awkward strings", () => {
  const samples = ["env", "it's", 'say "hi"', `both ' and "`, "back\\slash", "tab\there", "ünïcode ✓", "nul\x01", "\x85x"];
  const python = `${PYENV_ROOT}/versions/3.12.1/bin/python3`;
  const r = spawnSync(python, ["-c", "import json,sys\nfor s in json.load(sys.stdin): print(repr(s))"], {
    input: JSON.stringify(samples),
    encoding: "utf8",
    env: { ...process.env, PYTHONIOENCODING: "utf-8" },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(samples.map(pythonRepr), r.stdout.trimEnd().split("\n"));
});
