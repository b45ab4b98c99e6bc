// `venvctl list`: installed packages, as pip lists them.
import { Option, type Command } from "commander";
import { UsageError } from "../errors.js";
import type { Cli } from "./cli.js";
import { collect, count, indexOptions, printOutput, pythonHelp, withScopeOptions } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  withScopeOptions(program
    .command("list")
    .description("List installed packages, as the environment's pip does (natively; --outdated/--uptodate ask pip)")
    .option("-p, --python <target>", pythonHelp)
    .addOption(new Option("--format <format>", "output format").choices(["columns", "freeze", "json"]).default("columns"))
    .option("--json", "print JSON, as --format json: [{name, version, …}]")
    .option("-e, --editable", "only editable installs")
    .option("--exclude-editable", "leave out editable installs")
    .option("--include-editable", "include editable installs (the default)")
    .option("--not-required", "only packages no other installed package requires")
    .option("--exclude <package>", "leave out this package (repeatable)", collect)
    .option("-v, --verbose", "add each package's location and installer", count)
    .option("-o, --outdated", "list outdated packages (runs the environment's pip: it needs the index)")
    .option("-u, --uptodate", "list up-to-date packages (runs the environment's pip: it needs the index)")
    .option("--pre", "with --outdated/--uptodate: consider pre-releases")
    .option("-i, --index-url <url>", "with --outdated/--uptodate: the package index")
    .option("--extra-index-url <url>", "with --outdated/--uptodate: another index (repeatable)", collect)
    .option("--no-index", "with --outdated/--uptodate: use --find-links only")
    .option("-f, --find-links <url>", "with --outdated/--uptodate: look for archives here (repeatable)", collect))
    .action(async (o: {
      python?: string; format: "columns" | "freeze" | "json"; editable?: boolean; excludeEditable?: boolean;
      includeEditable?: boolean; notRequired?: boolean; exclude?: string[]; local?: boolean; user?: boolean; path?: string[];
      verbose?: number; outdated?: boolean; uptodate?: boolean; pre?: boolean; indexUrl?: string; extraIndexUrl?: string[];
      index: boolean; findLinks?: string[]; json?: boolean;
    }, cmd: Command) => {
      if (o.json) {
        if (cmd.getOptionValueSource("format") === "cli" && o.format !== "json") {
          throw new UsageError(`--json and --format ${o.format} cannot be used together`, { hint: "--json is --format json" });
        }
        o.format = "json";
      }
      if (o.outdated && o.uptodate) throw new UsageError("Options --outdated and --uptodate cannot be combined.");
      const { list } = await import("../commands/list.js");
      const result = await list({
        python: o.python,
        format: o.format,
        editable: Boolean(o.editable),
        // --include-editable undoes --exclude-editable.
        excludeEditable: Boolean(o.excludeEditable) && !o.includeEditable,
        notRequired: Boolean(o.notRequired),
        excludes: o.exclude ?? [],
        local: Boolean(o.local),
        user: Boolean(o.user),
        paths: o.path,
        verbose: o.verbose ?? 0,
        index: o.outdated ? "outdated" : o.uptodate ? "uptodate" : undefined,
        pipIndex: indexOptions(o),
      }, ctx);
      if (result.kind === "delegated") {
        cli.exitCode = result.exitCode;
        return;
      }
      printOutput(ctx, result.lines, result.warnings);
    });
}
