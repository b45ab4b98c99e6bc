// `venvctl version [--bare|--json]`: the interpreter the selection chooses, and why.
import type { Command } from "commander";
import type { VersionResult } from "../commands/version.js";
import type { Cli } from "./cli.js";
import { printJson } from "./options.js";

/**
 * --json: `{"versions": [{"name", "path"}], "missing": [entry…], "origin":
 * {"kind", "path"?}, "set_by": text}`; `path` is null where none was found.
 */
function versionJson(r: VersionResult): unknown {
  const origin = r.origin.kind === "file" || r.origin.kind === "global" ? { kind: r.origin.kind, path: r.origin.path }
    : r.origin.kind === "venv" ? { kind: "venv", path: r.origin.dir }
    : r.origin.kind === "env" ? { kind: "env", variable: r.origin.variable }
    : { kind: r.origin.kind };
  const versions = r.chosen
    ? [{ name: r.chosen.name, path: r.chosen.python ?? null }]
    : r.entries.flatMap((e) => e.kind === "version" ? [{ name: e.target.name, path: e.target.python }]
      : e.kind === "system" ? [{ name: "system", path: null as string | null }] : []);
  return { versions, missing: r.entries.filter((e) => e.kind === "missing").map((e) => e.entry), origin, set_by: r.originText };
}

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("version")
    .description("Show the selected Python version(s) and what selected them")
    .option("--bare", "print the version names only (as `pyenv version-name`, one per line)")
    .option("--json", "print JSON: {versions: [{name, path}], missing, origin, set_by}")
    .action(async (o: { bare?: boolean; json?: boolean }) => {
      const { version, formatVersionLines, missingError } = await import("../commands/version.js");
      const result = await version({}, ctx);
      if (o.json) {
        const { systemPython } = await import("../interpreters/selection.js");
        const json = versionJson(result) as { versions: Array<{ name: string; path: string | null }> };
        for (const v of json.versions) if (v.name === "system" && v.path === null) v.path = systemPython(ctx) ?? null;
        await printJson(ctx, json, []);
      } else {
        for (const line of formatVersionLines(result, Boolean(o.bare), ctx.dirs.home)) ctx.stdout.write(line + "\n");
      }
      const missing = missingError(result);
      if (missing) throw missing;
    });
}
