// `venvctl doctor [--json]`: the set-up checked, each problem with the command
// that fixes it; exit 0 when all is well, 1 otherwise.
import type { Command } from "commander";
import { plural } from "../util/words.js";
import type { Cli } from "./cli.js";
import { printJson } from "./options.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("doctor")
    .description("Check the set-up (shims on PATH, shell init, interpreters, venvs here, the cache) and say how to fix each problem")
    .option("--json", "print JSON: {ok, checks: [{id, status, message, fix?}]}")
    .action(async (o: { json?: boolean }) => {
      const { doctor } = await import("../commands/doctor.js");
      const result = await doctor({}, ctx);
      if (o.json) {
        await printJson(ctx, { ok: result.ok, checks: result.checks.map((c) => ({ id: c.id, status: c.status, message: c.message, fix: c.fix ?? null })) }, []);
      } else {
        const lines: string[] = [];
        for (const c of result.checks) {
          lines.push(`${c.status === "ok" ? "ok     " : c.status === "note" ? "note   " : "problem"}  ${c.message}`);
          if (c.fix) lines.push(`         fix: ${c.fix}`);
        }
        ctx.stdout.write(lines.join("\n") + "\n");
        const problems = result.checks.filter((c) => c.status === "problem").length;
        ctx.stderr.write(problems ? `${plural(problems, "problem")} found\n` : "No problems found\n");
      }
      if (!result.ok) cli.exitCode = 1;
    });
}
