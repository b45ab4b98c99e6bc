// The downloads list and its generator: the shipped list is exactly what
// scripts/update-python-downloads.mjs makes from ../shared/data's facts; the
// generator works offline from saved release assets; lists in both shapes
// parse, with the mirror applied; requests choose the newest matching build
// for a platform; archive entries are judged before they are written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import {
  DEFAULT_PREFIX, applyMirror, availableFor, chooseDownload, installName, loadDownloads, parseDownloadsList, parseInstallName, type DownloadsList,
} from "../../src/interpreters/downloads.js";
import { elfInterpreter } from "../../src/interpreters/platform.js";
import { parsePythonRequest } from "../../src/interpreters/request.js";
import { formatVersion } from "../../src/interpreters/version.js";
import { leavesRoot, refuseEntry, startUnpack } from "../../src/interpreters/unpack-archive.js";
import { progressBar } from "../../src/interpreters/fetch-archive.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";
import { minimalTree, tarGz, type TarEntry } from "../helpers/python-builds.js";

const SCRIPT = join(PROJECT_ROOT, "scripts", "update-python-downloads.mjs");
const SHIPPED = join(PROJECT_ROOT, "src", "interpreters", "python-downloads.json");
/**
 * The shared facts (../shared/data beside the repository): beside this
 * checkout, or beside the repository a clone of it came from (CI tests a
 * fresh clone made elsewhere).
 */
function sharedFacts(): string {
  const beside = (root: string) => join(root, "..", "shared", "data", "python-downloads.json");
  const origin = spawnSync("git", ["-C", PROJECT_ROOT, "remote", "get-url", "origin"], { encoding: "utf8" }).stdout?.trim();
  const candidates = [beside(PROJECT_ROOT)];
  if (origin && isAbsolute(origin)) candidates.push(beside(origin));
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}
const SHARED = sharedFacts();
const LINUX = { os: "linux", arch: "x86_64", libc: "gnu" };

test("the shipped list is what the generator makes from the shared facts, and keeps their URLs and hashes", (t) => {
  if (!existsSync(SHARED)) return t.skip(`${SHARED} is not on this machine`);
  const r = spawnSync(process.execPath, [SCRIPT, "--entries", SHARED, "--out", "-"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(SHIPPED, "utf8"), "run `node scripts/update-python-downloads.mjs --entries ../shared/data/python-downloads.json`");

  const facts = JSON.parse(readFileSync(SHARED, "utf8")) as { entries: Array<{ version: string; os: string; arch: string; libc: string; url: string; sha256: string }> };
  const shipped = parseDownloadsList(readFileSync(SHIPPED, "utf8"), "shipped", undefined, undefined);
  const byUrl = new Map(shipped.map((d) => [d.url, d]));
  const gz = facts.entries.filter((e) => e.url.endsWith(".tar.gz"));
  assert.equal(shipped.length, gz.length, "every .tar.gz build, one per version and platform");
  for (const e of gz) {
    const d = byUrl.get(e.url);
    assert.ok(d, `${e.url} is in the shipped list`);
    assert.deepEqual([formatVersion(d.version), d.os, d.arch, d.libc, d.sha256], [e.version, e.os, e.arch, e.libc, e.sha256]);
  }
});

test("the generator works offline from saved release assets: digests or SHA256SUMS, newest release, stripped first, no free-threaded or zstd builds", () => {
  const dir = mkdtempSync(join(tmpdir(), "venvctl-gen-"));
  try {
    const asset = (release: string, name: string, digest?: string) => ({
      name, browser_download_url: `${DEFAULT_PREFIX}/${release}/${encodeURIComponent(name)}`, ...(digest ? { digest: `sha256:${digest}` } : {}),
    });
    const releases = [
      {
        tag_name: "20250101",
        sha256sums: { "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-install_only.tar.gz": "b".repeat(64) },
        assets: [
          asset("20250101", "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz", "a".repeat(64)),
          asset("20250101", "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-install_only.tar.gz"),
          asset("20250101", "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-freethreaded-install_only.tar.gz", "c".repeat(64)),
          asset("20250101", "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-debug-full.tar.zst", "d".repeat(64)),
          asset("20250101", "cpython-3.12.8+20250101-aarch64-apple-darwin-install_only.tar.gz", "e".repeat(64)),
          asset("20250101", "SHA256SUMS"),
        ],
      },
      {
        tag_name: "20241201",
        assets: [asset("20241201", "cpython-3.13.1+20241201-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz", "f".repeat(64))],
      },
    ];
    writeFileSync(join(dir, "releases.json"), JSON.stringify(releases));
    const r = spawnSync(process.execPath, [SCRIPT, "--releases", join(dir, "releases.json"), "--out", join(dir, "out.json")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const list = parseDownloadsList(readFileSync(join(dir, "out.json"), "utf8"), "generated", undefined, undefined);
    assert.deepEqual(list.map((d) => [formatVersion(d.version), `${d.os}-${d.arch}-${d.libc}`, d.url.slice(DEFAULT_PREFIX.length + 1), d.sha256]), [
      ["3.13.1", "linux-x86_64-gnu", "20250101/cpython-3.13.1%2B20250101-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz", "a".repeat(64)],
      ["3.12.8", "darwin-aarch64-none", "20250101/cpython-3.12.8%2B20250101-aarch64-apple-darwin-install_only.tar.gz", "e".repeat(64)],
    ]);

    // An asset with neither digest nor a listed sum is an error, not a guess.
    writeFileSync(join(dir, "bad.json"), JSON.stringify([{ tag_name: "20250101", assets: [asset("20250101", "cpython-3.13.1+20250101-x86_64-unknown-linux-gnu-install_only.tar.gz")] }]));
    const bad = spawnSync(process.execPath, [SCRIPT, "--releases", join(dir, "bad.json"), "--out", join(dir, "bad-out.json")], { encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /no sha256/);
    assert.ok(!existsSync(join(dir, "bad-out.json")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the built-in list loads, and the mirror replaces only the GitHub prefix", async () => {
  const list = await loadDownloads({ env: {}, cwd: "/" }, async () => assert.fail("no fetch"));
  assert.equal(list.origin, "built-in");
  const d = chooseDownload(list, parsePythonRequest("3.12.7"), LINUX);
  assert.equal(d.url, `${DEFAULT_PREFIX}/20241016/cpython-3.12.7%2B20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz`);
  assert.match(d.sha256, /^[0-9a-f]{64}$/);
  const mirrored = await loadDownloads({ env: { VENVCTL_PYTHON_MIRROR: "https://mirror.example/pbs/" }, cwd: "/" }, async () => "");
  assert.equal(chooseDownload(mirrored, parsePythonRequest("3.12.7"), LINUX).url, "https://mirror.example/pbs/20241016/cpython-3.12.7%2B20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz");
  assert.equal(applyMirror("https://elsewhere.example/x.tar.gz", "https://mirror.example"), "https://elsewhere.example/x.tar.gz");
});

test("a list in the entries shape: relative URLs, and a bad entry named", () => {
  const text = JSON.stringify({ entries: [{ version: "3.12.1", ...LINUX, url: "builds/a.tar.gz", sha256: "A".repeat(64) }] });
  const [d] = parseDownloadsList(text, "test", "https://mirror.example/lists/list.json", undefined);
  assert.equal(d!.url, "https://mirror.example/lists/builds/a.tar.gz");
  assert.equal(d!.sha256, "a".repeat(64));
  assert.throws(() => parseDownloadsList(JSON.stringify({ entries: [{ version: "3.12.1", ...LINUX, url: "x", sha256: "12" }] }), "from X", undefined, undefined),
    /the Python downloads list from X has an entry \(0, 3\.12\.1\) whose sha256 is not 64 hex digits/);
  assert.throws(() => parseDownloadsList("{", "from X", undefined, undefined), /is not JSON/);
  assert.throws(() => parseDownloadsList(JSON.stringify({ entries: [{ version: "3.12", ...LINUX, url: "x", sha256: "a".repeat(64) }] }), "X", undefined, undefined), /not a CPython version/);
});

test("choosing: the newest final release a request matches; a pre-release only when named; zstd builds never", () => {
  const entry = (version: string, url = `https://x.example/${version}.tar.gz`, p = LINUX) => ({ version, ...p, url, sha256: "a".repeat(64) });
  const list: DownloadsList = {
    origin: "test",
    downloads: parseDownloadsList(JSON.stringify({
      entries: [entry("3.14.0rc2"), entry("3.13.1"), entry("3.13.2", "https://x.example/3.13.2.tar.zst"), entry("3.12.7"), entry("3.12.1"), entry("3.11.9"), entry("3.15.0", undefined, { os: "darwin", arch: "aarch64", libc: "none" })],
    }), "test", undefined, undefined),
  };
  const pick = (spec: string) => formatVersion(chooseDownload(list, parsePythonRequest(spec), LINUX).version);
  assert.equal(pick("3.12"), "3.12.7");
  assert.equal(pick("3"), "3.13.1");
  assert.equal(pick("3.13"), "3.13.1", "3.13.2 is .tar.zst");
  assert.equal(pick(">=3.11"), "3.13.1");
  assert.equal(pick(">=3.14.0rc1"), "3.14.0rc2");
  assert.equal(pick("3.14.0rc2"), "3.14.0rc2");
  assert.equal(pick("python3.11"), "3.11.9");
  assert.equal(pick("cpython@3.12.1"), "3.12.1");
  assert.throws(() => pick("3.14"), /no CPython build matches 3\.14/);
  assert.throws(() => pick("3.15"), /no build of CPython 3\.15\.0 for linux-x86_64-gnu/);
  assert.deepEqual(availableFor(list, LINUX).map((d) => formatVersion(d.version)), ["3.14.0rc2", "3.13.1", "3.12.7", "3.12.1", "3.11.9"]);
});

test("install names read back", () => {
  const name = installName({ version: { major: 3, minor: 14, patch: 0, pre: { kind: "rc", n: 2 } }, os: "linux", arch: "x86_64", libc: "gnu" });
  assert.equal(name, "cpython-3.14.0rc2-linux-x86_64-gnu");
  assert.deepEqual(parseInstallName(name)?.platform, LINUX);
  assert.equal(parseInstallName("3.12.1"), undefined);
});

test("archive entries: what is refused before it is written", () => {
  assert.equal(refuseEntry("python/bin/python3", "File", undefined), undefined);
  assert.equal(refuseEntry("./python/lib/libpython3.so", "SymbolicLink", "libpython3.12.so.1.0"), undefined);
  assert.equal(refuseEntry("python/bin/python3", "SymbolicLink", "python3.12"), undefined);
  assert.equal(refuseEntry("python/lib/x", "Link", "python/lib/y"), undefined);
  assert.match(refuseEntry("python/../x", "File", undefined)!, /climbs out/);
  assert.match(refuseEntry("/etc/passwd", "File", undefined)!, /absolute/);
  assert.match(refuseEntry("C:\\x", "File", undefined)!, /absolute/);
  assert.match(refuseEntry("usr/bin/x", "File", undefined)!, /outside the top-level python\//);
  assert.match(refuseEntry("python/x", "SymbolicLink", "../../x")!, /points outside/);
  assert.match(refuseEntry("python/x", "Link", "python/../../x")!, /points outside/);
  assert.match(refuseEntry("python/dev", "CharacterDevice", undefined)!, /CharacterDevice/);
});

/** Unpacks `entries` into a fresh directory (under `root`), fed `step` bytes at a time as a download would be. */
async function unpackEntries(root: string, entries: TarEntry[], step: number): Promise<string> {
  const dest = mkdtempSync(join(root, "dest-"));
  const data = tarGz(entries);
  const unpacker = await startUnpack(dest, "test.tar.gz");
  for (let i = 0; i < data.length; i += step) unpacker.write(data.subarray(i, i + step));
  await unpacker.end();
  return dest;
}

test("unpacking keeps the archive's contents, modes, mtimes and links, however the bytes arrive", async () => {
  const root = mkdtempSync(join(tmpdir(), "venvctl-unpack-"));
  try {
    const big = Buffer.alloc(300_000, "x"); // spans several inflated chunks
    const entries: TarEntry[] = [
      ...minimalTree(),
      { path: "python/lib/deep/er/mod.py", data: "print(1)\n" },
      { path: "python/lib/big.so", data: big, mode: 0o755 },
      { path: "python/lib/big-link.so", type: "hardlink", linkpath: "python/lib/big.so" },
      { path: "python/lib/libpython.so", type: "symlink", linkpath: "big.so" },
      { path: "python/share/", type: "dir", mode: 0o555 },
    ];
    const mtime = 0o14712345670; // what tarGz writes in every header
    for (const step of [7, 65536, 1 << 24]) {
      const dest = await unpackEntries(root, entries, step);
      const py = join(dest, "python");
      assert.equal(readFileSync(join(py, "lib/deep/er/mod.py"), "utf8"), "print(1)\n");
      assert.ok(readFileSync(join(py, "lib/big.so")).equals(big));
      assert.equal(statSync(join(py, "bin/python3")).mode & 0o777, 0o755);
      assert.equal(statSync(join(py, "lib/big.so")).mode & 0o777, 0o755);
      assert.equal(statSync(join(py, "lib/deep/er/mod.py")).mode & 0o777, 0o644 & ~currentUmask());
      assert.equal(statSync(join(py, "share")).mode & 0o777, 0o555, "a directory's mode is the archive's, set once its entries are in");
      assert.equal(statSync(join(py, "lib/deep/er/mod.py")).mtimeMs, mtime * 1000, ".py mtimes are the archive's (.pyc files check them)");
      assert.equal(statSync(join(py, "bin")).mtimeMs, mtime * 1000, "a directory's mtime is the archive's, though entries were made in it");
      assert.equal(statSync(join(py, "lib/big-link.so")).ino, statSync(join(py, "lib/big.so")).ino, "a hard link is one file");
      assert.equal(readlinkSync(join(py, "lib/libpython.so")), "big.so");
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** The process umask, without changing it for good. */
function currentUmask(): number {
  const m = process.umask(0o022);
  process.umask(m);
  return m;
}

test("unpacking refuses to write through a link the archive made, or to hard-link anything but a file unpacked before", async () => {
  const root = mkdtempSync(join(tmpdir(), "venvctl-unpack-"));
  try {
    const outside = join(root, "outside");
    mkdirSync(outside);
    // Each link is harmless on its own; followed together they lead to `outside`.
    const through: TarEntry[] = [
      ...minimalTree(),
      { path: "python/d/", type: "dir" },
      { path: "python/d/up", type: "symlink", linkpath: ".." },
      { path: "python/out", type: "symlink", linkpath: "d/up/../../../outside" },
    ];
    await assert.rejects(unpackEntries(root, [...through, { path: "python/out/owned", data: "x" }], 4096), /goes through the symbolic link "python\/out"/);
    await assert.rejects(unpackEntries(root, [...through, { path: "python/out/sub/", type: "dir" }], 4096), /goes through the symbolic link/);
    assert.deepEqual(readdirSync(outside), [], "nothing was written through the links");
    await assert.rejects(
      unpackEntries(root, [...minimalTree(), { path: "python/ln", type: "symlink", linkpath: "bin" }, { path: "python/hard", type: "hardlink", linkpath: "python/ln" }], 4096),
      /hard link "python\/hard" names "python\/ln", which is not a file earlier in the archive/,
    );
    await assert.rejects(
      unpackEntries(root, [...minimalTree(), { path: "python/hard", type: "hardlink", linkpath: "python/later" }, { path: "python/later", data: "x" }], 4096),
      /which is not a file earlier in the archive/,
    );
    await assert.rejects(
      unpackEntries(root, [...minimalTree(), { path: "python/bin", type: "symlink", linkpath: "lib" }], 4096),
      /would replace a directory/,
    );
    assert.ok(lstatSync(outside).isDirectory());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a chain of symbolic links is followed on disk", () => {
  const root = mkdtempSync(join(tmpdir(), "venvctl-links-"));
  try {
    mkdirSync(join(root, "python", "d"), { recursive: true });
    symlinkSync("..", join(root, "python", "d", "up"));
    symlinkSync("d/up/../..", join(root, "python", "out"));
    symlinkSync("d/up/bin", join(root, "python", "in"));
    symlinkSync("loop", join(root, "python", "loop"));
    assert.equal(leavesRoot(root, "python/out"), true);
    assert.equal(leavesRoot(root, "python/in"), false);
    assert.equal(leavesRoot(root, "python/loop"), true, "a loop is refused");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the progress bar: bytes, rate and ETA, redrawn in place, cleared at the end", () => {
  let out = "";
  let now = 0;
  const bar = progressBar((s) => (out += s), "Downloading x", () => now);
  now = 1000;
  bar.update(5 * 1024 * 1024, 10 * 1024 * 1024);
  assert.equal(out, "\rDownloading x [============>           ] 5.0 MiB/10.0 MiB  5.0 MiB/s  ETA 1s\x1b[K");
  bar.done();
  assert.ok(out.endsWith("\r\x1b[K"));
});

test("this machine's libc is told by Node's own ELF interpreter", (t) => {
  if (process.platform !== "linux") return t.skip("Linux only");
  assert.match(elfInterpreter("/proc/self/exe") ?? "", /^\/lib.*\/ld-(linux|musl)/);
});
