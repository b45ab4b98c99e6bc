// `npm run bench`: venvctl beside the tools it replaces, on the same input, in
// one run. Targets are judged with NODE_EXTRA_CA_CERTS unset (users rarely
// set it); figures with it set are reported too when this machine sets it.
//   --runs N       interleaved rounds per case (default 21)
//   --filter TEXT  only the cases whose name contains TEXT
//   --no-save      do not write the run to bench/results/ (bench/history.ts)
// Each case is printed beside the same case of the last run committed under
// bench/results/; commit the run's file when a capability lands.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { printCase, runCase, type CaseResult } from "./harness.js";
import { comparison, lastCommittedRun, newRun, recordCase, saveRun } from "./history.js";
import { benchContext, type CaseFactory } from "./cases/env.js";
import { createCases } from "./cases/create.js";
import { installCases } from "./cases/install.js";
import { installNativeCases } from "./cases/install-native.js";
import { packageCases } from "./cases/packages.js";
import { pythonCases } from "./cases/python.js";
import { resolveCases } from "./cases/resolve.js";
import { seedCases } from "./cases/seed.js";
import { shimCases } from "./cases/shims.js";

/** Every issue's cases, in the order they are run. */
const FACTORIES: CaseFactory[] = [createCases, shimCases, seedCases, packageCases, installCases, installNativeCases, resolveCases, pythonCases];

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option("--runs") ?? 21);
const FILTER = option("--filter");
const SAVE = !args.includes("--no-save");
const last = lastCommittedRun();
const history = newRun(new Date(), RUNS, FILTER);

const work = realpathSync(mkdtempSync(join(tmpdir(), "venvctl-bench-")));
const results: CaseResult[] = [];
const out = (s: string) => process.stdout.write(s);
out(`venvctl benchmark: ${RUNS} interleaved runs per command, medians; work dir ${work}\n`);
out(`machine: ${history.machine.cpus} cores, load ${history.machine.loadavg.join(" ")}; compared with ${last ? `${last.file} (${last.run.commit})` : "no committed run"}\n`);
try {
  const variants = process.env.NODE_EXTRA_CA_CERTS ? [false, true] : [false];
  for (const withCa of variants) {
    const b = benchContext(join(work, withCa ? "with-ca" : "plain"), withCa);
    for (const factory of FACTORIES) {
      for (const c of factory(b)) {
        if (FILTER && !c.name.includes(FILTER)) continue;
        const r = runCase(c, RUNS);
        printCase(r, out);
        out(comparison(r, last));
        results.push(r);
        recordCase(history, r);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const judged = results.filter((r) => r.met !== undefined);
const missed = judged.filter((r) => r.met === false);
if (SAVE) {
  history.machine.loadavgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  out(`\nwritten to ${saveRun(history)} (commit it when a capability lands)\n`);
}
out(`\n${judged.length - missed.length} targets met, ${missed.length} missed (judged with NODE_EXTRA_CA_CERTS unset)\n`);
