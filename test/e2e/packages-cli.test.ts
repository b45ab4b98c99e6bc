// freeze / list / show as a user runs them (the built CLI): against the
// pyenv 3.11.7 interpreter and its ~100 real packages (read only: nothing is
// installed into it), pip's own output being the oracle; which environment
// is chosen (-p, $VIRTUAL_ENV, the nearest .venv, .python-version); usage
// errors; --json; what is handed to pip (--outdated, a pip that reads
// metadata through pkg_resources).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, PYENV_ROOT, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";
import { makeVenv, pipOk, runPip, runPipAsync, type Output } from "../helpers/package-env.js";
import { buildWheel } from "../helpers/wheel-builder.js";

const PY311 = join(PYENV_ROOT, "versions", "3.11.7", "bin", "python3.11");
const PY310 = pyenvPython("3.10");
const have311 = pyenvPython("3.11") !== undefined;

let sb: (Sandbox & { cleanup(): void }) | undefined;
let names: string[] = [];
let venv = "";
// pip show of ~100 packages takes pip half a minute (its Required-by is
// quadratic): both oracles start at once, in the background.
let showAll: Promise<Output> | undefined;
let showAllVerbose: Promise<Output> | undefined;

before(() => {
  sb = makeSandbox(undefined, "venvctl-pkgs-e2e");
  if (!have311) return;
  names = runPip(PY311, ["list", "--format", "freeze"], sb).stdout.trim().split("\n").map((l) => l.split("==")[0]!);
  showAll = runPipAsync(PY311, ["show", ...names], sb);
  showAllVerbose = runPipAsync(PY311, ["show", "-f", "-v", ...names], sb);
  venv = join(sb.work, "project", ".venv");
  makeVenv(PY311, venv, sb);
  buildWheel(join(sb.dir, "wheels"), { name: "Marker.Pkg", version: "1.0", files: { "marker_pkg.py": "" } });
  pipOk(join(venv, "bin", "python"), ["install", "-q", "--no-index", "--find-links", join(sb.dir, "wheels"), "Marker.Pkg"], sb);
});
after(() => sb?.cleanup());

const cli = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Output =>
  runCli(args, { cwd: opts.cwd ?? sb!.work, env: { ...sb!.env, ...(opts.env ?? {}) }, timeoutMs: 180_000 });

function same(ours: Output, pip: Output, what: string): void {
  assert.equal(ours.stdout, pip.stdout, `${what}: stdout\n${describeResult({ ...ours, code: ours.code })}`);
  assert.equal(ours.stderr, pip.stderr, `${what}: stderr`);
  assert.equal(ours.code, pip.code, `${what}: exit code`);
}

const ready = (t: Parameters<typeof requireOrSkip>[0]) => requireOrSkip(t, have311, "pyenv 3.11.7 is needed");

for (const args of [
  ["freeze"], ["freeze", "--all"], ["list"], ["list", "--format", "freeze"], ["list", "--format", "json"], ["list", "-v"],
  ["list", "--not-required"], ["list", "--format", "json", "-v"], ["list", "--exclude", "Numpy", "--exclude", "pip"],
]) {
  test(`pyenv 3.11.7: ${args.join(" ")} is pip's, byte for byte`, (t) => {
    if (ready(t)) same(cli([...args, "-p", PY311]), runPip(PY311, args, sb!), args.join(" "));
  });
}

test("pyenv 3.11.7: show of every package is pip's", async (t) => {
  if (ready(t)) same(cli(["show", ...names, "-p", PY311]), await showAll!, "show (all)");
});

test("pyenv 3.11.7: show -f -v of every package is pip's", async (t) => {
  if (ready(t)) same(cli(["show", "-f", "-v", ...names, "-p", PY311]), await showAllVerbose!, "show -f -v (all)");
});

test("show of a name not installed: pip's warning on stderr, exit 1; found ones still shown", (t) => {
  if (!ready(t)) return;
  same(cli(["show", "no-such-package", "-p", PY311]), runPip(PY311, ["show", "no-such-package"], sb!), "show missing");
  same(cli(["show", "Requests", "nope", "-p", PY311]), runPip(PY311, ["show", "Requests", "nope"], sb!), "show found + missing");
});

test("the environment: -p DIR, -p PYTHON, $VIRTUAL_ENV, the nearest .venv, .python-version", (t) => {
  if (!ready(t)) return;
  const vpy = join(venv, "bin", "python");
  const expected = runPip(vpy, ["freeze"], sb!);
  assert.match(expected.stdout, /^Marker\.Pkg==1\.0$/m);
  same(cli(["freeze", "-p", venv]), expected, "-p venv dir");
  same(cli(["freeze", "-p", vpy]), expected, "-p venv python");
  same(cli(["freeze"], { env: { VIRTUAL_ENV: venv } }), expected, "$VIRTUAL_ENV");
  const nested = join(sb!.work, "project", "src", "pkg");
  mkdirSync(nested, { recursive: true });
  same(cli(["freeze"], { cwd: nested }), expected, "the nearest .venv");
  // No venv around: version selection (.python-version names pyenv's 3.11.7).
  const elsewhere = join(sb!.work, "elsewhere");
  mkdirSync(elsewhere, { recursive: true });
  writeFileSync(join(elsewhere, ".python-version"), "3.11.7\n");
  same(cli(["freeze"], { cwd: elsewhere }), runPip(PY311, ["freeze"], sb!), ".python-version");
  same(cli(["list", "-p", "3.11.7"], { cwd: elsewhere }), runPip(PY311, ["list"], sb!), "-p 3.11.7");
  const bad = cli(["freeze"], { env: { VIRTUAL_ENV: join(sb!.work, "gone") } });
  assert.equal(bad.code, 1, describeResult(bad));
  assert.match(bad.stderr, /^error: VIRTUAL_ENV names .*gone, which is not a virtual environment/m);
  assert.equal(bad.stdout, "");
});

test("usage errors exit 2 with error: and hint:, nothing on stdout", (t) => {
  const cases: Array<[string[], RegExp]> = [
    [["freeze", "--path", "/tmp", "--user"], /Cannot combine '--path' with '--user' or '--local'/],
    [["list", "--path", "/tmp", "-l"], /Cannot combine '--path'/],
    [["list", "--format", "xml"], /xml/],
    [["list", "--outdated", "--uptodate"], /cannot be combined/],
    [["list", "--outdated", "--format", "freeze"], /List format 'freeze' cannot be used with the --outdated option/],
    [["show"], /missing required argument/],
    [["freeze", "--json", "-r", "x.txt"], /--json cannot be used with -r/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${describeResult(r)}`);
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
    assert.match(r.stderr, /^error: /m, args.join(" "));
  }
  void t;
});

test("--json: freeze and show for scripts", (t) => {
  if (!ready(t)) return;
  const f = cli(["freeze", "--json", "-p", PY311]);
  assert.equal(f.code, 0, describeResult(f));
  const entries = JSON.parse(f.stdout) as Array<{ name: string; version: string; requirement: string; editable: boolean }>;
  const lines = runPip(PY311, ["freeze"], sb!).stdout.trim().split("\n");
  assert.deepEqual(entries.map((e) => e.requirement), lines);
  assert.ok(entries.every((e) => e.editable === false && e.requirement === `${e.name}==${e.version}`));
  const s = cli(["show", "--json", "-v", "-f", "requests", "-p", PY311]);
  assert.equal(s.code, 0, describeResult(s));
  const [info] = JSON.parse(s.stdout) as Array<Record<string, unknown>>;
  assert.equal(info!.name, "requests");
  assert.ok(Array.isArray(info!.requires) && (info!.requires as string[]).includes("urllib3"));
  assert.ok(Array.isArray(info!.files) && (info!.files as string[]).some((f) => f === "requests/__init__.py"));
  assert.equal(typeof info!.installer, "string");
  const none = cli(["show", "--json", "nope", "-p", PY311]);
  assert.equal(none.code, 1);
  assert.equal(none.stdout, "[]\n");
  assert.match(none.stderr, /WARNING: Package\(s\) not found: nope/);
});

test("--outdated is handed to the environment's pip (which needs the index)", (t) => {
  if (!ready(t)) return;
  const args = ["list", "--outdated", "--no-index"];
  same(cli([...args, "-p", venv]), runPip(join(venv, "bin", "python"), args, sb!), "list --outdated --no-index");
});

test("a pip that reads metadata through pkg_resources (Python 3.10) answers itself", (t) => {
  if (!requireOrSkip(t, PY310 !== undefined, "pyenv 3.10 is needed")) return;
  const v = join(sb!.dir, "venv310");
  const vpy = makeVenv(PY310!, v, sb!);
  for (const args of [["freeze", "--all"], ["list"], ["show", "pip"]]) same(cli([...args, "-p", v]), runPip(vpy, args, sb!), args.join(" "));
  const r = cli(["list", "-p", v], { env: { VENVCTL_DEBUG: "1" } });
  assert.match(r.stderr, /pkg_resources/);
});

test("eggs (.egg) are left to pip, which reads them through pkg_resources", (t) => {
  if (!ready(t)) return;
  const dir = join(sb!.dir, "with-egg");
  mkdirSync(join(dir, "plain-1.0.dist-info"), { recursive: true });
  writeFileSync(join(dir, "plain-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: plain\nVersion: 1.0\n");
  mkdirSync(join(dir, "Egged-0.5-py3.egg", "EGG-INFO"), { recursive: true });
  writeFileSync(join(dir, "Egged-0.5-py3.egg", "EGG-INFO", "PKG-INFO"), "Metadata-Version: 1.0\nName: Egged\nVersion: 0.5\n");
  for (const args of [["freeze", "--path", dir], ["list", "--path", dir, "--format", "json"]]) {
    same(cli([...args, "-p", PY311]), runPip(PY311, args, sb!), args.join(" "));
  }
});
