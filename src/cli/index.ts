// The command line: one commander program, each command registered from its
// own file (its flags, the mapping to <Verb>Options, the printing of its
// result); the use cases are imported lazily, so a command parses only its
// own code. Errors are rendered once, by run.ts.
import { Command, CommanderError } from "commander";
import type { Context } from "../context.js";
import type { Cli } from "./cli.js";
import { UsageError } from "../errors.js";
import { venvctlVersion } from "../util/assets.js";
import * as cache from "./cache.js";
import * as completion from "./completion.js";
import * as create from "./create.js";
import * as doctor from "./doctor.js";
import * as exec from "./exec.js";
import * as freeze from "./freeze.js";
import { habitCandidates, habitError, matchHabit } from "./habits.js";
import * as init from "./init.js";
import * as install from "./install.js";
import * as list from "./list.js";
import * as lock from "./lock.js";
import * as python from "./python.js";
import * as rehash from "./rehash.js";
import * as reinstall from "./reinstall.js";
import * as show from "./show.js";
import * as sync from "./sync.js";
import * as uninstall from "./uninstall.js";
import * as use from "./use.js";
import * as version from "./version.js";
import * as versions from "./versions.js";
import * as which from "./which.js";


/**
 * The commands, in the order `--help` lists them, each under the name its
 * file registers (a test checks that they agree): a command line that names
 * one registers only that one, unless it is one that walks the whole program.
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, module: { register(program: Command, cli: Cli): void }]> = [
  ["create", create], ["versions", versions], ["use", use], ["version", version], ["which", which], ["exec", exec],
  ["rehash", rehash], ["init", init], ["python", python], ["freeze", freeze], ["list", list], ["show", show],
  ["install", install], ["reinstall", reinstall], ["uninstall", uninstall], ["sync", sync], ["lock", lock],
  ["cache", cache], ["doctor", doctor], ["completion", completion],
];

/** The commands that print something made from every command (completion scripts). */
const WALK_THE_PROGRAM = new Set(["completion", "init"]);

/**
 * The program with every command registered (what help, completions and
 * habits walk), or with only the command named `only`: registering all
 * twenty costs more than most commands spend working.
 */
export function buildProgram(cli: Cli, only?: string): Command {
  const { ctx } = cli;
  // An interpreter installed on the way (VENVCTL_PYTHON_DOWNLOADS=automatic)
  // gets its shims; the interpreters layer cannot reach the shims itself.
  ctx.afterPythonInstall ??= async (c) => {
    const { rehashShims } = await import("../shims/rehash.js");
    await rehashShims(c, { ifChanged: true });
  };
  const program = new Command("venvctl")
    .description("Python environments in one tool: create venvs, pick interpreters, read and install packages.")
    .version(`venvctl ${venvctlVersion()}`, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Errors are rendered once, by run.ts, as `error:` + `hint:`.
      outputError: () => {},
    })
    // `exec` hands everything after CMD to CMD untouched, which commander only
    // allows when options are positional (program options before the command).
    .enablePositionalOptions();
  for (const [name, command] of COMMANDS) if (only === undefined || name === only) command.register(program, cli);
  return program;
}

/** Parses argv and runs the command; answers the exit code. */
export async function runCli(argv: string[], ctx: Context): Promise<number> {
  const cli: Cli = { ctx, argv, exitCode: 0 };
  // A command named first, which no habit could mean, needs only its own
  // registration; anything else (help, a typo, a habit) sees the whole program.
  const first = argv[0];
  const named = first !== undefined && COMMANDS.some(([name]) => name === first) && !WALK_THE_PROGRAM.has(first) &&
    habitCandidates(argv).length === 0 ? first : undefined;
  const program = buildProgram(cli, named);
  // No arguments: the help, on stdout, exit 0 (as `git help`): asking for
  // nothing is asking what there is.
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  // Another tool's habit (`venvctl local 3.12`): explained, never run.
  const helpFor = argv[0] === "help" && argv.length > 1 ? argv.slice(1) : undefined;
  const habit = matchHabit(program, helpFor ?? argv);
  if (habit) throw habitError(program, habit.habit, habit.rest);
  // `help TYPO` is a usage error with a suggestion, as `venvctl TYPO` is.
  if (helpFor && !program.commands.some((c) => c.name() === helpFor[0] || c.aliases().includes(helpFor[0]!))) {
    argv = [helpFor[0]!];
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
  return cli.exitCode;
}
