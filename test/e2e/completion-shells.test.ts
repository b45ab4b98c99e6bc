// Completions in the real shells' completion machinery: bash (the function
// `complete -p` names, called with COMP_WORDS/COMP_CWORD as readline would),
// zsh (an interactive zsh under zpty, TAB pressed, compinit's own
// _main_complete calling our function; each match captured at compadd) and
// fish (`complete -C`). Commands, options, option values, installed versions,
// installed distributions (read without starting Python), `init` loading the
// script, and a command added to the program appearing with no other change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { buildProgram } from "../../src/cli/index.js";
import { completionScript } from "../../src/cli/completion.js";
import { makeSandbox, SYSTEM_PATH, type Sandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { makeEnv, pythonStarts } from "../helpers/install-env.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip, which } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";
import { venvctlBinDir } from "../helpers/shims.js";

const HAVE_312 = pyenvPython("3.12") !== undefined;

interface Setup {
  sb: Sandbox;
  env: Record<string, string>;
  scripts: Record<"bash" | "zsh" | "fish", string>;
}

function setup(t: Parameters<typeof makeSandbox>[0]): Setup {
  const sb = makeSandbox(t);
  const env: Record<string, string> = { ...sb.env, PATH: `${venvctlBinDir(sb)}:${SYSTEM_PATH}` };
  const scripts = {} as Setup["scripts"];
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const r = runCli(["completion", shell], { cwd: sb.work, env });
    assert.equal(r.code, 0, describeResult(r));
    assert.equal(r.stderr, "");
    scripts[shell] = join(sb.dir, `completion.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
  return { sb, env, scripts };
}

function exec(argv: string[], s: Setup, input = ""): { stdout: string; stderr: string; code: number } {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: s.sb.work, env: s.env, encoding: "utf8", input, timeout: 180_000, killSignal: "SIGKILL" });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? 128 };
}

/** bash: the completion function called as readline calls it, for the words typed (the last is under the cursor). */
function bashComplete(s: Setup, words: string[], script = `source "$0"`): string[] {
  const r = exec(["bash", "--norc", "--noprofile", "-c",
    `${script}; set -- "$@"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; ` +
    `fn=$(complete -p venvctl | sed -n 's/.*-F \\([^ ]*\\) venvctl$/\\1/p'); "$fn"; printf '%s\\n' "\${COMPREPLY[@]}"`,
    s.scripts.bash, "venvctl", ...words], s);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

/** fish: `complete -C` on the command line typed so far. */
function fishComplete(s: Setup, line: string, load = `source $argv[1]`): string[] {
  const r = exec(["fish", "--no-config", "-c", `${load}; complete -C $argv[2]`, s.scripts.fish, `venvctl ${line}`], s);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]!);
}

/**
 * zsh: an interactive zsh under zpty; `load` is run there, then compinit;
 * the line is typed with a TAB, and every match compinit's machinery adds is
 * printed by a compadd wrapper (the technique of zsh-capture-completion).
 */
function zshComplete(s: Setup, line: string, load = `source ${s.scripts.zsh}`): string[] {
  const rc = join(s.sb.dir, "zsh-setup.zsh");
  writeFileSync(rc, [
    "PS1='> '",
    load,
    "autoload -Uz compinit && compinit -u -D",
    "compadd() {",
    "  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"$@\"; return; fi",
    "  local -a __hits",
    "  builtin compadd -A __hits \"$@\"",
    "  local h; for h in $__hits; do print -r -- \"MATCH:$h\"; done",
    "  builtin compadd \"$@\"",
    "}",
    "__capture_end() { print -r -- END-OF-MATCHES; }",
    "zle -N __capture_end",
    "bindkey '^X' __capture_end",
    "",
  ].join("\n"));
  const driver = [
    "zmodload zsh/zpty",
    "zpty z zsh -f -i",
    `zpty -w z ${JSON.stringify(`source ${rc}`)}`,
    // The first prompt (precmd hooks run), then the line and TAB, then the end marker.
    `zpty -w -n z "$1"$'\\t\\x18'`,
    "out=",
    "while zpty -r z line; do out+=$line; [[ $line == *END-OF-MATCHES* ]] && break; done",
    "print -r -- $out",
    "zpty -d z",
  ].join("\n");
  const r = exec(["zsh", "-f", "-c", driver, "zsh", `venvctl ${line}`], s);
  assert.equal(r.code, 0, r.stderr);
  return [...r.stdout.matchAll(/MATCH:([^\r\n\x1b]*)/g)].map((m) => m[1]!);
}

test("bash: commands, options, choices, versions and `--opt=value`, through the function `complete -p` names", (t) => {
  const s = setup(t);
  const reg = exec(["bash", "--norc", "-c", `source "$0"; complete -p venvctl`, s.scripts.bash], s);
  assert.equal(reg.stdout.trim(), "complete -F _venvctl venvctl");
  assert.deepEqual(bashComplete(s, ["cr"]), ["create"]);
  assert.deepEqual(bashComplete(s, ["doc"]), ["doctor"]);
  const all = bashComplete(s, [""]);
  for (const c of ["create", "use", "install", "sync", "completion", "doctor"]) assert.ok(all.includes(c), `${c} in ${all}`);
  assert.ok(!all.includes("__complete"), "the hidden command is not offered");
  assert.deepEqual(bashComplete(s, ["create", "--link-mode", ""]).sort(), ["auto", "clone", "copy", "hardlink"]);
  assert.deepEqual(bashComplete(s, ["create", "--link-mode", "=", "h"]), ["hardlink"]);
  assert.deepEqual(bashComplete(s, ["list", "--format", "j"]), ["json"]);
  assert.deepEqual(bashComplete(s, ["list", "--fo"]), ["--format"]);
  assert.deepEqual(bashComplete(s, ["completion", ""]).sort(), ["bash", "fish", "zsh"]);
  assert.deepEqual(bashComplete(s, ["init", "f"]), ["fish"]);
  // An option's value is skipped when finding the command path: `-p 3.12 cr…` is still `create`'s operand.
  assert.ok(bashComplete(s, ["sync", "--dr"]).includes("--dry-run"));
  if (!requireOrSkip(t, HAVE_312, "pyenv's 3.12 is needed for the installed versions")) return;
  const versions = bashComplete(s, ["use", "3.1"]);
  assert.ok(versions.includes("3.12") && versions.some((v) => /^3\.12\.\d+$/.test(v)), versions.join(" "));
  assert.ok(bashComplete(s, ["create", "-p", "3.12"]).includes("3.12"));
});

test("bash, zsh, fish: distribution names of the -p environment, read without starting its Python", (t) => {
  if (!requireOrSkip(t, HAVE_312, "pyenv's 3.12 is needed")) return;
  if (!requireOrSkip(t, which("zsh") !== undefined && which("fish") !== undefined, "zsh and fish are needed")) return;
  const s = setup(t);
  const venv = makeEnv(s.sb, "env");
  pythonStarts(venv);
  assert.deepEqual(bashComplete(s, ["show", "-p", "env", "pi"]), ["pip"]);
  assert.deepEqual(bashComplete(s, ["uninstall", "--python", "env", "-y", "p"]), ["pip"]);
  assert.deepEqual(fishComplete(s, "reinstall -p env pi"), ["pip"]);
  assert.deepEqual(zshComplete(s, "show -p env pi"), ["pip"]);
  assert.deepEqual(pythonStarts(venv), [], "no Python started in the environment");
  // The active venv, as the commands themselves pick it.
  s.env.VIRTUAL_ENV = venv.dir;
  assert.deepEqual(bashComplete(s, ["show", "pi"]), ["pip"]);
  assert.deepEqual(pythonStarts(venv), []);
});

test("zsh: compinit's machinery completes commands, options, choices and versions; init loaded before compinit registers at the first prompt", (t) => {
  if (!requireOrSkip(t, which("zsh") !== undefined, "zsh is needed")) return;
  const s = setup(t);
  assert.deepEqual(zshComplete(s, "cr"), ["create"]);
  assert.deepEqual(zshComplete(s, "create --link-mode ").sort(), ["auto", "clone", "copy", "hardlink"]);
  assert.deepEqual(zshComplete(s, "list --fo"), ["--format"]);
  assert.deepEqual(zshComplete(s, "list --format=j"), ["json"]);
  // `venvctl init zsh` in the rc file, before compinit (a common order).
  const init = `eval "$(venvctl init zsh 2>/dev/null)"`;
  assert.deepEqual(zshComplete(s, "versi", init).sort(), ["version", "versions"]);
  if (!requireOrSkip(t, HAVE_312, "pyenv's 3.12 is needed for the installed versions")) return;
  assert.ok(zshComplete(s, "use 3.1").includes("3.12"));
});

test("fish: complete -C offers commands with descriptions, options, choices, versions; init loads it", (t) => {
  if (!requireOrSkip(t, which("fish") !== undefined, "fish is needed")) return;
  const s = setup(t);
  assert.deepEqual(fishComplete(s, "cr"), ["create"]);
  const described = exec(["fish", "--no-config", "-c", `source $argv[1]; complete -C 'venvctl cr'`, s.scripts.fish], s).stdout;
  assert.match(described, /^create\tCreate a virtual environment/);
  assert.deepEqual(fishComplete(s, "create --link-mode ").sort(), ["auto", "clone", "copy", "hardlink"]);
  assert.deepEqual(fishComplete(s, "list --format=j"), ["--format=json"]);
  assert.ok(fishComplete(s, "install --no-").includes("--no-deps"));
  // exec: after CMD everything is CMD's, so no venvctl option is offered.
  assert.ok(!fishComplete(s, "exec python --").includes("--help"));
  assert.deepEqual(fishComplete(s, "versi", "venvctl init fish 2>/dev/null | source").sort(), ["version", "versions"]);
  if (!requireOrSkip(t, HAVE_312, "pyenv's 3.12 is needed for the installed versions")) return;
  assert.ok(fishComplete(s, "use 3.1").includes("3.12"));
});

test("bash: `eval \"$(venvctl init bash)\"` loads the completion", (t) => {
  const s = setup(t);
  assert.deepEqual(bashComplete(s, ["rehas"], `eval "$(venvctl init bash 2>/dev/null)"`), ["rehash"]);
});

test("a command added to the program is completed with no change to the completion code", async (t) => {
  const s = setup(t);
  const ctx = makeContext(s.sb);
  const program = buildProgram({ ctx, argv: [], exitCode: 0 });
  // A command this program does not have (yet): its name, subcommands and options complete.
  const tidy = new Command("tidy").description("tidy up");
  tidy.command("sweep").description("remove what no env uses").option("--dry-run", "say only");
  tidy.command("where").description("print the directory");
  program.addCommand(tidy);
  writeFileSync(s.scripts.bash, await completionScript(program, "bash"));
  assert.deepEqual(bashComplete(s, ["tid"]), ["tidy"]);
  assert.deepEqual(bashComplete(s, ["tidy", ""]).sort(), ["sweep", "where"]);
  assert.deepEqual(bashComplete(s, ["tidy", "sweep", "--d"]), ["--dry-run"]);
});
