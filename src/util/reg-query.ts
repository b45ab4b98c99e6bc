// Running `reg query KEY /s` (the system's reg.exe, platform/windows-registry.ts
// says which and how its text reads), once per key and process.
import type { Context } from "../context.js";
import { parseRegQuery, regExe, regQueryArgs, type RegKey } from "../platform/windows-registry.js";
import { capture } from "./exec.js";
import { debug } from "./log.js";

// One answer per reg.exe and key for the life of the process: a command may
// build the inventory more than once, and the registry does not change under it.
const answers = new Map<string, Promise<RegKey[]>>();

/**
 * Every key below `key` (itself included) and its values, from one
 * `reg query KEY /s` (`/reg:64` reads the 64-bit view even from a 32-bit
 * process). A key that does not exist, or a reg that cannot be run, is []
 * with a debug line.
 */
export function queryRegistry(ctx: Pick<Context, "env" | "stderr">, key: string, view64 = false): Promise<RegKey[]> {
  const exe = regExe(ctx);
  const args = regQueryArgs(key, view64);
  const id = `${exe}\0${args.join("\0")}`;
  let answer = answers.get(id);
  if (!answer) {
    answer = (async () => {
      const r = await capture(exe, args, { env: ctx.env, timeout: 30_000 });
      if (r.spawnError) {
        debug(ctx, `cannot run ${exe} to read ${key}: ${r.spawnError.message}`);
        return [];
      }
      if (r.exitCode !== 0) {
        debug(ctx, `${key}: not in the registry (reg exited with ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ""})`);
        return [];
      }
      return parseRegQuery(r.stdout, key);
    })();
    answers.set(id, answer);
  }
  return answer;
}
