// `npm run bench`: venvctl beside the tools it replaces, on the same input, in
// one run. Targets are judged with NODE_EXTRA_CA_CERTS unset (users rarely
// set it); figures with it set are reported too when this machine sets it.
//   --runs N       interleaved rounds per case (default 21)
//   --filter TEXT  only the cases whose name contains TEXT
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printCase, runCase, type CaseResult } from "./harness.js";
import { benchContext, type CaseFactory } from "./cases/env.js";
import { createCases } from "./cases/create.js";
import { installCases } from "./cases/install.js";
import { installNativeCases } from "./cases/install-native.js";
import { packageCases } from "./cases/packages.js";
import { pythonCases } from "./cases/python.js";
import { seedCases } from "./cases/seed.js";
import { shimCases } from "./cases/shims.js";

/** Every issue's cases, in the order they are run. */
const FACTORIES: CaseFactory[] = [createCases, shimCases, seedCases, packageCases, installCases, installNativeCases, pythonCases];

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option("--runs") ?? 21);
const FILTER = option("--filter");

const work = realpathSync(mkdtempSync(join(tmpdir(), "venvctl-bench-")));
const results: CaseResult[] = [];
const out = (s: string) => process.stdout.write(s);
out(`venvctl benchmark: ${RUNS} interleaved runs per command, medians; work dir ${work}\n`);
try {
  const variants = process.env.NODE_EXTRA_CA_CERTS ? [false, true] : [false];
  for (const withCa of variants) {
    const b = benchContext(join(work, withCa ? "with-ca" : "plain"), withCa);
    for (const factory of FACTORIES) {
      for (const c of factory(b)) {
        if (FILTER && !c.name.includes(FILTER)) continue;
        const r = runCase(c, RUNS);
        printCase(r, out);
        results.push(r);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const judged = results.filter((r) => r.met !== undefined);
const missed = judged.filter((r) => r.met === false);
out(`\n${judged.length - missed.length} targets met, ${missed.length} missed (judged with NODE_EXTRA_CA_CERTS unset)\n`);
