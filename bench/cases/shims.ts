// Issue 4: a `python -c pass` through a venvctl shim beside the interpreter
// run directly and beside pyenv's shim for the same version (issue 9: also
// with a range pin, which the shim resolves itself); and `venvctl
// version`/`which python` beside `pyenv version-name`/`pyenv which python`,
// in the same directory with the same .python-version. The issue sets a target
// for the shim only; the commands are reported side by side.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "../harness.js";
import { CLI, NODE, PYENV_ROOT, pyenvPython, type BenchContext } from "./env.js";

export function shimCases(b: BenchContext): Case[] {
  const { work, tag } = b;
  const env: Record<string, string> = { ...b.env, PYENV_ROOT };
  delete env.PYENV_VERSION;
  const project = join(work, "shims-project", "src", "pkg");
  const rangeProject = join(work, "shims-range-project", "src");
  const shims = join(env.VENVCTL_ROOT!, "shims");
  const pyenv = join(PYENV_ROOT, "bin", "pyenv");
  const python312 = pyenvPython("3.12.1", "3.12");
  const setup = () => {
    mkdirSync(project, { recursive: true });
    // The pin two levels up, so the shim walks up as it would in a real project.
    writeFileSync(join(work, "shims-project", ".python-version"), "3.12\n");
    mkdirSync(rangeProject, { recursive: true });
    writeFileSync(join(work, "shims-range-project", ".python-version"), ">=3.12,<3.13\n");
    const r = spawnSync(NODE, [CLI, "rehash"], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`venvctl rehash failed: ${r.stderr}`);
  };
  const cases: Case[] = [];
  // The shim starts no Node: NODE_EXTRA_CA_CERTS cannot change it, so it runs once.
  if (!b.withCa) {
    /** `python -c pass` through the shim in `cwd`, beside the interpreter it should run. */
    const shimCase = (name: string, cwd: string, extra: Case["commands"] = []): Case => ({
      name,
      setup,
      commands: [
        { label: "venvctl shim: python -c pass", argv: [join(shims, "python"), "-c", "pass"], env, cwd },
        { label: "python3.12 -c pass (directly)", argv: [python312, "-c", "pass"], env, cwd },
        ...extra,
      ],
      target: { plusMs: 1, text: "≤ +1 ms over the interpreter run directly (issue 18)" },
    });
    cases.push(
      shimCase("shim: python -c pass (3.12 from ../../.python-version)", project, [
        { label: "pyenv shim: python -c pass", argv: [join(PYENV_ROOT, "shims", "python"), "-c", "pass"], env, cwd: project },
      ]),
      shimCase("shim: python -c pass (a range pin, >=3.12,<3.13)", rangeProject),
    );
  }
  cases.push(
    {
      name: `shim: venvctl version vs pyenv version-name${tag}`,
      setup,
      commands: [
        { label: "venvctl version", argv: [NODE, CLI, "version"], env, cwd: project },
        { label: "pyenv version-name", argv: [pyenv, "version-name"], env, cwd: project },
      ],
    },
    {
      name: `shim: venvctl which python vs pyenv which python${tag}`,
      setup,
      commands: [
        { label: "venvctl which python", argv: [NODE, CLI, "which", "python"], env, cwd: project },
        { label: "pyenv which python", argv: [pyenv, "which", "python"], env, cwd: project },
      ],
    },
  );
  return cases;
}
