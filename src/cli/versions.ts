// `venvctl versions [--json]`: every interpreter found, the selected ones marked.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { printJson } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("versions")
    .description("List every interpreter found (pyenv, uv, PATH, venvctl), the selected ones marked with *")
    .option("--json", "print JSON: [{name, version, implementation, path, source, selected, selected_by?}]")
    .action(async (o: { json?: boolean }) => {
      const { versions, formatVersionsTable, versionsEntryJson } = await import("../commands/versions.js");
      const result = await versions({ json: Boolean(o.json) }, ctx);
      if (o.json) await printJson(ctx, result.interpreters.map(versionsEntryJson), []);
      else for (const line of formatVersionsTable(result, ctx.dirs.home)) ctx.stdout.write(line + "\n");
    });
}
