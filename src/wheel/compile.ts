// Byte-compiling installed files with the environment's interpreter, as pip
// does during an install (operations/install/wheel.py): for each installed
// .py file, compileall.compile_file(path, force=True, quiet=True), output
// discarded, warnings ignored; each .pyc that was written goes into RECORD
// without a hash. The same call in the same interpreter writes the same
// files pip would (name from cache_from_source, default optimization level,
// invalidation mode from SOURCE_DATE_EPOCH).
import { capture } from "../util/exec.js";
import { VenvctlError } from "../errors.js";

// Reads paths (one per line, UTF-8) on stdin; prints the .pyc of each success.
const SCRIPT = `
import compileall, importlib.util, io, sys, warnings, contextlib
paths = sys.stdin.buffer.read().decode("utf-8").split("\\n")
done = []
with contextlib.redirect_stdout(io.StringIO()):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        for p in paths:
            if p and compileall.compile_file(p, force=True, quiet=True):
                done.append(importlib.util.cache_from_source(p))
sys.stdout.buffer.write("\\n".join(done).encode("utf-8"))
`;

/** The .pyc path a .py compiles to (importlib.util.cache_from_source, without an optimization level). */
export function pycPathOf(py: string, cacheTag: string): string {
  const slash = py.lastIndexOf("/");
  const dir = py.slice(0, slash);
  const base = py.slice(slash + 1, -3);
  return `${dir}/__pycache__/${base}.${cacheTag}.pyc`;
}

/**
 * Compiles `files` with `python`; answers the .pyc files written. A file
 * that does not compile (a syntax error) is skipped silently, as pip does.
 */
export async function compileFiles(python: string, files: readonly string[], env: Record<string, string | undefined>): Promise<string[]> {
  if (files.length === 0) return [];
  // PYTHONPYCACHEPREFIX would put the files outside the env, where no uninstall finds them.
  const { PYTHONPYCACHEPREFIX: _prefix, ...rest } = env;
  const r = await capture(python, ["-c", SCRIPT], { env: rest, input: files.join("\n") });
  if (r.spawnError || r.exitCode !== 0) {
    throw new VenvctlError(`byte-compiling the installed files with ${python} failed${r.signal ? ` (${r.signal})` : ` (exit ${r.exitCode})`}`, {
      cause: r.spawnError ?? (r.stderr.trim() || undefined),
      hint: "nothing was installed; run again without --compile to install without byte-compiling",
    });
  }
  return r.stdout.split("\n").filter(Boolean);
}
