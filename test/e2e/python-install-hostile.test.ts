// `venvctl python install` against what can go wrong: hostile archives
// (`..`, absolute paths, symbolic links and hard links out, a chain of links
// that only leads out when followed, a FIFO), a hash mismatch, a truncated
// archive, a connection that ends early, a 404, a server that stalls, a SPEC
// nothing matches, no build for this platform, a full disk, Ctrl-C. Each one
// exits 1 with `error:` and `hint:`, and leaves nothing in versions/ (no
// partial directory, no shim) and nothing outside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { CLI, PROJECT_ROOT, describeResult, spawnAsync, type CliResult } from "../helpers/run-cli.js";
import {
  ARCHIVE_VERSION, buildTestArchive, onLinuxX64, downloadsList, minimalTree, serveBuilds, sha256, tarGz, type BuildServer, type Route, type TarEntry,
} from "../helpers/python-builds.js";

const FS_FAULT = join(PROJECT_ROOT, "test", "helpers", "fs-fault.cjs");

interface World {
  sb: Sandbox;
  server: BuildServer;
  /** Serves `route` at /build.tar.gz, listed as 3.12.1 with this sha256 (the route's own by default). */
  offer(route: Route, sha?: string): void;
  run(args: string[], env?: Record<string, string>, node?: string[]): Promise<CliResult>;
}

async function world(t: { after(fn: () => unknown): void }): Promise<World> {
  const sb = makeSandbox(t as never);
  const noPyenv = join(sb.dir, "no-pyenv");
  mkdirSync(noPyenv);
  sb.env.PYENV_ROOT = noPyenv;
  const server = await serveBuilds();
  t.after(() => server.close());
  const list = join(sb.dir, "downloads.json");
  sb.env.VENVCTL_PYTHON_DOWNLOADS_JSON = list;
  return {
    sb, server,
    offer(route, sha) {
      server.routes.set("/build.tar.gz", route);
      const data = Buffer.isBuffer(route) ? route : "stall" in route ? route.stall : "cut" in route ? route.cut : Buffer.alloc(0);
      writeFileSync(list, downloadsList([{ version: ARCHIVE_VERSION, url: `${server.base}/build.tar.gz`, sha256: sha ?? sha256(data) }]));
    },
    run: (args, env = {}, node = []) => spawnAsync(process.execPath, [...node, CLI, ...args], { cwd: sb.work, env: { ...sb.env, ...env } }),
  };
}

/** exit 1, `error:` and `hint:`, and nothing in versions/ nor any shim. */
function assertNothingLeft(w: World, r: CliResult, error: RegExp): void {
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, error, describeResult(r));
  assert.match(r.stderr, /^hint: /m, describeResult(r));
  assert.equal(r.stdout, "");
  const versions = join(w.sb.root, "versions");
  assert.deepEqual(existsSync(versions) ? readdirSync(versions) : [], [], "nothing in versions/, hidden or not");
  const index = join(w.sb.root, "shims", ".venvctl-index");
  assert.ok(!existsSync(index) || !readFileSync(index, "utf8").includes("cpython-"), "no shim for it");
}

const HOSTILE: Array<{ name: string; entries: (outside: string) => TarEntry[]; error: RegExp }> = [
  { name: "a `..` entry", entries: () => [...minimalTree(), { path: "python/../../escaped", data: "x" }], error: /^error: refusing .*climbs out with `\.\.`/m },
  { name: "a top-level `../` entry", entries: () => [{ path: "../escaped", data: "x" }, ...minimalTree()], error: /^error: refusing .*climbs out/m },
  { name: "an absolute path", entries: (outside) => [...minimalTree(), { path: `${outside}/owned`, data: "x" }], error: /^error: refusing .*has an absolute path/m },
  { name: "an entry outside python/", entries: () => [...minimalTree(), { path: "etc/profile.d/x.sh", data: "x" }], error: /^error: refusing .*outside the top-level python\//m },
  { name: "a symbolic link to /etc", entries: () => [...minimalTree(), { path: "python/etc", type: "symlink", linkpath: "/etc" }], error: /^error: refusing .*symbolic link "python\/etc" points to the absolute path/m },
  { name: "a symbolic link up and out", entries: () => [...minimalTree(), { path: "python/lib", type: "symlink", linkpath: "../../../../../../etc" }], error: /^error: refusing .*points outside the archive/m },
  {
    name: "a chain of links that only leads out when followed",
    entries: () => [...minimalTree(), { path: "python/d/", type: "dir" }, { path: "python/d/up", type: "symlink", linkpath: ".." }, { path: "python/out", type: "symlink", linkpath: "d/up/../.." }],
    error: /^error: refusing .*symbolic link "python\/out" leads outside the archive/m,
  },
  { name: "a hard link out", entries: () => [...minimalTree(), { path: "python/passwd", type: "hardlink", linkpath: "../../../../etc/passwd" }], error: /^error: refusing .*hard link "python\/passwd" points outside/m },
  { name: "a hard link to an absolute path", entries: () => [...minimalTree(), { path: "python/passwd", type: "hardlink", linkpath: "/etc/passwd" }], error: /^error: refusing .*hard link .* absolute path/m },
  { name: "a FIFO", entries: () => [...minimalTree(), { path: "python/fifo", type: "fifo" }], error: /^error: refusing .*is a FIFO/m },
];

for (const h of HOSTILE) {
  test(`a hostile archive is refused: ${h.name}`, async (t) => {
    if (!onLinuxX64(t)) return;
    const w = await world(t);
    const outside = join(w.sb.dir, "outside");
    w.offer(tarGz(h.entries(outside)));
    const r = await w.run(["python", "install", "3.12"]);
    assertNothingLeft(w, r, h.error);
    assert.ok(!existsSync(outside), "nothing written at the absolute path");
    assert.ok(!existsSync(join(w.sb.root, "escaped")) && !existsSync(join(w.sb.dir, "escaped")), "nothing written above versions/");
  });
}

test("an archive that is not python-build-standalone's layout is refused", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  w.offer(tarGz([{ path: "python/", type: "dir" }, { path: "python/README", data: "no interpreter" }]));
  assertNothingLeft(w, await w.run(["python", "install", "3.12"]), /^error: .* is not a Python build in python-build-standalone's install_only layout/m);
});

test("a hash mismatch: nothing is unpacked", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  w.offer(tarGz(minimalTree()), "0".repeat(64));
  const r = await w.run(["python", "install", "3.12"]);
  assertNothingLeft(w, r, /^error: the download of .* does not match its sha256/m);
  assert.match(r.stderr, /Caused by: expected 0{64}, got [0-9a-f]{64}/);
});

test("a truncated archive (whose hash was listed as it is) fails to unpack", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const whole = readFileSync(buildTestArchive().path);
  w.offer(whole.subarray(0, Math.floor(whole.length / 2)));
  assertNothingLeft(w, await w.run(["python", "install", "3.12"]), /^error: cannot unpack .*unexpected end of file/m);
});

test("a connection that ends early, a 404, a server that stalls", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const data = readFileSync(buildTestArchive().path);
  w.offer({ cut: data, first: 100_000 });
  assertNothingLeft(w, await w.run(["python", "install", "3.12"]), /^error: cannot download http:\/\/127\.0\.0\.1:\d+\/build\.tar\.gz: /m);

  w.offer({ status: 404 }, sha256(data));
  assertNothingLeft(w, await w.run(["python", "install", "3.12"]), /^error: cannot download .*: the server answered 404 Not Found/m);

  w.offer({ stall: data, first: 1000 });
  const started = Date.now();
  const r = await w.run(["python", "install", "3.12"], { VENVCTL_HTTP_TIMEOUT: "2" });
  assertNothingLeft(w, r, /^error: cannot download .*: no data for 2 s \(after 1000 bytes\)/m);
  assert.ok(Date.now() - started >= 2000, "it waited for the timeout");
});

test("a SPEC nothing matches lists the nearest; no build for this platform names those that have one", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const list = join(w.sb.dir, "downloads.json");
  const fake = (version: string, extra: Record<string, string> = {}) => ({ version, url: `${w.server.base}/${version}.tar.gz`, sha256: "a".repeat(64), ...extra });
  writeFileSync(list, downloadsList([fake("3.13.1"), fake("3.12.7"), fake("3.12.1"), fake("3.11.9"), fake("3.9.20"), fake("3.14.0", { os: "linux", arch: "aarch64", libc: "musl" })]));
  const none = await w.run(["python", "install", "3.10"]);
  assertNothingLeft(w, none, /^error: no CPython build matches 3\.10 in the downloads list/m);
  assert.match(none.stderr, /^hint: the nearest that can be installed here: 3\.11\.9, 3\.9\.20, 3\.12\.7, 3\.12\.1, 3\.13\.1/m);
  const elsewhere = await w.run(["python", "install", "3.14"]);
  assertNothingLeft(w, elsewhere, /^error: no build of CPython 3\.14\.0 for linux-x86_64-gnu in the downloads list/m);
  assert.match(elsewhere.stderr, /^hint: there are builds for linux-aarch64-musl; for this machine the newest is 3\.13\.1/m);
  const pypy = await w.run(["python", "install", "pypy3.10"]);
  assertNothingLeft(w, pypy, /^error: cannot download .*CPython builds only/m);
  assert.deepEqual(w.server.requests, [], "nothing was fetched");
});

test("a full disk while unpacking (ENOSPC) is an error naming the path, and leaves nothing", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  w.offer(readFileSync(buildTestArchive().path));
  const r = await w.run(["python", "install", "3.12"], { FS_FAULT_ERRNO: "ENOSPC:/lib/python3.12/os.py" }, ["--require", FS_FAULT]);
  assertNothingLeft(w, r, /^error: cannot unpack into .*\/versions\/\.cpython-3\.12\.1-linux-x86_64-gnu\.venvctl-build-[^:]*: no space left on device \(ENOSPC\)/m);
});

test("Ctrl-C during the download exits 1 and leaves nothing", async (t) => {
  if (!onLinuxX64(t)) return;
  const w = await world(t);
  const data = readFileSync(buildTestArchive().path);
  w.offer({ stall: data, first: 5000 });
  const child = spawn(process.execPath, [CLI, "python", "install", "3.12"], { cwd: w.sb.work, env: w.sb.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const closed = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 128)));
  // Once the server has been asked, give the bytes a moment to arrive, then interrupt.
  while (!w.server.requests.includes("/build.tar.gz")) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGINT");
  const code = await closed;
  assertNothingLeft(w, { code, stdout, stderr }, /^error: the download of .* was interrupted|^error: interrupted \(SIGINT\)/m);
});
