// `venvctl lock`: pip resolves for the environment, venvctl writes pylock.toml (PEP 751).
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { type IndexFlags, indexOptions, type RequirementFlags, withIndexOptions, withRequirementOptions } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withIndexOptions(withRequirementOptions(program
    .command("lock")
    .description("Resolve requirements for an environment with its pip and write a PEP 751 lock file (pylock.toml)")
    .usage("[options] [requirements...]"), "lock")
    .option("-o, --output <file>", "where to write the lock (`-` for stdout; default pylock.toml)"))
    .action(async (reqs: string[], o: IndexFlags & RequirementFlags & { output?: string }) => {
      const { lock } = await import("../commands/lock.js");
      const result = await lock({
        python: o.python,
        requirements: reqs,
        requirementFiles: o.requirement ?? [],
        constraintFiles: o.constraint ?? [],
        index: indexOptions(o),
        output: o.output,
      }, ctx);
      if (result.kind === "pip-failed") {
        cli.exitCode = result.exitCode;
        return;
      }
      const n = result.packages;
      if (result.path === undefined) ctx.stdout.write(result.text);
      ctx.stderr.write(`Locked ${n} package${n === 1 ? "" : "s"} for ${result.where}${result.path ? ` in ${result.path}` : ""}\n`);
    });
}
