// The machine's real interpreters, for tests that run against every one.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PYENV_ROOT } from "./hermetic.js";

export interface TestInterpreter {
  /** A label for test names: "pyenv 3.12.1", "debian 3.11". */
  label: string;
  /** The executable to pass with -p (and to run the oracle with). */
  path: string;
  /** major.minor */
  minor: string;
  /** Python 3 (venv-capable)? */
  py3: boolean;
}

/** pyenv's versions (2.7 and 3.6–3.13 here) and Debian's /usr/bin/python3.11. */
export function machineInterpreters(): TestInterpreter[] {
  const out: TestInterpreter[] = [];
  const versionsDir = join(PYENV_ROOT, "versions");
  let names: string[] = [];
  try {
    names = readdirSync(versionsDir).filter((n) => /^\d+\.\d+\.\d+$/.test(n));
  } catch {
    names = [];
  }
  names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  for (const name of names) {
    const [maj, min] = name.split(".");
    const exe = join(versionsDir, name, "bin", maj === "2" ? "python2" : "python3");
    if (existsSync(exe)) out.push({ label: `pyenv ${name}`, path: exe, minor: `${maj}.${min}`, py3: maj === "3" });
  }
  if (existsSync("/usr/bin/python3.11")) {
    out.push({ label: "debian 3.11", path: "/usr/bin/python3.11", minor: "3.11", py3: true });
  }
  return out;
}

/** The interpreter with this major.minor from pyenv, if there is one. */
export function pyenvPython(minor: string): string | undefined {
  return machineInterpreters().find((i) => i.label.startsWith("pyenv") && i.minor === minor)?.path;
}

/** The versions the issue names; CI fails if one of them is missing. */
export const EXPECTED_PYENV_MINORS = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];
