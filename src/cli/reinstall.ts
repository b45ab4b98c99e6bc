// `venvctl reinstall NAME...`: pip install --upgrade --no-deps --force-reinstall at the installed version.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import {
  type ChangeFlags, changeOptions, collect, type IndexFlags, indexOptions, passThrough, type PlacementFlags, placementOptions, pythonHelp,
  withChangeOptions, withIndexOptions, withPlacementOptions,
} from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withPlacementOptions(withChangeOptions(withIndexOptions(program
    .command("reinstall")
    .description("Reinstall packages at their installed version (pip install --upgrade --no-deps --force-reinstall)")
    .usage("[options] [names...] [-- pip options]")
    .argument("[names...]", "project names; with a version (`requests==2.31.0`) to reinstall that one")
    .option("-p, --python <target>", pythonHelp)
    .option("-r, --requirement <file>", "reinstall what this requirements file names (repeatable)", collect))))
    .action(async (names: string[], o: IndexFlags & ChangeFlags & PlacementFlags & { python?: string; requirement?: string[] }) => {
      const { operands, pipArgs } = passThrough(cli.argv, names);
      const { reinstall } = await import("../commands/reinstall.js");
      const result = await reinstall({ python: o.python, names: operands, requirementFiles: o.requirement ?? [], index: indexOptions(o), pipArgs, ...changeOptions(o), placement: placementOptions(o, ctx.env) }, ctx);
      cli.exitCode = result.exitCode;
      if (result.change) {
        const { describeChange } = await import("../installer/native-install.js");
        const { describeTarget } = await import("../environments/target.js");
        for (const line of describeChange(result.change, describeTarget(result.target, ctx.dirs.home))) ctx.stderr.write(line + "\n");
        for (const w of result.change.warnings) ctx.stderr.write(`warning: ${w}\n`);
      }
    });
}
