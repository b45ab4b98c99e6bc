// The benchmark's history (bench/history.ts): a run is written with its
// medians and ratios, and each case is compared with the newest run
// committed under bench/results/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { comparison, lastCommittedRun, newRun, recordCase, type BenchRun } from "../../bench/history.js";
import type { CaseResult } from "../../bench/harness.js";

const result = (name: string, ours: number, ref: number): CaseResult => ({
  name,
  results: [
    { label: "venvctl x", median: ours, min: ours, samples: [ours] },
    { label: "pip x", median: ref, min: ref, samples: [ref] },
  ],
  ratio: ours / ref,
  diffMs: ours - ref,
  met: ours / ref <= 0.1,
  target: "≤ 1/10 of pip",
});

test("a run records each case's medians, ratio, difference and target", () => {
  const run = newRun(new Date("2026-12-05T10:00:00Z"), 21, undefined);
  recordCase(run, result("freeze", 50, 500));
  assert.equal(run.date, "2026-12-05T10:00:00.000Z");
  assert.equal(run.runs, 21);
  assert.ok(run.machine.cpus >= 1 && run.machine.loadavg.length === 3);
  assert.deepEqual(run.cases, [
    { name: "freeze", medians: { "venvctl x": 50, "pip x": 500 }, ratio: 0.1, diffMs: -450, target: "≤ 1/10 of pip", met: true },
  ]);
});

test("each case is printed beside the same case of the last committed run", () => {
  const last: { run: BenchRun } = { run: { ...newRun(new Date("2026-11-01T00:00:00Z"), 21, undefined), commit: "abc1234" } };
  recordCase(last.run, result("freeze", 50, 500));
  assert.equal(
    comparison(result("freeze", 100, 500), last),
    "  last committed (abc1234, 2026-11-01): ratio 0.100× (1/10.0), difference -450.0 ms; now 100% worse\n",
  );
  assert.match(comparison(result("freeze", 40, 500), last), /now 20% better\n$/);
  assert.match(comparison(result("freeze", 51, 500), last), /now about the same\n$/);
  assert.equal(comparison(result("list", 50, 500), last), "  last committed run: not in it\n");
  assert.equal(comparison(result("list", 50, 500), undefined), "");
});

test("the last committed run is read from git at HEAD", () => {
  const last = lastCommittedRun();
  assert.ok(last, "bench/results/ has a committed run");
  assert.match(last.file, /^bench\/results\/\d{8}T\d{6}Z-[0-9a-f]+\.json$/);
  assert.ok(last.run.cases.length > 0 && typeof last.run.cases[0]!.ratio === "number");
});
