// Running a program as an unprivileged user, for the tests where permissions
// matter: CI runs as root, and root reads and writes anything. As root, the
// sandbox is opened to `nobody` (its directories 0755, HOME and the cache
// its own) and commands run under setpriv, with a copy of the built CLI in
// the sandbox (the checkout may be where nobody cannot read); as any other
// user they run as that user. Undefined (the test has skipped, saying why)
// when that cannot be arranged.
import { chmodSync, chownSync, cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";
import type { Sandbox } from "./hermetic.js";
import { requireOrSkip, which } from "./require.js";
import { CLI, PROJECT_ROOT, type CliResult } from "./run-cli.js";

export interface Unprivileged {
  /** The built CLI to run (a copy nobody can read, as root). */
  cli: string;
  /** Runs `file args` as the unprivileged user, in the sandbox's work directory with its env. */
  run(file: string, args: readonly string[], opts?: { cwd?: string; timeoutMs?: number }): CliResult;
}

export function unprivileged(t: TestContext, sb: Sandbox): Unprivileged | undefined {
  const spawn = (argv: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliResult => {
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: opts.cwd ?? sb.work, env: sb.env, encoding: "utf8", timeout: opts.timeoutMs ?? 180_000 });
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  };
  if (process.getuid?.() !== 0) return { cli: CLI, run: (file, args, opts) => spawn([file, ...args], opts) };
  const setpriv = which("setpriv");
  if (!requireOrSkip(t, setpriv !== undefined, "setpriv is needed to drop root's privileges")) return undefined;
  const uid = Number(spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim());
  if (!requireOrSkip(t, uid > 0 && gid > 0, "a user `nobody` is needed")) return undefined;
  const app = join(sb.dir, "app");
  cpSync(join(PROJECT_ROOT, "bin"), join(app, "bin"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "dist"), join(app, "dist"), { recursive: true });
  for (const d of [sb.dir, sb.work, app]) chmodSync(d, 0o755);
  for (const d of [sb.home, sb.cache]) {
    mkdirSync(d, { recursive: true });
    chownSync(d, uid, gid);
  }
  const drop = [setpriv!, `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups"];
  const probe = spawn([...drop, process.execPath, "-e", "0"]);
  if (!requireOrSkip(t, probe.code === 0, `node cannot run as nobody here (${probe.stderr.trim()})`)) return undefined;
  return { cli: join(app, "bin", "venvctl.js"), run: (file, args, opts) => spawn([...drop, file, ...args], opts) };
}
