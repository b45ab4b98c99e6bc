// `venvctl freeze`: installed packages in requirements format, as pip prints them.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { collect, printJson, printOutput, pythonHelp, withScopeOptions } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withScopeOptions(program
    .command("freeze")
    .description("Print installed packages in requirements format, as the environment's pip does (natively)")
    .option("-p, --python <target>", pythonHelp)
    .option("-r, --requirement <file>", "follow this requirements file's order and comments, then add the rest (repeatable)", collect)
    .option("--all", "keep the packages pip leaves out (pip; setuptools, distribute, wheel before Python 3.12)")
    .option("--exclude-editable", "leave out editable installs")
    .option("--exclude <package>", "leave out this package (repeatable)", collect)
    .option("--json", "print JSON: [{name, version, requirement, editable, …}]"))
    .action(async (o: {
      python?: string; requirement?: string[]; local?: boolean; user?: boolean; path?: string[]; all?: boolean;
      excludeEditable?: boolean; exclude?: string[]; json?: boolean;
    }) => {
      const { freeze } = await import("../commands/freeze.js");
      const result = await freeze({
        python: o.python,
        requirementFiles: o.requirement ?? [],
        local: Boolean(o.local),
        user: Boolean(o.user),
        paths: o.path,
        all: Boolean(o.all),
        excludeEditable: Boolean(o.excludeEditable),
        excludes: o.exclude ?? [],
        json: Boolean(o.json),
      }, ctx);
      if (result.kind === "delegated") {
        cli.exitCode = result.exitCode;
        return;
      }
      if (o.json) {
        await printJson(ctx, result.entries.map((e) => ({
          name: e.name,
          version: e.version,
          requirement: e.requirement,
          editable: e.editable,
          editable_project_location: e.editableProjectLocation,
        })), result.warnings);
        return;
      }
      printOutput(ctx, result.lines, result.warnings);
    });
}
