// The wheel installer in-process, on wheels the tests build: unusual contents
// (`.data/*`, `#!python` scripts, gui_scripts, a name needing normalization)
// installed exactly as pip installs them; broken or hostile wheels refused
// before anything is written; and the unpack cache — hits, damaged entries
// rebuilt, attacks by whoever can write it, an unwritable cache, link modes,
// and a fill raced by processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync, chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync,
  utimesSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { buildWheel, recordHash, type WheelSpec } from "../helpers/wheel-builder.js";
import { makeSandbox, PYENV_ROOT, type Sandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { PROJECT_ROOT } from "../helpers/run-cli.js";
import { CorruptWheelError, readWheelBytes, type InstallScheme } from "../../src/wheel/contents.js";
import { WheelCache } from "../../src/wheel/cache.js";
import { installWheel } from "../../src/wheel/install.js";
import type { InstallOptions, InstallResult } from "../../src/wheel/install-types.js";
import { parseRecord } from "../../src/standards/record.js";
import { readWheel } from "../../src/wheel/verify.js";
import { filesBelow } from "../helpers/tree.js";

const PY313 = join(PYENV_ROOT, "versions", "3.13.0", "bin", "python3.13");
const PIP_WHEEL_312 = join(PYENV_ROOT, "versions", "3.12.1", "lib", "python3.12", "ensurepip", "_bundled", "pip-23.2.1-py3-none-any.whl");

/** A prefix-style scheme, as `pip install --prefix ROOT` uses on CPython 3.13. */
function prefixScheme(root: string, name: string): InstallScheme {
  return {
    purelib: join(root, "lib", "python3.13", "site-packages"),
    platlib: join(root, "lib", "python3.13", "site-packages"),
    scripts: join(root, "bin"),
    headers: join(root, "include", "python3.13", name),
    data: root,
  };
}

function options(sb: Sandbox, root: string, extra: Partial<InstallOptions> = {}): InstallOptions {
  return {
    scheme: prefixScheme(root, "pkg"),
    python: join(root, "bin", "python3"),
    pythonVersion: { major: 3, minor: 13 },
    cacheDir: join(sb.cache, "wheels"),
    linkMode: "auto",
    ...extra,
  };
}

/** A wheel with one module and a console script. */
function simpleWheel(dir: string, extra: Partial<WheelSpec> = {}): string {
  return buildWheel(dir, {
    name: "simple",
    version: "1.0",
    files: { "simple/__init__.py": "def main():\n    print('simple')\n", "simple/data.txt": "x".repeat(1000) },
    entryPoints: { console_scripts: { simple: "simple:main" } },
    ...extra,
  });
}

/** RECORD rows of an installed dist-info, checked against the files: every file listed, hashes right. */
function checkRecord(libDir: string, distInfo: string): string[][] {
  const rows = parseRecord(readFileSync(join(libDir, distInfo, "RECORD"), "utf8"));
  for (const [path, hash, size] of rows) {
    if (path === `${distInfo}/RECORD`) {
      assert.deepEqual([hash, size], ["", ""], "RECORD lists itself without a hash");
      continue;
    }
    const abs = join(libDir, path);
    if (!existsSync(abs)) continue; // pip keeps rows of skipped setuptools wrappers
    const data = readFileSync(abs);
    assert.equal(hash, recordHash(data), `hash of ${path}`);
    assert.equal(size, String(data.length), `size of ${path}`);
  }
  return rows;
}

async function rejects(p: Promise<unknown>, wheel: string, reason: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CorruptWheelError, `a CorruptWheelError, not ${String(err)}`);
    assert.ok(err.message.includes(wheel.split("/").pop()!), `names the wheel: ${err.message}`);
    assert.match(err.message, reason);
    assert.ok(err.hint);
    return;
  }
  assert.fail("expected the wheel to be refused");
}

const UNUSUAL: WheelSpec = {
  name: "Foo.Bar_baz",
  version: "1.0",
  files: {
    "foo_bar/__init__.py": "VERSION = '1.0'\n",
    "foo_bar/cli.py": "def main():\n    print('cli')\n",
    "foo_bar/gui.py": "def run():\n    print('gui')\n",
    "Foo.Bar_baz-1.0.data/scripts/run-it": "#!python -u\nimport foo_bar\nprint(foo_bar.VERSION)\n",
    "Foo.Bar_baz-1.0.data/scripts/plain.sh": "#!/bin/sh\necho plain\n",
    // setuptools' own wrapper for the `foo` entry point: pip skips it.
    "Foo.Bar_baz-1.0.data/scripts/foo": "#!python\n# setuptools wrapper\n",
    "Foo.Bar_baz-1.0.data/data/share/foo/readme.txt": "shared data\n",
    "Foo.Bar_baz-1.0.data/headers/foo.h": "#define FOO 1\n",
    "Foo.Bar_baz-1.0.data/purelib/foo_bar/extra.py": "EXTRA = True\n",
    "Foo.Bar_baz-1.0.data/platlib/foo_bar/_native.py": "NATIVE = True\n",
  },
  entryPoints: { console_scripts: { foo: "foo_bar.cli:main" }, gui_scripts: { "foo-gui": "foo_bar.gui:run" } },
  metadata: ["Summary: a name that needs normalizing"],
};

test("unusual contents install exactly as `pip install --prefix` installs them", async (t) => {
  if (!requireOrSkip(t, existsSync(PY313), "pyenv 3.13.0 is needed (its pip is the oracle)")) return;
  const sb = makeSandbox(t);
  const wheel = buildWheel(join(sb.work, "dist"), UNUSUAL);
  assert.match(wheel, /foo_bar_baz-1\.0-py3-none-any\.whl$/);
  const ours = join(sb.work, "ours");
  const theirs = join(sb.work, "theirs");

  // pip writes the running interpreter into shebangs; so do we, for the
  // comparison. (pip names the headers directory after the canonical name.)
  const result = await installWheel(wheel, { ...options(sb, ours), scheme: prefixScheme(ours, "foo-bar-baz"), python: PY313 });
  assert.equal(result.name, "Foo.Bar_baz");
  assert.equal(result.distInfo, "Foo.Bar_baz-1.0.dist-info");
  const pip = spawnSync(PY313, ["-m", "pip", "install", "--no-deps", "--no-compile", "--no-index", "--no-warn-script-location", "--prefix", theirs, wheel], {
    env: sb.env, encoding: "utf8",
  });
  assert.equal(pip.status, 0, pip.stderr);

  const generatedByPip = /(INSTALLER|REQUESTED|direct_url\.json)$/;
  const a = filesBelow(ours).filter((p) => !generatedByPip.test(p));
  const b = filesBelow(theirs).filter((p) => !generatedByPip.test(p));
  assert.deepEqual(a, b, "the same files in the same places");
  for (const p of a) {
    if (!p.endsWith("/RECORD")) assert.deepEqual(readFileSync(join(ours, p)), readFileSync(join(theirs, p)), `${p}: same bytes`);
    assert.equal(statSync(join(ours, p)).mode & 0o111, statSync(join(theirs, p)).mode & 0o111, `${p}: same executable bits`);
  }
  const lib = prefixScheme(ours, "").purelib;
  const rows = (root: string) =>
    readFileSync(join(prefixScheme(root, "").purelib, "Foo.Bar_baz-1.0.dist-info", "RECORD"), "utf8")
      .split("\r\n").filter((l) => l && !/(INSTALLER|REQUESTED|direct_url\.json),/.test(l));
  assert.deepEqual(rows(ours), rows(theirs), "RECORD, row for row");
  checkRecord(lib, "Foo.Bar_baz-1.0.dist-info");

  // What the user sees, spelled out.
  assert.equal(readFileSync(join(ours, "bin", "run-it"), "utf8"), `#!${PY313}\nimport foo_bar\nprint(foo_bar.VERSION)\n`);
  assert.match(readFileSync(join(ours, "bin", "foo"), "utf8"), /from foo_bar\.cli import main\n/, "a launcher, not the wrapper");
  assert.match(readFileSync(join(ours, "bin", "foo-gui"), "utf8"), /from foo_bar\.gui import run\n/);
  assert.equal(readFileSync(join(ours, "share", "foo", "readme.txt"), "utf8"), "shared data\n");
  assert.equal(readFileSync(join(ours, "include", "python3.13", "foo-bar-baz", "foo.h"), "utf8"), "#define FOO 1\n");
  assert.equal(readFileSync(join(lib, "Foo.Bar_baz-1.0.dist-info", "INSTALLER"), "utf8"), "venvctl\n");
  const run = spawnSync(join(ours, "bin", "foo"), [], { env: { ...sb.env, PYTHONPATH: lib }, encoding: "utf8" });
  assert.equal(run.stdout, "cli\n", run.stderr);
});

test("a wheel named other than its .dist-info is refused", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const renamed = join(sb.work, "dist", "other-1.0-py3-none-any.whl");
  renameSync(wheel, renamed);
  await rejects(installWheel(renamed, options(sb, join(sb.work, "env"))), renamed, /\.dist-info directory simple-1\.0\.dist-info is not for other/);
});

/** Refusals: each wheel is broken one way; nothing may be written anywhere. */
const BROKEN: Array<[string, Partial<WheelSpec>, RegExp, ((file: string) => void)?]> = [
  ["a RECORD hash that does not match", { tamper: (e) => e.set("simple/data.txt", Buffer.from("y".repeat(1000))) }, /RECORD hash mismatch for simple\/data\.txt/],
  ["a RECORD size that does not match", {
    tamper: (e) => e.set("simple-1.0.dist-info/RECORD", Buffer.from(e.get("simple-1.0.dist-info/RECORD")!.toString().replace(/,1000\n/, ",999\n"))),
  }, /RECORD size mismatch for simple\/data\.txt/],
  ["a file RECORD does not list", { tamper: (e) => e.set("simple/sneaky.py", Buffer.from("import os\n")) }, /simple\/sneaky\.py is not listed in RECORD/],
  ["a RECORD with md5 hashes", {
    tamper: (e) => e.set("simple-1.0.dist-info/RECORD", Buffer.from(e.get("simple-1.0.dist-info/RECORD")!.toString().replace(/sha256=/g, "md5="))),
  }, /not sha256 or stronger/],
  ["a path climbing out of site-packages", { files: { "../../evil.py": "print('escaped')\n" } }, /"\.\.\/\.\.\/evil\.py" would be installed outside/],
  ["an absolute path", { files: { "/tmp/evil.py": "x" } }, /"\/tmp\/evil\.py" would be installed outside/],
  ["a .data path climbing out of its directory", { files: { "simple-1.0.data/scripts/../../../evil": "x" } }, /would be installed outside/],
  ["an unknown .data key", { files: { "simple-1.0.data/etc/passwd": "x" } }, /scheme key/],
  ["two .dist-info directories", { distInfoFiles: {}, files: { "other-1.0.dist-info/METADATA": "Name: other\n" } }, /more than one \.dist-info/],
  ["a console script without a callable", { entryPoints: { console_scripts: { simple: "simple" } } }, /callable suffix is required/],
  ["an unsupported Wheel-Version", {
    tamper: (e) => e.set("simple-1.0.dist-info/WHEEL", Buffer.from("Wheel-Version: 2.0\nRoot-Is-Purelib: true\n")),
  }, /Wheel-Version 2\.0 is not supported/],
  ["a truncated archive", {}, /bad ZIP archive/, (f) => writeFileSync(f, readFileSync(f).subarray(0, 300))],
  ["a corrupted deflate stream", {}, /bad ZIP archive: simple\/data\.txt/, (f) => {
    const buf = readFileSync(f);
    const at = buf.indexOf("simple/data.txt") + "simple/data.txt".length + 2;
    buf[at] = buf[at]! ^ 0xff;
    writeFileSync(f, buf);
  }],
  ["a file that is not a ZIP at all", {}, /no end of central directory/, (f) => writeFileSync(f, "<html>Not Found</html>\n")],
];

for (const [what, spec, reason, damage] of BROKEN) {
  test(`refused before anything is written: ${what}`, async (t) => {
    const sb = makeSandbox(t);
    const wheel = simpleWheel(join(sb.work, "dist"), spec);
    damage?.(wheel);
    const target = join(sb.work, "env");
    await rejects(installWheel(wheel, options(sb, target)), wheel, reason);
    assert.ok(!existsSync(target), "nothing written to the target");
    assert.ok(!existsSync(sb.cache), "nothing written to the cache");
    assert.ok(!existsSync(join(sb.work, "evil.py")) && !existsSync(join(sb.dir, "evil.py")));
  });
}

test("the cache: filled once, then linked; every file in RECORD", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const first = await installWheel(wheel, options(sb, join(sb.work, "a")));
  assert.equal(first.cache, "filled");
  const second = await installWheel(wheel, options(sb, join(sb.work, "b")));
  assert.equal(second.cache, "hit");
  const lib = (root: string) => prefixScheme(root, "").purelib;
  const cached = join(sb.cache, "wheels", readWheel(wheel).sha256, "files", "simple", "data.txt");
  assert.equal(statSync(join(lib(join(sb.work, "b")), "simple", "data.txt")).ino, statSync(cached).ino, "hardlinked on this file system");
  // Per-env files are written, never linked.
  assert.equal(statSync(join(sb.work, "b", "bin", "simple")).nlink, 1);
  assert.equal(statSync(join(lib(join(sb.work, "b")), "simple-1.0.dist-info", "RECORD")).nlink, 1);
  assert.match(readFileSync(join(sb.work, "b", "bin", "simple"), "utf8"), new RegExp(`^#!${join(sb.work, "b", "bin", "python3")}\n`));
  const rows = checkRecord(lib(join(sb.work, "b")), "simple-1.0.dist-info").map((r) => r[0]);
  assert.deepEqual(rows, [
    "../../../bin/simple", "simple-1.0.dist-info/INSTALLER", "simple-1.0.dist-info/METADATA", "simple-1.0.dist-info/RECORD",
    "simple-1.0.dist-info/WHEEL", "simple-1.0.dist-info/entry_points.txt", "simple/__init__.py", "simple/data.txt",
  ]);
  assert.deepEqual(filesBelow(join(sb.work, "b")).length, rows.length, "every installed file is in RECORD");
});

test("a damaged cache entry is rebuilt, not linked: a file changed, a file missing", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  const entry = join(sb.cache, "wheels", readWheel(wheel).sha256, "files");
  const lib = (name: string) => prefixScheme(join(sb.work, name), "").purelib;

  // Same size, other content (an edit through a hardlink in another env does this).
  writeFileSync(join(entry, "simple", "data.txt"), "z".repeat(1000));
  const r1 = await installWheel(wheel, options(sb, join(sb.work, "b")));
  assert.equal(r1.cache, "rebuilt");
  assert.equal(readFileSync(join(lib("b"), "simple", "data.txt"), "utf8"), "x".repeat(1000));

  rmSync(join(entry, "simple", "__init__.py"));
  const r2 = await installWheel(wheel, options(sb, join(sb.work, "c")));
  assert.equal(r2.cache, "rebuilt");
  assert.match(readFileSync(join(lib("c"), "simple", "__init__.py"), "utf8"), /def main/);

  appendFileSync(join(entry, "simple", "data.txt"), "more");
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "d")))).cache, "rebuilt");

  // Touched but intact: still a hit (the hash says so), and remembered.
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(entry, "simple", "data.txt"), later, later);
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "e")))).cache, "hit");
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "f")))).cache, "hit");
  assert.deepEqual(readdirSync(join(sb.cache, "wheels")).filter((n) => n.startsWith(".")), [], "no temporary or damaged entries left");
});

// Someone with write access to the cache (a shared cache, another user's
// process) attacks it; a new env must get the wheel's own files, in inodes of
// the cache's own, or the cache is not used.
test("attack: a directory of an entry replaced by a link to an outside copy is rebuilt, not followed", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  const files = join(sb.cache, "wheels", readWheel(wheel).sha256, "files");
  const outside = join(sb.dir, "outside-simple");
  cpSync(join(files, "simple"), outside, { recursive: true });
  rmSync(join(files, "simple"), { recursive: true });
  symlinkSync(outside, join(files, "simple"));
  const r = await installWheel(wheel, options(sb, join(sb.work, "b")));
  assert.equal(r.cache, "rebuilt");
  const installed = statSync(join(prefixScheme(join(sb.work, "b"), "").purelib, "simple", "data.txt"));
  assert.notEqual(installed.ino, statSync(join(outside, "data.txt")).ino, "no inode shared with the outside copy");
  assert.ok(lstatSync(join(files, "simple")).isDirectory(), "the entry holds a real directory again");
  assert.equal(readFileSync(join(outside, "data.txt"), "utf8"), "x".repeat(1000), "the outside copy is left alone");
});

test("attack: an entry directory replaced by a link to an outside copy is rebuilt, not followed", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  const entry = join(sb.cache, "wheels", readWheel(wheel).sha256);
  const outside = join(sb.dir, "outside-entry");
  cpSync(entry, outside, { recursive: true });
  rmSync(entry, { recursive: true });
  symlinkSync(outside, entry);
  const r = await installWheel(wheel, options(sb, join(sb.work, "b")));
  assert.equal(r.cache, "rebuilt");
  const installed = statSync(join(prefixScheme(join(sb.work, "b"), "").purelib, "simple", "data.txt"));
  assert.notEqual(installed.ino, statSync(join(outside, "files", "simple", "data.txt")).ino);
  assert.ok(lstatSync(entry).isDirectory());
  assert.ok(existsSync(join(outside, "files", "simple", "data.txt")), "the link was removed, not what it pointed at");
});

test("attack: a cached file replaced by a link to an outside copy is rebuilt, not followed", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  const cached = join(sb.cache, "wheels", readWheel(wheel).sha256, "files", "simple", "data.txt");
  const outside = join(sb.dir, "outside-data.txt");
  writeFileSync(outside, "x".repeat(1000));
  rmSync(cached);
  symlinkSync(outside, cached);
  for (const linkMode of ["hardlink", "copy"] as const) {
    const root = join(sb.work, linkMode);
    await installWheel(wheel, options(sb, root, { linkMode }));
    const installed = join(prefixScheme(root, "").purelib, "simple", "data.txt");
    assert.ok(lstatSync(installed).isFile(), `${linkMode}: a regular file`);
    assert.notEqual(statSync(installed).ino, statSync(outside).ino, `${linkMode}: not the outside file`);
  }
});

test("attack: a same-size edit in place with its mtime put back is caught (its ctime moved)", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  const cached = join(sb.cache, "wheels", readWheel(wheel).sha256, "files", "simple", "data.txt");
  for (const linkMode of ["auto", "copy"] as const) {
    const before = statSync(cached);
    const reference = join(sb.dir, "reference");
    writeFileSync(reference, "");
    spawnSync("touch", ["-r", cached, reference]); // nanoseconds, which utimes() with a Date would round
    writeFileSync(cached, "z".repeat(1000)); // same inode, same size
    spawnSync("touch", ["-r", reference, cached]);
    assert.equal(statSync(cached).mtimeMs, before.mtimeMs);
    assert.equal(statSync(cached).ino, before.ino);
    const root = join(sb.work, `b-${linkMode}`);
    const r = await installWheel(wheel, options(sb, root, { linkMode }));
    assert.equal(r.cache, "rebuilt", linkMode);
    assert.equal(readFileSync(join(prefixScheme(root, "").purelib, "simple", "data.txt"), "utf8"), "x".repeat(1000), linkMode);
  }
});

test("the stats recorded after linking (stats.json) are a hint: an edit through an env's link is caught; a torn or linked stats file costs a hash", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const entryDir = join(sb.cache, "wheels", readWheel(wheel).sha256);
  const statsFile = join(entryDir, "stats.json");
  const lib = (name: string) => prefixScheme(join(sb.work, name), "").purelib;
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "a")))).cache, "filled");
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "b")))).cache, "hit");
  // Linking into b moved the files' ctimes and link counts: what it saw is recorded.
  const recorded = JSON.parse(readFileSync(statsFile, "utf8")) as number[][];
  const files = (JSON.parse(readFileSync(join(entryDir, "manifest.json"), "utf8")) as { files: { path: string }[] }).files.map((f) => f.path);
  const i = files.indexOf("simple/data.txt");
  assert.equal(recorded[i]![3], statSync(join(entryDir, "files", "simple", "data.txt")).nlink, "the link count after linking b");

  // A torn stats file (a crash mid-write): the files are hashed, found intact, and the stats written again whole.
  writeFileSync(statsFile, '[[1,2');
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "c")))).cache, "hit");
  assert.equal((JSON.parse(readFileSync(statsFile, "utf8")) as unknown[]).length, files.length);

  // A stats file replaced by a link: neither followed to read nor written through.
  const outside = join(sb.dir, "outside.json");
  writeFileSync(outside, "[]");
  rmSync(statsFile);
  symlinkSync(outside, statsFile);
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "d")))).cache, "hit");
  assert.equal(readFileSync(outside, "utf8"), "[]", "the link's target is untouched");
  rmSync(statsFile);

  // An edit in place through env e's hardlink, same size, mtime put back: after the recorded link, ctime moved alone.
  assert.equal((await installWheel(wheel, options(sb, join(sb.work, "e")))).cache, "hit");
  const linked = join(lib("e"), "simple", "data.txt");
  const reference = join(sb.dir, "reference");
  writeFileSync(reference, "");
  spawnSync("touch", ["-r", linked, reference]);
  chmodSync(linked, 0o644);
  writeFileSync(linked, "z".repeat(1000));
  chmodSync(linked, 0o444);
  spawnSync("touch", ["-r", reference, linked]);
  const r = await installWheel(wheel, options(sb, join(sb.work, "f")));
  assert.equal(r.cache, "rebuilt");
  assert.equal(readFileSync(join(lib("f"), "simple", "data.txt"), "utf8"), "x".repeat(1000));
});

test("attack: cached files another user owns, or others may write, are not linked", (t) => {
  if (!requireOrSkip(t, process.geteuid?.() === 0, "chown needs root (CI runs as root)")) return;
  return (async () => {
    const sb = makeSandbox(t);
    const wheel = simpleWheel(join(sb.work, "dist"));
    await installWheel(wheel, options(sb, join(sb.work, "a")));
    const files = join(sb.cache, "wheels", readWheel(wheel).sha256, "files");
    const cases: Array<[string, () => void]> = [
      ["a file owned by nobody", () => chownSync(join(files, "simple", "data.txt"), 65534, 65534)],
      ["a group-writable file", () => chmodSync(join(files, "simple", "__init__.py"), 0o664)],
      ["a directory owned by nobody", () => chownSync(join(files, "simple"), 65534, 65534)],
      ["a manifest owned by nobody", () => chownSync(join(files, "..", "manifest.json"), 65534, 65534)],
    ];
    for (const [what, meddle] of cases) {
      meddle();
      const root = join(sb.work, what.replace(/ /g, "-"));
      const r = await installWheel(wheel, options(sb, root));
      assert.equal(r.cache, "rebuilt", what);
      const installed = statSync(join(prefixScheme(root, "").purelib, "simple", "data.txt"));
      assert.equal(installed.uid, 0, `${what}: the env's file is the user's own`);
      assert.equal(installed.mode & 0o022, 0, `${what}: and writable by no one else`);
    }
  })();
});

test("attack: an entry holding another wheel's files (its manifest edited to match) is rebuilt", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const other = buildWheel(join(sb.work, "dist"), { name: "other", version: "6.6", files: { "other/__init__.py": "print('not simple')\n" } });
  await installWheel(wheel, options(sb, join(sb.work, "a")));
  await installWheel(other, options(sb, join(sb.work, "a")));
  const entry = join(sb.cache, "wheels", readWheel(wheel).sha256);
  const otherEntry = join(sb.cache, "wheels", readWheel(other).sha256);
  rmSync(entry, { recursive: true });
  cpSync(otherEntry, entry, { recursive: true });
  const manifest = join(entry, "manifest.json"); // what venvctl before this check trusted
  if (existsSync(manifest)) writeFileSync(manifest, readFileSync(manifest, "utf8").replaceAll(readWheel(other).sha256, readWheel(wheel).sha256));
  const r = await installWheel(wheel, options(sb, join(sb.work, "b")));
  assert.deepEqual([r.name, r.version, r.cache], ["simple", "1.0", "rebuilt"]);
  assert.ok(existsSync(join(prefixScheme(join(sb.work, "b"), "").purelib, "simple", "__init__.py")));
  assert.ok(!existsSync(join(prefixScheme(join(sb.work, "b"), "").purelib, "other")));
});

test("attack: the cache's wheels directory replaced by a link: not used, one warning", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const outside = join(sb.dir, "outside-wheels");
  mkdirSync(outside);
  mkdirSync(sb.cache, { recursive: true });
  symlinkSync(outside, join(sb.cache, "wheels"));
  const r = await installWheel(wheel, options(sb, join(sb.work, "env")));
  assert.equal(r.cache, "bypassed");
  assert.deepEqual(r.warnings, [`the wheel cache at ${join(sb.cache, "wheels")} is a symbolic link, which venvctl does not follow; seeding straight from the wheels`]);
  assert.deepEqual(readdirSync(outside), [], "nothing written through the link");
  checkRecord(prefixScheme(join(sb.work, "env"), "").purelib, "simple-1.0.dist-info");
});

test("an unwritable cache: installed straight from the wheel, with one warning", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  // Tests run as root here, so permissions cannot stop a write: a file can.
  writeFileSync(join(sb.dir, "not-a-dir"), "");
  const r = await installWheel(wheel, options(sb, join(sb.work, "env"), { cacheDir: join(sb.dir, "not-a-dir", "wheels") }));
  assert.equal(r.cache, "bypassed");
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /^cannot write the wheel cache at .*not-a-dir\/wheels \(ENOTDIR\); seeding straight from the wheels$/);
  checkRecord(prefixScheme(join(sb.work, "env"), "").purelib, "simple-1.0.dist-info");
});

test("link modes: hardlink, copy, clone (or its fallback), and auto across devices", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  await installWheel(wheel, options(sb, join(sb.work, "warm")));
  const cached = statSync(join(sb.cache, "wheels", readWheel(wheel).sha256, "files", "simple", "data.txt"));
  const installedStat = (root: string) => statSync(join(prefixScheme(root, "").purelib, "simple", "data.txt"));

  const hard = await installWheel(wheel, options(sb, join(sb.work, "hard"), { linkMode: "hardlink" }));
  assert.equal(hard.linkMode, "hardlink");
  assert.equal(installedStat(join(sb.work, "hard")).ino, cached.ino);

  const copy = await installWheel(wheel, options(sb, join(sb.work, "copy"), { linkMode: "copy" }));
  assert.equal(copy.linkMode, "copy");
  assert.notEqual(installedStat(join(sb.work, "copy")).ino, cached.ino);
  assert.equal(readFileSync(join(prefixScheme(join(sb.work, "copy"), "").purelib, "simple", "data.txt"), "utf8"), "x".repeat(1000));

  const clone = await installWheel(wheel, options(sb, join(sb.work, "clone"), { linkMode: "clone" }));
  assert.notEqual(installedStat(join(sb.work, "clone")).ino, cached.ino);
  if (clone.linkMode === "copy") {
    // ext4 and tmpfs cannot clone: one warning, then copies.
    assert.deepEqual(clone.warnings.map((w) => w.replace(/\(\w+\)/, "(CODE)")), ["--link-mode clone: this file system cannot clone files (CODE); copying instead"]);
  } else {
    assert.equal(clone.linkMode, "clone");
    assert.deepEqual(clone.warnings, []);
  }

  // auto with the cache on another device (tmpfs): no clone, no hardlink, so copies, silently.
  const shm = "/dev/shm";
  if (existsSync(shm) && statSync(shm).dev !== statSync(sb.work).dev) {
    const other = join(shm, `venvctl-test-${process.pid}`);
    t.after(() => rmSync(other, { recursive: true, force: true }));
    const auto = await installWheel(wheel, options(sb, join(sb.work, "auto"), { cacheDir: other }));
    assert.equal(auto.linkMode, "copy");
    assert.deepEqual(auto.warnings, []);
    const hardAcross = await installWheel(wheel, options(sb, join(sb.work, "hard-across"), { cacheDir: other, linkMode: "hardlink" }));
    assert.equal(hardAcross.linkMode, "copy");
    assert.match(hardAcross.warnings.join("\n"), /--link-mode hardlink: cannot hardlink .* \(EXDEV\); copying instead/);
  }
});

test("losing the race to fill an entry is success: the winner's entry is used", async (t) => {
  const sb = makeSandbox(t);
  const wheel = simpleWheel(join(sb.work, "dist"));
  const verified = readWheel(wheel);
  const cache = new WheelCache(join(sb.cache, "wheels"));
  const won = cache.fill(verified, readWheelBytes(wheel), false)!;
  const lost = cache.fill(verified, readWheelBytes(wheel), false);
  assert.ok(lost, "the existing entry is answered");
  assert.equal(lost.filesDir, won.filesDir);
  assert.deepEqual(readdirSync(join(sb.cache, "wheels")).sort(), [verified.sha256], "no temporary directory left");
});

test("processes filling a cold cache at once all succeed, leaving one entry", async (t) => {
  if (!requireOrSkip(t, existsSync(PIP_WHEEL_312), "pyenv 3.12.1's bundled pip wheel is needed")) return;
  const sb = makeSandbox(t);
  const cacheDir = join(sb.cache, "wheels");
  const startAt = Date.now() + 2500; // after every process has loaded
  const runs = [0, 1, 2, 3].map((i) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "test", "helpers", "install-wheel.ts"),
      PIP_WHEEL_312, join(sb.work, `env${i}`), cacheDir, String(startAt)], { cwd: PROJECT_ROOT, env: sb.env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  }));
  const results = await Promise.all(runs);
  const parsed: Array<InstallResult & { debug: string[] }> = [];
  for (const r of results) {
    assert.equal(r.code, 0, r.err);
    parsed.push(JSON.parse(r.out));
  }
  for (let i = 0; i < 4; i++) {
    const lib = join(sb.work, `env${i}`, "site-packages");
    const rows = checkRecord(lib, "pip-23.2.1.dist-info");
    assert.ok(rows.length > 500);
    assert.ok(existsSync(join(lib, "pip", "__init__.py")));
  }
  assert.deepEqual(readdirSync(cacheDir).filter((n) => n !== "keys").length, 1, "one entry");
  assert.deepEqual(readdirSync(cacheDir).filter((n) => n.startsWith(".")), [], "no temporary directory left");
  const raced = parsed.filter((p) => p.debug.some((l) => /another process unpacked/.test(l))).length;
  t.diagnostic(`${raced} of 4 processes found the entry filled by another while filling it`);
});
