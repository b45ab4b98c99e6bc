// The resolver core (resolvelib 1.0.1's backtracking) over an in-memory index of projects and their dependencies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve, type ResolveOptions } from "../../src/resolve/resolve.js";
import { ResolutionImpossible, ResolutionTooLong } from "../../src/resolve/explain.js";
import type { Candidate, Provider, Requirement } from "../../src/resolve/provider.js";
import { comparePep440, parsePep440, parseSpecifierSet, specifierSetContains } from "../../src/standards/pep440.js";

/** project (or `project[extra]`) → version → its dependencies as written. An extra's table lists what the extra adds. */
type Table = Record<string, Record<string, string[]>>;

/** `b<1`, `a[x]==2.0` → a requirement. */
function req(text: string, constraint = false): Requirement {
  const m = /^([A-Za-z0-9._-]+)(\[[^\]]+\])?(.*)$/.exec(text.trim());
  assert.ok(m, `parses ${text}`);
  const specifiers = parseSpecifierSet(m[3]!);
  assert.ok(specifiers, `parses the specifiers of ${text}`);
  return { id: m[1]!.toLowerCase() + (m[2] ?? ""), name: m[1]!, specifiers, text: text.trim(), ...(constraint ? { constraint } : {}) };
}

function newestFirst(versions: string[]): string[] {
  return [...versions].sort((a, b) => comparePep440(parsePep440(b)!, parsePep440(a)!));
}

/** A provider over `table`; user order is the order of `roots`; it counts its calls. */
function fakeProvider(table: Table, roots: readonly Requirement[]): Provider & { lookups: string[] } {
  const candidates = new Map<string, Candidate>();
  const candidate = (id: string, version: string): Candidate => {
    const key = `${id}@${version}`;
    let c = candidates.get(key);
    if (!c) candidates.set(key, (c = { id, name: id.replace(/\[.*$/, ""), version }));
    return c;
  };
  const base = (id: string) => id.replace(/\[.*$/, "");
  const order = new Map<string, number>();
  roots.forEach((r, i) => { if (!r.constraint && !order.has(r.id)) order.set(r.id, i); });
  const lookups: string[] = [];
  return {
    lookups,
    async findMatches(id, requirements, incompatible) {
      lookups.push(id);
      const excluded = new Set(incompatible.map((c) => c.version));
      return newestFirst(Object.keys(table[base(id)] ?? {}))
        .filter((v) => !excluded.has(v) && requirements.every((r) => specifierSetContains(r.specifiers, v)))
        .map((v) => candidate(id, v));
    },
    isSatisfiedBy(requirement, c) {
      return specifierSetContains(requirement.specifiers, c.version);
    },
    async dependencies(c) {
      if (c.id.includes("[")) {
        return [req(`${c.name}==${c.version}`), ...(table[c.id]?.[c.version] ?? []).map((t) => req(t))];
      }
      return (table[c.id]?.[c.version] ?? []).map((t) => req(t));
    },
    userOrder: (id) => order.get(id),
    versionsOf: (id) => (table[base(id)] ? newestFirst(Object.keys(table[base(id)]!)) : undefined),
  };
}

async function run(table: Table, roots: string[], opts?: ResolveOptions & { constraints?: string[] }) {
  const requirements = [...roots.map((r) => req(r)), ...(opts?.constraints ?? []).map((c) => req(c, true))];
  const provider = fakeProvider(table, requirements);
  const result = await resolve(requirements, provider, opts);
  return { ...result, provider, picked: Object.fromEntries([...result.pins].map(([id, c]) => [id, c.version])) };
}

async function impossible(table: Table, roots: string[], opts?: ResolveOptions & { constraints?: string[] }): Promise<ResolutionImpossible> {
  try {
    await run(table, roots, opts);
  } catch (err) {
    assert.ok(err instanceof ResolutionImpossible, `ResolutionImpossible, not ${String(err)}`);
    return err;
  }
  assert.fail("resolved, but no resolution should exist");
}

test("pins the closure of the requirements, and says who asked for each", async () => {
  const r = await run({ a: { "1.0": ["b"] }, b: { "1.0": ["c>=1"] }, c: { "1.0": [], "2.0": [] }, unused: { "1.0": [] } }, ["a"]);
  assert.deepEqual(r.picked, { a: "1.0", b: "1.0", c: "2.0" });
  assert.deepEqual([...r.pins.keys()], ["a", "b", "c"]);
  assert.deepEqual(r.requiredBy.get("c")!.map((i) => `${i.parent?.name} ${i.parent?.version} → ${i.requirement.text}`), ["b 1.0 → c>=1"]);
  assert.equal(r.requiredBy.get("a")![0]!.parent, undefined);
  assert.equal(r.backtracks, 0);
});

test("chooses the newest version each requirement allows", async () => {
  const r = await run({ a: { "1.0": [], "1.10": [], "1.9": [], "2.0rc1": [] }, b: { "0.5": [], "1.0": [], "3.0": [] } }, ["a", "b<3"]);
  assert.deepEqual(r.picked, { a: "1.10", b: "1.0" });
});

test("takes an older version when the newest one's dependencies conflict", async () => {
  const table = { a: { "2.0": ["b<1"], "1.0": ["b>=1"] }, b: { "1.0": [], "0.5": [] } };
  assert.deepEqual((await run(table, ["a", "b>=1"])).picked, { a: "1.0", b: "1.0" });
  assert.deepEqual((await run(table, ["a"])).picked, { a: "2.0", b: "0.5" });
});

test("backjumps to an earlier pin when a later one conflicts with it", async () => {
  // a 2.0 pins b 2; c needs b 1: the resolver must undo b and then a.
  const r = await run({ a: { "2.0": ["b==2"], "1.0": ["b==1"] }, b: { "2": [], "1": [] }, c: { "1.0": ["b==1"] } }, ["a", "c"]);
  assert.deepEqual(r.picked, { a: "1.0", b: "1", c: "1.0" });
  assert.ok(r.backtracks >= 1, `backtracked (${r.backtracks})`);
});

test("downgrades an earlier pick several levels", async () => {
  // Only x 1 works with what y (through m) needs of z; x 4, 3 and 2 are pinned with their z first, then undone.
  const table: Table = {
    x: { "4": ["z>=4"], "3": ["z>=3,<4"], "2": ["z==2.*"], "1": ["z<2"] },
    y: { "1": ["m"] },
    m: { "2": ["z<1.5"], "1": ["z<2"] },
    z: { "4.1": [], "4.0": [], "3.5": [], "3.0": [], "2.1": [], "2.0": [], "1.5": [], "1.0": [] },
  };
  const r = await run(table, ["x", "y"]);
  assert.deepEqual(r.picked, { x: "1", y: "1", m: "2", z: "1.0" });
  assert.ok(r.backtracks >= 3, `backtracked (${r.backtracks})`);

  // A chain: the conflict is found two levels below the pin that must change.
  const chain = await run({
    a: { "2": ["b==2"], "1": ["b==1"] },
    b: { "2": ["c==2"], "1": ["c==1"] },
    c: { "2": [], "1": [] },
    d: { "1": ["c<2"] },
  }, ["a", "d"]);
  assert.deepEqual(chain.picked, { a: "1", b: "1", c: "1", d: "1" });
});

test("resolves a dependency cycle", async () => {
  const r = await run({ a: { "1.0": ["b"] }, b: { "1.0": ["a"], "2.0": ["a>=2"] } }, ["a"]);
  assert.deepEqual(r.picked, { a: "1.0", b: "1.0" });
  const self = await run({ a: { "1.0": ["b"] }, b: { "1.0": ["c"] }, c: { "1.0": ["a==1.0"] } }, ["a"]);
  assert.deepEqual(self.picked, { a: "1.0", b: "1.0", c: "1.0" });
});

test("explains a conflict: who depends on what, and what the user asked for", async () => {
  const err = await impossible({ a: { "2.0": ["b<1"] }, b: { "1.0": [], "0.5": [] } }, ["a", "b>=1"]);
  assert.match(err.message, /because a 2\.0 depends on b<1 and you asked for b>=1, no version of b satisfies both/);
  assert.deepEqual(err.causes.map((c) => c.requirement.text).sort(), ["b<1", "b>=1"]);
  assert.match(err.hint!, /loosen one of .*b<1/);
  assert.match(err.hint!, /VENVCTL_RESOLVER=pip/);

  // Three causes, one of them why the parent is the version it is.
  const three = await impossible({ a: { "2.0": ["b<1"], "1.0": [] }, b: { "0.5": [], "3.0": [] }, c: { "1.0": ["b>=3"] } }, ["a>=2", "c"]);
  assert.match(three.message, /because you asked for a>=2 and a 2\.0 depends on b<1 and c 1\.0 depends on b>=3, no version of b satisfies all of them/);
});

test("says when no version matches a requirement, and which versions there are", async () => {
  const table = { a: { "1.0": ["b>=5"] }, b: { "1.0": [], "2.0": [] } };
  const direct = await impossible(table, ["b>=5"]);
  assert.match(direct.message, /^no version of b matches b>=5 \(b has 2\.0, 1\.0\)$/);
  const via = await impossible(table, ["a"]);
  assert.match(via.message, /a 1\.0 depends on b>=5, but no version of b matches b>=5 \(b has 2\.0, 1\.0\)/);
  const missing = await impossible(table, ["nothere"]);
  assert.match(missing.message, /no version of nothere matches nothere/);
});

test("constraints narrow versions but never pin a project nobody asked for", async () => {
  const table = { a: { "1.0": ["b"] }, b: { "1.0": [], "0.5": [] }, c: { "1.0": [] } };
  const r = await run(table, ["a"], { constraints: ["b<1", "c==1.0", "ghost>=1"] });
  assert.deepEqual(r.picked, { a: "1.0", b: "0.5" });
  assert.ok(!r.provider.lookups.includes("c") && !r.provider.lookups.includes("ghost"), `looked up ${r.provider.lookups.join(", ")}`);
  assert.deepEqual(r.requiredBy.get("b")!.map((i) => i.requirement.text), ["b"]);

  const err = await impossible(table, ["a"], { constraints: ["b>=2"] });
  assert.match(err.message, /because a 1\.0 depends on b and your constraints allow only b>=2, no version of b satisfies both/);
});

test("an extra resolves with its project at the same version", async () => {
  const table: Table = {
    a: { "3.0": [], "2.0": [], "1.0": [] },
    "a[x]": { "3.0": ["c>=2"], "2.0": ["c"], "1.0": ["c"] },
    c: { "1.0": [], "2.0": [] },
    d: { "1.0": ["c<2"] },
  };
  const r = await run(table, ["a[x]", "d"]);
  assert.deepEqual(r.picked, { "a[x]": "2.0", a: "2.0", c: "1.0", d: "1.0" });
  assert.equal(r.pins.get("a[x]")!.name, "a");

  // The plain project's constraint holds for the extra too, as pip's does.
  const constrained = await run(table, ["a[x]"], { constraints: ["a<2"] });
  assert.deepEqual(constrained.picked, { "a[x]": "1.0", a: "1.0", c: "2.0" });

  const err = await impossible(table, ["a[x]", "a==9"]);
  assert.match(err.message, /a/);
});

/** 110 versions of p, each pinning its own q; r wants the oldest q: every p but the oldest is tried and undone. */
function manyBacktracks(): Table {
  const p: Record<string, string[]> = {};
  const q: Record<string, string[]> = {};
  for (let n = 1; n <= 110; n++) {
    p[`${n}.0`] = [`q==${n}.0`];
    q[`${n}.0`] = [];
  }
  return { p, q, r: { "1.0": ["q==1.0"] } };
}

test("a graph of 100+ backtracks is solved without a limit", { timeout: 60_000 }, async () => {
  const r = await run(manyBacktracks(), ["p", "r"]);
  assert.deepEqual(r.picked, { p: "1.0", q: "1.0", r: "1.0" });
  assert.ok(r.backtracks >= 100, `backtracked ${r.backtracks} times`);
});

test("a graph of 100+ backtracks ends with ResolutionTooLong past maxRounds", { timeout: 60_000 }, async () => {
  await assert.rejects(run(manyBacktracks(), ["p", "r"], { maxRounds: 50 }), (err: unknown) => {
    assert.ok(err instanceof ResolutionTooLong, String(err));
    assert.equal(err.rounds, 50);
    assert.match(err.message, /^resolution took more than 50 rounds without an answer; it backtracked most on /);
    assert.ok(err.projects.includes("p"), err.message);
    assert.match(err.hint!, /pin some of/);
    return true;
  });
});

test("a search past its deadline ends with ResolutionTooLong (an injected clock)", { timeout: 60_000 }, async () => {
  let clock = 0;
  await assert.rejects(run(manyBacktracks(), ["p", "r"], { now: () => (clock += 10), deadline: 2_000 }), (err: unknown) => {
    assert.ok(err instanceof ResolutionTooLong, String(err));
    assert.match(err.message, /^resolution took more than 2 seconds without an answer; it backtracked most on /);
    assert.ok(err.seconds >= 2, `spent ${err.seconds}s`);
    assert.ok(err.rounds < 200, `stopped after ${err.rounds} rounds`);
    return true;
  });
});
