// `--json` on every command that reads, parsed: stdout holds one JSON
// document and nothing else, in the shape the README documents. And colour:
// the labels coloured under a pseudo-terminal (`script`), never with
// NO_COLOR or through a pipe, always with FORCE_COLOR; what a child program
// writes reaches the terminal untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { makeEnv } from "../helpers/install-env.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip, which } from "../helpers/require.js";
import { CLI, describeResult, runCli, type CliResult } from "../helpers/run-cli.js";

const PY312 = pyenvPython("3.12");
const PY311 = pyenvPython("3.11");

function json(r: CliResult): unknown {
  assert.equal(r.code, 0, describeResult(r));
  return JSON.parse(r.stdout);
}

test("version, which, versions --json: the selection as data", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined && PY311 !== undefined, "pyenv's 3.11 and 3.12 are needed")) return;
  const sb = makeSandbox(t);
  const proj = join(sb.work, "proj");
  mkdirSync(proj);
  writeFileSync(join(proj, ".python-version"), "3.12\n");
  const run = (args: string[]) => runCli(args, { cwd: proj, env: sb.env });

  const v = json(run(["version", "--json"])) as { versions: Array<{ name: string; path: string }>; missing: string[]; origin: { kind: string; path: string }; set_by: string };
  assert.equal(v.versions.length, 1);
  assert.match(v.versions[0]!.name, /^3\.12\.\d+$/);
  assert.equal(realpathSync(v.versions[0]!.path), realpathSync(PY312!));
  assert.deepEqual(v.missing, []);
  assert.deepEqual(v.origin, { kind: "file", path: join(proj, ".python-version") });
  assert.equal(v.set_by, `set by ${join(proj, ".python-version")}`);

  // A pinned version that is missing: the JSON for what was found, then exit 1.
  writeFileSync(join(proj, ".python-version"), "3.12\n3.4\n");
  const missing = run(["version", "--json"]);
  assert.equal(missing.code, 1, describeResult(missing));
  const mj = JSON.parse(missing.stdout) as { versions: unknown[]; missing: string[] };
  assert.equal(mj.versions.length, 1);
  assert.deepEqual(mj.missing, ["3.4"]);
  assert.match(missing.stderr, /^error: /);
  writeFileSync(join(proj, ".python-version"), "3.12\n");

  const w = json(run(["which", "--json", "pip"])) as Record<string, unknown>;
  assert.equal(w.command, "pip");
  assert.equal(w.from, "version");
  assert.match(String(w.version), /^3\.12\.\d+$/);
  assert.equal(realpathSync(String(w.path)), realpathSync(join(dirname(PY312!), "pip")));
  assert.equal(w.venv, null);

  const versionsOut = run(["versions", "--json"]);
  const vs = json(versionsOut) as Array<{ name: string; selected: boolean; source: string; selected_by?: string; selectedBy?: string }>;
  const selected = vs.filter((x) => x.selected);
  assert.equal(selected.length, 1);
  assert.equal(selected[0]!.name, v.versions[0]!.name);
  assert.equal(selected[0]!.source, "pyenv");
  assert.match(selected[0]!.selected_by!, /set by .*\.python-version/);
  assert.equal(selected[0]!.selectedBy, selected[0]!.selected_by, "the old key, kept for one release");
  assert.ok(vs.filter((x) => !x.selected).every((x) => !("selected_by" in x)), "only a selected one says why");
  // Compact, as every --json document (one line).
  assert.equal(versionsOut.stdout.trimEnd().split("\n").length, 1);
  const pl = json(run(["python", "list", "--json"])) as { installed: Array<{ selected_by?: string; managed: boolean }> };
  assert.ok(pl.installed.some((x) => x.selected_by !== undefined && typeof x.managed === "boolean"), "python list --json's entries are versions --json's");
});

test("list, freeze, show --json of a venv, and sync --dry-run --json's plan", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv's 3.12 is needed")) return;
  const sb = makeSandbox(t);
  const env = makeEnv(sb, "env");
  const run = (args: string[]) => runCli(args, { cwd: sb.work, env: sb.env });

  const list = json(run(["list", "-p", "env", "--json"])) as Array<{ name: string; version: string }>;
  const pip = list.find((p) => p.name === "pip");
  assert.ok(pip, JSON.stringify(list));
  assert.deepEqual(json(run(["list", "-p", "env", "--format", "json"])), list, "--json is --format json");
  const both = run(["list", "-p", "env", "--json", "--format", "freeze"]);
  assert.equal(both.code, 2, describeResult(both));

  const freeze = json(run(["freeze", "-p", "env", "--all", "--json"])) as Array<{ name: string; version: string; requirement: string; editable: boolean }>;
  assert.deepEqual(freeze.find((f) => f.name === "pip"), { name: "pip", version: pip.version, requirement: `pip==${pip.version}`, editable: false });

  const show = json(run(["show", "-p", "env", "--json", "pip"])) as Array<Record<string, unknown>>;
  assert.equal(show.length, 1);
  assert.equal(show[0]!.name, "pip");
  assert.equal(show[0]!.version, pip.version);
  assert.equal(show[0]!.location, env.site);

  const req = join(sb.work, "requirements.txt");
  writeFileSync(req, `pip==${pip.version}\nleft-pad==1.0\n`);
  const plan = json(run(["sync", "-p", "env", "--dry-run", "--json", "requirements.txt"])) as Record<string, unknown>;
  assert.equal(plan.in_sync, false);
  assert.deepEqual(plan.install, [{ requirement: "left-pad==1.0", reason: "missing", installed: null, where: "requirements.txt line 2" }]);
  assert.equal(typeof plan.pip_install, "string");
  assert.deepEqual(plan.uninstall, []);
  writeFileSync(req, `pip==${pip.version}\n`);
  const inSync = json(run(["sync", "-p", "env", "--dry-run", "--json", "requirements.txt"])) as Record<string, unknown>;
  assert.equal(inSync.in_sync, true);
  assert.deepEqual(inSync.install, []);
  assert.equal(inSync.pip_install, null);
  const noDry = run(["sync", "-p", "env", "--json", "requirements.txt"]);
  assert.equal(noDry.code, 2, describeResult(noDry));
  assert.equal(noDry.stdout, "");
});

/** Runs venvctl under a pseudo-terminal (`script`), stdout and stderr both on it. */
function underTerminal(args: string[], env: Record<string, string>, cwd: string): string {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const r = spawnSync("script", ["-q", "-e", "-c", cmd, "/dev/null"], { cwd, env, encoding: "utf8", timeout: 120_000, killSignal: "SIGKILL" });
  if (r.error) throw r.error;
  return r.stdout;
}

test("colour: labels coloured on a terminal; none with NO_COLOR or through a pipe; FORCE_COLOR forces it", (t) => {
  if (!requireOrSkip(t, which("script") !== undefined, "script (util-linux) is needed for a pseudo-terminal")) return;
  const sb = makeSandbox(t);
  const env = { ...sb.env, TERM: "xterm" };
  delete (env as Record<string, string | undefined>).NO_COLOR;
  delete (env as Record<string, string | undefined>).FORCE_COLOR;

  const tty = underTerminal(["local", "3.12"], env, sb.work);
  assert.match(tty, /\x1b\[31merror:\x1b\[0m venvctl has no `local` command/);
  assert.match(tty, /\x1b\[2mhint:\x1b\[0m run `venvctl use 3\.12`/);

  const noColor = underTerminal(["local", "3.12"], { ...env, NO_COLOR: "1" }, sb.work);
  assert.match(noColor, /error: venvctl has no/);
  assert.doesNotMatch(noColor, /\x1b\[/);
  // NO_COLOR wins over FORCE_COLOR.
  assert.doesNotMatch(underTerminal(["local", "3.12"], { ...env, NO_COLOR: "1", FORCE_COLOR: "1" }, sb.work), /\x1b\[/);

  const piped = runCli(["local", "3.12"], { cwd: sb.work, env });
  assert.equal(piped.code, 2);
  assert.match(piped.stderr, /^error: venvctl has no `local` command/);
  assert.doesNotMatch(piped.stderr, /\x1b/);

  const forced = runCli(["local", "3.12"], { cwd: sb.work, env: { ...env, FORCE_COLOR: "1" } });
  assert.match(forced.stderr, /^\x1b\[31merror:\x1b\[0m /);
  assert.match(forced.stderr, /^\x1b\[2mhint:\x1b\[0m /m);
  assert.doesNotMatch(runCli(["local", "3.12"], { cwd: sb.work, env: { ...env, FORCE_COLOR: "0" } }).stderr, /\x1b/);

  // A warning is yellow: `init` warns when it cannot write the shims (the root is below a file).
  writeFileSync(join(sb.dir, "a-file"), "");
  const warned = runCli(["init", "bash"], { cwd: sb.work, env: { ...env, FORCE_COLOR: "1", VENVCTL_ROOT: join(sb.dir, "a-file", "root") } });
  assert.equal(warned.code, 0, describeResult(warned));
  assert.match(warned.stderr, /^\x1b\[33mwarning:\x1b\[0m venvctl init: /);
});

test("colour: what a program run by venvctl writes is passed through untouched", (t) => {
  if (!requireOrSkip(t, which("script") !== undefined && PY312 !== undefined, "script and pyenv's 3.12 are needed")) return;
  const sb = makeSandbox(t);
  const env = { ...sb.env, TERM: "xterm", FORCE_COLOR: "1", VENVCTL_VERSION: "3.12" };
  const r = runCli(["exec", "python", "-c", "import sys; sys.stderr.write('error: from python\\nwarning: too\\n')"], { cwd: sb.work, env });
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stderr, "error: from python\nwarning: too\n");
  const tty = underTerminal(["exec", "python", "-c", "import sys; sys.stderr.write('error: from python\\n')"], env, sb.work);
  assert.match(tty, /^error: from python\r?$/m);
});
