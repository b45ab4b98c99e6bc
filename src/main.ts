// runMain: `--version` answers before anything else is loaded; everything
// else (the Context, the program, error rendering) is imported on demand.

import { writeSync } from "node:fs";

declare const __VENVCTL_VERSION__: string | undefined;
declare const require: (id: string) => unknown;

/** Runs venvctl with the given arguments (without node and the script). */
export async function runMain(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    const version = typeof __VENVCTL_VERSION__ === "string" ? __VENVCTL_VERSION__ : "0.0.0-dev";
    // A plain write: process.stdout would build its stream (tty or net) first.
    try {
      writeSync(1, `venvctl ${version}\n`);
    } catch {
      // The reader went away (`| true`): nothing to tell it.
    }
    return;
  }
  // From the bundle, require() the program: an import() would start Node's
  // ES-module loader (~5 ms). From the sources (tests), import it. The
  // bundles are compiled from V8's code cache where there is one.
  if (typeof __VENVCTL_VERSION__ === "string") {
    (require("./util/compile-cache.cjs") as typeof import("./util/compile-cache.js")).enableCompileCache(__dirname, {
      env: process.env, v8: process.versions.v8, arch: process.arch, pid: process.pid, atExit: (f) => process.once("exit", f),
    });
  }
  const { run } = (typeof __VENVCTL_VERSION__ === "string"
    ? require("./run.cjs")
    : await import("./run.js")) as typeof import("./run.js");
  process.exitCode = await run(argv);
}
