// `create` in-process: targets that must be refused and left untouched,
// --clear/--allow-existing/--upgrade, the selection chain, prompts, copies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, type CreateOptions } from "../../src/commands/create.js";
import { makeContext } from "../helpers/context.js";
import { makeSandbox, PYENV_ROOT, SYSTEM_PATH } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { snapshotTree } from "../helpers/tree.js";
import { rejects } from "../helpers/rejects.js";

const PY312 = pyenvPython("3.12");
const PY311 = pyenvPython("3.11");

function opts(dirs: string[], extra: Partial<CreateOptions> = {}): CreateOptions {
  return {
    dirs, python: PY312, onExisting: "refuse", systemSitePackages: false, symlinks: true, withPip: false,
    upgradeDeps: false, linkMode: "auto", ...extra,
  };
}

const cfgOf = (dir: string) => readFileSync(join(dir, "pyvenv.cfg"), "utf8");

test("needs pyenv 3.11 and 3.12", (t) => {
  requireOrSkip(t, PY312 !== undefined && PY311 !== undefined, "pyenv 3.11 and 3.12 are needed");
});

test("a file target is refused and untouched", async (t) => {
  const sb = makeSandbox(t);
  const file = join(sb.work, "target");
  writeFileSync(file, "precious");
  const err = await rejects(create(opts([file]), makeContext(sb)), /exists and is not a directory/);
  assert.ok(err.hint);
  assert.equal(readFileSync(file, "utf8"), "precious");
  assert.deepEqual(readdirSync(sb.work), ["target"]);
});

test("a non-empty directory that is not a venv is refused, even with --clear", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "project");
  mkdirSync(dir);
  writeFileSync(join(dir, "main.py"), "print('hi')\n");
  const before = snapshotTree(sb.work);
  const e1 = await rejects(create(opts([dir]), makeContext(sb)), /not empty, and is not a virtual environment/);
  assert.match(e1.hint ?? "", /--allow-existing/);
  const e2 = await rejects(create(opts([dir], { onExisting: "clear" }), makeContext(sb)), /refusing to clear/);
  assert.match(e2.message, /no pyvenv\.cfg/);
  assert.deepEqual(snapshotTree(sb.work), before, "nothing changed, nothing left beside it");
});

test("--allow-existing writes the venv into a directory and keeps its files", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "project");
  mkdirSync(dir);
  writeFileSync(join(dir, "main.py"), "print('hi')\n");
  await create(opts([dir], { onExisting: "allow" }), makeContext(sb));
  assert.equal(readFileSync(join(dir, "main.py"), "utf8"), "print('hi')\n");
  assert.match(cfgOf(dir), /^home = /m);
  assert.equal(readlinkSync(join(dir, "bin", "python")), "python3", "aliases point at the interpreter link");
});

test("an empty directory is filled", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "empty");
  mkdirSync(dir);
  await create(opts([dir]), makeContext(sb));
  assert.ok(existsSync(join(dir, "pyvenv.cfg")));
  assert.deepEqual(readdirSync(sb.work), ["empty"], "no temporary directory left beside it");
});

test("an existing venv is refused by default, replaced with --clear, moved with --upgrade", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "env");
  await create(opts([dir], { python: PY311 }), makeContext(sb));
  writeFileSync(join(dir, "lib", "python3.11", "site-packages", "marker.py"), "");
  const err = await rejects(create(opts([dir]), makeContext(sb)), /already a virtual environment/);
  assert.match(err.hint ?? "", /--clear/);
  assert.match(cfgOf(dir), /^version = 3\.11\./m, "untouched");

  // --upgrade: same env, now pointing at 3.12; other files kept.
  await create(opts([dir], { onExisting: "upgrade" }), makeContext(sb));
  assert.match(cfgOf(dir), /^version = 3\.12\./m);
  assert.ok(existsSync(join(dir, "lib", "python3.11", "site-packages", "marker.py")));
  assert.equal(readlinkSync(join(dir, "bin", "python")), "python3", "aliases point at the interpreter link");

  // --clear: a fresh env; the old contents are gone, nothing left beside it.
  await create(opts([dir], { onExisting: "clear" }), makeContext(sb));
  assert.ok(!existsSync(join(dir, "lib", "python3.11")));
  assert.ok(existsSync(join(dir, "lib", "python3.12", "site-packages")));
  assert.deepEqual(readdirSync(sb.work), ["env"]);
});

test("--upgrade of something that is not a venv is refused", async (t) => {
  const sb = makeSandbox(t);
  await rejects(create(opts([join(sb.work, "nope")], { onExisting: "upgrade" }), makeContext(sb)), /does not exist/);
  assert.deepEqual(readdirSync(sb.work), []);
});

test("a path holding the PATH separator is refused", async (t) => {
  const sb = makeSandbox(t);
  await rejects(create(opts([join(sb.work, "a:b")]), makeContext(sb)), /PATH separator/);
  assert.deepEqual(readdirSync(sb.work), []);
});

test("missing parent directories are made", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "deep", "er", "env");
  await create(opts([dir]), makeContext(sb));
  assert.ok(existsSync(join(dir, "pyvenv.cfg")));
});

test("a request that matches nothing names the request and what was found", async (t) => {
  const sb = makeSandbox(t);
  const err = await rejects(create(opts([join(sb.work, "env")], { python: "3.99" }), makeContext(sb)), /no interpreter matches 3\.99/);
  assert.match(err.message, /found: .*3\.12\.1 \(pyenv\)/);
  assert.match(err.message, /3\.11\.2 \(\/usr\/bin\/python3/);
  assert.deepEqual(readdirSync(sb.work), []);
});

test("requests: a prefix, a range, a command name pick the newest match", async (t) => {
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  const r1 = await create(opts([join(sb.work, "a")], { python: "3.12" }), ctx);
  assert.equal(r1.envs[0]!.interpreter.path, join(sb.pyenvRoot, "versions", "3.12.1", "bin", "python3"));
  const r2 = await create(opts([join(sb.work, "b")], { python: ">=3.10,<3.13" }), ctx);
  assert.match(cfgOf(join(sb.work, "b")), /^version = 3\.12\.1$/m);
  assert.equal(r2.source, "pyenv");
  const r3 = await create(opts([join(sb.work, "c")], { python: "3" }), ctx);
  assert.match(cfgOf(join(sb.work, "c")), /^version = 3\.13\.0$/m);
  assert.equal(r3.envs.length, 1);
  // A command name is looked up on PATH: python3.11 there is Debian's.
  const r4 = await create(opts([join(sb.work, "d")], { python: "python3.11" }), ctx);
  assert.equal(r4.envs[0]!.interpreter.path, "/usr/bin/python3.11");
  // 3.11 prefers the newest 3.11.y: pyenv's 3.11.7 over Debian's 3.11.2.
  await create(opts([join(sb.work, "e")], { python: "3.11" }), ctx);
  assert.match(cfgOf(join(sb.work, "e")), /^version = 3\.11\.7$/m);
  // Ranges are PEP 440: <=3.11 is up to 3.11.0, and ==3.12 means 3.12.0 only.
  await create(opts([join(sb.work, "f")], { python: "<=3.11" }), ctx);
  assert.match(cfgOf(join(sb.work, "f")), /^version = 3\.10\.13$/m);
  await rejects(create(opts([join(sb.work, "g")], { python: "==3.12" }), ctx), /no interpreter matches ==3\.12: found: /);
});

test("selection chain: VENVCTL_VERSION, .python-version upward, the global pin, pyenv's global pin, then PATH", async (t) => {
  const sb = makeSandbox(t);
  const proj = join(sb.work, "proj");
  const sub = join(proj, "sub");
  mkdirSync(sub, { recursive: true });
  const version = (dir: string) => (cfgOf(dir).match(/^version = (.*)$/m) ?? [])[1];

  // Nothing selected: the first python3 on PATH (Debian's here).
  await create(opts([join(sb.work, "e0")], { python: undefined }), makeContext(sb, { cwd: sub }));
  assert.equal(version(join(sb.work, "e0")), "3.11.2");

  // pyenv's global pin, under venvctl's own.
  writeFileSync(join(sb.pyenvRoot, "version"), "3.8\n");
  await create(opts([join(sb.work, "p0")], { python: undefined }), makeContext(sb, { cwd: sub }));
  assert.equal(version(join(sb.work, "p0")), "3.8.18");

  mkdirSync(sb.root, { recursive: true });
  writeFileSync(join(sb.root, "version"), "3.9\n");
  await create(opts([join(sb.work, "e1")], { python: undefined }), makeContext(sb, { cwd: sub }));
  assert.equal(version(join(sb.work, "e1")), "3.9.18");

  writeFileSync(join(proj, ".python-version"), "# pinned\n3.10\r\n\n");
  await create(opts([join(sb.work, "e2")], { python: undefined }), makeContext(sb, { cwd: sub }));
  assert.equal(version(join(sb.work, "e2")), "3.10.13");

  await create(opts([join(sb.work, "e3")], { python: undefined }), makeContext(sb, { cwd: sub, env: { VENVCTL_VERSION: "3.7" } }));
  assert.equal(version(join(sb.work, "e3")), "3.7.16");

  // A version file listing several: the first installed one wins.
  writeFileSync(join(proj, ".python-version"), "3.99 3.12\n");
  await create(opts([join(sb.work, "e4")], { python: undefined }), makeContext(sb, { cwd: sub }));
  assert.equal(version(join(sb.work, "e4")), "3.12.1");

  // None installed: an error naming the file.
  writeFileSync(join(proj, ".python-version"), "3.98\n");
  await rejects(create(opts([join(sb.work, "e5")], { python: undefined }), makeContext(sb, { cwd: sub })), /version `3\.98` is not installed \(set by .*\.python-version\)/);
});

test("pyenv's shims on PATH are passed over, however PATH spells them: a shim is never probed or linked", async (t) => {
  const sb = makeSandbox(t);
  // A pyenv shim that records being run, in the sandbox's PYENV_ROOT.
  const shims = join(sb.pyenvRoot, "shims");
  const canary = join(sb.dir, "shim-ran");
  mkdirSync(shims);
  for (const name of ["python", "python3", "python3.12"]) {
    writeFileSync(join(shims, name), `#!/bin/sh\necho "$0" >> ${canary}\nexec ${join(sb.pyenvRoot, "versions", "3.12.1", "bin", "python3.12")} "$@"\n`, { mode: 0o755 });
  }
  symlinkSync(sb.pyenvRoot, join(sb.dir, "alias"));
  const spellings = [shims, `${shims}/`, join(sb.dir, "alias", "shims"), `/${shims}`];
  for (const [i, spelling] of spellings.entries()) {
    const ctx = makeContext(sb, { env: { PATH: `${spelling}:${SYSTEM_PATH}` } });
    const dir = join(sb.work, `env${i}`);
    const r = await create(opts([dir], { python: undefined }), ctx);
    assert.equal(r.envs[0]!.interpreter.path, "/usr/bin/python3", spelling);
    // -p python3.12 is not on PATH outside the shims: it is taken as the version.
    const r2 = await create(opts([`${dir}-p`], { python: "python3.12" }), ctx);
    assert.equal(r2.envs[0]!.interpreter.path, join(sb.pyenvRoot, "versions", "3.12.1", "bin", "python3"), spelling);
  }
  assert.ok(!existsSync(canary), "a shim ran");
  const cached = readdirSync(join(sb.cache, "interpreters")).map((f) => JSON.parse(readFileSync(join(sb.cache, "interpreters", f), "utf8")).executable as string);
  assert.ok(cached.length > 0 && cached.every((e) => !e.includes("/shims/")), cached.join());
});

test("the second create with the same interpreter runs no Python (the probe is cached)", async (t) => {
  const sb = makeSandbox(t);
  const ctx1 = makeContext(sb, { env: { VENVCTL_DEBUG: "1" } });
  await create(opts([join(sb.work, "a")]), ctx1);
  assert.match(ctx1.err(), /debug: probing /);
  const ctx2 = makeContext(sb, { env: { VENVCTL_DEBUG: "1" } });
  await create(opts([join(sb.work, "b")]), ctx2);
  assert.doesNotMatch(ctx2.err(), /debug: probing /);
  assert.match(ctx2.err(), /read from the cache/);
});

test("--prompt is written to pyvenv.cfg as venv writes it; '.' means the current directory's name", async (t) => {
  const sb = makeSandbox(t);
  await create(opts([join(sb.work, "a")], { prompt: `it's "mine"` }), makeContext(sb));
  assert.match(cfgOf(join(sb.work, "a")), /^prompt = 'it\\'s "mine"'$/m);
  const proj = join(sb.work, "my-project");
  mkdirSync(proj);
  await create(opts([join(proj, ".venv")], { prompt: "." }), makeContext(sb, { cwd: proj }));
  assert.match(cfgOf(join(proj, ".venv")), /^prompt = 'my-project'$/m);
  assert.match(readFileSync(join(proj, ".venv", "bin", "activate"), "utf8"), /my-project/);
});

test("--system-site-packages lets the env see the base's site-packages", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "env");
  await create(opts([dir], { systemSitePackages: true }), makeContext(sb));
  assert.match(cfgOf(dir), /^include-system-site-packages = true$/m);
  const r = spawnSync(join(dir, "bin", "python"), ["-c", "import sys; print('\\n'.join(sys.path))"], { encoding: "utf8", env: sb.env });
  assert.ok(r.stdout.split("\n").includes(join(PYENV_ROOT, "versions", "3.12.1", "lib", "python3.12", "site-packages")), r.stdout);
});

test("--copies copies the interpreter, and it runs", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "env");
  await create(opts([dir], { symlinks: false }), makeContext(sb));
  for (const name of ["python", "python3", "python3.12"]) {
    assert.ok(lstatSync(join(dir, "bin", name)).isFile(), `${name} is a regular file`);
  }
  assert.match(cfgOf(dir), /--copies/);
  const r = spawnSync(join(dir, "bin", "python3"), ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8", env: sb.env });
  assert.equal(r.stdout.trim(), dir);
});

test("several directories in one call", async (t) => {
  const sb = makeSandbox(t);
  const r = await create(opts([join(sb.work, "a"), join(sb.work, "b")]), makeContext(sb));
  assert.equal(r.envs.length, 2);
  assert.ok(existsSync(join(sb.work, "a", "pyvenv.cfg")) && existsSync(join(sb.work, "b", "pyvenv.cfg")));
});

test("a symlink to a directory is followed, not replaced", async (t) => {
  const sb = makeSandbox(t);
  const real = join(sb.work, "real");
  mkdirSync(real);
  symlinkSync(real, join(sb.work, "link"));
  await create(opts([join(sb.work, "link")]), makeContext(sb));
  assert.ok(lstatSync(join(sb.work, "link")).isSymbolicLink());
  assert.ok(existsSync(join(real, "pyvenv.cfg")));
});

/** A project: code and a git repository, the things --clear must never take. */
function makeProject(dir: string): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, "src", "main.py"), "code\n");
  writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
}

// Something named pyvenv.cfg does not make a venv (the reproductions).
const NOT_A_VENVS_CFG: { name: string; make(cfg: string): void; reason: RegExp }[] = [
  { name: "a directory", make: (cfg) => mkdirSync(cfg), reason: /its pyvenv\.cfg is a directory/ },
  { name: "an empty file", make: (cfg) => writeFileSync(cfg, ""), reason: /no `home =` line/ },
  { name: "random bytes", make: (cfg) => writeFileSync(cfg, Buffer.from([0x9f, 0x00, 0xff, 0x3d, 0x0a, 0xc3, 0x28, 0x7f])), reason: /no `home =` line/ },
  { name: "a symlink to /etc/hostname", make: (cfg) => symlinkSync("/etc/hostname", cfg), reason: /its pyvenv\.cfg is a symbolic link/ },
];

for (const c of NOT_A_VENVS_CFG) {
  test(`a project whose pyvenv.cfg is ${c.name} is refused by --clear, --upgrade and --allow-existing, and untouched`, async (t) => {
    const sb = makeSandbox(t);
    const proj = join(sb.work, "proj");
    makeProject(proj);
    c.make(join(proj, "pyvenv.cfg"));
    const before = snapshotTree(sb.work);
    const e1 = await rejects(create(opts([proj], { onExisting: "clear" }), makeContext(sb)), /^refusing to clear .*proj: it is not a virtual environment/);
    assert.match(e1.message, c.reason);
    assert.match(e1.hint ?? "", /nothing was deleted/);
    const e2 = await rejects(create(opts([proj], { onExisting: "upgrade" }), makeContext(sb)), /^cannot upgrade .*proj: it is not a virtual environment/);
    assert.match(e2.message, c.reason);
    assert.ok(e2.hint, "a hint");
    const e3 = await rejects(create(opts([proj], { onExisting: "allow" }), makeContext(sb)), /^refusing to write a venv into .*proj: /);
    assert.match(e3.message, c.reason);
    assert.ok(e3.hint, "a hint");
    const e4 = await rejects(create(opts([proj]), makeContext(sb)), /not empty, and is not a virtual environment/);
    assert.match(e4.message, c.reason);
    assert.deepEqual(snapshotTree(sb.work), before, "nothing changed, nothing left beside it");
  });
}

test("a venv's pyvenv.cfg beside a project's files is not a venv: --clear and --upgrade refuse, naming what it holds", async (t) => {
  const sb = makeSandbox(t);
  const proj = join(sb.work, "proj");
  makeProject(proj);
  // `python -m venv .` in a project: a real venv's files, and the project's.
  const r = spawnSync(PY312!, ["-m", "venv", "--without-pip", proj], { encoding: "utf8", env: sb.env });
  assert.equal(r.status, 0, r.stderr);
  const before = snapshotTree(sb.work);
  const e1 = await rejects(create(opts([proj], { onExisting: "clear" }), makeContext(sb)), /refusing to clear/);
  assert.match(e1.message, /it holds \.git, src, which a venv does not/);
  assert.match(e1.hint ?? "", /move them out/);
  await rejects(create(opts([proj], { onExisting: "upgrade" }), makeContext(sb)), /cannot upgrade .*it holds \.git, src/);
  assert.deepEqual(snapshotTree(sb.work), before);
  // --allow-existing writes into it, keeps the project, and hides nothing from git.
  await create(opts([proj], { onExisting: "allow" }), makeContext(sb));
  assert.equal(readFileSync(join(proj, "src", "main.py"), "utf8"), "code\n");
  assert.ok(existsSync(join(proj, ".git", "HEAD")), "the project's git repository is kept");
  assert.ok(!existsSync(join(proj, ".gitignore")), "no .gitignore hiding the project from git");
});

test("venvs that python -m venv made, with what pip and other tools add, are recognised and cleared", async (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "env");
  const r = spawnSync(PY312!, ["-m", "venv", "--without-pip", dir], { encoding: "utf8", env: sb.env });
  assert.equal(r.status, 0, r.stderr);
  mkdirSync(join(dir, "share", "man", "man1"), { recursive: true });
  mkdirSync(join(dir, "etc", "jupyter"), { recursive: true });
  writeFileSync(join(dir, "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
  await create(opts([dir], { onExisting: "clear" }), makeContext(sb));
  assert.match(cfgOf(dir), /^venvctl = /m);
  assert.ok(!existsSync(join(dir, "share")) && !existsSync(join(dir, "etc")), "the old env's contents are gone");
  assert.deepEqual(readdirSync(sb.work), ["env"]);
});

test("create --allow-existing . in a project writes no .gitignore; a directory venvctl builds gets one", async (t) => {
  const sb = makeSandbox(t);
  const proj = join(sb.work, "proj");
  makeProject(proj);
  writeFileSync(join(proj, "README.md"), "# proj\n");
  await create(opts(["."], { onExisting: "allow" }), makeContext(sb, { cwd: proj }));
  assert.match(cfgOf(proj), /^home = /m);
  assert.ok(!existsSync(join(proj, ".gitignore")), "git would ignore the whole project");
  assert.equal(readFileSync(join(proj, "src", "main.py"), "utf8"), "code\n");
  // A project's own .gitignore is left as it was.
  const proj2 = join(sb.work, "proj2");
  makeProject(proj2);
  writeFileSync(join(proj2, ".gitignore"), "__pycache__/\n");
  await create(opts([proj2], { onExisting: "allow" }), makeContext(sb));
  assert.equal(readFileSync(join(proj2, ".gitignore"), "utf8"), "__pycache__/\n");
  // New, empty, and a venv written into: all venv, so `*` hides nothing else.
  const empty = join(sb.work, "empty");
  mkdirSync(empty);
  await create(opts([join(sb.work, "new"), empty]), makeContext(sb));
  assert.match(readFileSync(join(sb.work, "new", ".gitignore"), "utf8"), /^\*$/m);
  assert.match(readFileSync(join(empty, ".gitignore"), "utf8"), /^\*$/m);
  const venv = join(sb.work, "venv");
  const r = spawnSync(PY311!, ["-m", "venv", "--without-pip", venv], { encoding: "utf8", env: sb.env });
  assert.equal(r.status, 0, r.stderr);
  await create(opts([venv], { onExisting: "allow" }), makeContext(sb));
  assert.match(readFileSync(join(venv, ".gitignore"), "utf8"), /^\*$/m);
});

test("what only looks like a killed run's leftovers beside the target is never touched", async (t) => {
  const sb = makeSandbox(t);
  // A pid that is gone: a process that has ended.
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
  const host = (await import("node:os")).hostname();
  const marker = (fields: object) => JSON.stringify({ pid: Number(dead), host, started: "2026-01-01T00:00:00Z", ...fields });
  const keep = (name: string, files: Record<string, string>) => {
    mkdirSync(join(sb.work, name));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(sb.work, name, f), text);
  };
  keep(`.env.venvctl-build-${dead}-1abcdef01`, { "data.txt": "no marker: not ours" });
  keep(`.env.venvctl-old-${dead}-2abcdef01`, { ".venvctl-owner": marker({ role: "old", target: "other" }), "data.txt": "marked for another target" });
  keep(`.env.venvctl-old-${dead}-3abcdef01`, { ".venvctl-owner": marker({ role: "build", target: "env" }), "data.txt": "marked with another role" });
  keep(`.env.venvctl-build-${process.pid}-4abcdef01`, { ".venvctl-owner": marker({ role: "build", target: "env", pid: process.pid }), "data.txt": "a live run's" });
  keep(`.env.venvctl-build-${dead}-5abcdef01`, { ".venvctl-owner": "{ half", "data.txt": "a marker that is not one" });
  keep(".env.old", { "data.txt": "the user's" });
  keep(".env.venvctl-build-notapid", { "data.txt": "the user's" });
  keep("elsewhere", { ".venvctl-owner": marker({ role: "build", target: "env" }), "data.txt": "the user's" });
  symlinkSync("elsewhere", join(sb.work, `.env.venvctl-build-${dead}-6abcdef01`));
  const before = snapshotTree(sb.work);
  // What a killed run does leave: a build directory made but not yet marked.
  mkdirSync(join(sb.work, `.env.venvctl-build-${dead}-7abcdef01`));
  await create(opts([join(sb.work, "env")]), makeContext(sb));
  const after = snapshotTree(sb.work);
  for (const [path, entry] of before) assert.deepEqual(after.get(path), entry, `${path} is untouched`);
  assert.ok(!existsSync(join(sb.work, `.env.venvctl-build-${dead}-7abcdef01`)), "the killed run's empty build is removed");
});
