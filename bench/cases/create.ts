// `venvctl create --without-pip` beside `python -m venv --without-pip`, and
// venvctl's start-up beside a bare Node start.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "../harness.js";
import { CLI, NODE, pyenvPython, type BenchContext } from "./env.js";

export function createCases(b: BenchContext): Case[] {
  const { env, work, tag } = b;
  const python312 = pyenvPython("3.12.1", "3.12");
  const dirA = join(work, "create-a");
  const dirB = join(work, "create-b");
  const clean = (d: string) => () => rmSync(d, { recursive: true, force: true });
  return [
    {
      name: `venvctl --version vs node -e 0${tag}`,
      commands: [
        { label: "venvctl --version", argv: [NODE, CLI, "--version"], env },
        { label: "node -e 0", argv: [NODE, "-e", "0"], env },
      ],
      target: b.withCa ? undefined : { plusMs: 10, text: "≤ +10 ms over node -e 0" },
    },
    {
      name: `create --without-pip (cached probe), CPython 3.12${tag}`,
      commands: [
        { label: "venvctl create --without-pip", argv: [NODE, CLI, "create", "--without-pip", "-p", python312, dirA], env, cwd: work, before: clean(dirA) },
        { label: "python3.12 -m venv --without-pip", argv: [python312, "-m", "venv", "--without-pip", dirB], env, cwd: work, before: clean(dirB) },
      ],
      target: b.withCa ? undefined : { ratio: 1.0, text: "≤ 1.0× python -m venv (issue 18)" },
    },
  ];
}
