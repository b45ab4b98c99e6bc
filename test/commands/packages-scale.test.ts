// How reading installed packages scales: synthetic site-packages of 200 and
// 2,000 distributions. The cost must grow linearly — measured by the files
// opened per distribution (exact) and, loosely, by time — and the 2,000 must
// still read as pip reads them.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { assertSameAsPip, runPip, runVenvctl } from "../helpers/package-env.js";
import { syntheticName, writeSyntheticDists } from "../helpers/synthetic-site.js";

const PY311 = pyenvPython("3.11");
let sb: (Sandbox & { cleanup(): void }) | undefined;
const dirs: Record<number, string> = {};

before(() => {
  sb = makeSandbox(undefined, "venvctl-scale");
  for (const n of [200, 2000]) {
    dirs[n] = join(sb.dir, `site-${n}`);
    writeSyntheticDists(dirs[n]!, n);
  }
});
after(() => sb?.cleanup());

/** Counts the files opened (and their names) while `fn` runs. */
async function countOpens(fn: () => Promise<unknown>): Promise<{ opens: string[]; exists: string[] }> {
  const opens: string[] = [];
  const exists: string[] = [];
  const realOpen = fs.openSync;
  const realExists = fs.existsSync;
  fs.openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
    opens.push(String(p));
    return (realOpen as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof fs.openSync;
  fs.existsSync = ((p: fs.PathLike) => {
    exists.push(String(p));
    return realExists(p);
  }) as typeof fs.existsSync;
  syncBuiltinESMExports();
  try {
    await fn();
  } finally {
    fs.openSync = realOpen;
    fs.existsSync = realExists;
    syncBuiltinESMExports();
  }
  return { opens, exists };
}

const inDir = (paths: string[], dir: string) => paths.filter((p) => p.startsWith(dir + "/"));

for (const command of [["freeze"], ["list"], ["list", "--format", "json"]]) {
  test(`${command.join(" ")}: one METADATA read and one direct_url.json check per distribution, nothing else`, async (t) => {
    if (!requireOrSkip(t, PY311 !== undefined, "pyenv 3.11 is needed")) return;
    const counts: Record<number, { opens: string[]; exists: string[] }> = {};
    for (const n of [200, 2000]) {
      counts[n] = await countOpens(() => runVenvctl([...command, "--path", dirs[n]!, "-p", PY311!], sb!));
      const opens = inDir(counts[n]!.opens, dirs[n]!);
      assert.equal(opens.length, n, `${n}: files opened in the site directory`);
      assert.ok(opens.every((p) => p.endsWith("/METADATA")), "only METADATA files are opened");
      assert.equal(inDir(counts[n]!.exists, dirs[n]!).length, n, `${n}: existence checks`);
    }
    // Linear: ten times the distributions, ten times the reads (plus a constant).
    const extra = (n: number) => counts[n]!.opens.length - n;
    assert.ok(Math.abs(extra(2000) - extra(200)) <= 2, "the fixed part does not grow");
  });
}

test("show: every METADATA once (Required-by needs them all), RECORD only with -f", async (t) => {
  if (!requireOrSkip(t, PY311 !== undefined, "pyenv 3.11 is needed")) return;
  const name = syntheticName(100);
  const plain = await countOpens(() => runVenvctl(["show", name, "-p", PY311!], sb!, { env: { PYTHONPATH: dirs[2000] } }));
  const opens = inDir(plain.opens, dirs[2000]!);
  assert.equal(opens.filter((p) => p.endsWith("/METADATA")).length, 2000);
  assert.equal(opens.filter((p) => !p.endsWith("/METADATA")).length, 0, "nothing but METADATA without -f");
});

test("time grows linearly (loosely: 10× the distributions, well under 25× the time)", async (t) => {
  if (!requireOrSkip(t, PY311 !== undefined, "pyenv 3.11 is needed")) return;
  const time = async (n: number) => {
    const best: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const r = await runVenvctl(["freeze", "--path", dirs[n]!, "-p", PY311!], sb!);
      best.push(performance.now() - start);
      assert.equal(r.code, 0);
    }
    return Math.min(...best);
  };
  await time(200); // warm-up: module loading and the probe cache
  const t200 = await time(200);
  const t2000 = await time(2000);
  t.diagnostic(`freeze --path: 200 distributions ${t200.toFixed(1)} ms, 2000 distributions ${t2000.toFixed(1)} ms`);
  assert.ok(t2000 < t200 * 25, `2000 took ${t2000.toFixed(1)} ms, 200 took ${t200.toFixed(1)} ms`);
});

test("2,000 distributions read as pip reads them (freeze, list, show with Required-by)", async (t) => {
  if (!requireOrSkip(t, PY311 !== undefined, "pyenv 3.11 is needed")) return;
  for (const args of [["freeze", "--path", dirs[2000]!], ["list", "--path", dirs[2000]!, "--format", "json"]]) {
    assertSameAsPip(await runVenvctl([...args, "-p", PY311!], sb!), runPip(PY311!, args, sb!), args.join(" "));
  }
  // show needs them on sys.path: $PYTHONPATH puts them there for both.
  const env = { PYTHONPATH: dirs[2000]! };
  const args = ["show", syntheticName(1000), syntheticName(0), syntheticName(1999)];
  assertSameAsPip(await runVenvctl([...args, "-p", PY311!], sb!, { env }), runPip(PY311!, args, { ...sb!, env: { ...sb!.env, ...env } }), "show");
});
