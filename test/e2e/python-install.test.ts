// `venvctl python install|list|uninstall|find` as a user runs them: a real
// python-build-standalone-shaped archive (made from pyenv's 3.12.1) served on
// 127.0.0.1, installed, run from its new place, and seen by `versions`,
// `use`, the `python` shim, `create -p` and `python find`; reinstalled,
// installed twice at once, removed. VENVCTL_PYTHON_DOWNLOADS=never makes no
// request; automatic installs on `create -p`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { CLI, PROJECT_ROOT, describeResult, spawnAsync, type CliResult } from "../helpers/run-cli.js";
import { ARCHIVE_VERSION, buildTestArchive, onLinuxX64, downloadsList, serveBuilds, type BuildServer } from "../helpers/python-builds.js";

const NAME = `cpython-${ARCHIVE_VERSION}-linux-x86_64-gnu`;

interface World {
  sb: Sandbox;
  server: BuildServer;
  archiveRequests(): number;
  versionsDir: string;
  dir: string;
  run(args: string[], env?: Record<string, string>, node?: string[]): Promise<CliResult>;
}

async function world(t: { after(fn: () => unknown): void }): Promise<World> {
  const archive = buildTestArchive();
  const sb = makeSandbox(t as never);
  // Without pyenv's 3.12.1 beside it, the installed 3.12.1 is the only one.
  const noPyenv = join(sb.dir, "no-pyenv");
  mkdirSync(noPyenv);
  sb.env.PYENV_ROOT = noPyenv;
  const server = await serveBuilds({ "/builds/python.tar.gz": readFileSync(archive.path) });
  t.after(() => server.close());
  const list = join(sb.dir, "downloads.json");
  writeFileSync(list, downloadsList([{ version: ARCHIVE_VERSION, url: `${server.base}/builds/python.tar.gz`, sha256: archive.sha256 }]));
  sb.env.VENVCTL_PYTHON_DOWNLOADS_JSON = list;
  const versionsDir = join(sb.root, "versions");
  return {
    sb, server, versionsDir,
    dir: join(versionsDir, NAME),
    archiveRequests: () => server.requests.filter((r) => r === "/builds/python.tar.gz").length,
    run: (args, env = {}, node = []) => spawnAsync(process.execPath, [...node, CLI, ...args], { cwd: sb.work, env: { ...sb.env, ...env } }),
  };
}

function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

test("python install: the build runs from its new place and is first-class everywhere; reinstall; uninstall", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const r = await w.run(["python", "install", "3.12"]);
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stdout, "", "stdout carries data only");
  assert.match(r.stderr, new RegExp(`Installed CPython ${ARCHIVE_VERSION} in .*${NAME}`));
  assert.deepEqual(entries(w.versionsDir), [NAME], "one directory, nothing hidden left beside it");
  assert.ok(existsSync(join(w.dir, ".venvctl-python.json")), "the install is marked as venvctl's");

  // It runs from there, with its own prefix and its own libpython.
  const py = join(w.dir, "bin", "python3");
  const probe = spawnSync(py, ["-c", "import sys, ssl, json; print(json.dumps([sys.prefix, [l.split()[-1] for l in open('/proc/self/maps') if 'libpython' in l][:1]]))"], { encoding: "utf8", env: w.sb.env });
  assert.equal(probe.status, 0, probe.stderr);
  const [prefix, libs] = JSON.parse(probe.stdout) as [string, string[]];
  assert.equal(prefix, w.dir);
  assert.ok(libs.length === 1 && libs[0]!.startsWith(`${w.dir}/lib/`), `libpython from the install: ${libs}`);

  const versions = await w.run(["versions"]);
  assert.equal(versions.code, 0, describeResult(versions));
  assert.match(versions.stdout, new RegExp(`^  ${ARCHIVE_VERSION.replace(/\./g, "\\.")}\\s+cpython\\s+venvctl\\s+${py}$`, "m"));

  const found = await w.run(["python", "find", "3.12"]);
  assert.equal(found.code, 0, describeResult(found));
  assert.equal(found.stdout, `${py}\n`);

  const use = await w.run(["use", "3.12"]);
  assert.equal(use.code, 0, describeResult(use));
  assert.equal(readFileSync(join(w.sb.work, ".python-version"), "utf8"), "3.12\n");
  const chain = await w.run(["python", "find"]);
  assert.equal(chain.stdout, `${py}\n`, describeResult(chain));

  // The python shim (rehashed by install and use) runs it.
  const shim = spawnSync(join(w.sb.root, "shims", "python"), ["-c", "import sys; print(sys.prefix)"], { cwd: w.sb.work, env: w.sb.env, encoding: "utf8" });
  assert.equal(shim.status, 0, shim.stderr);
  assert.equal(shim.stdout, `${w.dir}\n`);

  const create = await w.run(["create", "-p", "3.12", "env"]);
  assert.equal(create.code, 0, describeResult(create));
  assert.match(readFileSync(join(w.sb.work, "env", "pyvenv.cfg"), "utf8"), new RegExp(`^home = ${w.dir}/bin$`, "m"));
  const inEnv = spawnSync(join(w.sb.work, "env", "bin", "python"), ["-c", "import sys; print(sys.base_prefix)"], { encoding: "utf8", env: w.sb.env });
  assert.equal(inEnv.stdout, `${w.dir}\n`, inEnv.stderr);

  const list = await w.run(["python", "list", "--json", "--available"]);
  assert.equal(list.code, 0, describeResult(list));
  const listed = JSON.parse(list.stdout) as { installed: Array<{ path: string; managed: boolean }>; available: Array<{ name: string; installed: boolean }> };
  assert.deepEqual(listed.installed.filter((i) => i.managed).map((i) => i.path), [py]);
  assert.deepEqual(listed.available, [{ ...listed.available[0], name: NAME, installed: true }]);

  // Installed already: nothing is downloaded; --reinstall downloads again and keeps one copy.
  const again = await w.run(["python", "install", "3.12"]);
  assert.equal(again.code, 0, describeResult(again));
  assert.match(again.stderr, /already installed/);
  assert.equal(w.archiveRequests(), 1);
  const re = await w.run(["python", "install", "--reinstall", "3.12.1"]);
  assert.equal(re.code, 0, describeResult(re));
  assert.match(re.stderr, /Reinstalled CPython 3\.12\.1/);
  assert.equal(w.archiveRequests(), 2);
  assert.deepEqual(entries(w.versionsDir), [NAME]);
  assert.equal(spawnSync(py, ["-c", "pass"]).status, 0);

  // Only what venvctl installed is removed.
  const system = await w.run(["python", "uninstall", "3.11"]);
  assert.equal(system.code, 1, describeResult(system));
  assert.match(system.stderr, /^error: venvctl did not install 3\.11: .*on PATH/m);
  assert.match(system.stderr, /^hint: venvctl removes only the interpreters it installed/m);

  const un = await w.run(["python", "uninstall", "3.12"]);
  assert.equal(un.code, 0, describeResult(un));
  assert.match(un.stderr, new RegExp(`Removed CPython ${ARCHIVE_VERSION}`));
  assert.deepEqual(entries(w.versionsDir), []);
  const index = readFileSync(join(w.sb.root, "shims", ".venvctl-index"), "utf8");
  assert.ok(!index.includes(NAME), "the shim index no longer names it");
  const gone = spawnSync(join(w.sb.root, "shims", "python"), ["-c", "pass"], { cwd: w.sb.work, env: w.sb.env, encoding: "utf8" });
  assert.equal(gone.status, 127);
  assert.match(gone.stderr, /version `3\.12' is not installed/);
  assert.match(gone.stderr, /venvctl python install 3\.12/);
  const hint = await w.run(["version"]);
  assert.equal(hint.code, 1);
  assert.match(hint.stderr, /^hint: .*install it with `venvctl python install 3\.12`/m);
});

test("two installs of the same version at once both succeed and leave one copy", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const [a, b] = await Promise.all([w.run(["python", "install", "3.12"]), w.run(["python", "install", "3.12"])]);
  assert.equal(a.code, 0, describeResult(a));
  assert.equal(b.code, 0, describeResult(b));
  assert.deepEqual(entries(w.versionsDir), [NAME]);
  assert.equal(spawnSync(join(w.dir, "bin", "python3"), ["-c", "import encodings"]).status, 0);
});

test("no SPEC installs the pinned versions that are missing; use --install pins and installs", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  writeFileSync(join(w.sb.work, ".python-version"), "3.12\n");
  const r = await w.run(["python", "install"]);
  assert.equal(r.code, 0, describeResult(r));
  assert.match(r.stderr, /Installed CPython 3\.12\.1/);
  const again = await w.run(["python", "install"]);
  assert.equal(again.code, 0, describeResult(again));
  assert.match(again.stderr, /Nothing to install: every pinned version \(3\.12, set by .*\.python-version\) is installed/);
  assert.equal(w.archiveRequests(), 1);

  const other = join(w.sb.work, "other");
  mkdirSync(other);
  writeFileSync(join(other, ".python-version"), "pypy3.10\n");
  const pypy = await spawnAsync(process.execPath, [CLI, "python", "install"], { cwd: other, env: w.sb.env });
  assert.equal(pypy.code, 1, describeResult(pypy));
  assert.match(pypy.stderr, /^error: `pypy3\.10` \(set by .*\) is not installed, and venvctl downloads CPython versions only/m);
  assert.match(pypy.stderr, /^hint: /m);
  const un = await w.run(["python", "uninstall", NAME]);
  assert.equal(un.code, 0, describeResult(un));
  const refused = await w.run(["use", "3.12.1"]);
  assert.equal(refused.code, 1, describeResult(refused));
  assert.match(refused.stderr, /^hint: .*venvctl python install 3\.12\.1/m);
  const use = await w.run(["use", "--install", "3.12.1"]);
  assert.equal(use.code, 0, describeResult(use));
  assert.match(use.stderr, /Installed CPython 3\.12\.1/);
  assert.match(use.stderr, /Pinned 3\.12\.1/);
  assert.deepEqual(entries(w.versionsDir), [NAME]);
});

test("VENVCTL_PYTHON_DOWNLOADS=never makes no request; automatic installs on create -p and exec", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const never = { VENVCTL_PYTHON_DOWNLOADS: "never" };
  const r = await w.run(["python", "install", "3.12"], never);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /^error: .*downloads are turned off \(VENVCTL_PYTHON_DOWNLOADS=never\)/m);
  assert.match(r.stderr, /^hint: /m);
  const viaUrl = await w.run(["python", "list", "--available"], { ...never, VENVCTL_PYTHON_DOWNLOADS_JSON: `${w.server.base}/downloads.json` });
  assert.equal(viaUrl.code, 1, describeResult(viaUrl));
  const create = await w.run(["create", "-p", "3.12", "env"], { ...never });
  assert.equal(create.code, 1, describeResult(create));
  assert.match(create.stderr, /^hint: install it with `venvctl python install 3\.12`/m);
  const use = await w.run(["use", "--install", "3.12"], never);
  assert.equal(use.code, 1, describeResult(use));
  assert.deepEqual(w.server.requests, [], "not one request");
  assert.deepEqual(entries(w.versionsDir), []);

  // manual (the default): create -p fails and names the command.
  const manual = await w.run(["create", "-p", "3.12", "env"]);
  assert.equal(manual.code, 1, describeResult(manual));
  assert.deepEqual(w.server.requests, []);

  const auto = { VENVCTL_PYTHON_DOWNLOADS: "automatic" };
  const made = await w.run(["create", "-p", "3.12", "env"], auto);
  assert.equal(made.code, 0, describeResult(made));
  assert.match(made.stderr, /3\.12 is not installed: installing it \(VENVCTL_PYTHON_DOWNLOADS=automatic\)/);
  assert.match(readFileSync(join(w.sb.work, "env", "pyvenv.cfg"), "utf8"), new RegExp(`^home = ${w.dir}/bin$`, "m"));
  assert.ok(readFileSync(join(w.sb.root, "shims", ".venvctl-index"), "utf8").includes(w.dir), "the shims were rehashed");

  // exec with a pin that is missing installs it too (after an uninstall).
  assert.equal((await w.run(["python", "uninstall", "3.12"])).code, 0);
  writeFileSync(join(w.sb.work, ".python-version"), "3.12.1\n");
  const exec = await w.run(["exec", "python", "-c", "import sys; print(sys.prefix)"], auto);
  assert.equal(exec.code, 0, describeResult(exec));
  assert.equal(exec.stdout, `${w.dir}\n`);
  assert.equal(w.archiveRequests(), 2);
});

test("VENVCTL_PYTHON_MIRROR replaces the GitHub prefix; the list may be a URL; redirects are followed", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const archive = buildTestArchive();
  const gh = "https://github.com/astral-sh/python-build-standalone/releases/download";
  w.server.routes.set("/downloads.json", Buffer.from(downloadsList([{ version: ARCHIVE_VERSION, url: `${gh}/20240107/cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu-install_only.tar.gz`, sha256: archive.sha256 }])));
  w.server.routes.set("/mirror/20240107/cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu-install_only.tar.gz", { redirect: "/builds/python.tar.gz" });
  const r = await w.run(["python", "install", "3.12.1"], {
    VENVCTL_PYTHON_DOWNLOADS_JSON: `${w.server.base}/downloads.json`,
    VENVCTL_PYTHON_MIRROR: `${w.server.base}/mirror/`,
  });
  assert.equal(r.code, 0, describeResult(r));
  assert.deepEqual(w.server.requests, [
    "/downloads.json",
    "/mirror/20240107/cpython-3.12.1%2B20240107-x86_64-unknown-linux-gnu-install_only.tar.gz",
    "/builds/python.tar.gz",
  ]);
  assert.deepEqual(entries(w.versionsDir), [NAME]);

  // A file:// list naming a file:// build: no server at all.
  const local = join(w.sb.dir, "local.json");
  writeFileSync(local, downloadsList([{ version: ARCHIVE_VERSION, url: `file://${archive.path}`, sha256: archive.sha256 }]));
  const before = w.server.requests.length;
  const re = await w.run(["python", "install", "--reinstall", "3.12"], { VENVCTL_PYTHON_DOWNLOADS_JSON: `file://${local}` });
  assert.equal(re.code, 0, describeResult(re));
  assert.equal(w.server.requests.length, before);
});

test("a partial directory is refused without --force; a killed install leaves nothing visible and is cleaned up", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  mkdirSync(join(w.dir, "bin"), { recursive: true });
  writeFileSync(join(w.dir, "bin", "notes.txt"), "someone's\n");
  const refused = await w.run(["python", "install", "3.12"]);
  assert.equal(refused.code, 1, describeResult(refused));
  assert.match(refused.stderr, new RegExp(`^error: .*${NAME} exists but is not a complete install of venvctl's`, "m"));
  assert.match(refused.stderr, /^hint: .*--force/m);
  assert.ok(existsSync(join(w.dir, "bin", "notes.txt")), "left as it was");
  const forced = await w.run(["python", "install", "--force", "3.12"]);
  assert.equal(forced.code, 0, describeResult(forced));
  assert.deepEqual(entries(w.versionsDir), [NAME]);
  assert.ok(!existsSync(join(w.dir, "bin", "notes.txt")));

  // SIGKILL in the middle of unpacking (its 300th change to the file system).
  assert.equal((await w.run(["python", "uninstall", "3.12"])).code, 0);
  const killed = await w.run(["python", "install", "3.12"], { FS_FAULT_KILL_AT: "300" }, ["--require", join(PROJECT_ROOT, "test", "helpers", "fs-fault.cjs")]);
  assert.equal(killed.code, 128, describeResult(killed));
  const left = entries(w.versionsDir);
  assert.equal(left.length, 1, `one leftover: ${left}`);
  assert.match(left[0]!, new RegExp(`^\\.${NAME.replace(/\./g, "\\.")}\\.venvctl-build-`), "hidden");
  const versions = await w.run(["versions"]);
  assert.ok(!versions.stdout.includes(NAME) && !versions.stdout.includes("venvctl-build"), versions.stdout);
  const again = await w.run(["python", "install", "3.12"]);
  assert.equal(again.code, 0, describeResult(again));
  assert.deepEqual(entries(w.versionsDir), [NAME], "the leftover of the killed run is gone");
});

test("the progress bar is drawn on a terminal's stderr only", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const plain = await w.run(["python", "install", "3.12"]);
  assert.equal(plain.code, 0, describeResult(plain));
  assert.ok(!plain.stderr.includes("\r") && !plain.stderr.includes("Downloading"), "silent when stderr is not a terminal");
  const script = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));
  if (!script) return t.skip("script(1) is not installed to give venvctl a terminal");
  const cmd = `'${process.execPath}' '${CLI}' python install --reinstall 3.12`;
  const tty = await spawnAsync(script, ["-qec", cmd, "/dev/null"], { cwd: w.sb.work, env: { ...w.sb.env, TERM: "xterm" } });
  assert.equal(tty.code, 0, describeResult(tty));
  assert.match(tty.stdout, new RegExp(`\\rDownloading ${NAME.replace(/\./g, "\\.")} \\[[=> ]+\\] [\\d.]+ (KiB|MiB)/[\\d.]+ MiB`), JSON.stringify(tty.stdout.slice(0, 300)));
  assert.match(tty.stdout, /Reinstalled CPython 3\.12\.1/);
});

test("python uninstall never removes pyenv's interpreters, nor a directory someone put in versions/", async (t) => {
  if (!onLinuxX64(t)) return;
  const sb = makeSandbox(t);
  const run = (args: string[]) => spawnAsync(process.execPath, [CLI, ...args], { cwd: sb.work, env: sb.env });
  const pyenv = await run(["python", "uninstall", "3.13"]);
  assert.equal(pyenv.code, 1, describeResult(pyenv));
  assert.match(pyenv.stderr, /^error: venvctl did not install 3\.13: 3\.13\.0 is pyenv's/m);
  assert.ok(existsSync(join(sb.pyenvRoot, "versions", "3.13.0", "bin", "python3")));

  // A build copied into versions/ by hand (no record of venvctl's): found and used, never removed.
  const own = join(sb.root, "versions", NAME);
  mkdirSync(join(sb.root, "versions"), { recursive: true });
  spawnSync("cp", ["-a", "--", join(sb.pyenvRoot, "versions", "3.12.1") + "/.", own]);
  const find = await run(["python", "find", NAME]);
  assert.equal(find.code, 0, describeResult(find));
  assert.equal(find.stdout, `${own}/bin/python3\n`);
  for (const spec of ["3.12.1", NAME]) {
    const r = await run(["python", "uninstall", spec]);
    assert.equal(r.code, 1, describeResult(r));
    assert.match(r.stderr, /^error: venvctl did not install .*3\.12\.1 is in venvctl's versions\/ without its install record/m);
  }
  assert.ok(existsSync(join(own, "bin", "python3")), "still there");
});
