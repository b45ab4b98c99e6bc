// runMain: `--version` answers before anything else is loaded; everything
// else (the Context, the program, error rendering) is imported on demand.

declare const __VENVCTL_VERSION__: string | undefined;
declare const require: (id: string) => unknown;

/** Runs venvctl with the given arguments (without node and the script). */
export async function runMain(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    const version = typeof __VENVCTL_VERSION__ === "string" ? __VENVCTL_VERSION__ : "0.0.0-dev";
    process.stdout.write(`venvctl ${version}\n`);
    return;
  }
  // From the bundle, require() the program: an import() would start Node's
  // ES-module loader (~5 ms). From the sources (tests), import it.
  const { run } = (typeof __VENVCTL_VERSION__ === "string"
    ? require("./run.cjs")
    : await import("./run.js")) as typeof import("./run.js");
  process.exitCode = await run(argv);
}
