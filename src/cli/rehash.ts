// `venvctl rehash`: rewrites the shims.
import type { Command } from "commander";
import type { Cli } from "./cli.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("rehash")
    .description("Rewrite the shims in $VENVCTL_ROOT/shims for every command of every interpreter found")
    .action(async () => {
      const { rehash, describeRehash } = await import("../commands/rehash.js");
      const result = await rehash({}, ctx);
      for (const line of describeRehash(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });
}
