// A virtual environment's base interpreter, learnt without running anything
// inside the environment: its pyvenv.cfg names candidates, and a candidate is
// used only when it is a discovered interpreter or one already probed.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { getCfgValue, parsePyvenvCfg, type PyvenvCfgEntry } from "../standards/pyvenv-cfg.js";
import { realpathOrSelf } from "../util/fs.js";
import { tildify } from "../util/log.js";
import { homeInterpreterNames } from "../platform/interpreter-places.js";
import { cachedProbe, probeInterpreter, type Interpreter } from "./interpreter.js";
import { buildInventory, type Target } from "./inventory.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

/** Whether `dir` holds a pyvenv.cfg file (what makes a directory a venv to site.py). */
export function hasPyvenvCfg(dir: string): boolean {
  try {
    return statSync(join(dir, "pyvenv.cfg")).isFile();
  } catch {
    return false;
  }
}

/** Reads a venv's pyvenv.cfg. */
export function readVenvCfg(envDir: string): PyvenvCfgEntry[] {
  const file = join(envDir, "pyvenv.cfg");
  try {
    return parsePyvenvCfg(readFileText(file));
  } catch (err) {
    throw new VenvctlError(`cannot read ${file}`, { cause: err });
  }
}

/** A pyvenv.cfg's text; a directory, FIFO or huge file in its place is refused, not read. */
function readFileText(file: string): string {
  const st = statSync(file);
  if (!st.isFile()) throw new Error("it is not a regular file");
  if (st.size > 1024 * 1024) throw new Error(`it is ${st.size} bytes, too large to be a pyvenv.cfg`);
  return readFileSync(file, "utf8");
}

/**
 * A venv's base interpreter, learnt without running anything inside the
 * venv: pyvenv.cfg's `executable` and `home` (+ `version`) name candidates
 * outside it, and a candidate is taken only when it is a discovered
 * interpreter or one venvctl has probed before (its probe is cached). A
 * checkout's `.venv` is untrusted input: its `bin/python3` may be anything.
 */
export async function venvBaseInterpreter(ctx: Ctx, envDir: string, cfg = readVenvCfg(envDir)): Promise<Interpreter> {
  const candidates: string[] = [];
  const home = getCfgValue(cfg, "home");
  const version = getCfgValue(cfg, "version") ?? getCfgValue(cfg, "version_info") ?? "";
  const m = /^(\d+)\.(\d+)/.exec(version);
  for (const key of ["base-executable", "executable"]) {
    const v = getCfgValue(cfg, key);
    if (v) candidates.push(v);
  }
  if (home) {
    for (const name of homeInterpreterNames(ctx, m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined)) candidates.push(join(home, name));
  }
  const realEnv = realpathOrSelf(envDir);
  const usable = candidates.filter((c) => {
    if (!isAbsolute(c) || !existsSync(c)) return false;
    const rel = relative(realEnv, realpathOrSelf(c));
    return rel.startsWith("..") || isAbsolute(rel);
  });
  for (const c of usable) {
    const cached = cachedProbe(ctx, c);
    if (cached) return cached;
  }
  if (usable.length > 0) {
    const inventory = await buildInventory(ctx);
    const known = new Map<string, Target>();
    for (const t of inventory.targets) {
      known.set(realpathOrSelf(t.python), t);
      if (t.bin !== undefined) known.set(realpathOrSelf(t.bin), t);
    }
    for (const c of usable) {
      if (known.has(realpathOrSelf(c)) || known.get(realpathOrSelf(dirname(c)))?.bin !== undefined) {
        return probeInterpreter(ctx, c);
      }
    }
  }
  const where = tildify(envDir, ctx.dirs.home);
  if (usable.length === 0) {
    throw new VenvctlError(`the base interpreter of the virtual environment at ${where} is missing`, {
      hint: `pyvenv.cfg says home = ${home ?? "(nothing)"}; recreate the environment with \`venvctl create --clear\``,
    });
  }
  throw new VenvctlError(`the base interpreter of the virtual environment at ${where} (${tildify(usable[0]!, ctx.dirs.home)}) is not one venvctl knows`, {
    hint: `venvctl runs only interpreters it has discovered (on PATH, in pyenv, uv or venvctl's versions); put ${tildify(dirname(usable[0]!), ctx.dirs.home)} on PATH if you trust it, or recreate the environment with \`venvctl create --clear -p VERSION\``,
  });
}
