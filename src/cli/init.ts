// `venvctl init [SHELL]`: the shell set-up for an rc file.
import type { Command } from "commander";
import type { Cli } from "./cli.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("init")
    .description("Print the shell set-up for your rc file: eval \"$(venvctl init bash)\"")
    .argument("[shell]", "bash, zsh, fish, ksh, sh, cmd, powershell or pwsh (default: from $SHELL)")
    .action(async (shell: string | undefined) => {
      const { init } = await import("../commands/init.js");
      const result = await init({ shell }, ctx);
      ctx.stdout.write(result.code);
      // Completions come with the set-up, where the shell has them.
      const { completionScript } = await import("./completion.js");
      if (result.shell === "bash" || result.shell === "zsh" || result.shell === "fish") {
        ctx.stdout.write(await completionScript(program, result.shell));
      }
      if (result.warning) ctx.stderr.write(`warning: venvctl init: ${result.warning}\n`);
    });
}
