// `venvctl freeze|list|show` beside `python -m pip freeze|list|show`: on the
// pyenv 3.11.7 interpreter (about 100 real packages), `show pip` on pyenv
// 3.13.0 (pip 24.2, the only package there), and on a venv holding 2,000
// generated distributions. Issue 18's targets: ≥ 10× pip each.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Case, Command } from "../harness.js";
import { syntheticName, writeSyntheticDists } from "../../test/helpers/synthetic-site.js";
import { CLI, NODE, pyenvPython, type BenchContext } from "./env.js";

const SYNTHETIC = 2000;

export function packageCases(b: BenchContext): Case[] {
  const { env, work, tag } = b;
  const py311 = pyenvPython("3.11.7", "3.11");
  const py313 = pyenvPython("3.13.0", "3.13");
  const bigEnv = join(work, "packages-2000");
  const bigPython = join(bigEnv, "bin", "python");
  // Built once, by the first case that needs it (setup runs untimed).
  const makeBigEnv = () => {
    if (existsSync(bigPython)) return;
    execFileSync(py311, ["-m", "venv", bigEnv], { env, stdio: "ignore" });
    const site = join(bigEnv, "lib", "python3.11", "site-packages");
    if (!readdirSync(site).some((n) => n.startsWith("pip-"))) throw new Error("the venv has no pip");
    writeSyntheticDists(site, SYNTHETIC);
  };
  const pair = (name: string, ours: string[], pip: string[], python: string, ratio: number, setup?: () => void): Case => ({
    name: `packages: ${name}${tag}`,
    commands: [
      { label: `venvctl ${ours.join(" ")}`, argv: [NODE, CLI, ...ours, "-p", python], env, cwd: work } satisfies Command,
      { label: `python -m pip ${pip.join(" ")}`, argv: [python, "-m", "pip", ...pip], env, cwd: work },
    ],
    target: b.withCa ? undefined : { ratio, text: `≤ 1/${Math.round(1 / ratio)} of pip` },
    setup,
  });
  const mid = syntheticName(SYNTHETIC / 2);
  return [
    pair("freeze, pyenv 3.11.7 (~100 packages)", ["freeze"], ["freeze"], py311, 1 / 10),
    pair("list, pyenv 3.11.7 (~100 packages)", ["list"], ["list"], py311, 1 / 10),
    pair("show requests, pyenv 3.11.7 (~100 packages)", ["show", "requests"], ["show", "requests"], py311, 1 / 10),
    pair("show pip, pyenv 3.13.0 (pip 24.2)", ["show", "pip"], ["show", "pip"], py313, 1 / 10),
    pair(`freeze, venv with ${SYNTHETIC} distributions`, ["freeze"], ["freeze"], bigPython, 1 / 10, makeBigEnv),
    pair(`list, venv with ${SYNTHETIC} distributions`, ["list"], ["list"], bigPython, 1 / 10, makeBigEnv),
    pair(`show ${mid}, venv with ${SYNTHETIC} distributions`, ["show", mid], ["show", mid], bigPython, 1 / 10, makeBigEnv),
  ];
}
