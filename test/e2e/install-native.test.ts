// venvctl's own installer behind `install`, `sync`, `reinstall` and lock
// files, as a user runs them: the built CLI, venvctl's resolver (or real pip,
// where it resolves: a dry run with a report) and fetching, wheels built here
// and served on 127.0.0.1.
// Which work pip did is proved by what ran in the environment (every Python
// start is recorded); what venvctl installed by INSTALLER and by the files.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { serveIndex, type IndexServer } from "../helpers/index-server.js";
import { installed, makeEnv, pythonStarts, show, venvctl, type TestEnv } from "../helpers/install-env.js";
import { buildInstallWheels } from "../helpers/install-wheels.js";
import { buildSdist } from "../helpers/sdist-builder.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { createHash } from "node:crypto";
import { spawnAsync } from "../helpers/run-cli.js";

let sb: Sandbox & { cleanup(): void };
let wheels: string;
let index: IndexServer;

before(async () => {
  sb = makeSandbox(undefined, "venvctl-install-native");
  wheels = join(sb.dir, "wheels");
  buildInstallWheels(wheels);
  // For the lock tests: an sdist only, and a wheel for another platform only.
  buildSdist(wheels, { name: "srconly", version: "1.0", files: { "srconly/__init__.py": "WHERE = 'built'\n" } });
  buildWheel(wheels, { name: "winonly", version: "1.0", tag: "cp312-cp312-win_amd64", files: { "winonly.py": "" } });
  index = await serveIndex(wheels);
});
after(async () => {
  await index.close();
  sb.cleanup();
});

/** What pip was run for in the env: `install --dry-run`, `download`, `wheel`, or a real `install`. */
function pipVerbs(env: TestEnv): string[] {
  return pythonStarts(env).flatMap((line) => {
    const m = / -m pip (\S+)( --dry-run)?/.exec(line);
    return m ? [m[2] ? `${m[1]} --dry-run` : m[1]!] : [];
  });
}

function installerOf(env: TestEnv, name: string): string {
  const info = readdirSync(env.site).find((n) => n.toLowerCase().startsWith(`${name}-`) && n.endsWith(".dist-info"));
  assert.ok(info, `${name} is installed`);
  return readFileSync(join(env.site, info, "INSTALLER"), "utf8").trim();
}

const write = (name: string, text: string) => writeFileSync(join(sb.work, name), text);

describe("install with venvctl's installer", () => {
  test("venvctl resolves, fetches and installs: files, scripts, REQUESTED; then a pinned set from the cache starts no Python", async () => {
    const env = makeEnv(sb, "native-a");
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "alpha==1.0", "gamma[fast]"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Installing into the virtual environment at .*native-a\n/);
    assert.match(r.stderr, /Installed 5 distributions into the virtual environment at .*: alpha 1\.0, beta 2\.0, delta 1\.0, gamma 1\.0, zeta 1\.0\n/);
    assert.deepEqual(pipVerbs(env), [], "venvctl resolved and downloaded: pip did not run");
    const got = installed(env.site);
    assert.deepEqual(
      Object.fromEntries(Object.entries(got).filter(([k]) => !["pip", "setuptools", "wheel"].includes(k))),
      { alpha: "1.0", beta: "2.0", gamma: "1.0", delta: "1.0", zeta: "1.0" } as Record<string, string>,
    );
    for (const name of ["alpha", "beta", "gamma", "delta", "zeta"]) assert.equal(installerOf(env, name), "venvctl");
    assert.ok(existsSync(join(env.site, "alpha-1.0.dist-info", "REQUESTED")), "named: REQUESTED");
    assert.ok(!existsSync(join(env.site, "beta-2.0.dist-info", "REQUESTED")), "a dependency: no REQUESTED");
    const script = await spawnAsync(join(env.dir, "bin", "zeta-cmd"), [], { cwd: sb.work, env: sb.env });
    assert.equal(script.stdout, "zeta\n", show(script));
    const check = await spawnAsync(env.python, ["-m", "pip", "check"], { cwd: sb.work, env: sb.env });
    assert.equal(check.code, 0, show(check));

    // The same set, pinned, into a fresh env: the cache has every wheel, pip does not run.
    const freeze = await venvctl(["freeze", "-p", env.dir], sb);
    write("native-pins.txt", freeze.stdout);
    const fresh = makeEnv(sb, "native-b");
    index.requests.length = 0;
    const again = await venvctl(["install", "-p", fresh.dir, "-r", "native-pins.txt"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(again.code, 0, show(again));
    assert.match(again.stderr, /debug: a pinned set with every wheel in venvctl's cache: no pip/);
    assert.deepEqual(pythonStarts(fresh), [], "no Python started in the environment");
    assert.deepEqual(index.requests, [], "the index was not asked");
    assert.deepEqual(installed(fresh.site), installed(env.site));
  });

  test("upgrade, downgrade and reinstall replace the installed distribution's files", async () => {
    const env = makeEnv(sb, "native-updown");
    const run = (...args: string[]) => venvctl(["install", "-p", env.dir, "--index-url", index.url, ...args], sb);
    assert.equal((await run("alpha==1.0")).code, 0);
    assert.equal(readFileSync(join(env.site, "alpha.py"), "utf8"), "VERSION = '1.0'\n");
    const up = await run("alpha==2.0");
    assert.equal(up.code, 0, show(up));
    assert.match(up.stderr, /alpha 2\.0 \(was 1\.0\)/);
    assert.equal(readFileSync(join(env.site, "alpha.py"), "utf8"), "VERSION = '2.0'\n");
    assert.ok(!existsSync(join(env.site, "alpha-1.0.dist-info")), "the old metadata is gone");
    const down = await run("alpha==1.0");
    assert.equal(down.code, 0, show(down));
    assert.equal(readFileSync(join(env.site, "alpha.py"), "utf8"), "VERSION = '1.0'\n");
    assert.ok(!existsSync(join(env.site, "alpha-2.0.dist-info")));
    // A damaged file comes back with reinstall, from the cache: no pip.
    writeFileSync(join(env.site, "alpha.py"), "broken\n");
    pythonStarts(env);
    const re = await venvctl(["reinstall", "-p", env.dir, "alpha"], sb);
    assert.equal(re.code, 0, show(re));
    assert.match(re.stderr, /alpha 1\.0 \(reinstalled\)/);
    assert.equal(readFileSync(join(env.site, "alpha.py"), "utf8"), "VERSION = '1.0'\n");
    assert.deepEqual(pipVerbs(env), []);
    // pip uninstalls what venvctl installed.
    const un = await spawnAsync(env.python, ["-m", "pip", "uninstall", "-y", "alpha"], { cwd: sb.work, env: sb.env });
    assert.equal(un.code, 0, show(un));
    assert.ok(!existsSync(join(env.site, "alpha.py")));
  });

  test("reinstall and --force-reinstall write the files anew: new inodes, a touched file fresh, an edited one restored, another env sharing the cache untouched", async () => {
    const a = makeEnv(sb, "fresh-a");
    const b = makeEnv(sb, "fresh-b");
    for (const env of [a, b]) assert.equal((await venvctl(["install", "-p", env.dir, "--index-url", index.url, "alpha==1.0"], sb)).code, 0);
    const fa = join(a.site, "alpha.py");
    const fb = join(b.site, "alpha.py");
    const shared = statSync(fb);
    assert.equal(statSync(fa).ino, shared.ino, "both linked from the cache");

    // Touched only: pip would write it anew, and so does reinstall (not the cache's inode, with its old mtime, again).
    const past = new Date(Date.UTC(2001, 0, 1));
    utimesSync(fa, past, past);
    const touched = await venvctl(["reinstall", "-p", a.dir, "alpha"], sb);
    assert.equal(touched.code, 0, show(touched));
    const afterTouch = statSync(fa);
    assert.notEqual(afterTouch.ino, shared.ino, "a new file");
    assert.ok(afterTouch.mtimeMs > past.getTime() + 1000, "written now, not the touched mtime");
    assert.equal(afterTouch.nlink, 1, "the env's own");
    assert.equal(readFileSync(fa, "utf8"), "VERSION = '1.0'\n");
    assert.equal(statSync(fb).ino, shared.ino, "the other env keeps its file");

    // Edited: restored, in a new file again; the other env's file is not the edited one.
    writeFileSync(fa, "edited\n");
    const edited = await venvctl(["install", "-p", a.dir, "--index-url", index.url, "--force-reinstall", "alpha==1.0"], sb);
    assert.equal(edited.code, 0, show(edited));
    assert.equal(readFileSync(fa, "utf8"), "VERSION = '1.0'\n");
    assert.notEqual(statSync(fa).ino, afterTouch.ino, "--force-reinstall writes it anew too");
    assert.equal(readFileSync(fb, "utf8"), "VERSION = '1.0'\n", "the other env was never touched by the edit");
    // And pip sees a sound install.
    const check = await spawnAsync(a.python, ["-m", "pip", "check"], { cwd: sb.work, env: sb.env });
    assert.equal(check.code, 0, show(check));
  });

  test("install --dry-run prints sync's plan and changes nothing; --json gives the plan, or what changed", async () => {
    const env = makeEnv(sb, "native-dry");
    assert.equal((await venvctl(["install", "-p", env.dir, "--index-url", index.url, "alpha==1.0"], sb)).code, 0);
    write("dry-reqs.txt", "alpha==2.0\ngamma\n");
    const before = installed(env.site);
    const dry = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "--dry-run", "-r", "dry-reqs.txt", "alpha>=1"], sb);
    assert.equal(dry.code, 0, show(dry));
    assert.equal(dry.stdout, "install alpha==2.0  # 1.0 installed (dry-reqs.txt line 1)\ninstall gamma  # not installed (dry-reqs.txt line 2)\n");
    assert.match(dry.stderr, /^Would install 2 requirements into the virtual environment at .*native-dry \(--dry-run: nothing changed\)\n$/);
    assert.deepEqual(installed(env.site), before, "nothing changed");
    // The same plan sync --dry-run prints for the file.
    const syncDry = await venvctl(["sync", "-p", env.dir, "--index-url", index.url, "--dry-run", "dry-reqs.txt"], sb);
    assert.equal(syncDry.stdout.split("\n").filter((l) => l.startsWith("install ")).join("\n") + "\n", dry.stdout);

    const plan = JSON.parse((await venvctl(["install", "-p", env.dir, "--index-url", index.url, "--dry-run", "--json", "-r", "dry-reqs.txt"], sb)).stdout) as Record<string, unknown>;
    assert.deepEqual(plan, {
      where: plan.where, satisfied: false, pip_install: "2 listed requirements are not satisfied",
      install: [
        { requirement: "alpha==2.0", reason: "version", installed: "1.0", where: "dry-reqs.txt line 1" },
        { requirement: "gamma", reason: "missing", installed: null, where: "dry-reqs.txt line 2" },
      ],
    });
    const nothing = await venvctl(["install", "-p", env.dir, "--dry-run", "alpha"], sb);
    assert.equal(nothing.stdout, "");
    assert.match(nothing.stderr, /^The requirement is already satisfied in .*: nothing to do\n$/);

    const done = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "--json", "alpha==2.0"], sb);
    assert.equal(done.code, 0, show(done));
    assert.deepEqual(JSON.parse(done.stdout), { where: JSON.parse(done.stdout).where, installed: [{ name: "alpha", version: "2.0", was: "1.0" }], uninstalled: [] });
    const again = await venvctl(["install", "-p", env.dir, "--json", "alpha==2.0"], sb);
    assert.deepEqual(JSON.parse(again.stdout).installed, [], "already satisfied: nothing installed");
    // pip's own install cannot answer in JSON: an error before anything runs.
    const viaPip = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "--json", "leaf", "--", "--no-compile"], sb);
    assert.equal(viaPip.code, 1, show(viaPip));
    assert.match(viaPip.stderr, /^error: --json is not available here: pip installs/m);
    assert.equal(installed(env.site).leaf, undefined);
    // A lock file's plan is sync's.
    const lock = await venvctl(["install", "-p", env.dir, "--dry-run", "-r", "pylock.toml"], sb);
    assert.equal(lock.code, 2, show(lock));
    assert.match(lock.stderr, /^hint: venvctl sync --dry-run pylock\.toml/m);
  });

  test("what venvctl cannot install as pip would is pip's whole, and VENVCTL_DEBUG says why", async () => {
    const env = makeEnv(sb, "native-pip");
    const r = await venvctl(["install", "-p", env.dir, "--index-url", index.url, "leaf", "--", "--no-compile"], sb, { env: { VENVCTL_DEBUG: "1" } });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /debug: pip installs \(not venvctl\): pip options after -- \(--no-compile\)/);
    assert.deepEqual(pipVerbs(env), ["install"]);
    assert.equal(installerOf(env, "leaf"), "pip");
  });
});

describe("lock files (PEP 751)", () => {
  test("lock, then sync the lock into a fresh env: freeze equals the lock's pins, no pip runs", async () => {
    const env = makeEnv(sb, "lock-source");
    write("lock-reqs.txt", "alpha\ngamma[fast]\n");
    const lock = await venvctl(["lock", "-p", env.dir, "--index-url", index.url, "-r", "lock-reqs.txt", "-o", join(sb.work, "pylock.toml")], sb);
    assert.equal(lock.code, 0, show(lock));
    assert.match(lock.stderr, /Locked 5 packages for the virtual environment at .* in .*pylock\.toml/);
    const text = readFileSync(join(sb.work, "pylock.toml"), "utf8");
    assert.match(text, /^lock-version = "1\.0"$/m);
    assert.match(text, /^created-by = "venvctl"$/m);
    const pins = [...text.matchAll(/^\[\[packages\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/gm)].map((m) => `${m[1]}==${m[2]}`).sort();
    assert.deepEqual(pins, ["alpha==2.0", "beta==2.0", "delta==1.0", "gamma==1.0", "zeta==1.0"], "the newest alpha, beta's final release, the extra, the marker that holds");
    const fresh = makeEnv(sb, "lock-target");
    index.requests.length = 0;
    const sync = await venvctl(["sync", "-p", fresh.dir, "pylock.toml"], sb);
    assert.equal(sync.code, 0, show(sync));
    assert.deepEqual(pythonStarts(fresh), [], "no Python started: every wheel was in the store");
    assert.deepEqual(index.requests, []);
    const freeze = await venvctl(["freeze", "-p", fresh.dir], sb);
    const frozen = freeze.stdout.trim().split("\n").filter((l) => !/^(pip|setuptools|wheel)==/.test(l)).map((l) => l.toLowerCase()).sort();
    assert.deepEqual(frozen, pins.map((p) => p.toLowerCase()));
  });

  test("a malformed lock is a FILE:LINE error and nothing is installed", async () => {
    const env = makeEnv(sb, "lock-bad");
    write("pylock.bad.toml", 'lock-version = "1.0"\ncreated-by = "hand"\n[[packages]]\nversion = "1.0"\n');
    const before = installed(env.site);
    const r = await venvctl(["sync", "-p", env.dir, "pylock.bad.toml"], sb);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /^error: pylock\.bad\.toml:3: /m);
    assert.deepEqual(installed(env.site), before);
  });

  /** A lock in uv's layout (inline wheel tables), for files served by the test index. */
  const uvLock = (packages: Array<{ name: string; version: string; file: string; kind: "wheels" | "sdist"; sha256?: string; marker?: string }>, extra = "") => {
    const base = index.url.replace(/simple\/$/, "files/");
    const lines = ['lock-version = "1.0"', 'created-by = "uv"', 'requires-python = ">=3.9"', extra, ""];
    for (const p of packages) {
      const sha = p.sha256 ?? createHash("sha256").update(readFileSync(join(wheels, p.file))).digest("hex");
      lines.push("[[packages]]", `name = "${p.name}"`, `version = "${p.version}"`);
      if (p.marker) lines.push(`marker = "${p.marker}"`);
      const entry = `{ url = "${base}${p.file}", hashes = { sha256 = "${sha}" } }`;
      lines.push(p.kind === "sdist" ? `sdist = ${entry}` : `wheels = [\n    ${entry},\n]`, "");
    }
    return lines.join("\n");
  };

  test("a lock in uv's layout, with an sdist and a package for another platform: the sdist is built, the other left out", async () => {
    const env = makeEnv(sb, "lock-uv");
    write("pylock.uv.toml", uvLock([
      { name: "leaf", version: "1.0", file: "leaf-1.0-py3-none-any.whl", kind: "wheels" },
      { name: "srconly", version: "1.0", file: "srconly-1.0.tar.gz", kind: "sdist" },
      { name: "winonly", version: "1.0", file: "winonly-1.0-cp312-cp312-win_amd64.whl", kind: "wheels", marker: "sys_platform == 'win32'" },
    ]));
    const r = await venvctl(["sync", "-p", env.dir, "pylock.uv.toml"], sb);
    assert.equal(r.code, 0, show(r));
    const got = installed(env.site);
    assert.equal(got.leaf, "1.0");
    assert.equal(got.srconly, "1.0", "built from the sdist by pip wheel");
    assert.equal(got.winonly, undefined, "its marker is for another platform");
    assert.equal(readFileSync(join(env.site, "srconly", "__init__.py"), "utf8"), "WHERE = 'built'\n");
    assert.deepEqual(pipVerbs(env), ["download", "wheel"], "pip fetched the wheel and built the sdist; it resolved nothing");
    // Again into a fresh env: the built wheel is remembered by the sdist's hash.
    const again = makeEnv(sb, "lock-uv-2");
    const r2 = await venvctl(["install", "-p", again.dir, "-r", "pylock.uv.toml"], sb);
    assert.equal(r2.code, 0, show(r2));
    assert.deepEqual(pipVerbs(again), [], "nothing of pip ran");
    assert.equal(installed(again.site).srconly, "1.0");
  });

  test("a lock in pip's layout ([[packages.wheels]] tables, as `pip lock` writes them) installs the same way", async () => {
    const env = makeEnv(sb, "lock-pip");
    const base = index.url.replace(/simple\/$/, "files/");
    const wheel = (name: string, file: string) => [
      "[[packages]]", `name = "${name}"`, 'version = "1.0"', "", "[[packages.wheels]]", `name = "${file}"`, `url = "${base}${file}"`,
      "", "[packages.wheels.hashes]", `sha256 = "${createHash("sha256").update(readFileSync(join(wheels, file))).digest("hex")}"`, "",
    ];
    write("pylock.pip.toml", ['lock-version = "1.0"', 'created-by = "pip"', "", ...wheel("mid", "mid-1.0-py3-none-any.whl"), ...wheel("leaf", "leaf-1.0-py3-none-any.whl")].join("\n"));
    const r = await venvctl(["install", "-p", env.dir, "-r", "pylock.pip.toml"], sb);
    assert.equal(r.code, 0, show(r));
    assert.equal(installed(env.site).mid, "1.0");
    assert.equal(installed(env.site).leaf, "1.0");
    assert.equal(installerOf(env, "mid"), "venvctl");
  });

  test("a lock that does not fit: only a wheel for another platform, or environments for another one; nothing installed", async () => {
    const env = makeEnv(sb, "lock-misfit");
    const before = installed(env.site);
    write("pylock.win.toml", uvLock([{ name: "winonly", version: "1.0", file: "winonly-1.0-cp312-cp312-win_amd64.whl", kind: "wheels" }]));
    let r = await venvctl(["sync", "-p", env.dir, "pylock.win.toml"], sb);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^error: pylock\.win\.toml:\d+: winonly 1\.0 has no wheel for .* and no sdist; its wheels are for cp312-cp312-win_amd64/m);
    write("pylock.env.toml", uvLock([{ name: "leaf", version: "1.0", file: "leaf-1.0-py3-none-any.whl", kind: "wheels" }], "environments = [\"sys_platform == 'win32'\"]"));
    r = await venvctl(["sync", "-p", env.dir, "pylock.env.toml"], sb);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^error: pylock\.env\.toml:4: .* is none of the lock's environments/m);
    assert.deepEqual(installed(env.site), before);
    assert.deepEqual(pipVerbs(env), []);
  });

  test("a hash that does not match: nothing installed, nothing kept in the cache", async () => {
    const env = makeEnv(sb, "lock-hash");
    const before = installed(env.site);
    write("pylock.hash.toml", uvLock([{ name: "epsilon", version: "1.0", file: "epsilon-1.0-py3-none-any.whl", kind: "wheels", sha256: "0".repeat(64) }]));
    const r = await venvctl(["sync", "-p", env.dir, "pylock.hash.toml"], sb);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /hash/i);
    assert.deepEqual(installed(env.site), before);
    const stored = join(sb.cache, "wheel-files", "names", "epsilon");
    assert.ok(!existsSync(stored), "the store kept nothing of epsilon");
  });
});

