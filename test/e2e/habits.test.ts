// The habits of pyenv, uv and pip typed after `venvctl`: each is exit 2, no
// output on stdout, nothing changed, and a hint naming the venvctl command
// with the user's arguments carried over. Real commands win over habits;
// `install 3.12` is a habit, `install 'requests>=2'` and `install -- 3.12`
// are installs. The README's table is the one the habits render.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { buildProgram, COMMANDS } from "../../src/cli/index.js";
import { HABITS, habitsMarkdown, looksLikePythonVersion, matchHabit } from "../../src/cli/habits.js";
import { makeContext } from "../helpers/context.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { makeEnv } from "../helpers/install-env.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { describeResult, PROJECT_ROOT, runCli } from "../helpers/run-cli.js";

/** What the user types → the command the hint must name (written out by hand, not computed). */
const EXPECTED: Array<{ argv: string[]; hint: RegExp }> = [
  { argv: ["local", "3.12"], hint: /^hint: run `venvctl use 3\.12`$/m },
  { argv: ["local"], hint: /^hint: run `venvctl version`$/m },
  { argv: ["global", "3.11", "3.10"], hint: /^hint: run `venvctl use --global 3\.11 3\.10`$/m },
  { argv: ["shell", "3.13"], hint: /^hint: run `venvctl use --shell 3\.13`$/m },
  { argv: ["shell", "--unset"], hint: /^hint: run `venvctl use --shell --unset`$/m },
  { argv: ["version-name"], hint: /^hint: run `venvctl version --bare`$/m },
  // Until `venvctl python install` exists, the hint says where interpreters come from.
  { argv: ["install", "3.12"], hint: /^hint: (run `venvctl python install 3\.12`|venvctl does not install interpreters here; install 3\.12 with pyenv or uv, then `venvctl rehash`); a package with such a name installs with `venvctl install -- 3\.12`$/m },
  { argv: ["install", "pypy3.10", "3.13t"], hint: /^hint: (run `venvctl python install pypy3\.10 3\.13t`|.*install pypy3\.10 3\.13t with pyenv or uv)/m },
  { argv: ["uninstall", "3.12.1"], hint: /^hint: (run `venvctl python uninstall 3\.12\.1`|venvctl does not remove interpreters here).*; a package with such a name is removed with `venvctl uninstall -y 3\.12\.1`$/m },
  { argv: ["init", "-"], hint: /^hint: run `venvctl init`$/m },
  { argv: ["init", "-", "bash"], hint: /^hint: run `venvctl init bash`$/m },
  { argv: ["activate", "my env"], hint: /^hint: activation happens in your shell: `\. 'my env'\/bin\/activate`/m },
  { argv: ["venv", "--python", "3.12", "my env"], hint: /^hint: run `venvctl create --python 3\.12 'my env'`$/m },
  { argv: ["pin", "3.12"], hint: /^hint: run `venvctl use 3\.12`$/m },
  { argv: ["python", "pin", "pypy3.9"], hint: /^hint: run `venvctl use pypy3\.9`$/m },
  { argv: ["python", "list"], hint: /^hint: run `venvctl versions`$/m },
  { argv: ["run", "python", "-c", "print(1)"], hint: /^hint: run `venvctl exec python -c 'print\(1\)'`$/m },
  { argv: ["pip", "list", "--format", "json"], hint: /^hint: run `venvctl list --format json`$/m },
  { argv: ["pip", "freeze", "--all"], hint: /^hint: run `venvctl freeze --all`$/m },
  { argv: ["pip", "show", "requests"], hint: /^hint: run `venvctl show requests`$/m },
  { argv: ["pip", "install", "-r", "requirements.txt"], hint: /^hint: run `venvctl install -r requirements\.txt`$/m },
  { argv: ["pip", "uninstall", "-y", "requests"], hint: /^hint: run `venvctl uninstall -y requests`$/m },
  { argv: ["pip", "sync", "requirements.txt"], hint: /^hint: run `venvctl sync requirements\.txt`$/m },
];

function program(): Command {
  const sb = makeSandbox();
  try {
    return buildProgram({ ctx: makeContext(sb), argv: [], exitCode: 0 });
  } finally {
    sb.cleanup();
  }
}

test("each habit: exit 2, nothing on stdout, nothing written, the venvctl command with the arguments carried over", (t) => {
  const sb = makeSandbox(t);
  const p = program();
  for (const { argv, hint } of EXPECTED) {
    // A habit that became a real command (issue 13's `python list`) is run, not explained.
    if (!matchHabit(p, argv)) continue;
    const r = runCli(argv, { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 2, `${argv.join(" ")}: ${describeResult(r)}`);
    assert.equal(r.stdout, "", argv.join(" "));
    assert.match(r.stderr, /^error: /, argv.join(" "));
    assert.match(r.stderr, hint, `${argv.join(" ")}: ${r.stderr}`);
    // `help HABIT` explains the same way.
    const help = runCli(["help", ...argv], { cwd: sb.work, env: sb.env });
    assert.equal(help.code, 2, `help ${argv.join(" ")}: ${describeResult(help)}`);
    assert.match(help.stderr, hint);
  }
  assert.ok(!existsSync(join(sb.work, ".python-version")), "local/pin wrote no pin");
  assert.ok(!existsSync(join(sb.root, "version")), "global wrote no pin");
  assert.ok(!existsSync(join(sb.work, "my env")), "venv created nothing");
});

test("every habit in the table is one the test above types", () => {
  const p = program();
  for (const h of HABITS) {
    if (matchHabit(p, [...h.typed, ...h.example])?.habit !== h) continue; // a real command now
    assert.ok(EXPECTED.some((e) => matchHabit(p, e.argv)?.habit === h), `no expected hint for \`${h.typed.join(" ")}\``);
  }
});

test("installs that are not the habit: a requirement with a specifier, options, and words after --", () => {
  const p = program();
  assert.equal(matchHabit(p, ["install", "requests>=2"]), undefined);
  assert.equal(matchHabit(p, ["install", "3.12>=1"]), undefined);
  assert.equal(matchHabit(p, ["install", "--", "3.12"]), undefined);
  assert.equal(matchHabit(p, ["install", "-r", "3.12"]), undefined);
  assert.equal(matchHabit(p, ["install", "3.12", "requests"]), undefined);
  assert.equal(matchHabit(p, ["uninstall", "-y", "3.12"]), undefined);
  for (const v of ["3", "3.12", "3.12.1", "3.14.0rc1", "3.13t", "pypy3.10", "cpython@3.12", "cpython-3.12.1", "2.7"]) {
    assert.ok(looksLikePythonVersion(v), v);
  }
  for (const v of ["requests", "3.12abc", "4.0", "312", "py", "3.12.1.4", "numpy==1.0", "1.0"]) {
    assert.ok(!looksLikePythonVersion(v), v);
  }
});

test("a real command wins over a habit: `python pin` once `python` has `pin`; `python list` once it exists", () => {
  // A program of its own, so the test holds whether or not `venvctl python` is merged yet.
  const p = new Command("venvctl");
  for (const name of ["use", "versions", "version", "install", "uninstall", "create", "exec", "init"]) p.command(name).argument("[args...]");
  assert.ok(matchHabit(p, ["python", "pin", "3.12"]), "no `python` command: the habit");
  assert.match(habitsMarkdown(p), /`venvctl install 3\.12` \| pyenv install: install an interpreter \| venvctl does not install interpreters here/);
  const python = new Command("python");
  python.command("list");
  python.command("install").argument("[v...]");
  p.addCommand(python);
  assert.equal(matchHabit(p, ["python", "list"]), undefined);
  assert.ok(matchHabit(p, ["python", "pin", "3.12"]), "`python` has no `pin`: still the habit");
  python.command("pin");
  assert.equal(matchHabit(p, ["python", "pin", "3.12"]), undefined);
  // With `python install`, install 3.12's hint names it; the README table follows the program.
  assert.match(habitsMarkdown(p), /`venvctl install 3\.12` \| pyenv install: install an interpreter \| `venvctl python install 3\.12` \|/);
  assert.doesNotMatch(habitsMarkdown(p), /venvctl python list/);
});

test("the README's table is the one the habits render for this program", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const m = /<!-- habits:begin[^>]*-->\n([\s\S]*?)<!-- habits:end -->/.exec(readme);
  assert.ok(m, "README has the habits table markers");
  const expected = habitsMarkdown(program());
  assert.equal(m[1], expected, `README.md's habits table is out of date (node --import tsx scripts/readme-habits.ts rewrites it); it should be:\n${expected}`);
});

test("help TYPO is a usage error with a suggestion; no arguments is the help on stdout, exit 0", (t) => {
  const sb = makeSandbox(t);
  const typo = runCli(["help", "shwo"], { cwd: sb.work, env: sb.env });
  assert.equal(typo.code, 2, describeResult(typo));
  assert.equal(typo.stdout, "");
  assert.match(typo.stderr, /^error: unknown command 'shwo'\n\(Did you mean show\?\)\nhint: /);
  const bare = runCli([], { cwd: sb.work, env: sb.env });
  assert.equal(bare.code, 0, describeResult(bare));
  assert.match(bare.stdout, /^Usage: venvctl \[options\] \[command\]/);
  assert.match(bare.stdout, /\n {2}doctor /);
  assert.equal(bare.stderr, "");
  const help = runCli(["help", "use"], { cwd: sb.work, env: sb.env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: venvctl use /);
});

test("no help text shows `(default: false)` or a JavaScript array", (t) => {
  const sb = makeSandbox(t);
  const walk = (cmd: Command, path: string[]): string[][] => [path, ...cmd.commands.flatMap((c) => walk(c, [...path, c.name()]))];
  for (const path of walk(program(), [])) {
    const r = runCli([...path, "--help"], { cwd: sb.work, env: sb.env });
    assert.equal(r.code, 0, `${path.join(" ")} --help: ${describeResult(r)}`);
    assert.doesNotMatch(r.stdout, /\(default: (false|true|\[)/, `${path.join(" ")} --help`);
  }
});

test("a package named like a version still reaches pip: `install -- 3.12`", (t) => {
  if (!requireOrSkip(t, pyenvPython("3.12") !== undefined, "pyenv's 3.12 is needed")) return;
  const sb = makeSandbox(t);
  makeEnv(sb, "env");
  const r = runCli(["install", "-p", "env", "--", "--no-index", "3.12"], { cwd: sb.work, env: sb.env });
  // pip was asked for a project named 3.12 (and, with no index, found none).
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /No matching distribution found for 3\.12/);
  assert.doesNotMatch(r.stderr, /pyenv install/);
});

test("a command line naming a command registers that command alone, the same one the whole program has", () => {
  const sb = makeSandbox();
  try {
    const ctx = makeContext(sb);
    const whole = buildProgram({ ctx, argv: [], exitCode: 0 });
    const visible = whole.commands.map((c) => c.name()).filter((n) => !n.startsWith("__"));
    assert.deepEqual(COMMANDS.map(([name]) => name), visible, "COMMANDS names each file's command, in --help's order");
    for (const [name] of COMMANDS) {
      const alone = buildProgram({ ctx, argv: [], exitCode: 0 }, name);
      const names = alone.commands.map((c) => c.name()).filter((n) => !n.startsWith("__"));
      assert.deepEqual(names, [name], `only ${name} is registered`);
      const a = alone.commands.find((c) => c.name() === name)!;
      const b = whole.commands.find((c) => c.name() === name)!;
      assert.equal(a.helpInformation(), b.helpInformation(), `${name}: the same options and help`);
    }
  } finally {
    sb.cleanup();
  }
});
