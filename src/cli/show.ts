// `venvctl show PACKAGE...`: installed packages' details, as pip shows them.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { count, printJson, printOutput, pythonHelp } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("show")
    .description("Show installed packages' details, as the environment's pip does (natively)")
    .argument("<package...>", "package names (compared normalized: Foo.Bar_baz = foo-bar-baz)")
    .option("-p, --python <target>", pythonHelp)
    .option("-f, --files", "list the files each package installed")
    .option("-v, --verbose", "add metadata version, installer, classifiers, entry points, project URLs", count)
    .option("--json", "print JSON: one object per package found")
    .action(async (names: string[], o: { python?: string; files?: boolean; verbose?: number; json?: boolean }) => {
      const { show } = await import("../commands/show.js");
      const verbose = (o.verbose ?? 0) > 0;
      const result = await show({ python: o.python, names, files: Boolean(o.files), verbose, json: Boolean(o.json) }, ctx);
      if (result.kind === "delegated") {
        cli.exitCode = result.exitCode;
        return;
      }
      if (o.json) {
        await printJson(ctx, result.packages.map((p) => ({
          name: p.name,
          version: p.version,
          summary: p.summary,
          home_page: p.homePage,
          author: p.author,
          author_email: p.authorEmail,
          license: p.license,
          location: p.location,
          editable_project_location: p.editableProjectLocation ?? null,
          requires: p.requires,
          required_by: p.requiredBy,
          ...(verbose ? {
            metadata_version: p.metadataVersion,
            installer: p.installer,
            classifiers: p.classifiers,
            entry_points: p.entryPoints,
            project_urls: p.projectUrls,
          } : {}),
          ...(o.files ? { files: p.files ?? null } : {}),
        })), result.warnings);
      } else {
        printOutput(ctx, result.lines, result.warnings);
      }
      // pip: exit 1 when nothing was found to show.
      if (result.packages.length === 0) cli.exitCode = 1;
    });
}
