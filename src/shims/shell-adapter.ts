// What a shell adapter gives (`venvctl init`, `use --shell`): its own module,
// so that shell.ts, which loads the adapters, and the adapters do not import
// each other.

/** What `init` and `use --shell` need from a shell. */
export interface Shell {
  name: string;
  /** The code for the rc file: shims first on PATH, the `venvctl` function. */
  init(shimsDir: string): string;
  /** A line that sets an exported variable in this shell. */
  setEnv(variable: string, value: string): string;
  /** A line that removes a variable from this shell. */
  unsetEnv(variable: string): string;
}
