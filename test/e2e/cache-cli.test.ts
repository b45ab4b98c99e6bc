// `venvctl cache` as a user runs it: dir and info; prune removing entries
// unused for N days but never one a process began to use while it ran
// (stopped at the exact moment, test/helpers/stopped-cli.ts); verify naming
// the envs that share a file edited through a hardlink, and --repair
// rebuilding the entry and relinking those envs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { CLI, describeResult, PROJECT_ROOT, runCli } from "../helpers/run-cli.js";
import { startStoppedAt } from "../helpers/stopped-cli.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { WheelStore } from "../../src/wheel/store.js";

const cli = (sb: Sandbox, args: string[]) => runCli(args, { cwd: sb.work, env: sb.env });

function createEnv(sb: Sandbox, name: string): string {
  const dir = join(sb.work, name);
  const r = cli(sb, ["create", "-p", "3.12", dir]);
  assert.equal(r.code, 0, describeResult(r));
  return dir;
}

const pipWorks = (env: string) => spawnSync(join(env, "bin", "python"), ["-m", "pip", "--version"], { encoding: "utf8" }).status === 0;
const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);

test("cache dir and info", (t) => {
  const sb = makeSandbox(t);
  assert.equal(cli(sb, ["cache", "dir"]).stdout, `${sb.cache}\n`);
  createEnv(sb, "env");
  const r = cli(sb, ["cache", "info", "--json"]);
  assert.equal(r.code, 0, describeResult(r));
  const info = JSON.parse(r.stdout);
  assert.equal(info.dir, sb.cache);
  assert.equal(info.unpacked.entries, 1, "pip's wheel, unpacked by seeding");
  assert.ok(info.unpacked.size > 1_000_000 && info.size >= info.unpacked.size + info.interpreters.size);
  assert.ok(info.interpreters.entries >= 1);
  assert.match(cli(sb, ["cache", "info"]).stdout, /^cache: .*\nsize: [\d.]+ MiB\nwheel files: 0 \(0 B\)\nunpacked wheels: 1 /);
});

test("prune removes entries unused for N days, keeps recent ones, and the envs linked to them keep working", async (t) => {
  const sb = makeSandbox(t);
  const env = createEnv(sb, "env");
  const store = new WheelStore(sb.cache);
  const old = await store.addByMove(buildWheel(join(sb.dir, "dl"), { name: "old", version: "1.0", files: { "old.py": "" } }));
  const recent = await store.addByMove(buildWheel(join(sb.dir, "dl"), { name: "recent", version: "1.0", files: { "recent.py": "" } }));
  // Everything last used 40 days ago (the mtime of an entry's record file), but `recent` 10 days ago.
  for (const [dir, record] of [[join(sb.cache, "wheel-files", "sha256"), "entry.json"], [join(sb.cache, "wheels"), "manifest.json"]] as const) {
    for (const sha of readdirSync(dir)) utimesSync(join(dir, sha, record), daysAgo(40), daysAgo(40));
  }
  utimesSync(join(store.entryDir(recent.sha256), "entry.json"), daysAgo(10), daysAgo(10));
  utimesSync(join(sb.cache, "wheels", recent.sha256, "manifest.json"), daysAgo(10), daysAgo(10));

  const r = cli(sb, ["cache", "prune", "--json"]);
  assert.equal(r.code, 0, describeResult(r));
  const removed = JSON.parse(r.stdout).removed.map((e: { kind: string; what: string }) => `${e.kind}: ${e.what}`).sort();
  assert.deepEqual(removed, ["unpacked: old 1.0", "unpacked: pip 23.2.1", "wheel file: old-1.0-py3-none-any.whl"]);
  // (Looked at without store.get, which is a use and stamps the entry.)
  assert.ok(!existsSync(store.entryDir(old.sha256)));
  assert.ok(existsSync(store.entryDir(recent.sha256)));
  assert.ok(!existsSync(join(sb.cache, "wheel-files", "names", "old", `1@${old.sha256}`)), "its index entry went with it");
  assert.ok(existsSync(join(sb.cache, "wheel-files", "names", "recent", `1@${recent.sha256}`)));
  assert.ok(pipWorks(env), "the env keeps its files (hardlinks outlive the cache entry)");
  assert.equal(cli(sb, ["cache", "prune", "--days", "5"]).code, 0);
  assert.ok(!existsSync(store.entryDir(recent.sha256)), "--days 5: ten days unused is too long");
  assert.equal(cli(sb, ["cache", "prune", "--days", "x"]).code, 2);
});

test("prune reads the `used` stamp file an earlier venvctl kept beside an entry, and no new entry has one", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const w = await store.addByMove(buildWheel(join(sb.dir, "dl"), { name: "legacy", version: "1.0", files: { "legacy.py": "" } }));
  const dir = store.entryDir(w.sha256);
  assert.ok(!existsSync(join(dir, "used")), "the record file's mtime is the stamp");
  assert.ok(!existsSync(join(sb.cache, "wheels", w.sha256, "used")));
  // As an earlier venvctl left it: the record 40 days old, its `used` file stamped 10 days ago.
  utimesSync(join(dir, "entry.json"), daysAgo(40), daysAgo(40));
  writeFileSync(join(dir, "used"), "");
  utimesSync(join(dir, "used"), daysAgo(10), daysAgo(10));
  const kept = cli(sb, ["cache", "prune", "--json"]);
  assert.equal(kept.code, 0, describeResult(kept));
  assert.ok(existsSync(dir), "used 10 days ago: kept");
  utimesSync(join(dir, "used"), daysAgo(40), daysAgo(40));
  const gone = cli(sb, ["cache", "prune", "--json"]);
  assert.equal(gone.code, 0, describeResult(gone));
  assert.ok(!existsSync(dir), "both 40 days old: removed");
});

test("prune never removes an entry a process began to use while prune looked at it", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const w = await store.addByMove(buildWheel(join(sb.dir, "dl"), { name: "busy", version: "1.0", files: { "busy.py": "" } }));
  const dir = store.entryDir(w.sha256);
  utimesSync(join(dir, "entry.json"), daysAgo(40), daysAgo(40));
  // Stopped right after prune judged it unused and before it moves it aside: a reader begins (stamps it).
  const run = await startStoppedAt(t, ["cache", "prune", "--json"], sb, "renameSync", dir);
  assert.ok(store.get(w.sha256), "a reader uses the entry");
  run.resume();
  const { code } = await run.ended;
  assert.equal(code, 0);
  assert.ok(store.get(w.sha256), "the entry is still there");
  assert.ok(existsSync(w.path));
  // Used within the last hour counts as in use, whatever --days says.
  assert.equal(cli(sb, ["cache", "prune", "--days", "0"]).code, 0);
  assert.ok(store.get(w.sha256));
});

test("verify names the envs sharing a file edited through a hardlink; --repair rebuilds the entry and relinks them", (t) => {
  const sb = makeSandbox(t);
  const env1 = createEnv(sb, "env1");
  const env2 = createEnv(sb, "env2");
  const other = createEnv(sb, "env3");
  const r0 = cli(sb, ["cache", "verify"]);
  assert.equal(r0.code, 0, describeResult(r0));
  assert.match(r0.stdout, /1 entry checked, 0 with problems/);

  const main = (env: string) => join(env, "lib", "python3.12", "site-packages", "pip", "__main__.py");
  const original = readFileSync(main(env1), "utf8");
  assert.equal(statSync(main(env1)).mode & 0o777, 0o444, "linked files are read-only");
  // Someone edits pip in env1 (root writes through the read-only bit): every env sharing the file breaks.
  writeFileSync(main(env1), "raise SystemExit('edited in env1')\n" + original); // in place: the same inode
  assert.ok(!pipWorks(env2), "the edit broke pip in env2 too");

  const r1 = cli(sb, ["cache", "verify"]);
  assert.equal(r1.code, 1, describeResult(r1));
  assert.match(r1.stdout, /^pip 23\.2\.1 \(unpacked [0-9a-f]{12}\): pip\/__main__\.py changed/m);
  const shared = /shared by: (.*)/.exec(r1.stdout)?.[1]?.split(", ").sort();
  assert.deepEqual(shared, [env1, env2, other].sort(), "every env linked to the file is named");
  const json = JSON.parse(cli(sb, ["cache", "verify", "--json"]).stdout);
  assert.equal(json.problems[0].files[0].path, "pip/__main__.py");

  const r2 = cli(sb, ["cache", "verify", "--repair"]);
  assert.equal(r2.code, 0, describeResult(r2));
  assert.match(r2.stdout, /repaired: rebuilt from its wheel, 3 environment\(s\) relinked/);
  for (const env of [env1, env2, other]) {
    assert.equal(readFileSync(main(env), "utf8"), original, env);
    assert.ok(pipWorks(env), `pip works again in ${env}`);
  }
  assert.ok(statSync(main(env1)).nlink >= 4, "relinked: the new cache file and three envs");
  assert.equal(cli(sb, ["cache", "verify"]).code, 0);
});

test("one record per env names what it links; earlier venvctl's per-entry records are read; prune drops records of gone entries and envs", (t) => {
  const sb = makeSandbox(t);
  const env1 = createEnv(sb, "env1");
  const env2 = createEnv(sb, "env2");
  const links = join(sb.cache, "links");
  const records = () => readdirSync(links).filter((n) => n.endsWith(".json")).map((n) => JSON.parse(readFileSync(join(links, n), "utf8")));
  const [pipSha] = readdirSync(join(sb.cache, "wheels")).filter((n) => /^[0-9a-f]{64}$/.test(n));
  assert.deepEqual(records().map((r) => [r.env, Object.keys(r.links)]).sort(), [[env1, [pipSha]], [env2, [pipSha]]]);
  // An env linked by an earlier venvctl, recorded as it recorded them: links/<sha256>/<key>.json.
  const old = records().find((r) => r.env === env2);
  const legacy = join(links, pipSha!);
  mkdirSync(legacy);
  writeFileSync(join(legacy, "0123.json"), JSON.stringify({ env: env2, wheel: old.links[pipSha!].wheel, scheme: old.links[pipSha!].scheme }));
  rmSync(join(links, readdirSync(links).find((n) => n.endsWith(".json") && JSON.parse(readFileSync(join(links, n), "utf8")).env === env2)!));
  const main = (env: string) => join(env, "lib", "python3.12", "site-packages", "pip", "__main__.py");
  appendFileSync(main(env1), "# edited\n");
  const v = cli(sb, ["cache", "verify"]);
  assert.equal(v.code, 1, describeResult(v));
  assert.deepEqual(/shared by: (.*)/.exec(v.stdout)?.[1]?.split(", ").sort(), [env1, env2].sort(), "both records are read");
  assert.equal(cli(sb, ["cache", "verify", "--repair"]).code, 0);

  // env1 removed, env3 made: prune keeps every entry (all used today) and the live env's records.
  const env3 = createEnv(sb, "env3");
  rmSync(env1, { recursive: true });
  const r = cli(sb, ["cache", "prune", "--days", "400"]);
  assert.equal(r.code, 0, describeResult(r));
  assert.deepEqual(records().map((x) => x.env), [env3], "the removed env's record went; the live one stays");
  assert.ok(existsSync(join(legacy, "0123.json")), "an earlier venvctl's record of a live entry stays");
  // Then every entry unused for 40 days: prune takes pip's, and what named it.
  for (const sha of readdirSync(join(sb.cache, "wheels")).filter((n) => /^[0-9a-f]{64}$/.test(n))) {
    utimesSync(join(sb.cache, "wheels", sha, "manifest.json"), daysAgo(40), daysAgo(40));
  }
  assert.equal(cli(sb, ["cache", "prune", "--days", "30"]).code, 0);
  assert.deepEqual(readdirSync(links), [], "nothing names entries that are gone");
  assert.ok(pipWorks(env2) && pipWorks(env3), "the envs keep their files");
});

test("--link-mode copy and VENVCTL_LINK_MODE=copy give an env its own writable files, which verify does not name", (t) => {
  const sb = makeSandbox(t);
  const linked = createEnv(sb, "linked");
  const dir = join(sb.work, "copied");
  const r = runCli(["create", "-p", "3.12", dir], { cwd: sb.work, env: { ...sb.env, VENVCTL_LINK_MODE: "copy" } });
  assert.equal(r.code, 0, describeResult(r));
  const main = (env: string) => join(env, "lib", "python3.12", "site-packages", "pip", "__main__.py");
  assert.equal(statSync(main(dir)).nlink, 1);
  assert.equal(statSync(main(dir)).mode & 0o777, 0o644, "a copy is the env's own, writable as pip leaves it");
  appendFileSync(main(dir), "# my edit\n");
  assert.ok(pipWorks(linked));
  const v = cli(sb, ["cache", "verify"]);
  assert.equal(v.code, 0, describeResult(v));
  const bad = runCli(["create", "-p", "3.12", join(sb.work, "bad")], { cwd: sb.work, env: { ...sb.env, VENVCTL_LINK_MODE: "sideways" } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /VENVCTL_LINK_MODE "sideways" is not a link mode/);
});

test("a disk that fills while the cache is filled (FS_FAULT_ENOSPC_AT): exit 1 naming the error, no env, nothing poisoned in the cache", (t) => {
  const sb = makeSandbox(t);
  const dir = join(sb.work, "env");
  for (const at of ["40", "400", "900"]) {
    const r = spawnSync(process.execPath, ["--require", join(PROJECT_ROOT, "test", "helpers", "fs-fault.cjs"), CLI, "create", "-p", "3.12", dir], {
      cwd: sb.work, env: { ...sb.env, FS_FAULT_ENOSPC_AT: at }, encoding: "utf8",
    });
    // The cache is an optimisation: a full cache may mean seeding straight from the wheel, which then fails too.
    assert.equal(r.status, 1, `at change ${at}: ${r.stderr}`);
    assert.match(r.stderr, /ENOSPC|no space left/i);
    assert.ok(!existsSync(dir), `at change ${at}: no env left`);
    const v = cli(sb, ["cache", "verify"]);
    assert.equal(v.code, 0, `at change ${at}: ${describeResult(v)}`);
  }
  assert.ok(readdirSync(sb.work).filter((n) => n.startsWith(".")).length === 0, "nothing left beside the target");
  const r = cli(sb, ["create", "-p", "3.12", dir]);
  assert.equal(r.code, 0, describeResult(r));
  assert.ok(pipWorks(dir));
});
