// The store of wheel files, in-process: added by move with the expected hash
// checked (a mismatch or a corrupt wheel keeps nothing, here or in the unpack
// cache), read-only files, lookups by sha256 and by name and version (the best
// wheel for the target), METADATA facts without the zip, build records, an
// entry changed on disk dropped rather than used, and installing from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { freshVenv } from "../helpers/txn-env.js";
import { probeInterpreter } from "../../src/interpreters/interpreter.js";
import { CorruptWheelError } from "../../src/wheel/contents.js";
import { HashMismatchError } from "../../src/errors.js";
import { WheelStore } from "../../src/wheel/store.js";
import { TagPriorities } from "../../src/standards/wheel-tags.js";
import { installDistributions } from "../../src/wheel/transaction.js";
import { PYENV_ROOT } from "../helpers/hermetic.js";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const entriesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n)) : []);

function downloads(sb: Sandbox): string {
  return join(sb.dir, "pip-download-tmp");
}

test("a hash mismatch or a corrupt wheel is refused, and nothing is kept", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const good = buildWheel(downloads(sb), { name: "good", version: "1.0", files: { "good.py": "" } });
  await assert.rejects(store.addByMove(good, "0".repeat(64)), (err: unknown) => err instanceof HashMismatchError && /expected sha256/.test(err.message));
  assert.ok(existsSync(good), "the file is left where it was");
  const corrupt = buildWheel(join(sb.dir, "bad"), {
    name: "bad", version: "1.0", files: { "bad.py": "x = 1\n" }, tamper: (e) => e.set("bad.py", Buffer.from("x = 2\n")),
  });
  await assert.rejects(store.addByMove(corrupt, sha256(corrupt)), CorruptWheelError);
  assert.deepEqual(entriesIn(join(sb.cache, "wheel-files", "sha256")), []);
  assert.deepEqual(entriesIn(join(sb.cache, "wheels")), []);
});

test("added by move: verified, read-only, unpacked at once; found by sha256 and by name and version, the best for the target", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const interp = await probeInterpreter(makeContext(sb), join(PYENV_ROOT, "versions", "3.12.1", "bin", "python3.12"));
  const tags = TagPriorities.of(interp.info);
  const meta = ["Requires-Python: >=3.8", "Requires-Dist: dep>=1", 'Requires-Dist: extra-dep; extra == "x"', "Provides-Extra: x"];
  const pure = buildWheel(downloads(sb), { name: "Multi.Tag", version: "2.0", metadata: meta, files: { "multi_tag/__init__.py": "" } });
  const native = buildWheel(downloads(sb), { name: "Multi.Tag", version: "2.0", metadata: meta, tag: "cp312-cp312-manylinux_2_17_x86_64", rootIsPurelib: false, files: { "multi_tag/__init__.py": "" } });
  const foreign = buildWheel(downloads(sb), { name: "Multi.Tag", version: "2.0", metadata: meta, tag: "cp311-cp311-manylinux_2_17_x86_64", rootIsPurelib: false, files: { "multi_tag/__init__.py": "" } });
  const shas = [sha256(pure), sha256(native), sha256(foreign)];
  const stored = [];
  for (const [i, f] of [pure, native, foreign].entries()) stored.push(await store.addByMove(f, shas[i]!.toUpperCase()));
  for (const f of [pure, native, foreign]) assert.ok(!existsSync(f), "moved in");
  const s = stored[0]!;
  assert.equal(statSync(s.path).mode & 0o777, 0o444, "the stored wheel is read-only");
  assert.deepEqual(s.facts, { requiresPython: ">=3.8", requiresDist: ["dep>=1", 'extra-dep; extra == "x"'], providesExtra: ["x"] });
  assert.equal(s.canonical, "multi-tag");
  const unpacked = join(sb.cache, "wheels", shas[0]!, "files", "multi_tag", "__init__.py");
  assert.equal(statSync(unpacked).mode & 0o777, 0o444, "unpacked at once, read-only");

  assert.equal(store.get(shas[1]!)?.fileName, "multi_tag-2.0-cp312-cp312-manylinux_2_17_x86_64.whl");
  assert.equal(store.find("multi-tag", "2.0", tags)?.sha256, shas[1], "the platform wheel beats the pure one on CPython 3.12");
  assert.equal(store.find("MULTI_TAG", "2.0.0", tags)?.sha256, shas[1], "names and versions in any spelling");
  assert.equal(store.find("multi-tag", "3.0", tags), undefined);
  assert.equal(store.wheelsOf("multi.tag", "2").length, 3);

  // One index directory per project, the version in the file name; an earlier venvctl's names/<project>/<version>/<sha256> is read too.
  const index = join(sb.cache, "wheel-files", "names", "multi-tag");
  assert.deepEqual(readdirSync(index).sort(), shas.map((h) => `2@${h}`).sort());
  for (const h of shas) rmSync(join(index, `2@${h}`));
  mkdirSync(join(index, "2"));
  for (const h of shas) writeFileSync(join(index, "2", h), "");
  assert.equal(store.find("multi-tag", "2.0", tags)?.sha256, shas[1], "found through the earlier layout");
  const local = await store.addByMove(buildWheel(downloads(sb), { name: "Multi.Tag", version: "2.0+local.1", metadata: meta, files: { "multi_tag/__init__.py": "" } }));
  assert.deepEqual(store.wheelsOf("multi-tag", "2.0+local.1").map((w) => w.sha256), [local.sha256], "a local version is its own key");
  assert.equal(store.wheelsOf("multi-tag", "2").length, 3);

  // Added again (pip downloaded it twice): the entry stays, the new file goes.
  const again = buildWheel(join(sb.dir, "again"), { name: "Multi.Tag", version: "2.0", metadata: meta, files: { "multi_tag/__init__.py": "" } });
  assert.equal(sha256(again), shas[0]);
  assert.equal((await store.addByMove(again)).path, s.path);
  assert.ok(!existsSync(again));

  // Build records: an sdist's sha256, a VCS URL and commit.
  store.recordBuild({ sdistSha256: "ab".repeat(32) }, shas[0]!);
  store.recordBuild({ vcsUrl: "git+https://example.invalid/x.git", commit: "c0ffee" }, shas[1]!);
  assert.equal(store.builtFrom({ sdistSha256: "AB".repeat(32) })?.sha256, shas[0]);
  assert.equal(store.builtFrom({ vcsUrl: "git+https://example.invalid/x.git", commit: "c0ffee" })?.sha256, shas[1]);
  assert.equal(store.builtFrom({ vcsUrl: "git+https://example.invalid/x.git", commit: "other" }), undefined);
});

test("a stored wheel changed on disk is dropped, not used; one only touched is hashed and kept", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const f = buildWheel(downloads(sb), { name: "victim", version: "1.0", files: { "victim.py": "" } });
  const s = await store.addByMove(f);
  // Touched (its stats move) but the same bytes: kept.
  chmodSync(s.path, 0o444);
  assert.equal(store.get(s.sha256)?.sha256, s.sha256);
  // Changed: dropped.
  chmodSync(s.path, 0o644);
  appendFileSync(s.path, "junk");
  chmodSync(s.path, 0o444);
  assert.equal(store.get(s.sha256), undefined);
  assert.ok(!existsSync(store.entryDir(s.sha256)), "the entry is gone");
  assert.equal(store.find("victim", "1.0", new TagPriorities(["py3-none-any"])), undefined);
});

test("a pinned set's closure from the store alone (facts from entry.json), then installed from the store", async (t) => {
  const sb = makeSandbox(t);
  const store = new WheelStore(sb.cache);
  const names = Array.from({ length: 30 }, (_, i) => `proj${i}`);
  for (const [i, n] of names.entries()) {
    const deps = i + 1 < names.length ? [`Requires-Dist: ${names[i + 1]}==1.0`] : [];
    await store.addByMove(buildWheel(downloads(sb), { name: n, version: "1.0", metadata: deps, files: { [`${n}.py`]: "" } }));
  }
  const tags = new TagPriorities(["py3-none-any"]);
  const seen: string[] = [];
  let next: string | undefined = "proj0";
  while (next) {
    const w = store.find(next, "1.0", tags);
    assert.ok(w, `${next} is in the store`);
    seen.push(w.canonical);
    next = w.facts.requiresDist[0]?.split("==")[0];
  }
  assert.deepEqual(seen, names);

  const v = await freshVenv(sb, join(sb.work, "env"));
  const wheels = names.map((n) => ({ wheel: store.find(n, "1.0", tags)! }));
  const r = await installDistributions(v.target, wheels, { cacheDir: join(sb.cache, "wheels"), linkMode: "auto", handleSignals: false });
  assert.equal(r.installed.length, 30);
  assert.ok(r.installed.every((i) => i.cache === "hit"), "every wheel's files came from the unpack cache the store filled");
  assert.ok(existsSync(join(v.site, "proj29.py")));
});
