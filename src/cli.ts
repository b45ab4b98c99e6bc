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

  // ── interpreter versions: shims, pins (issue 4) ──────────────────────────
  // `exec` hands everything after CMD to CMD untouched, which commander only
  // allows when options are positional (program options before the command).
  program.enablePositionalOptions();

  program
    .command("versions")
    .description("List every interpreter found (pyenv, uv, PATH, venvctl), the selected ones marked with *")
    .option("--json", "print JSON (an array of interpreters)", false)
    .action(async (o: { json: boolean }) => {
      const { versions, formatVersionsTable } = await import("./commands/versions.js");
      const result = await versions({ json: o.json }, ctx);
      if (o.json) ctx.stdout.write(JSON.stringify(result.interpreters, null, 2) + "\n");
      else for (const line of formatVersionsTable(result, ctx.dirs.home)) ctx.stdout.write(line + "\n");
    });

  program
    .command("use")
    .description("Pin a Python version for this directory (.python-version), --global, or --shell")
    .argument("[spec...]", "versions, in order of preference: 3.12, 3.12.1, pypy3.9, system, or a range ('>=3.10', 3.x) resolved now")
    .option("--global", "pin for the user, in $VENVCTL_ROOT/version")
    .option("--shell", "pin for this shell only (VENVCTL_VERSION), through the function `venvctl init` installs")
    .option("--unset", "remove the pin at that scope")
    .action(async (specs: string[], o: { global?: boolean; shell?: boolean; unset?: boolean }) => {
      if (o.global && o.shell) {
        throw new UsageError("--global and --shell cannot be used together", {
          hint: "--global pins for the user, --shell for this shell; without either, for this directory",
        });
      }
      const { use, describeUse } = await import("./commands/use.js");
      const result = await use({ specs, scope: o.global ? "global" : o.shell ? "shell" : "local", unset: Boolean(o.unset) }, ctx);
      if (result.shellCode !== undefined) ctx.stdout.write(result.shellCode);
      for (const line of describeUse(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });

  program
    .command("version")
    .description("Show the selected Python version(s) and what selected them")
    .option("--bare", "print the version names only (as `pyenv version-name`, one per line)", false)
    .action(async (o: { bare: boolean }) => {
      const { version, formatVersionLines, missingError } = await import("./commands/version.js");
      const result = await version({}, ctx);
      for (const line of formatVersionLines(result, o.bare)) ctx.stdout.write(line + "\n");
      if (result.venv && !o.bare) {
        ctx.stderr.write(`note: the active virtual environment (${result.venv}) comes first for the commands it has\n`);
      }
      const missing = missingError(result);
      if (missing) throw missing;
    });

  program
    .command("which")
    .description("Show the executable the shim for CMD would run now")
    .argument("<cmd>", "a command name: python, pip, python3.12, a console script")
    .action(async (cmd: string) => {
      const { which } = await import("./commands/which.js");
      ctx.stdout.write((await which({ command: cmd }, ctx)).path + "\n");
    });

  program
    .command("exec")
    .description("Run CMD of the selected version (its bin directory first on PATH); exits with CMD's code")
    .argument("<cmd>", "a command name: python, pip, a console script")
    .argument("[args...]", "arguments for CMD, passed untouched (options too)")
    .passThroughOptions()
    .allowUnknownOption()
    .helpOption("-h, --help", "show help for exec (only before CMD)")
    .action(async (cmd: string, args: string[]) => {
      const { exec } = await import("./commands/exec.js");
      exitCode = (await exec({ command: cmd, args }, ctx)).exitCode;
    });

  program
    .command("rehash")
    .description("Rewrite the shims in $VENVCTL_ROOT/shims for every command of every interpreter found")
    .action(async () => {
      const { rehash, describeRehash } = await import("./commands/rehash.js");
      const result = await rehash({}, ctx);
      for (const line of describeRehash(result, ctx.dirs.home)) ctx.stderr.write(line + "\n");
    });

  program
    .command("init")
    .description("Print the shell set-up for your rc file: eval \"$(venvctl init bash)\"")
    .argument("[shell]", "bash, zsh, fish, ksh or sh (default: from $SHELL)")
    .action(async (shell: string | undefined) => {
      const { init } = await import("./commands/init.js");
      const result = await init({ shell }, ctx);
      ctx.stdout.write(result.code);
      if (result.warning) ctx.stderr.write(`warning: venvctl init: ${result.warning}\n`);
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
