// Runs the whole suite with node's test runner (so CI reads its counts):
// unit, then commands, then e2e. TypeScript is loaded through tsx.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const tiers = ["test/unit", "test/commands", "test/e2e"];
const only = process.argv.slice(2);
const files = [];
for (const tier of tiers) {
  let names = [];
  try { names = readdirSync(tier).sort(); } catch { continue; }
  for (const n of names) {
    const p = join(tier, n);
    if (n.endsWith(".test.ts") && statSync(p).isFile()) files.push(p);
  }
}
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const concurrency = process.env.VENVCTL_TEST_CONCURRENCY ?? "2";
const r = spawnSync(process.execPath, [
  "--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...selected,
], { stdio: "inherit" });
process.exit(r.status ?? 1);
