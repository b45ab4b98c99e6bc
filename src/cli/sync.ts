// `venvctl sync FILE...`: the env holds exactly what the files list; --dry-run prints the plan.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { UsageError } from "../errors.js";
import {
  type ChangeFlags, changeOptions, type IndexFlags, indexOptions, passThrough, type PlacementFlags, placementOptions, printJson, pythonHelp,
  withChangeOptions, withIndexOptions, withPlacementOptions,
} from "./options.js";
import { installPlanJson, installPlanLines } from "./plan.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withPlacementOptions(withChangeOptions(withIndexOptions(program
    .command("sync")
    .description("Make the environment hold exactly what the requirements files list (installs, upgrades, downgrades, uninstalls)")
    .usage("[options] <files...> [-- pip install options]")
    .argument("<files...>", "requirements files (pinned, as `venvctl freeze` writes them)")
    .option("-p, --python <target>", pythonHelp)
    .option("--dry-run", "print the plan on stdout and change nothing")
    .option("--json", "with --dry-run: print the plan as JSON: {where, in_sync, install: [...], pip_install, uninstall: [...]}"))))
    .action(async (files: string[], o: IndexFlags & ChangeFlags & PlacementFlags & { python?: string; dryRun?: boolean; json?: boolean }) => {
      const { operands, pipArgs } = passThrough(cli.argv, files);
      if (o.json && !o.dryRun && !pipArgs.includes("--dry-run")) {
        throw new UsageError("--json prints the plan, so it needs --dry-run", { hint: `venvctl sync --dry-run --json ${operands.join(" ")}` });
      }
      const { sync } = await import("../commands/sync.js");
      const r = await sync({ python: o.python, files: operands, index: indexOptions(o), dryRun: Boolean(o.dryRun), pipArgs, ...changeOptions(o), placement: placementOptions(o, ctx.env) }, ctx);
      const where = r.where;
      const Where = where.charAt(0).toUpperCase() + where.slice(1);
      for (const w of r.warnings) ctx.stderr.write(w + "\n");
      if (r.uninstall.blocked) ctx.stderr.write(`warning: ${r.uninstall.blocked}\n`);
      if (r.dryRun && o.json) {
        await printJson(ctx, {
          where: r.where,
          in_sync: !r.install.needed && !r.uninstall.remove.length,
          ...installPlanJson(r.install),
          uninstall: r.uninstall.remove.map((u) => ({ name: u.name, version: u.version })),
          uninstall_blocked: r.uninstall.blocked ?? null,
        }, []);
        return;
      }
      if (r.dryRun) {
        const lines = installPlanLines(r.install, `-r ${operands.join(" -r ")}`);
        for (const u of r.uninstall.remove) lines.push(`uninstall ${u.name}==${u.version}`);
        if (lines.length) ctx.stdout.write(lines.join("\n") + "\n");
        const parts: string[] = [];
        if (r.install.needed) parts.push(r.install.steps.length ? `install ${r.install.steps.length}` : "run pip's install");
        if (r.uninstall.remove.length) parts.push(`uninstall ${r.uninstall.remove.length}`);
        if (r.install.needed && r.uninstall.remove.length) {
          ctx.stderr.write("note: after pip's install, what to uninstall is worked out again (new versions may need other packages)\n");
        }
        ctx.stderr.write(parts.length
          ? `Would ${parts.join(" and ")} in ${where} (--dry-run: nothing changed)\n`
          : `${Where} is in sync with ${operands.join(", ")}: nothing to do\n`);
        return;
      }
      if (r.changes.length) {
        const { describeChange } = await import("../installer/native-install.js");
        for (const change of r.changes) {
          for (const line of describeChange(change, where)) ctx.stderr.write(line + "\n");
          for (const w of change.warnings) ctx.stderr.write(`warning: ${w}\n`);
        }
      }
      cli.exitCode = r.exitCode;
      if (r.exitCode !== 0) return;
      ctx.stderr.write(r.installed || r.uninstalled.length
        ? `${Where} is in sync with ${operands.join(", ")}\n`
        : `${Where} is already in sync with ${operands.join(", ")}: ${r.install.listed === 1 ? "the listed requirement is" : `all ${r.install.listed} listed requirements are`} satisfied and nothing else is installed\n`);
    });
}
