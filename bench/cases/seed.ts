// Seeded `venvctl create` (warm unpack cache: the harness's warm-up run
// fills it) beside `python -m venv` with pip (ensurepip) on CPython 3.12, and
// beside Debian's virtualenv where it is installed. Debian's virtualenv 20.17
// seeds only Pythons up to 3.11 offline (its wheel table stops there), so that
// pair runs on Debian's own /usr/bin/python3.11.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "../harness.js";
import { CLI, NODE, pyenvPython, type BenchContext } from "./env.js";

const VIRTUALENV = "/usr/bin/virtualenv";
const DEBIAN_PYTHON = "/usr/bin/python3.11";

export function seedCases(b: BenchContext): Case[] {
  const { env, work, tag } = b;
  const python312 = pyenvPython("3.12.1", "3.12");
  const dir = (name: string) => join(work, name);
  const clean = (d: string) => () => rmSync(d, { recursive: true, force: true });
  const cases: Case[] = [
    {
      name: `seed: create with pip (warm cache) vs python -m venv, CPython 3.12${tag}`,
      commands: [
        { label: "venvctl create", argv: [NODE, CLI, "create", "-p", python312, dir("seed-a")], env, cwd: work, before: clean(dir("seed-a")) },
        { label: "python3.12 -m venv (ensurepip)", argv: [python312, "-m", "venv", dir("seed-b")], env, cwd: work, before: clean(dir("seed-b")) },
      ],
      target: b.withCa ? undefined : { ratio: 1 / 30, text: "≤ 1/30 of python -m venv" },
    },
  ];
  if (existsSync(VIRTUALENV) && existsSync(DEBIAN_PYTHON)) {
    cases.push({
      name: `seed: create with pip (warm cache) vs virtualenv (warm app-data), Debian CPython 3.11${tag}`,
      commands: [
        { label: "venvctl create", argv: [NODE, CLI, "create", "-p", DEBIAN_PYTHON, dir("seed-c")], env, cwd: work, before: clean(dir("seed-c")) },
        {
          label: "virtualenv (pip, setuptools, wheel)",
          argv: [VIRTUALENV, "--no-periodic-update", "-p", DEBIAN_PYTHON, dir("seed-d")],
          env,
          cwd: work,
          before: clean(dir("seed-d")),
        },
      ],
    });
  }
  return cases;
}
