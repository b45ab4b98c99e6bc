// The shim's resolution, with fake interpreters (scripts that print their own
// path): the shim in sh and `which` in TypeScript must name the same
// executable for every selection (VENVCTL_VERSION, the nearest
// .python-version, the global file, system, several versions, an active
// venv), and fail the same way — with the version and who set it — when
// nothing selected is installed. Hostile and malformed version files too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { which } from "../../src/commands/which.js";
import { VenvctlError } from "../../src/errors.js";
import { buildInventory } from "../../src/interpreters/inventory.js";
import { resolveEntry } from "../../src/interpreters/selection.js";
import { rehashShims } from "../../src/shims/rehash.js";
import { makeContext } from "../helpers/context.js";
import { makeFakePyenv, writeFakeExecutable } from "../helpers/fake-pythons.js";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { describeRun, run, type Run } from "../helpers/shims.js";

interface World {
  sb: Sandbox;
  pyenvRoot: string;
  sysbin: string;
  project: string;
  deep: string;
  env: Record<string, string>;
}

/** A fake pyenv with five versions, a PATH with one non-Python tool, shims written. */
async function world(t: Parameters<typeof makeSandbox>[0]): Promise<World> {
  const sb = makeSandbox(t);
  const pyenvRoot = join(sb.dir, "fake-pyenv");
  makeFakePyenv(pyenvRoot, {
    "3.13.0": ["python", "python3", "python3.13", "pip"],
    "3.12.1": ["python", "python3", "python3.12", "pip", "pip3.12"],
    "3.12.0": ["python", "python3", "python3.12"],
    "3.11.7": ["python", "python3", "python3.11", "pip", "black"],
    "2.7.18": ["python", "python2", "python2.7"],
  });
  const sysbin = join(sb.dir, "sysbin");
  mkdirSync(sysbin);
  // black is also 3.11.7's: a command both PATH and a version have.
  writeFakeExecutable(join(sysbin, "black"));
  // node, for the shim's hand-over to `venvctl exec`, without /usr/bin's pythons.
  symlinkSync(process.execPath, join(sysbin, "node"));
  const project = join(sb.work, "project");
  const deep = join(project, "src", "pkg");
  mkdirSync(deep, { recursive: true });
  const env: Record<string, string> = { ...sb.env, PYENV_ROOT: pyenvRoot, PATH: `${join(sb.root, "shims")}:${sysbin}` };
  delete env.PWD;
  const ctx = makeContext(sb, { env });
  await rehashShims(ctx);
  return { sb, pyenvRoot, sysbin, project, deep, env };
}

/** Runs the shim for `cmd` in `cwd`. */
function shim(w: World, cmd: string, cwd: string, env: Record<string, string> = {}, args: string[] = ["-V"]): Run {
  return run([join(w.sb.root, "shims", cmd), ...args], { cwd, env: { ...w.env, ...env, PWD: cwd } });
}

/** `venvctl which` in-process, as a path or the error message. */
async function whichOf(w: World, cmd: string, cwd: string, env: Record<string, string> = {}): Promise<string> {
  try {
    return (await which({ command: cmd }, makeContext(w.sb, { cwd, env: { ...w.env, ...env } }))).path;
  } catch (err) {
    assert.ok(err instanceof VenvctlError, String(err));
    return `error: ${err.message}`;
  }
}

/** The shim ran `path`, and `which` names the same `path`. */
async function agree(w: World, cmd: string, cwd: string, path: string, env: Record<string, string> = {}): Promise<void> {
  const r = shim(w, cmd, cwd, env);
  assert.equal(r.code, 0, describeRun(r));
  assert.equal(r.stdout, `${path} [-V]\n`, `the shim for ${cmd} ran ${r.stdout}`);
  assert.equal(await whichOf(w, cmd, cwd, env), path, `which ${cmd}`);
}

const bin = (w: World, version: string, cmd: string) => join(w.pyenvRoot, "versions", version, "bin", cmd);

test("the nearest .python-version, prefixes, several versions, comments, CRLF", async (t) => {
  const w = await world(t);
  const pin = (text: string, dir = w.project) => writeFileSync(join(dir, ".python-version"), text);

  pin("3.12\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  await agree(w, "python", w.project, bin(w, "3.12.1", "python"));
  pin("3\n");
  await agree(w, "python3", w.deep, bin(w, "3.13.0", "python3"));
  pin("2\n");
  await agree(w, "python", w.deep, bin(w, "2.7.18", "python"));
  pin("3.12.0\n");
  await agree(w, "python", w.deep, bin(w, "3.12.0", "python"));
  pin("python-3.12\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));

  // Several versions: the first that has the command wins.
  pin("3.12 3.11\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  await agree(w, "black", w.deep, bin(w, "3.11.7", "black"));
  pin("# comment\n\n3.99\n3.11 # inline\n\n");
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  pin("\uFEFF3.11\r\n3.12\r\n");
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  await agree(w, "pip3.12", w.deep, bin(w, "3.12.1", "pip3.12"));

  // The nearest file wins.
  pin("3.13\n", w.deep);
  await agree(w, "python", w.deep, bin(w, "3.13.0", "python"));
  await agree(w, "python", w.project, bin(w, "3.11.7", "python"));
});

test("VENVCTL_VERSION over the files, the global file under them, system last", async (t) => {
  const w = await world(t);
  writeFileSync(join(w.project, ".python-version"), "3.12\n");
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"), { VENVCTL_VERSION: "3.11" });
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"), { VENVCTL_VERSION: "3.99:3.12" });
  await agree(w, "python", w.deep, bin(w, "2.7.18", "python"), { VENVCTL_VERSION: "2 3" });
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"), { VENVCTL_VERSION: "  " });

  // No local file: the global one. An empty local file counts as none.
  const elsewhere = join(w.sb.work, "elsewhere");
  mkdirSync(elsewhere);
  writeFileSync(join(w.sb.root, "version"), "3.11\n");
  await agree(w, "python", elsewhere, bin(w, "3.11.7", "python"));
  writeFileSync(join(elsewhere, ".python-version"), "# nothing pinned\n");
  await agree(w, "python", elsewhere, bin(w, "3.11.7", "python"));

  // Nothing pinned: the first on PATH outside the shims; `system` says so explicitly.
  rmSync(join(w.sb.root, "version"));
  await agree(w, "black", elsewhere, join(w.sysbin, "black"));
  writeFileSync(join(w.project, ".python-version"), "system\n");
  await agree(w, "black", w.deep, join(w.sysbin, "black"));
  // A command the pinned version lacks falls back to PATH, as in pyenv.
  writeFileSync(join(w.project, ".python-version"), "3.12\n");
  await agree(w, "black", w.deep, join(w.sysbin, "black"));
  writeFileSync(join(w.project, ".python-version"), "3.12 3.11\n");
  await agree(w, "black", w.deep, bin(w, "3.11.7", "black"));
});

test("an active virtual environment's own executables come first", async (t) => {
  const w = await world(t);
  writeFileSync(join(w.project, ".python-version"), "3.12\n");
  const venv = join(w.sb.work, "venv");
  mkdirSync(join(venv, "bin"), { recursive: true });
  writeFakeExecutable(join(venv, "bin", "python"));
  await agree(w, "python", w.deep, join(venv, "bin", "python"), { VIRTUAL_ENV: venv });
  // What the venv does not have resolves as usual.
  await agree(w, "pip", w.deep, bin(w, "3.12.1", "pip"), { VIRTUAL_ENV: venv });
});

test("not installed: the version and who set it, exit 127; `which` says the same", async (t) => {
  const w = await world(t);
  const file = join(w.project, ".python-version");
  writeFileSync(file, "3.99\n");
  const r = shim(w, "python", w.deep);
  assert.equal(r.code, 127, describeRun(r));
  assert.equal(r.stdout, "");
  assert.match(r.stderr, new RegExp(`^venvctl: version \`3\\.99' is not installed \\(set by ${file.replace(/\./g, "\\.")}\\)\n`));
  assert.match(r.stderr, /installed: 3\.13\.0, 3\.12\.1, 3\.12\.0, 3\.11\.7, 2\.7\.18/);
  assert.match(await whichOf(w, "python", w.deep), new RegExp(`^error: version \`3\\.99\` is not installed \\(set by ${file.replace(/\./g, "\\.")}\\)`));

  const v = shim(w, "python", w.deep, { VENVCTL_VERSION: "4.1" });
  assert.equal(v.code, 127);
  assert.match(v.stderr, /version `4\.1' is not installed \(set by VENVCTL_VERSION\)/);

  // Installed, but without the command, and not on PATH either: who has it.
  writeFileSync(file, "3.11\n");
  const c = shim(w, "python3.12", w.deep);
  assert.equal(c.code, 127, describeRun(c));
  assert.match(c.stderr, /venvctl: python3\.12: command not found\nvenvctl: the `python3\.12' command exists in these Python versions: 3\.12\.1, 3\.12\.0\n/);
  assert.match(await whichOf(w, "python3.12", w.deep), /^error: python3\.12: command not found: not in 3\.11\.7 \(set by .*\), nor on PATH/);
});

test("a hostile .python-version cannot run anything outside the discovered interpreters", async (t) => {
  const w = await world(t);
  // The pyenv CVE-2022-35861 pattern: a version that walks out of versions/.
  const evil = join(w.sb.dir, "evil", "bin");
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, "python"), `#!/bin/sh\ntouch ${JSON.stringify(join(w.sb.dir, "PWNED"))}\n`, { mode: 0o755 });
  for (const text of ["../../evil\n", "../../../../../../../../" + w.sb.dir.slice(1) + "/evil\n", `${join(w.sb.dir, "evil")}\n`, "3.1?\n", "$(touch PWNED)\n"]) {
    writeFileSync(join(w.project, ".python-version"), text);
    const r = shim(w, "python", w.deep);
    assert.equal(r.code, 127, `${JSON.stringify(text)}: ${describeRun(r)}`);
    assert.match(r.stderr, /is not installed/);
    assert.match(await whichOf(w, "python", w.deep), /^error: /);
  }
  // A glob is a range word meaning any version (as `x` does): the newest discovered one.
  writeFileSync(join(w.project, ".python-version"), "*\n");
  await agree(w, "python", w.deep, bin(w, "3.13.0", "python"));
  assert.ok(!existsSync(join(w.sb.dir, "PWNED")), "the hostile interpreter never ran");
  assert.ok(!existsSync(join(w.deep, "PWNED")));
});

test("ranges and files too big for the shim go to `venvctl exec`, which resolves them the same way", async (t) => {
  const w = await world(t);
  const file = join(w.project, ".python-version");
  writeFileSync(file, ">=3.11 <3.13\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  writeFileSync(file, "3.99\n3.x\n");
  await agree(w, "python", w.deep, bin(w, "3.13.0", "python"));
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"), { VENVCTL_VERSION: "~=3.11.0" });
  // 300 lines, the version on the last: within the 4 KiB both read.
  writeFileSync(file, "# many\n".repeat(299) + "3.11\n");
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  // Arguments reach the program untouched through the hand-over too.
  writeFileSync(file, "^3.12\n");
  const r = shim(w, "python", w.deep, {}, ["-c", "a b", "--", "$HOME", ""]);
  assert.equal(r.code, 0, describeRun(r));
  assert.equal(r.stdout, `${bin(w, "3.13.0", "python")} [-c] [a b] [--] [$HOME] []\n`);
  const code = shim(w, "python", w.deep, { FAKE_EXIT: "7" });
  assert.equal(code.code, 7, "the exit code is the program's");
});

test("binary and huge version files: the shim and venvctl read the same first 4 KiB, never more", async (t) => {
  const w = await world(t);
  const file = join(w.project, ".python-version");
  // NUL bytes are dropped (sh cannot hold them), by both.
  writeFileSync(file, Buffer.from("3.12\0\n"));
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  // Bytes that name no version: not installed, by both, naming the file.
  writeFileSync(file, Buffer.from([0x33, 0x2e, 0x31, 0x32, 0x00, 0xff, 0xfe, 0x3d, 0x0a]));
  const r = shim(w, "python", w.deep);
  assert.equal(r.code, 127, describeRun(r));
  assert.ok(r.stderr.includes(`is not installed (set by ${file})`), r.stderr);
  assert.match(await whichOf(w, "python", w.deep), /^error: version `3\.12.*` is not installed \(set by .*\.python-version\)/);
  // Huge files: only the first 4 KiB is read, by both; a line running past it is cut there.
  writeFileSync(file, Buffer.alloc(200 * 1024, "3.11 "));
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  // A single line of 64 GiB (sparse: it costs no disk): read whole, it would
  // take minutes (dash's read takes a byte per system call); read as far as
  // 4 KiB, it takes milliseconds. The limit is generous: only reading it
  // whole fails it.
  writeFileSync(file, "3.11 ");
  truncateSync(file, 64 * 1024 ** 3);
  const started = Date.now();
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  // A version on a line after the first 4 KiB is read by neither: nothing is pinned.
  writeFileSync(file, `${"#".repeat(5000)}\n3.11\n`);
  const late = shim(w, "python", w.deep);
  assert.equal(late.code, 127, describeRun(late));
  assert.match(late.stderr, /^venvctl: python: command not found\n/);
  assert.match(await whichOf(w, "python", w.deep), /^error: python: command not found: no version is pinned/);
  // A directory named .python-version is passed over (as pyenv does), not an error.
  const sub = join(w.deep, "sub");
  mkdirSync(join(sub, ".python-version"), { recursive: true });
  writeFileSync(file, "3.11\n");
  await agree(w, "python", sub, bin(w, "3.11.7", "python"));
});

test("the shim's stamps of short version files only save time: a file changed behind them is still read as it is", async (t) => {
  const w = await world(t);
  const file = join(w.project, ".python-version");
  const stamps = join(w.sb.cache, "version-files");
  writeFileSync(file, "3.12\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  assert.equal(readdirSync(stamps).length, 1, "the first call stamps the short file");
  // Changed in place and dated back before the stamp (cp -p, tar): the stamp
  // is stale, and the shim still reads what the file holds now.
  const past = new Date(Date.now() - 3600_000);
  const backdate = () => {
    utimesSync(file, past, past);
    utimesSync(w.project, past, past);
  };
  writeFileSync(file, "3.11\n");
  backdate();
  await agree(w, "python", w.deep, bin(w, "3.11.7", "python"));
  // Grown past 4 KiB behind a stale stamp: read as its first 4 KiB, as venvctl reads it.
  writeFileSync(file, `3.13 ${"x".repeat(5000)}\n3.11\n`);
  backdate();
  await agree(w, "python", w.deep, bin(w, "3.13.0", "python"));
  writeFileSync(file, `${"#".repeat(5000)}\n3.11\n`);
  backdate();
  const late = shim(w, "python", w.deep);
  assert.equal(late.code, 127, `a pin after the first 4 KiB counts for neither: ${describeRun(late)}`);
  assert.match(await whichOf(w, "python", w.deep), /^error: python: command not found: no version is pinned/);
  // No stamps directory (a read-only cache): the same answers, measured each time.
  rmSync(stamps, { recursive: true });
  writeFileSync(file, "3.12\n");
  await agree(w, "python", w.deep, bin(w, "3.12.1", "python"));
  assert.ok(!existsSync(stamps));
});

test("ranges: the shim's sh evaluator and the PEP 440 module choose the same interpreter, without starting Node", async (t) => {
  const sb = makeSandbox(t);
  const pyenvRoot = join(sb.dir, "fake-pyenv");
  const versions = ["3.14.0rc1", "3.13.0", "3.12.1", "3.12.0", "3.11.7", "3.10.13", "2.7.18"];
  makeFakePyenv(pyenvRoot, Object.fromEntries(versions.map((v) => [v, ["python"]])));
  const sysbin = join(sb.dir, "sysbin");
  mkdirSync(sysbin);
  symlinkSync(process.execPath, join(sysbin, "node"));
  const shims = join(sb.root, "shims");
  const env: Record<string, string> = { ...sb.env, PYENV_ROOT: pyenvRoot, PATH: shims };
  delete env.PWD;
  const ctx = makeContext(sb, { env });
  await rehashShims(ctx);
  const inventory = await buildInventory(ctx);
  const ranges = [
    ">=3.12", ">3.12", "<3.12", "<=3.12", "<=3.11", "==3.12", "==3.12.0", "==3.12.*", "!=3.12.*", "!=3.13.0", "~=3.11", "~=3.12.0",
    "~=2.7.0", "3.x", "3.12.x", "3.12.X", "2.x", "x", "X", "*", "^3.11", "^2.7", ">=3.11,<3.13", ">=3.11 <3.13", ">=3.11, <3.13",
    "<3.14", "<3.14.0rc2", ">=3.14.0rc1", ">=3.14.0a1,<3.14.0rc2", "==3.14.0rc1", "==3.14.*", "===3.12.1", "===3.12", ">3.12.0",
    ">=3.12.0,!=3.12.1", "<3", ">=4", "==3.12.*,!=3.12.1", "!=3.13.0,!=3.12.*", ">=3.10,<3.11", "~=3.13.0rc1",
  ];
  // Beyond the sh evaluator: venvctl decides (each still a discovered interpreter, or none).
  const deferred = [">= 3.11", ">=3.012", ">=3.12.1.0", ">=3.12.post1", "pypy>=3.9", ">=3.x", "~=3", "^3.14.0rc1", "=3.12"];
  const file = join(sb.work, ".python-version");
  for (const range of [...ranges, ...deferred]) {
    writeFileSync(file, `${range}\n`);
    const r = resolveEntry(inventory, range);
    const want = r.kind === "version" ? join(pyenvRoot, "versions", r.target.name, "bin", "python") : undefined;
    const shimRun = (path: string) => run([join(shims, "python")], { cwd: sb.work, env: { ...env, PATH: path, PWD: sb.work } });
    const noNode = shimRun(shims);
    const startedNode = noNode.code === 127 && /node/.test(noNode.stderr) && !/not installed/.test(noNode.stderr);
    assert.equal(startedNode, deferred.includes(range), `${range}: ${startedNode ? "handed to venvctl" : "decided in sh"}: ${describeRun(noNode)}`);
    const s = startedNode ? shimRun(`${shims}:${sysbin}`) : noNode;
    if (want) {
      assert.equal(s.code, 0, `${range}: ${describeRun(s)}`);
      assert.equal(s.stdout, `${want}\n`, `${range}: the shim ran ${s.stdout}, venvctl chose ${want}`);
    } else {
      assert.equal(s.code, 127, `${range}: venvctl finds none; the shim: ${describeRun(s)}`);
      assert.match(s.stderr, /is not installed/, range);
    }
  }
});
