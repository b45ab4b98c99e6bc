// `rehash`: the shim set is built beside the old one and swapped in with one
// rename; files venvctl did not write are kept; an unchanged set is left
// alone; a root it cannot write leaves the existing shims as they were.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, utimesSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { rehash } from "../../src/commands/rehash.js";
import { VenvctlError } from "../../src/errors.js";
import { rehashShims } from "../../src/shims/rehash.js";
import { INDEX_FILE, MANIFEST_FILE, RANGES_FILE } from "../../src/shims/shim-set.js";
import { makeContext } from "../helpers/context.js";
import { makeFakePyenv } from "../helpers/fake-pythons.js";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";

function setup(t: Parameters<typeof makeSandbox>[0]): { sb: Sandbox; pyenvRoot: string; ctx: ReturnType<typeof makeContext> } {
  const sb = makeSandbox(t);
  const pyenvRoot = join(sb.dir, "fake-pyenv");
  makeFakePyenv(pyenvRoot, {
    "3.12.1": ["python", "python3", "python3.12", "pip", "pip3.12", "pydoc3.12", "idle3.12"],
    "3.11.7": ["python", "python3", "python3.11", "pip", "black"],
  });
  // A non-executable file and a hidden one are not commands.
  writeFileSync(join(pyenvRoot, "versions", "3.12.1", "bin", "activate"), "# not a command\n");
  writeFileSync(join(pyenvRoot, "versions", "3.12.1", "bin", ".hidden"), "#!/bin/sh\n", { mode: 0o755 });
  const ctx = makeContext(sb, { env: { PYENV_ROOT: pyenvRoot, PATH: "/nonexistent" } });
  return { sb, pyenvRoot, ctx };
}

/** Makes a directory look an hour old (sets older than 10 minutes are retired). */
function age(path: string): void {
  const then = new Date(Date.now() - 3600_000);
  utimesSync(path, then, then);
}

const generations = (root: string) => readdirSync(root).filter((n) => n.startsWith(".shims-")).sort();

test("writes a shim per command of every interpreter, and the index, behind a symlink", async (t) => {
  const { sb, ctx } = setup(t);
  const r = await rehash({}, ctx);
  assert.deepEqual(r.shims, ["black", "idle3.12", "pip", "pip3.12", "pydoc3.12", "python", "python3", "python3.11", "python3.12"]);
  const dir = join(sb.root, "shims");
  assert.ok(lstatSync(dir).isSymbolicLink());
  assert.match(readlinkSync(dir), /^\.shims-[a-z0-9]+-[0-9a-f]+$/);
  assert.deepEqual(readdirSync(dir).sort(), [INDEX_FILE, MANIFEST_FILE, RANGES_FILE, ...r.shims].sort());
  assert.equal(statSync(join(dir, RANGES_FILE)).mode & 0o111, 0, "the range evaluator is not a command");
  for (const s of r.shims) {
    assert.equal(statSync(join(dir, s)).mode & 0o777, 0o755, s);
    assert.match(readFileSync(join(dir, s), "utf8"), new RegExp(`^#!/bin/sh\\n# venvctl shim for \`${s.replace(/\./g, "\\.")}\``));
  }
  assert.equal(statSync(join(dir, INDEX_FILE)).mode & 0o111, 0, "the index is not a command");
  assert.match(readFileSync(join(dir, INDEX_FILE), "utf8"), /'3\.12'\|/);
});

test("a new version gets its shims on the next rehash; the replaced set is retired later; an unchanged set is left alone", async (t) => {
  const { sb, pyenvRoot, ctx } = setup(t);
  await rehashShims(ctx);
  const first = readlinkSync(join(sb.root, "shims"));
  const again = await rehashShims(ctx, { ifChanged: true });
  assert.equal(again.changed, false);
  assert.equal(readlinkSync(join(sb.root, "shims")), first, "nothing rewritten");

  makeFakePyenv(pyenvRoot, { "3.13.0": ["python", "python3", "python3.13", "pip3.13"] });
  const r = await rehashShims(ctx, { ifChanged: true });
  assert.equal(r.changed, true);
  assert.ok(r.shims.includes("python3.13") && r.shims.includes("pip3.13"));
  const second = readlinkSync(join(sb.root, "shims"));
  assert.notEqual(second, first);
  assert.ok(existsSync(join(sb.root, "shims", "pip3.13")));
  // The replaced set stays until a later rehash (a shim may be starting from it)…
  assert.deepEqual(generations(sb.root), [first, second].sort());
  assert.ok(existsSync(join(sb.root, first, "python")));
  // …which removes it once it is old enough.
  age(join(sb.root, first));
  await rehashShims(ctx);
  const third = readlinkSync(join(sb.root, "shims"));
  assert.deepEqual(generations(sb.root), [second, third].sort());
});

test("files venvctl did not write stay, in the new set, and win over a shim of the same name", async (t) => {
  const { sb, ctx } = setup(t);
  await rehashShims(ctx);
  const dir = join(sb.root, "shims");
  writeFileSync(join(dir, "my-tool"), "#!/bin/sh\necho mine\n", { mode: 0o755 });
  writeFileSync(join(dir, "black"), "#!/bin/sh\necho my own black\n", { mode: 0o755 });
  const r = await rehashShims(ctx);
  assert.deepEqual(r.kept.sort(), ["black", "my-tool"]);
  assert.deepEqual(r.blocked, ["black"]);
  assert.equal(readFileSync(join(dir, "my-tool"), "utf8"), "#!/bin/sh\necho mine\n");
  assert.equal(readFileSync(join(dir, "black"), "utf8"), "#!/bin/sh\necho my own black\n");
  // Once the replaced set is retired, the foreign files live on in the current one.
  const replaced = generations(sb.root).filter((g) => join(sb.root, g) !== realpathSync(dir));
  for (const g of replaced) age(join(sb.root, g));
  await rehashShims(ctx);
  await rehashShims(ctx);
  for (const g of replaced) assert.ok(!existsSync(join(sb.root, g)), `${g} retired`);
  assert.equal(readFileSync(join(dir, "my-tool"), "utf8"), "#!/bin/sh\necho mine\n");
  assert.equal(readFileSync(join(dir, "black"), "utf8"), "#!/bin/sh\necho my own black\n");
});

test("a shims directory from before (a plain directory) becomes the symlink, keeping foreign files", async (t) => {
  const { sb, ctx } = setup(t);
  const dir = join(sb.root, "shims");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "python"), "#!/bin/sh\n# venvctl shim for `python`: an old one\n", { mode: 0o755 });
  writeFileSync(join(dir, "notes.txt"), "keep me\n");
  mkdirSync(join(dir, "a-dir"));
  writeFileSync(join(dir, "a-dir", "f"), "x");
  const r = await rehashShims(ctx);
  assert.deepEqual(r.kept.sort(), ["a-dir", "notes.txt"]);
  assert.ok(lstatSync(dir).isSymbolicLink());
  assert.equal(readFileSync(join(dir, "notes.txt"), "utf8"), "keep me\n");
  assert.equal(readFileSync(join(dir, "a-dir", "f"), "utf8"), "x");
  assert.match(readFileSync(join(dir, "python"), "utf8"), /_vc_lookup/, "our old shim was replaced");
  const [old] = readdirSync(sb.root).filter((n) => n.startsWith(".shims-old-"));
  assert.ok(old, "the old directory is set aside");
  age(join(sb.root, old));
  await rehashShims(ctx);
  assert.ok(!existsSync(join(sb.root, old)), "and removed by a later rehash");
  assert.equal(readFileSync(join(dir, "notes.txt"), "utf8"), "keep me\n");
});

test("a root venvctl cannot write: a clear error, and the existing shims stay intact", async (t) => {
  const { sb, ctx } = setup(t);
  await rehashShims(ctx);
  const before = readlinkSync(join(sb.root, "shims"));
  // Root bypasses permission bits; a root that is not a directory fails for everyone.
  const fileRoot = join(sb.dir, "a-file");
  writeFileSync(fileRoot, "");
  const bad = makeContext(sb, { env: { ...ctx.env, VENVCTL_ROOT: join(fileRoot, "root") } });
  await assert.rejects(rehashShims(bad), (err: unknown) => {
    assert.ok(err instanceof VenvctlError);
    assert.match(err.message, /^cannot write the shims in .*a-file\/root\/shims$/);
    assert.match(err.hint ?? "", /VENVCTL_ROOT\) is writable; the shims there are unchanged/);
    return true;
  });
  // A `shims` symlink venvctl did not make is refused, not replaced.
  const other = makeContext(sb, { env: { ...ctx.env, VENVCTL_ROOT: join(sb.dir, "other-root") } });
  mkdirSync(join(sb.dir, "other-root", "elsewhere"), { recursive: true });
  const { symlinkSync } = await import("node:fs");
  symlinkSync("elsewhere", join(sb.dir, "other-root", "shims"));
  await assert.rejects(rehashShims(other), /is a symbolic link venvctl did not make/);
  assert.equal(readlinkSync(join(sb.dir, "other-root", "shims")), "elsewhere");
  assert.equal(readlinkSync(join(sb.root, "shims")), before);
  chmodSync(fileRoot, 0o644);
});
