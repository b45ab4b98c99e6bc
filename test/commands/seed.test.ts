// Seeding in-process, through `create`: which wheels are chosen (the
// interpreter's own, --seed-dir / $VENVCTL_SEED_DIR with the newest winning),
// the errors when there are none or one is corrupt (no env left, no cache
// entry), an unwritable cache, and --allow-existing over a seeded env.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, type CreateOptions } from "../../src/commands/create.js";
import { CorruptWheelError } from "../../src/wheel/contents.js";
import { makeContext } from "../helpers/context.js";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { rejects } from "../helpers/rejects.js";

const PY312 = pyenvPython("3.12");
const PY311 = pyenvPython("3.11");

function opts(dirs: string[], extra: Partial<CreateOptions> = {}): CreateOptions {
  return {
    dirs, python: PY312, onExisting: "refuse", systemSitePackages: false, symlinks: true, withPip: true,
    upgradeDeps: false, linkMode: "auto", ...extra,
  };
}

/** A stand-in pip: a module and pip's console script entry points. */
function fakePip(dir: string, version: string): string {
  return buildWheel(dir, {
    name: "pip",
    version,
    files: { "pip/__init__.py": `__version__ = "${version}"\n`, "pip/__main__.py": "print('fake pip')\n" },
    entryPoints: { console_scripts: { pip: "pip:main", pip3: "pip:main", "pip3.8": "pip:main" } },
  });
}

const sitePackages = (env: string, minor = "3.12") => join(env, "lib", `python${minor}`, "site-packages");
const leftovers = (sb: Sandbox) => readdirSync(sb.work).filter((n) => n !== "seeds");

test("needs pyenv 3.11 and 3.12", (t) => {
  requireOrSkip(t, PY312 !== undefined && PY311 !== undefined, "pyenv 3.11 and 3.12 are needed");
});

test("by default the interpreter's bundled pip is seeded, with pip's launcher names", async (t) => {
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  const ctx = makeContext(sb);
  const r = await create(opts([env]), ctx);
  assert.deepEqual(r.envs[0]!.seeded.map((s) => s.name), ["pip"]);
  assert.match(r.envs[0]!.seeded[0]!.wheel, /ensurepip\/_bundled\/pip-[\d.]+-py3-none-any\.whl$/);
  assert.deepEqual(r.envs[0]!.warnings, []);
  for (const name of ["pip", "pip3", "pip3.12"]) {
    assert.match(readFileSync(join(env, "bin", name), "utf8"), new RegExp(`^#!${env}/bin/python3\n`), `${name}: the env's python, by ensurepip's name`);
  }
  assert.equal(readFileSync(join(sitePackages(env), `pip-${r.envs[0]!.seeded[0]!.version}.dist-info`, "INSTALLER"), "utf8"), "venvctl\n");
  assert.deepEqual(leftovers(sb), ["env"], "no build directory left");
});

test("--seed-dir: the newest wheel there wins; pip3.N entries of the wheel are replaced by the target's", async (t) => {
  const sb = makeSandbox(t);
  const seeds = join(sb.work, "seeds");
  fakePip(seeds, "1.0");
  fakePip(seeds, "10.0");
  fakePip(seeds, "9.1");
  const env = join(sb.work, "env");
  const r = await create(opts([env], { seedDir: seeds }), makeContext(sb));
  assert.deepEqual(r.envs[0]!.seeded.map((s) => `${s.name} ${s.version}`), ["pip 10.0"]);
  assert.deepEqual(readdirSync(join(env, "bin")).filter((n) => n.startsWith("pip")).sort(), ["pip", "pip3", "pip3.12"]);

  // The same through $VENVCTL_SEED_DIR.
  const env2 = join(sb.work, "env2");
  const r2 = await create(opts([env2]), makeContext(sb, { env: { VENVCTL_SEED_DIR: seeds } }));
  assert.deepEqual(r2.envs[0]!.seeded.map((s) => s.version), ["10.0"]);
});

test("no seed wheels: an error naming the places searched, hinting --without-pip and --seed-dir; no env left", async (t) => {
  const sb = makeSandbox(t);
  const seeds = join(sb.work, "seeds");
  mkdirSync(seeds);
  fakePip(seeds, "1.0"); // pip alone: Python 3.11 wants setuptools too
  const env = join(sb.work, "env");
  const err = await rejects(create(opts([env], { python: PY311, seedDir: seeds }), makeContext(sb)), /no seed wheels for pip and setuptools \(Python 3\.11\.\d+\); searched: .*\/seeds$/);
  assert.match(err.hint ?? "", /--without-pip/);
  assert.match(err.hint ?? "", /--seed-dir/);
  assert.deepEqual(leftovers(sb), [], "no env, no build directory");
});

test("a corrupt seed wheel: exit 1 naming the wheel, no env left, no cache entry", async (t) => {
  const sb = makeSandbox(t);
  const seeds = join(sb.work, "seeds");
  const wheel = fakePip(seeds, "1.0");
  const bytes = readFileSync(wheel);
  writeFileSync(wheel, bytes.subarray(0, bytes.length - 40)); // truncated download
  const env = join(sb.work, "env");
  const err = await rejects(create(opts([env], { seedDir: seeds }), makeContext(sb)), /pip-1\.0-py3-none-any\.whl is not a valid wheel: bad ZIP archive/);
  assert.ok(err instanceof CorruptWheelError);
  assert.equal(err.exitCode, 1);
  assert.deepEqual(leftovers(sb), []);
  assert.ok(!existsSync(join(sb.cache, "wheels")) || readdirSync(join(sb.cache, "wheels")).every((n) => n === "keys"), "no cache entry");
});

test("an unwritable cache: the env is seeded anyway, with one warning", async (t) => {
  const sb = makeSandbox(t);
  const file = join(sb.dir, "cache-is-a-file");
  writeFileSync(file, "");
  const env = join(sb.work, "env");
  const ctx = makeContext(sb, { env: { VENVCTL_CACHE_DIR: file } });
  const r = await create(opts([env]), ctx);
  assert.deepEqual(r.envs[0]!.seeded.map((s) => s.name), ["pip"]);
  assert.equal(r.envs[0]!.warnings.length, 1);
  assert.match(r.envs[0]!.warnings[0]!, /^cannot write the wheel cache at .*cache-is-a-file\/wheels \(ENOTDIR\); seeding straight from the wheels$/);
  assert.ok(existsSync(join(env, "bin", "pip")));
});

test("--allow-existing over a seeded env keeps its pip as it is", async (t) => {
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  await create(opts([env]), makeContext(sb));
  const record = readdirSync(sitePackages(env)).find((n) => n.endsWith(".dist-info"))!;
  const before = readFileSync(join(sitePackages(env), record, "RECORD"));
  const r = await create(opts([env], { onExisting: "allow" }), makeContext(sb));
  assert.deepEqual(r.envs[0]!.seeded, []);
  assert.deepEqual(readFileSync(join(sitePackages(env), record, "RECORD")), before);
});

test("Python 3.11 gets pip and setuptools, each with its launchers", async (t) => {
  const sb = makeSandbox(t);
  const env = join(sb.work, "env");
  const r = await create(opts([env], { python: PY311 }), makeContext(sb));
  assert.deepEqual(r.envs[0]!.seeded.map((s) => s.name), ["pip", "setuptools"]);
  const bin = readdirSync(join(env, "bin")).filter((n) => !/^(python|activate|Activate)/.test(n)).sort();
  assert.deepEqual(bin, ["pip", "pip3", "pip3.11"]);
  assert.ok(existsSync(join(sitePackages(env, "3.11"), "setuptools", "__init__.py")));
});

test("a seed wheel is read and hashed once: again only when it was replaced or written (its inode or ctime moved)", async (t) => {
  const sb = makeSandbox(t);
  const seeds = join(sb.work, "seeds");
  const other = join(sb.work, "other");
  mkdirSync(seeds);
  mkdirSync(other);
  // Stored (not deflated): the two differ in one byte and have the same size.
  const pipWheel = (dir: string, marker: string) => buildWheel(dir, {
    name: "pip", version: "23.0", deflate: false,
    files: { "pip/__init__.py": `__version__ = "23.0"  # ${marker}\n` },
    entryPoints: { console_scripts: { pip: "pip:main" } },
  });
  const wheel = pipWheel(seeds, "a");
  const edited = readFileSync(pipWheel(other, "b"));
  assert.equal(edited.length, statSync(wheel).size, "the edit keeps the size");
  const ctx = makeContext(sb, { env: { VENVCTL_DEBUG: "1" } });
  const remembered = /pip-23\.0-py3-none-any\.whl is unchanged since it was hashed/;
  let n = 0;
  const seed = async () => {
    const before = ctx.err().length;
    const env = join(sb.work, `env${n++}`);
    const r = await create(opts([env], { seedDir: seeds }), ctx);
    assert.deepEqual(r.envs[0]!.seeded.map((s) => s.name), ["pip"]);
    return { log: ctx.err().slice(before), init: readFileSync(join(sitePackages(env), "pip", "__init__.py"), "utf8") };
  };
  assert.doesNotMatch((await seed()).log, remembered, "first use: read and hashed");
  assert.match((await seed()).log, remembered, "second use: remembered");
  // Written in place with other bytes, its size and mtime put back: only ctime moved.
  const st = statSync(wheel);
  writeFileSync(wheel, edited);
  utimesSync(wheel, st.atime, st.mtime);
  const third = await seed();
  assert.doesNotMatch(third.log, remembered, "written in place: read again");
  assert.match(third.init, /# b/, "the new bytes were seeded");
  assert.match((await seed()).log, remembered, "and remembered again");
  // Replaced by another file (a new inode), with the same size and mtime.
  writeFileSync(`${wheel}.new`, readFileSync(pipWheel(other, "a")));
  utimesSync(`${wheel}.new`, st.atime, st.mtime);
  renameSync(`${wheel}.new`, wheel);
  const fifth = await seed();
  assert.doesNotMatch(fifth.log, remembered, "replaced: read again");
  assert.match(fifth.init, /# a/);
});

test("attack: a forged sha256 memo (wheel-ids/*.json) cannot make a 3.12 env seed setuptools instead of pip", async (t) => {
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  // A 3.11 env puts pip and setuptools into the cache.
  const r311 = await create(opts([join(sb.work, "env311")], { python: PY311 }), ctx);
  const setuptools = r311.envs[0]!.seeded.find((s) => s.name === "setuptools")!;
  const setuptoolsSha = createHash("sha256").update(readFileSync(setuptools.wheel)).digest("hex");
  // The memo venvctl keeps beside the entries ("this path, with these
  // stats, hashes to …"), the user's own, forged for 3.12's pip wheel.
  const pipWheel = (await create(opts([join(sb.work, "first312")]), ctx)).envs[0]!.seeded[0]!.wheel;
  const ids = join(sb.cache, "wheel-ids");
  const records = readdirSync(ids).filter((n) => n.endsWith(".json"));
  const forged = records.map((n) => join(ids, n)).filter((f) => JSON.parse(readFileSync(f, "utf8")).path === pipWheel);
  assert.equal(forged.length, 1, "the pip wheel's sha256 is remembered");
  const record = JSON.parse(readFileSync(forged[0]!, "utf8"));
  assert.notEqual(record.sha256, setuptoolsSha);
  writeFileSync(forged[0]!, JSON.stringify({ ...record, sha256: setuptoolsSha }));
  const env = join(sb.work, "env312");
  const r = await create(opts([env]), ctx);
  assert.deepEqual(r.envs[0]!.seeded.map((s) => s.name), ["pip"]);
  assert.ok(existsSync(join(sitePackages(env), "pip", "__init__.py")));
  assert.ok(!existsSync(join(sitePackages(env), "setuptools")));
});
