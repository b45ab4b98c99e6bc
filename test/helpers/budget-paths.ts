// The hot paths the budgets guard, each set up in a sandbox as a user meets
// it: a warm cache for a seeded create, a venv of 100 generated
// distributions for freeze/list/show and a no-op install, the benchmark's
// 30 wheels (6,901 files) served on 127.0.0.1 and installed into a fresh env
// with the cache warm (pinned: from the cache alone; unpinned: resolved by
// venvctl) or locked, a pin two directories up for the shim.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "./hermetic.js";
import { pyenvPython } from "./interpreters.js";
import { runCli } from "./run-cli.js";
import { syntheticName, writeSyntheticDists } from "./synthetic-site.js";
import { buildSizedSet } from "./sized-set.js";
import { serveIndexInProcess } from "./index-server.js";
import type { Measured } from "./budgets.js";

/** The budgeted paths, by their names in test/budgets.toml. */
export const PATHS = ["version", "create-seeded", "create-without-pip", "freeze", "list", "show", "install-noop", "install-pinned-warm", "install-unpinned-warm", "lock-warm", "shim"] as const;
export type BudgetPath = (typeof PATHS)[number];

/** Sets up `path` in the sandbox and answers what to measure (undefined: pyenv 3.12 is missing). */
export function setUp(path: BudgetPath, sb: Sandbox): Measured | undefined {
  const py = pyenvPython("3.12");
  if (!py) return undefined;
  const { env, work } = sb;
  const cli = (args: string[], cwd = work) => {
    const r = runCli(args, { cwd, env });
    if (r.code !== 0) throw new Error(`venvctl ${args.join(" ")} failed: ${r.stderr}`);
  };
  const fresh = (dir: string) => () => rmSync(dir, { recursive: true, force: true });
  const packages = () => {
    const venv = join(work, "pkgs");
    cli(["create", "-p", py, venv]);
    writeSyntheticDists(join(venv, "lib", "python3.12", "site-packages"), 100);
    return join(venv, "bin", "python");
  };
  switch (path) {
    case "version":
      return { args: ["--version"], cwd: work, env };
    case "create-seeded":
      cli(["create", "-p", py, join(work, "warm")]); // fills the unpack cache
      return { args: ["create", "-p", py, join(work, "env")], cwd: work, env, before: fresh(join(work, "env")) };
    case "create-without-pip":
      return { args: ["create", "--without-pip", "-p", py, join(work, "env")], cwd: work, env, before: fresh(join(work, "env")) };
    case "freeze":
      return { args: ["freeze", "-p", packages()], cwd: work, env };
    case "list":
      return { args: ["list", "-p", packages()], cwd: work, env };
    case "show":
      return { args: ["show", syntheticName(50), "-p", packages()], cwd: work, env };
    case "install-noop": {
      const python = packages();
      writeFileSync(join(work, "reqs.txt"), `${syntheticName(10)}>=1.0\n${syntheticName(20)}\n`);
      return { args: ["install", "-p", python, "-r", join(work, "reqs.txt")], cwd: work, env };
    }
    case "install-pinned-warm":
    case "install-unpinned-warm":
    case "lock-warm": {
      // The same 30 wheels, pinned (the cache alone answers), or by name only (venvctl resolves: pages revalidated, wheels from the store).
      const set = buildSizedSet(join(sb.dir, "wheels"));
      const reqs = join(work, "reqs.txt");
      writeFileSync(reqs, (path === "install-pinned-warm" ? set.pinned : set.unpinned).join("\n") + "\n");
      const server = serveIndexInProcess(set.dir, join(sb.dir, "index.url"));
      const env1 = join(work, "env");
      const args = path === "lock-warm"
        ? ["lock", "-p", env1, "--index-url", server.url, "-r", reqs, "-o", join(work, "pylock.toml")]
        : ["install", "-p", env1, "--index-url", server.url, "-r", reqs];
      const freshEnv = () => {
        rmSync(env1, { recursive: true, force: true });
        cli(["create", "-p", py, env1]);
      };
      try {
        freshEnv();
        cli(args); // fills the cache: the measured runs install from it
      } catch (e) {
        server.close();
        throw e;
      }
      return { args, cwd: work, env, before: freshEnv, close: server.close };
    }
    case "shim": {
      const project = join(work, "project", "src", "pkg");
      mkdirSync(project, { recursive: true });
      writeFileSync(join(work, "project", ".python-version"), "3.12\n");
      cli(["rehash"]);
      const shim = join(sb.root, "shims", "python");
      return { args: ["-c", "pass"], cwd: project, env, program: shim };
    }
  }
}
