// `venvctl create [DIR...]`: its flags, and what it tells on stderr.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { Cli } from "./cli.js";
import { kebab, linkModeOption } from "./options.js";
import { chooseLinkMode } from "../wheel/materialize.js";

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("create")
    .description("Create a virtual environment (what `python -m venv` makes, natively, with pip seeded)")
    .argument("[dirs...]", "directories to create environments in (default: .venv)")
    .option("-p, --python <spec>", "interpreter: a path, a command name, a version (3.12), a range ('>=3.10,<3.13'), pypy3.9")
    .option("--system-site-packages", "give the environment access to the base interpreter's site-packages")
    .option("--clear", "replace an existing virtual environment (only ever one with pyvenv.cfg)")
    .option("--upgrade", "upgrade an existing environment to this Python (assuming it was upgraded in place)")
    .option("--allow-existing", "write into an existing directory, keeping its other files")
    .option("--without-pip", "do not seed pip")
    .option("--prompt <prompt>", "the prompt prefix shown when activated ('.' = the current directory's name)")
    .option("--copies", "copy the interpreter instead of symlinking it (the default on Windows)")
    .option("--symlinks", "symlink the interpreter (the default on POSIX)")
    .option("--upgrade-deps", "upgrade the seeded pip (and setuptools) from the package index afterwards")
    .option("--seed-dir <dir>", "take seed wheels from this directory (newest version wins) [env: VENVCTL_SEED_DIR]")
    .addOption(linkModeOption("seeded files"))
    .action(async (dirs: string[], o: Record<string, unknown>) => {
      const exclusive = ["clear", "upgrade", "allowExisting"].filter((k) => o[k]);
      if (exclusive.length > 1) {
        throw new UsageError(`--${exclusive.map(kebab).join(" and --")} cannot be used together`, {
          hint: "--clear replaces a venv, --upgrade updates it in place, --allow-existing writes into a directory",
        });
      }
      if (o.copies && o.symlinks) {
        throw new UsageError("--copies and --symlinks cannot be used together", {
          hint: "pass one: --symlinks (the default on POSIX) links the interpreter, --copies (the default on Windows) copies it",
        });
      }
      if (o.withoutPip && o.upgradeDeps) {
        throw new UsageError("--upgrade-deps needs pip, and --without-pip leaves it out", {
          hint: "drop one of the two: --upgrade-deps upgrades the seeded pip from the index",
        });
      }
      const { create } = await import("../commands/create.js");
      const { activationCommand } = await import("../venv/create.js");
      const { describeInterpreter } = await import("../interpreters/interpreter.js");
      const result = await create({
        dirs: dirs.length ? dirs : [".venv"],
        python: o.python as string | undefined,
        onExisting: o.clear ? "clear" : o.upgrade ? "upgrade" : o.allowExisting ? "allow" : "refuse",
        systemSitePackages: Boolean(o.systemSitePackages),
        symlinks: o.symlinks ? true : o.copies ? false : undefined,
        withPip: !o.withoutPip,
        prompt: o.prompt as string | undefined,
        upgradeDeps: Boolean(o.upgradeDeps),
        seedDir: o.seedDir as string | undefined,
        linkMode: chooseLinkMode(o.linkMode as string | undefined, ctx.env),
      }, ctx);
      for (const env of result.envs) {
        const verb = env.previous === "venv" ? (o.upgrade ? "Upgraded" : o.clear ? "Replaced" : "Updated") : "Created";
        ctx.stderr.write(`Using ${describeInterpreter(env.interpreter)} interpreter at: ${env.interpreter.path}\n`);
        ctx.stderr.write(`${verb} virtual environment at: ${env.envDir}\n`);
        for (const w of env.warnings) ctx.stderr.write(`warning: ${w}\n`);
        if (env.seeded.length) {
          ctx.stderr.write(`Seeded ${env.seeded.map((s) => `${s.name} ${s.version}`).join(", ")}\n`);
        }
        ctx.stderr.write(`Activate with: ${activationCommand(ctx, env.layout)}\n`);
      }
    });
}
