// V8's code cache for the built CLI (src/util/compile-cache.ts), run as a
// user runs it: entries appear under the cache directory after a command,
// the next run uses them, a damaged entry is rewritten and never breaks a
// command, the switch turns it off, and nothing is made outside a cache
// directory that exists.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { describeResult, PROJECT_ROOT, runCli } from "../helpers/run-cli.js";

// Node 22.1+ keeps the cache itself (module.enableCompileCache); venvctl's own is for Node 20.
const BUILT_IN = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === "function";
const ENTRY_DIR = `v8-${process.versions.v8}-${process.arch}`;

function listVersions(sb: Sandbox, env: Record<string, string> = sb.env) {
  const r = runCli(["versions"], { cwd: sb.work, env });
  assert.equal(r.code, 0, describeResult(r));
  return r;
}

/** The entries venvctl wrote (Node 20: one per bundle file loaded), by bundle name. */
function entries(sb: Sandbox): Map<string, string> {
  const dir = join(sb.cache, "v8", ENTRY_DIR);
  const out = new Map<string, string>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) out.set(name.replace(/\.cjs-.*$/, ".cjs"), join(dir, name));
  return out;
}

test("the code cache: written after a command, used by the next, one entry per bundle file", (t) => {
  const sb = makeSandbox(t);
  mkdirSync(sb.cache, { recursive: true });
  const first = listVersions(sb);
  assert.ok(existsSync(join(sb.cache, "v8")), "the cache's v8 directory is made");
  if (BUILT_IN) {
    assert.ok(readdirSync(join(sb.cache, "v8")).length > 0, "Node's own compile cache writes there");
    return;
  }
  const written = entries(sb);
  assert.ok(written.has("run.cjs"), `run.cjs has an entry: ${[...written.keys()].join(", ")}`);
  for (const name of written.keys()) assert.ok(existsSync(join(PROJECT_ROOT, "dist", name.replace(/^vendor\./, "vendor/"))), `${name} is a dist file`);
  const before = new Map([...written].map(([k, path]) => [k, statSync(path).mtimeMs]));
  const second = listVersions(sb);
  assert.equal(second.stdout, first.stdout);
  // Accepted entries are not written again.
  for (const [k, path] of entries(sb)) assert.equal(statSync(path).mtimeMs, before.get(k), `${k} was used, not rewritten`);
});

test("a damaged entry is rejected and written again; the command is not affected", { skip: BUILT_IN && "Node's own compile cache checks its entries itself" }, (t) => {
  const sb = makeSandbox(t);
  mkdirSync(sb.cache, { recursive: true });
  const first = listVersions(sb);
  const run = entries(sb).get("run.cjs")!;
  const good = readFileSync(run);
  writeFileSync(run, Buffer.alloc(good.length, 0x5a));
  const second = listVersions(sb);
  assert.equal(second.stdout, first.stdout);
  assert.notDeepEqual(readFileSync(entries(sb).get("run.cjs")!), Buffer.alloc(good.length, 0x5a), "rewritten");
  // An entry for an earlier build of the same file goes when a new one is written.
  const stale = join(sb.cache, "v8", ENTRY_DIR, "run.cjs-1-2-3-4");
  writeFileSync(stale, "old");
  writeFileSync(entries(sb).get("run.cjs")!, "not v8's");
  listVersions(sb);
  assert.ok(!existsSync(stale), "the earlier build's entry is removed");
});

test("NODE_DISABLE_COMPILE_CACHE turns it off; no cache directory, no code cache (nothing made above it)", (t) => {
  const sb = makeSandbox(t);
  mkdirSync(sb.cache, { recursive: true });
  listVersions(sb, { ...sb.env, NODE_DISABLE_COMPILE_CACHE: "1" });
  assert.ok(!existsSync(join(sb.cache, "v8")));

  const missing = join(sb.dir, "not-yet", "cache");
  listVersions(sb, { ...sb.env, VENVCTL_CACHE_DIR: missing });
  assert.ok(!existsSync(join(missing, "v8")), "no v8 directory in a cache that is not there");
});
