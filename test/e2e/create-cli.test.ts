// The command line of `venvctl create` as a user meets it: exit codes (2 for
// usage, 1 for failures), `error:`/`hint:` on stderr, data-only stdout, and
// the closing message that names the interpreter and the shell's activation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { describeResult, runCli } from "../helpers/run-cli.js";

const PY312 = pyenvPython("3.12")!;

test("--version prints the version on stdout and nothing else", (t) => {
  const sb = makeSandbox(t);
  for (const flag of ["--version", "-V"]) {
    const r = runCli([flag], { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 0, describeResult(r));
    assert.match(r.stdout, /^venvctl \d+\.\d+\.\d+\n$/);
    assert.equal(r.stderr, "");
  }
});

test("usage errors exit 2 with error: and hint: on stderr, and touch nothing", (t) => {
  const sb = makeSandbox(t);
  const cases: Array<[string[], RegExp]> = [
    [["create", "--clear", "--upgrade", "env"], /--clear and --upgrade cannot be used together/],
    [["create", "--copies", "--symlinks", "env"], /--copies and --symlinks/],
    [["create", "--without-pip", "--upgrade-deps", "env"], /--upgrade-deps needs pip/],
    [["create", "--no-such-flag", "env"], /unknown option '--no-such-flag'/],
    [["create", "--link-mode", "teleport", "env"], /teleport/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args, { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 2, `${args.join(" ")}: ${describeResult(r)}`);
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, /^error: /m, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /^hint: /m, args.join(" "));
  }
  assert.deepEqual(readdirSync(sb.work), []);
});

test("failures exit 1 with error: and hint:, and leave the target untouched", (t) => {
  const sb = makeSandbox(t);
  writeFileSync(join(sb.work, "file"), "x");
  const asFile = runCli(["create", "--without-pip", "-p", PY312, "file"], { cwd: sb.work, env: sb.env });
  assert.equal(asFile.code, 1, describeResult(asFile));
  assert.match(asFile.stderr, /^error: .*file exists and is not a directory$/m);
  assert.match(asFile.stderr, /^hint: /m);
  assert.equal(asFile.stdout, "");

  const noMatch = runCli(["create", "--without-pip", "-p", "3.99", "env"], { cwd: sb.work, env: sb.env });
  assert.equal(noMatch.code, 1, describeResult(noMatch));
  assert.match(noMatch.stderr, /^error: no interpreter matches 3\.99: found: /m);
  assert.doesNotMatch(noMatch.stderr, /internal error|    at /, "no stack trace");
  assert.deepEqual(readdirSync(sb.work), ["file"]);
});

test("on success stderr names the interpreter and the activation for the user's shell; stdout is empty", (t) => {
  const sb = makeSandbox(t);
  const shells: Array<[string, RegExp]> = [
    ["/bin/bash", /^Activate with: source env-bash\/bin\/activate$/m],
    ["/usr/bin/fish", /^Activate with: source env-fish\/bin\/activate\.fish$/m],
    ["/bin/tcsh", /^Activate with: source env-tcsh\/bin\/activate\.csh$/m],
  ];
  for (const [shell, activation] of shells) {
    const dir = `env-${shell.split("/").pop()}`;
    const r = runCli(["create", "--without-pip", "-p", PY312, dir], { cwd: sb.work, env: { ...sb.env, SHELL: shell } });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Using CPython 3\.12\.\d+ interpreter at: .*python3/m);
    assert.match(r.stderr, new RegExp(`^Created virtual environment at: ${join(sb.work, dir)}$`, "m"));
    assert.match(r.stderr, activation);
    assert.ok(existsSync(join(sb.work, dir, "pyvenv.cfg")));
  }
});

test("the activation hint is quoted for the user's shell", (t) => {
  const sb = makeSandbox(t);
  const cases: Array<[string, string, string]> = [
    ["/bin/zsh", "my env", "source 'my env/bin/activate'"],
    ["/bin/bash", "it's", "source 'it'\\''s/bin/activate'"],
    ["/usr/bin/fish", "it's", "source 'it\\'s/bin/activate.fish'"],
    ["/bin/tcsh", "wow!", "source 'wow\\!/bin/activate.csh'"],
    ["/usr/bin/pwsh", "it's", ". 'it''s/bin/Activate.ps1'"],
  ];
  for (const [shell, dir, expected] of cases) {
    const r = runCli(["create", "--without-pip", "-p", PY312, "--clear", dir], { cwd: sb.work, env: { ...sb.env, SHELL: shell } });
    assert.equal(r.code, 0, describeResult(r));
    assert.ok(r.stderr.split("\n").includes(`Activate with: ${expected}`), `${shell}: ${r.stderr}`);
  }
});
