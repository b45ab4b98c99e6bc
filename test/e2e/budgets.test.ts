// Budgets for the hot paths: what each loads (venvctl's files, their bytes,
// Node's built-in modules) and the system calls it makes, counted on the
// built CLI and held to test/budgets.toml. Counts, not times: load does not
// move them, so a slowdown (a module added to start-up, a second scan, a
// process more) fails here deterministically, on any machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeSandbox } from "../helpers/hermetic.js";
import { measure, overBudget, readBudgets } from "../helpers/budgets.js";
import { PATHS, setUp } from "../helpers/budget-paths.js";
import { requireOrSkip, which } from "../helpers/require.js";

for (const path of PATHS) {
  test(`budget: ${path}`, async (t) => {
    if (!requireOrSkip(t, which("strace") !== undefined, "strace counts the system calls (CI installs it)")) return;
    const sb = makeSandbox(t);
    const m = setUp(path, sb);
    if (!requireOrSkip(t, m !== undefined, "pyenv 3.12 is needed")) return;
    const budgets = await readBudgets();
    assert.ok(budgets[path], `test/budgets.toml has a [${path}] table`);
    let figures;
    try {
      figures = measure(m!, sb.dir);
    } finally {
      m!.close?.();
    }
    const problems = overBudget(path, figures, budgets[path]!);
    assert.deepEqual(problems, [], problems.join("\n"));
  });
}
