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
      for (const line of formatVersionLines(result, o.bare, ctx.dirs.home)) ctx.stdout.write(line + "\n");
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

  // ── installed packages: freeze, list, show (issue 5) ─────────────────────
  {
    // No defaults shown in --help: absent booleans are false, absent lists empty.
    const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
    const count = (_: string, previous: number | undefined) => (previous ?? 0) + 1;
    const pythonHelp = "the environment: a venv directory, a python executable, or a version (default: $VIRTUAL_ENV, the nearest .venv, then the selected version)";
    const printOutput = (lines: string[], warnings: string[]) => {
      for (const w of warnings) ctx.stderr.write(w + "\n");
      if (lines.length) ctx.stdout.write(lines.join("\n") + "\n");
    };
    /** --json: the warnings on stderr, the value as Python's json.dumps writes it on stdout. */
    const printJson = async (value: unknown, warnings: string[]) => {
      const { jsonDumpsPy } = await import("./packages/python-text.js");
      for (const w of warnings) ctx.stderr.write(w + "\n");
      ctx.stdout.write(jsonDumpsPy(value) + "\n");
    };

    program
      .command("freeze")
      .description("Print installed packages in requirements format, as the environment's pip does (natively)")
      .option("-p, --python <target>", pythonHelp)
      .option("-r, --requirement <file>", "follow this requirements file's order and comments, then add the rest (repeatable)", collect)
      .option("-l, --local", "in a venv with system site-packages, leave out the base interpreter's packages")
      .option("--user", "only packages installed in the user site")
      .option("--path <dir>", "read the packages in this directory instead of sys.path (repeatable)", collect)
      .option("--all", "keep the packages pip leaves out (pip; setuptools, distribute, wheel before Python 3.12)")
      .option("--exclude-editable", "leave out editable installs")
      .option("--exclude <package>", "leave out this package (repeatable)", collect)
      .option("--json", "print JSON: [{name, version, requirement, editable, …}]")
      .action(async (o: {
        python?: string; requirement?: string[]; local?: boolean; user?: boolean; path?: string[]; all?: boolean;
        excludeEditable?: boolean; exclude?: string[]; json?: boolean;
      }) => {
        const { freeze } = await import("./commands/freeze.js");
        const result = await freeze({
          python: o.python,
          requirementFiles: o.requirement ?? [],
          local: Boolean(o.local),
          user: Boolean(o.user),
          paths: o.path,
          all: Boolean(o.all),
          excludeEditable: Boolean(o.excludeEditable),
          excludes: o.exclude ?? [],
          json: Boolean(o.json),
        }, ctx);
        if (result.kind === "delegated") {
          exitCode = result.exitCode;
          return;
        }
        if (o.json) {
          await printJson(result.entries.map((e) => ({
            name: e.name,
            version: e.version,
            requirement: e.requirement,
            editable: e.editable,
            editable_project_location: e.editableProjectLocation,
          })), result.warnings);
          return;
        }
        printOutput(result.lines, result.warnings);
      });

    program
      .command("list")
      .description("List installed packages, as the environment's pip does (natively; --outdated/--uptodate ask pip)")
      .option("-p, --python <target>", pythonHelp)
      .addOption(new Option("--format <format>", "output format").choices(["columns", "freeze", "json"]).default("columns"))
      .option("-e, --editable", "only editable installs")
      .option("--exclude-editable", "leave out editable installs")
      .option("--include-editable", "include editable installs (the default)")
      .option("--not-required", "only packages no other installed package requires")
      .option("--exclude <package>", "leave out this package (repeatable)", collect)
      .option("-l, --local", "in a venv with system site-packages, leave out the base interpreter's packages")
      .option("--user", "only packages installed in the user site")
      .option("--path <dir>", "read the packages in this directory instead of sys.path (repeatable)", collect)
      .option("-v, --verbose", "add each package's location and installer", count)
      .option("-o, --outdated", "list outdated packages (runs the environment's pip: it needs the index)")
      .option("-u, --uptodate", "list up-to-date packages (runs the environment's pip: it needs the index)")
      .option("--pre", "with --outdated/--uptodate: consider pre-releases")
      .option("-i, --index-url <url>", "with --outdated/--uptodate: the package index")
      .option("--extra-index-url <url>", "with --outdated/--uptodate: another index (repeatable)", collect)
      .option("--no-index", "with --outdated/--uptodate: use --find-links only")
      .option("-f, --find-links <url>", "with --outdated/--uptodate: look for archives here (repeatable)", collect)
      .action(async (o: {
        python?: string; format: "columns" | "freeze" | "json"; editable?: boolean; excludeEditable?: boolean;
        includeEditable?: boolean; notRequired?: boolean; exclude?: string[]; local?: boolean; user?: boolean; path?: string[];
        verbose?: number; outdated?: boolean; uptodate?: boolean; pre?: boolean; indexUrl?: string; extraIndexUrl?: string[];
        index: boolean; findLinks?: string[];
      }) => {
        if (o.outdated && o.uptodate) throw new UsageError("Options --outdated and --uptodate cannot be combined.");
        const pipIndexArgs: string[] = [];
        if (o.pre) pipIndexArgs.push("--pre");
        if (o.indexUrl) pipIndexArgs.push("--index-url", o.indexUrl);
        for (const u of o.extraIndexUrl ?? []) pipIndexArgs.push("--extra-index-url", u);
        if (o.index === false) pipIndexArgs.push("--no-index");
        for (const f of o.findLinks ?? []) pipIndexArgs.push("--find-links", f);
        const { list } = await import("./commands/list.js");
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
          pipIndexArgs,
        }, ctx);
        if (result.kind === "delegated") {
          exitCode = result.exitCode;
          return;
        }
        printOutput(result.lines, result.warnings);
      });

    program
      .command("show")
      .description("Show installed packages' details, as the environment's pip does (natively)")
      .argument("<package...>", "package names (compared normalized: Foo.Bar_baz = foo-bar-baz)")
      .option("-p, --python <target>", pythonHelp)
      .option("-f, --files", "list the files each package installed")
      .option("-v, --verbose", "add metadata version, installer, classifiers, entry points, project URLs", count)
      .option("--json", "print JSON: one object per package found")
      .action(async (names: string[], o: { python?: string; files?: boolean; verbose?: number; json?: boolean }) => {
        const { show } = await import("./commands/show.js");
        const verbose = (o.verbose ?? 0) > 0;
        const result = await show({ python: o.python, names, files: Boolean(o.files), verbose, json: Boolean(o.json) }, ctx);
        if (result.kind === "delegated") {
          exitCode = result.exitCode;
          return;
        }
        if (o.json) {
          await printJson(result.packages.map((p) => ({
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
          printOutput(result.lines, result.warnings);
        }
        // pip: exit 1 when nothing was found to show.
        if (result.packages.length === 0) exitCode = 1;
      });
  }

  // ── changing packages: install, reinstall, uninstall, sync (issue 6) ─────
  {
    // No defaults shown in --help: absent booleans are false, absent lists empty.
    const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
    const pythonHelp = "the environment: a venv directory, a python executable, or a version (default: $VIRTUAL_ENV, the nearest .venv, then the selected version)";
    // Everything after `--` is pip's. Commander appends those words to the
    // command's operands; they are the last ones, so they come off the end.
    const passThrough = (operands: string[]): { operands: string[]; pipArgs: string[] } => {
      const dd = argv.indexOf("--");
      const pipArgs = dd >= 0 ? argv.slice(dd + 1) : [];
      return { operands: operands.slice(0, operands.length - pipArgs.length), pipArgs };
    };
    type IndexFlags = { pre?: boolean; indexUrl?: string; extraIndexUrl?: string[]; findLinks?: string[]; index: boolean };
    const withIndexOptions = (cmd: Command): Command => cmd
      .option("--pre", "consider pre-releases and development versions")
      .option("-i, --index-url <url>", "the package index (PEP 503)")
      .option("--extra-index-url <url>", "another index (repeatable)", collect)
      .option("-f, --find-links <url>", "look for archives in this directory or page (repeatable)", collect)
      .option("--no-index", "use --find-links only");
    // Changing a base interpreter's packages is asked for, never assumed.
    type ChangeFlags = { system?: boolean; breakSystemPackages?: boolean };
    const withChangeOptions = (cmd: Command): Command => cmd
      .option("--system", "change the packages of the selected base interpreter (no virtual environment)")
      .option("--break-system-packages", "change an externally managed interpreter's packages all the same (PEP 668; pip's flag)");
    const changeOptions = (o: ChangeFlags) => ({ system: Boolean(o.system), breakSystemPackages: Boolean(o.breakSystemPackages) });
    const indexOptions = (o: IndexFlags) => ({
      pre: Boolean(o.pre),
      indexUrl: o.indexUrl,
      extraIndexUrls: o.extraIndexUrl ?? [],
      findLinks: o.findLinks ?? [],
      noIndex: o.index === false,
    });

    withChangeOptions(withIndexOptions(program
      .command("install")
      .description("Install packages with the environment's pip; answers at once when everything is already installed")
      .usage("[options] [requirements...] [-- pip options]")
      .argument("[requirements...]", "requirements: names with versions (`requests>=2`), URLs, paths")
      .option("-p, --python <target>", pythonHelp)
      .option("-r, --requirement <file>", "install from this requirements file (repeatable)", collect)
      .option("-c, --constraint <file>", "limit versions with this constraints file (repeatable)", collect)
      .option("-e, --editable <path-or-url>", "install this project in editable mode (repeatable)", collect)
      .option("-U, --upgrade", "upgrade to the newest versions allowed")
      .option("--force-reinstall", "reinstall even what is up to date")
      .option("--no-deps", "do not install dependencies")))
      .action(async (reqs: string[], o: IndexFlags & ChangeFlags & {
        python?: string; requirement?: string[]; constraint?: string[]; editable?: string[]; upgrade?: boolean;
        forceReinstall?: boolean; deps: boolean;
      }) => {
        const { operands, pipArgs } = passThrough(reqs);
        const { install } = await import("./commands/install.js");
        const result = await install({
          python: o.python,
          requirements: operands,
          requirementFiles: o.requirement ?? [],
          constraintFiles: o.constraint ?? [],
          editables: o.editable ?? [],
          upgrade: Boolean(o.upgrade),
          forceReinstall: Boolean(o.forceReinstall),
          noDeps: o.deps === false,
          index: indexOptions(o),
          pipArgs,
          ...changeOptions(o),
        }, ctx);
        if (result.kind === "pip") {
          exitCode = result.exitCode;
          return;
        }
        for (const w of result.warnings) ctx.stderr.write(w + "\n");
        const n = result.requirements;
        ctx.stderr.write(`All ${n} requirement${n === 1 ? " is" : "s are"} already satisfied in ${result.where}\n`);
      });

    withChangeOptions(withIndexOptions(program
      .command("reinstall")
      .description("Reinstall packages at their installed version (pip install --upgrade --no-deps --force-reinstall)")
      .usage("[options] [names...] [-- pip options]")
      .argument("[names...]", "project names; with a version (`requests==2.31.0`) to reinstall that one")
      .option("-p, --python <target>", pythonHelp)
      .option("-r, --requirement <file>", "reinstall what this requirements file names (repeatable)", collect)))
      .action(async (names: string[], o: IndexFlags & ChangeFlags & { python?: string; requirement?: string[] }) => {
        const { operands, pipArgs } = passThrough(names);
        const { reinstall } = await import("./commands/reinstall.js");
        const result = await reinstall({ python: o.python, names: operands, requirementFiles: o.requirement ?? [], index: indexOptions(o), pipArgs, ...changeOptions(o) }, ctx);
        exitCode = result.exitCode;
      });

    withChangeOptions(program
      .command("uninstall")
      .description("Uninstall packages with the environment's pip")
      .usage("[options] [names...] [-- pip options]")
      .argument("[names...]", "project names")
      .option("-p, --python <target>", pythonHelp)
      .option("-r, --requirement <file>", "uninstall what this requirements file names (repeatable)", collect)
      .option("-y, --yes", "do not ask for confirmation"))
      .action(async (names: string[], o: ChangeFlags & { python?: string; requirement?: string[]; yes?: boolean }) => {
        const { operands, pipArgs } = passThrough(names);
        const { uninstall } = await import("./commands/uninstall.js");
        exitCode = (await uninstall({ python: o.python, names: operands, requirementFiles: o.requirement ?? [], yes: Boolean(o.yes), pipArgs, ...changeOptions(o) }, ctx)).exitCode;
      });

    withChangeOptions(withIndexOptions(program
      .command("sync")
      .description("Make the environment hold exactly what the requirements files list (installs, upgrades, downgrades, uninstalls)")
      .usage("[options] <files...> [-- pip install options]")
      .argument("<files...>", "requirements files (pinned, as `venvctl freeze` writes them)")
      .option("-p, --python <target>", pythonHelp)
      .option("--dry-run", "print the plan on stdout and change nothing")))
      .action(async (files: string[], o: IndexFlags & ChangeFlags & { python?: string; dryRun?: boolean }) => {
        const { operands, pipArgs } = passThrough(files);
        const { sync } = await import("./commands/sync.js");
        const r = await sync({ python: o.python, files: operands, index: indexOptions(o), dryRun: Boolean(o.dryRun), pipArgs, ...changeOptions(o) }, ctx);
        const where = r.where;
        const Where = where.charAt(0).toUpperCase() + where.slice(1);
        for (const w of r.warnings) ctx.stderr.write(w + "\n");
        if (r.uninstall.blocked) ctx.stderr.write(`warning: ${r.uninstall.blocked}\n`);
        if (r.dryRun) {
          const lines: string[] = [];
          const reasons = { missing: "not installed", version: "", extra: "an extra is not provided", pip: "pip resolves it" };
          for (const s of r.install.steps) {
            const why = s.reason === "version" ? `${s.installed} installed` : reasons[s.reason];
            lines.push(`install ${s.requirement}  # ${why} (${s.where})`);
          }
          if (r.install.needed && !r.install.steps.length) lines.push(`install -r ${operands.join(" -r ")}  # ${r.install.why}`);
          for (const u of r.uninstall.remove) lines.push(`uninstall ${u.name}==${u.version}`);
          if (lines.length) ctx.stdout.write(lines.join("\n") + "\n");
          const parts: string[] = [];
          if (r.install.needed) parts.push(r.install.steps.length ? `install ${r.install.steps.length}` : "run pip's install");
          if (r.uninstall.remove.length) parts.push(`uninstall ${r.uninstall.remove.length}`);
          if (r.install.needed && r.uninstall.remove.length) {
            ctx.stderr.write("note: after pip's install, what to uninstall is worked out again (new versions may need other packages)\n");
          }
          ctx.stderr.write(parts.length
            ? `Would ${parts.join(" and ")} in ${where} (--dry-run: nothing changed)\n`
            : `${Where} is in sync with ${operands.join(", ")}: nothing to do\n`);
          return;
        }
        exitCode = r.exitCode;
        if (r.exitCode !== 0) return;
        ctx.stderr.write(r.installed || r.uninstalled.length
          ? `${Where} is in sync with ${operands.join(", ")}\n`
          : `${Where} is already in sync with ${operands.join(", ")}: ${r.install.listed === 1 ? "the listed requirement is" : `all ${r.install.listed} listed requirements are`} satisfied and nothing else is installed\n`);
      });
  }

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
