// `venvctl uninstall NAME...`: the env's pip uninstalls.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { type ChangeFlags, changeOptions, collect, passThrough, pythonHelp, withChangeOptions } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withChangeOptions(program
    .command("uninstall")
    .description("Uninstall packages with the environment's pip")
    .usage("[options] [names...] [-- pip options]")
    .argument("[names...]", "project names")
    .option("-p, --python <target>", pythonHelp)
    .option("-r, --requirement <file>", "uninstall what this requirements file names (repeatable)", collect)
    .option("-y, --yes", "do not ask for confirmation"))
    .action(async (names: string[], o: ChangeFlags & { python?: string; requirement?: string[]; yes?: boolean }) => {
      const { operands, pipArgs } = passThrough(cli.argv, names);
      const { uninstall } = await import("../commands/uninstall.js");
      cli.exitCode = (await uninstall({ python: o.python, names: operands, requirementFiles: o.requirement ?? [], yes: Boolean(o.yes), pipArgs, ...changeOptions(o) }, ctx)).exitCode;
    });
}
