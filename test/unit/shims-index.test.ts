// Version-file parsing as the shims read it, the range words the shim hands
// to venvctl (the TypeScript and sh rules must agree), and the index as sh:
// a key only ever matches its own literal text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRangeWord, parseVersionFileText } from "../../src/interpreters/version-file.js";
import type { Inventory, Target } from "../../src/interpreters/inventory.js";
import { renderIndexScript } from "../../src/shims/shim-index.js";
import { shQuote } from "../../src/shims/posix-shell.js";
import { fishQuote } from "../../src/shims/fish.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";

test("version files: words, comments, CRLF, BOM, blank lines; a range line is one request", () => {
  const cases: Array<[string, string[]]> = [
    ["3.12\n", ["3.12"]],
    ["3.12 3.11\n", ["3.12", "3.11"]],
    ["3.12\t3.11\n2.7\n", ["3.12", "3.11", "2.7"]],
    ["# pinned for CI\n3.12\n\n\n", ["3.12"]],
    ["3.12 # the newest\n3.11\n", ["3.12", "3.11"]],
    ["  #3.10\n3.9", ["3.9"]],
    ["3.12\r\n3.11\r\n", ["3.12", "3.11"]],
    ["\uFEFF3.12\n", ["3.12"]],
    [">=3.10 <3.13\n3.9\n", [">=3.10 <3.13", "3.9"]],
    [">=3.10, <3.13 # range\n", [">=3.10, <3.13"]],
    ["3.x\n", ["3.x"]],
    ["system\n", ["system"]],
    ["", []],
    ["# only a comment\n", []],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseVersionFileText(text), want, JSON.stringify(text));
});

/** The range pattern of shims/shim.sh, taken from the template itself. */
function shimRangePattern(): string {
  const template = readFileSync(join(PROJECT_ROOT, "shims", "shim.sh"), "utf8");
  const line = template.split("\n").find((l) => l.includes("_vc_isrange=1 ;;"));
  assert.ok(line, "the template has the range case");
  return line.trim().replace(/\)\s*_vc_isrange=1 ;;$/, "");
}

test("range words: the TypeScript rule and the shim's case pattern agree", (t) => {
  const sb = makeSandbox(t);
  const words = [
    "3", "3.12", "3.12.1", "3.14.0rc1", "pypy3.9", "system", "cpython@3.12", "python-3.12", "3.13t", "pypy3.9-7.3.11",
    "miniconda3-latest", "../../tmp/evil", "x", "X", "3.x", "3.X", "3.x.1", "3.12.*", "*", ">=3.10", "<3.13", "^3.10",
    "~=3.10", "!=3.11", "==3.12", "3.10,<3.13", "=3.12", "xenial", "3.xx", "lx", "x.1",
  ];
  const script = join(sb.work, "classify.sh");
  writeFileSync(script, `set -f\nfor w in "$@"; do case $w in ${shimRangePattern()}) echo range ;; *) echo version ;; esac; done\n`);
  const r = spawnSync("sh", [script, ...words], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const fromSh = r.stdout.trim().split("\n");
  words.forEach((w, i) => assert.equal(fromSh[i], isRangeWord(w) ? "range" : "version", `\`${w}\``));
  assert.ok(isRangeWord(">=3.10") && isRangeWord("3.x") && !isRangeWord("3.12") && !isRangeWord("xenial"));
});

function target(name: string, bin: string): Target {
  const [major, minor, patch] = name.split(".").map(Number) as [number, number, number];
  return { name, version: { major, minor, patch }, implementation: "cpython", source: "pyenv", python: `${bin}/python3`, bin, freeThreaded: false };
}

test("the index as sh: a key matches only its literal text, and nothing in a version runs", (t) => {
  const sb = makeSandbox(t);
  const a = target("3.12.1", "/opt/py/3.12.1/bin");
  const b = target("3.11.7", "/opt/it's here/bin");
  const index: Inventory = {
    targets: [a, b],
    keys: new Map<string, Target>([["3.12.1", a], ["3.12", a], ["3", a], ["3.11.7", b], ["odd*name", b], ["it's", b]]),
  };
  const file = join(sb.work, "index.sh");
  writeFileSync(file, renderIndexScript(index));
  const probe = (word: string) => {
    const r = spawnSync("sh", ["-c", `set -f; . ${shQuote(file)}; if _vc_lookup "$1"; then printf '%s' "$_vc_bin"; else printf MISS; fi`, "sh", word], {
      encoding: "utf8", cwd: sb.work,
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  assert.equal(probe("3.12"), "/opt/py/3.12.1/bin");
  assert.equal(probe("3"), "/opt/py/3.12.1/bin");
  assert.equal(probe("3.11.7"), "/opt/it's here/bin");
  assert.equal(probe("it's"), "/opt/it's here/bin");
  assert.equal(probe("odd*name"), "/opt/it's here/bin");
  for (const hostile of ["*", "3.1?", "3.1*", "[3].12", "odd", "oddXname", "../../../../tmp/evil", "3.12/../../x", "$(touch pwned)", "`touch pwned`", "3.12;touch pwned", ""]) {
    assert.equal(probe(hostile), "MISS", `\`${hostile}\` must not match`);
  }
  const ls = spawnSync("ls", [sb.work], { encoding: "utf8" }).stdout;
  assert.ok(!ls.includes("pwned"), "nothing in a version word ran");
});

test("quoting for the shells: values survive a round trip", () => {
  for (const s of ["3.12", "it's", "a b", "$HOME", "back\\slash", "", "--x", "3.12 3.11"]) {
    const sh = spawnSync("sh", ["-c", `printf '%s' ${shQuote(s)}`], { encoding: "utf8" });
    assert.equal(sh.stdout, s, `sh: ${s}`);
  }
  assert.equal(fishQuote("it's \\"), "'it\\'s \\\\'");
});
