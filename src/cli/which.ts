// `venvctl which CMD`: the executable the shim for CMD runs now.
import type { Command } from "commander";
import type { Cli } from "./index.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("which")
    .description("Show the executable the shim for CMD would run now")
    .argument("<cmd>", "a command name: python, pip, python3.12, a console script")
    .action(async (cmd: string) => {
      const { which } = await import("../commands/which.js");
      ctx.stdout.write((await which({ command: cmd }, ctx)).path + "\n");
    });
}
