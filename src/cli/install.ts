// `venvctl install`: the env's pip installs; an answer at once when nothing would change.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import {
  type ChangeFlags, changeOptions, collect, type IndexFlags, indexOptions, passThrough, type PlacementFlags, placementOptions, printJson,
  type RequirementFlags, withChangeOptions, withIndexOptions, withPlacementOptions, withRequirementOptions,
} from "./options.js";
import { installPlanJson, installPlanLines } from "./plan.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withPlacementOptions(withChangeOptions(withIndexOptions(withRequirementOptions(program
    .command("install")
    .description("Install packages: pip resolves, venvctl installs from its cache; answers at once when everything is already installed")
    .usage("[options] [requirements...] [-- pip options]"), "install")
    .option("-e, --editable <path-or-url>", "install this project in editable mode (repeatable)", collect)
    .option("-U, --upgrade", "upgrade to the newest versions allowed")
    .option("--force-reinstall", "reinstall even what is up to date")
    .option("--no-deps", "do not install dependencies")
    .option("--dry-run", "print the plan on stdout (as `sync --dry-run` does) and change nothing")
    .option("--json", "print JSON on stdout: with --dry-run the plan {where, satisfied, install: [...], pip_install}, else what changed {where, installed: [{name, version, was}], uninstalled: [{name, version}]}"))))
    .action(async (reqs: string[], o: IndexFlags & ChangeFlags & PlacementFlags & RequirementFlags & {
      editable?: string[]; upgrade?: boolean;
      forceReinstall?: boolean; deps: boolean; dryRun?: boolean; json?: boolean;
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
        dryRun: Boolean(o.dryRun),
        json: Boolean(o.json),
      }, ctx);
      if (result.kind === "plan") {
        for (const w of result.warnings) ctx.stderr.write(w + "\n");
        if (o.json) {
          await printJson(ctx, { where: result.where, satisfied: !result.plan.needed, ...installPlanJson(result.plan) }, []);
          return;
        }
        const inputs = [...operands, ...(o.requirement ?? []).flatMap((f) => ["-r", f]), ...(o.editable ?? []).flatMap((e) => ["-e", e])].join(" ");
        const lines = installPlanLines(result.plan, inputs);
        if (lines.length) ctx.stdout.write(lines.join("\n") + "\n");
        const n = result.plan.steps.length;
        ctx.stderr.write(result.plan.needed
          ? `Would install ${n ? `${n} requirement${n === 1 ? "" : "s"} ` : ""}into ${result.where}${n ? "" : ` (${result.plan.why})`} (--dry-run: nothing changed)\n`
          : `${result.plan.listed === 1 ? "The requirement is" : `All ${result.plan.listed} requirements are`} already satisfied in ${result.where}: nothing to do\n`);
        return;
      }
      if (o.json) {
        const none = { installed: [], uninstalled: [] };
        if (result.kind === "native") {
          const { describeChange, summarizeChange } = await import("../installer/native-install.js");
          for (const line of describeChange(result.change, result.where)) ctx.stderr.write(line + "\n");
          const summary = summarizeChange(result.change);
          await printJson(ctx, { where: result.where, installed: summary.installed.map((i) => ({ ...i, was: i.was ?? null })), uninstalled: summary.uninstalled }, result.change.warnings.map((w) => `warning: ${w}`));
          return;
        }
        if (result.kind === "satisfied" || result.kind === "nothing") {
          if (result.kind === "satisfied") for (const w of result.warnings) ctx.stderr.write(w + "\n");
          await printJson(ctx, { where: result.where, ...none }, []);
          return;
        }
      }
      if (result.kind === "pip") {
        cli.exitCode = result.exitCode;
        return;
      }
      if (result.kind === "native") {
        const { describeChange } = await import("../installer/native-install.js");
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
