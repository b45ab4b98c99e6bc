// The command line: commander definitions only. Flags become <Verb>Options,
// each command module is imported lazily, and results are printed here.
import { Command, CommanderError, Option } from "commander";
import type { Context } from "./context.js";
import { UsageError } from "./errors.js";
import { venvctlVersion } from "./util/assets.js";

/** Parses argv and runs the command; answers the exit code. */
export async function runCli(argv: string[], ctx: Context): Promise<number> {
  let exitCode = 0;
  const program = new Command("venvctl")
    .description("Python environments in one tool: create venvs, pick interpreters, read and install packages.")
    .version(`venvctl ${venvctlVersion()}`, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Errors are rendered once, by runMain, as `error:` + `hint:`.
      outputError: () => {},
    });

  program
    .command("create")
    .description("Create a virtual environment (what `python -m venv` makes, natively, with pip seeded)")
    .argument("[dirs...]", "directories to create environments in", [".venv"])
    .option("-p, --python <spec>", "interpreter: a path, a command name, a version (3.12), a range ('>=3.10,<3.13'), pypy3.9")
    .option("--system-site-packages", "give the environment access to the base interpreter's site-packages", false)
    .option("--clear", "replace an existing virtual environment (only ever one with pyvenv.cfg)")
    .option("--upgrade", "upgrade an existing environment to this Python (assuming it was upgraded in place)")
    .option("--allow-existing", "write into an existing directory, keeping its other files")
    .option("--without-pip", "do not seed pip")
    .option("--prompt <prompt>", "the prompt prefix shown when activated ('.' = the current directory's name)")
    .option("--copies", "copy the interpreter instead of symlinking it")
    .option("--symlinks", "symlink the interpreter (the default on POSIX)")
    .option("--upgrade-deps", "upgrade the seeded pip (and setuptools) from the package index afterwards")
    .option("--seed-dir <dir>", "take seed wheels from this directory (newest version wins) [env: VENVCTL_SEED_DIR]")
    .addOption(new Option("--link-mode <mode>", "how seeded files get from the cache into the env").choices(["clone", "hardlink", "copy"]))
    .action(async (dirs: string[], o: Record<string, unknown>) => {
      const exclusive = ["clear", "upgrade", "allowExisting"].filter((k) => o[k]);
      if (exclusive.length > 1) {
        throw new UsageError(`--${exclusive.map(kebab).join(" and --")} cannot be used together`, {
          hint: "--clear replaces a venv, --upgrade updates it in place, --allow-existing writes into a directory",
        });
      }
      if (o.copies && o.symlinks) {
        throw new UsageError("--copies and --symlinks cannot be used together", {
          hint: "pass one: --symlinks (the default on POSIX) links the interpreter, --copies copies it",
        });
      }
      if (o.withoutPip && o.upgradeDeps) {
        throw new UsageError("--upgrade-deps needs pip, and --without-pip leaves it out", {
          hint: "drop one of the two: --upgrade-deps upgrades the seeded pip from the index",
        });
      }
      const { create } = await import("./commands/create.js");
      const { activationCommand } = await import("./venv/create.js");
      const { describeInterpreter } = await import("./python/interpreter.js");
      const result = await create({
        dirs,
        python: o.python as string | undefined,
        onExisting: o.clear ? "clear" : o.upgrade ? "upgrade" : o.allowExisting ? "allow" : "refuse",
        systemSitePackages: Boolean(o.systemSitePackages),
        symlinks: !o.copies,
        withPip: !o.withoutPip,
        prompt: o.prompt as string | undefined,
        upgradeDeps: Boolean(o.upgradeDeps),
        seedDir: o.seedDir as string | undefined,
        linkMode: (o.linkMode as "clone" | "hardlink" | "copy" | undefined) ?? "auto",
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

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") {
        return 0;
      }
      const message = err.message.replace(/^error: /, "");
      throw new UsageError(message, { hint: "run `venvctl --help` or `venvctl <command> --help`" });
    }
    throw err;
  }
  return exitCode;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
