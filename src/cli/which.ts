// `venvctl which CMD [--json]`: the executable the shim for CMD runs now.
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { printJson } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("which")
    .description("Show the executable the shim for CMD would run now")
    .argument("<cmd>", "a command name: python, pip, python3.12, a console script")
    .option("--json", "print JSON: {command, path, from, version}")
    .action(async (cmd: string, o: { json?: boolean }) => {
      const { which } = await import("../commands/which.js");
      const { path, resolution: r } = await which({ command: cmd }, ctx);
      if (!o.json) {
        ctx.stdout.write(path + "\n");
        return;
      }
      // from: "venv" (the active one's own), "version" (a pinned version's), "system" (PATH).
      await printJson(ctx, {
        command: cmd,
        path,
        from: r.kind,
        version: r.kind === "version" ? r.target.name : null,
        venv: r.kind === "venv" ? r.venv : null,
      }, []);
    });
}
