// `venvctl install`: the env's pip installs; an answer at once when nothing would change.
import type { Command } from "commander";
import type { Cli } from "./index.js";
import {
  type ChangeFlags, changeOptions, collect, type IndexFlags, indexOptions, passThrough, type PlacementFlags, placementOptions,
  type RequirementFlags, withChangeOptions, withIndexOptions, withPlacementOptions, withRequirementOptions,
} from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withPlacementOptions(withChangeOptions(withIndexOptions(withRequirementOptions(program
    .command("install")
    .description("Install packages: pip resolves, venvctl installs from its cache; answers at once when everything is already installed")
    .usage("[options] [requirements...] [-- pip options]"), "install")
    .option("-e, --editable <path-or-url>", "install this project in editable mode (repeatable)", collect)
    .option("-U, --upgrade", "upgrade to the newest versions allowed")
    .option("--force-reinstall", "reinstall even what is up to date")
    .option("--no-deps", "do not install dependencies"))))
    .action(async (reqs: string[], o: IndexFlags & ChangeFlags & PlacementFlags & RequirementFlags & {
      editable?: string[]; upgrade?: boolean;
      forceReinstall?: boolean; deps: boolean;
    }) => {
      const { operands, pipArgs } = passThrough(cli.argv, reqs);
      const { install } = await import("../commands/install.js");
      const result = await install({
        python: o.python,
        requirements: operands,
        requirementFiles: o.requirement ?? [],
        constraintFiles: o.constraint ?? [],
        editables: o.editable ?? [],
        upgrade: Boolean(o.upgrade),
        forceReinstall: Boolean(o.forceReinstall),
        noDeps: o.deps === false,
        index: indexOptions(o),
        pipArgs,
        ...changeOptions(o),
        placement: placementOptions(o, ctx.env),
      }, ctx);
      if (result.kind === "pip") {
        cli.exitCode = result.exitCode;
        return;
      }
      if (result.kind === "native") {
        const { describeChange } = await import("../commands/native-install.js");
        for (const line of describeChange(result.change, result.where)) ctx.stderr.write(line + "\n");
        for (const w of result.change.warnings) ctx.stderr.write(`warning: ${w}\n`);
        return;
      }
      if (result.kind === "nothing") {
        ctx.stderr.write(`Nothing to install: everything pip resolved is already installed in ${result.where}\n`);
        return;
      }
      for (const w of result.warnings) ctx.stderr.write(w + "\n");
      const n = result.requirements;
      ctx.stderr.write(`${n === 1 ? "The requirement is" : `All ${n} requirements are`} already satisfied in ${result.where}\n`);
    });
}
