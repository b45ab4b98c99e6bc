// `venvctl python install|list|uninstall|find`: CPython builds venvctl
// downloads and installs, and where the interpreters are.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { printJson } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  const python = program
    .command("python")
    .description("Install, list, remove and find Python interpreters (CPython builds from python-build-standalone)");

  python
    .command("install")
    .description("Download and install CPython builds into $VENVCTL_ROOT/versions (no SPEC: the pinned versions that are missing)")
    .argument("[spec...]", "versions or ranges: 3.13, 3.12.7, 3.14.0rc2, '>=3.11'")
    .option("--reinstall", "replace an install venvctl made with a fresh download")
    .option("--force", "replace a directory of that name that is not a complete install")
    .action(async (specs: string[], o: { reinstall?: boolean; force?: boolean }) => {
      const { pythonInstall, describePythonInstall } = await import("../commands/python/install.js");
      const result = await pythonInstall({ specs, reinstall: Boolean(o.reinstall), force: Boolean(o.force) }, ctx);
      for (const line of describePythonInstall(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });

  python
    .command("list")
    .description("List the installed interpreters (all sources) and, with --available, the builds that can be installed here")
    .option("--available", "also list the builds that can be downloaded for this machine")
    .option("--json", "print JSON")
    .action(async (o: { available?: boolean; json?: boolean }) => {
      const { pythonList, formatPythonList } = await import("../commands/python/list.js");
      const result = await pythonList({ available: Boolean(o.available) }, ctx);
      if (o.json) {
        const { versionsEntryJson } = await import("../commands/versions.js");
        await printJson(ctx, { ...result, installed: result.installed.map((i) => ({ ...versionsEntryJson(i), managed: i.managed })) }, []);
      } else for (const line of formatPythonList(result, ctx.dirs.home)) ctx.stdout.write(line + "\n");
    });

  python
    .command("uninstall")
    .description("Remove interpreters venvctl installed (never pyenv's, uv's or the system's)")
    .argument("<spec...>", "versions (3.12.7, 3.12) or install names (cpython-3.12.7-linux-x86_64-gnu)")
    .action(async (specs: string[]) => {
      const { pythonUninstall, describePythonUninstall } = await import("../commands/python/uninstall.js");
      const result = await pythonUninstall({ specs }, ctx);
      for (const line of describePythonUninstall(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });

  python
    .command("find")
    .description("Print the path of the interpreter the selection order (or SPEC) gives")
    .argument("[spec]", "as -p takes it: 3.12, '>=3.10', pypy3.9, a path")
    .action(async (spec: string | undefined) => {
      const { pythonFind } = await import("../commands/python/find.js");
      const result = await pythonFind({ spec }, ctx);
      ctx.stdout.write(result.path + "\n");
    });
}
