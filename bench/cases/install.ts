// `venvctl install -r FILE` beside `python -m pip install -r FILE` when
// everything is already installed (the no-op): a venv on CPython 3.12 holding
// 30 packages built here (with dependencies between them, an extra and a
// marker), and a requirements file pinning all 30. Both run with --no-index,
// so pip never waits on the network.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "../harness.js";
import { buildWheel } from "../../test/helpers/wheel-builder.js";
import { CLI, NODE, pyenvPython, type BenchContext } from "./env.js";

const PACKAGES = 30;

export function installCases(b: BenchContext): Case[] {
  const { env, work, tag } = b;
  const python312 = pyenvPython("3.12.1", "3.12");
  const venv = join(work, "install-noop");
  const venvPython = join(venv, "bin", "python");
  const wheels = join(work, "install-noop-wheels");
  const requirements = join(work, "install-noop-requirements.txt");
  const setup = () => {
    if (existsSync(requirements)) return;
    const lines: string[] = [];
    for (let i = 0; i < PACKAGES; i++) {
      const name = `bench-pkg-${String(i).padStart(2, "0")}`;
      const metadata: string[] = [];
      // A chain of dependencies, an extra and a marker, as real files have.
      if (i > 0) metadata.push(`Requires-Dist: bench-pkg-${String(i - 1).padStart(2, "0")}>=1.0`);
      if (i === 10) metadata.push("Provides-Extra: fast", 'Requires-Dist: bench-pkg-00 ; extra == "fast"');
      if (i === 20) metadata.push('Requires-Dist: bench-pkg-05 ; python_version >= "3.8"');
      buildWheel(wheels, { name, version: "1.0.0", metadata, files: { [`${name.replace(/-/g, "_")}.py`]: "" } });
      lines.push(i === 10 ? `${name}[fast]==1.0.0` : `${name}==1.0.0`);
    }
    writeFileSync(requirements, lines.join("\n") + "\n");
    execFileSync(NODE, [CLI, "create", "-p", python312, venv], { env, stdio: "ignore" });
    execFileSync(venvPython, ["-m", "pip", "install", "--no-index", "--find-links", wheels, "-r", requirements], { env, stdio: "ignore" });
  };
  return [
    {
      name: `install: no-op, ${PACKAGES} requirements all installed, CPython 3.12${tag}`,
      commands: [
        { label: "venvctl install -r FILE --no-index", argv: [NODE, CLI, "install", "-p", venv, "--no-index", "-r", requirements], env, cwd: work },
        { label: "python -m pip install -r FILE --no-index", argv: [venvPython, "-m", "pip", "install", "--no-index", "-r", requirements], env, cwd: work },
      ],
      target: b.withCa ? undefined : { ratio: 1 / 15, text: "≤ 1/15 of pip (issue 18)" },
      setup,
    },
  ];
}
