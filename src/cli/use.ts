// `venvctl use SPEC... [--global|--shell|--unset]`: pins, and what it tells.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { Cli } from "./cli.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("use")
    .description("Pin a Python version for this directory (.python-version), --global, or --shell")
    .argument("[spec...]", "versions, in order of preference: 3.12, 3.12.1, pypy3.9, system, or a range ('>=3.10', 3.x) resolved now")
    .option("--global", "pin for the user, in $VENVCTL_ROOT/version")
    .option("--shell", "pin for this shell only (VENVCTL_VERSION), through the function `venvctl init` installs")
    .option("--unset", "remove the pin at that scope")
    .option("--install", "download and install the version first when no installed Python matches it")
    .action(async (specs: string[], o: { global?: boolean; shell?: boolean; unset?: boolean; install?: boolean }) => {
      if (o.global && o.shell) {
        throw new UsageError("--global and --shell cannot be used together", {
          hint: "--global pins for the user, --shell for this shell; without either, for this directory",
        });
      }
      const { use, describeUse } = await import("../commands/use.js");
      const result = await use({ specs, scope: o.global ? "global" : o.shell ? "shell" : "local", unset: Boolean(o.unset), install: Boolean(o.install) }, ctx);
      if (result.shellCode !== undefined) ctx.stdout.write(result.shellCode);
      for (const line of describeUse(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });
}
