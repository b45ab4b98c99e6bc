// `venvctl exec CMD [ARGS...]`: runs CMD of the selected version; CMD's exit code.
import type { Command } from "commander";
import type { Cli } from "./cli.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("exec")
    .description("Run CMD of the selected version (its bin directory first on PATH); exits with CMD's code")
    .argument("<cmd>", "a command name: python, pip, a console script")
    .argument("[args...]", "arguments for CMD, passed untouched (options too)")
    .passThroughOptions()
    .allowUnknownOption()
    .helpOption("-h, --help", "show help for exec (only before CMD)")
    .action(async (cmd: string, args: string[]) => {
      const { exec } = await import("../commands/exec.js");
      cli.exitCode = (await exec({ command: cmd, args }, ctx)).exitCode;
    });
}
