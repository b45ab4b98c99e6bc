// `npm run budgets`: measures every budgeted path and prints its figures
// beside test/budgets.toml's limits, with suggested limits (a margin above
// each figure) for whoever re-sets them after a speed-up.
import { makeSandbox } from "../test/helpers/hermetic.js";
import { measure, readBudgets } from "../test/helpers/budgets.js";
import { PATHS, setUp } from "../test/helpers/budget-paths.js";

const budgets = await readBudgets();
for (const path of PATHS) {
  const sb = makeSandbox(undefined, "venvctl-budgets");
  try {
    const m = setUp(path, sb);
    if (!m) {
      console.log(`[${path}] not measured: pyenv 3.12 is missing`);
      continue;
    }
    let f;
    try {
      f = measure(m, sb.dir);
    } finally {
      m.close?.();
    }
    console.log(`[${path}]`);
    if (f.distFiles.length) console.log(`dist_files = ${JSON.stringify(f.distFiles)}`);
    for (const [k, v] of Object.entries(f)) {
      if (k === "distFiles" || (m.program && (k === "js_bytes" || k === "builtins"))) continue;
      const n = v as number;
      const suggest = k === "js_bytes" ? Math.ceil(n * 1.1) : k === "builtins" ? n + 2 : k === "processes" ? n : Math.ceil(n * 1.2) + 2;
      const limit = budgets[path]?.[k];
      console.log(`${k.padEnd(14)} = ${String(suggest).padEnd(8)} # ${n} measured; budget now ${limit ?? "none"}`);
    }
  } finally {
    sb.cleanup();
  }
}
