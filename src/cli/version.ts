// `venvctl version [--bare]`: the interpreter the selection chooses, and why.
import type { Command } from "commander";
import type { Cli } from "./index.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("version")
    .description("Show the selected Python version(s) and what selected them")
    .option("--bare", "print the version names only (as `pyenv version-name`, one per line)")
    .action(async (o: { bare?: boolean }) => {
      const { version, formatVersionLines, missingError } = await import("../commands/version.js");
      const result = await version({}, ctx);
      for (const line of formatVersionLines(result, Boolean(o.bare), ctx.dirs.home)) ctx.stdout.write(line + "\n");
      const missing = missingError(result);
      if (missing) throw missing;
    });
}
