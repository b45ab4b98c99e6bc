// The habits of the tools venvctl replaces (pyenv, uv, pip), typed after
// `venvctl`: each is a usage error (exit 2) whose hint is the venvctl
// command that does it, with the user's arguments carried over. Never an
// alias: a habit only explains. The table is data, so that the lead can
// adjust it at merge time; the README's "Coming from pyenv / uv / pip" table
// is rendered from it (habitsMarkdown), and a test checks that they agree.
// A habit never shadows a real command: when every word it matches is a
// command of the program, it applies only through its `when`.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import { shQuote } from "../shims/posix-shell.js";

/** What venvctl offers instead: a command line (the first one whose command exists is taken), or words. */
type Instead = { argv: string[] } | { text: string };

export interface Habit {
  /** The words typed after `venvctl` (the habit's command path). */
  typed: string[];
  /** The tool's own command, for the message and the README: "pyenv local". */
  from: string;
  /** What the user wanted, in a few words. */
  what: string;
  /** Where `typed` is a real command too: what it does ("installs packages"), for the message. */
  real?: string;
  /** A second way out, added to the hint: for a package literally named `3.12`. */
  aside?: (rest: readonly string[]) => string;
  /** Only when the rest of the arguments look like this (required where `typed` is a real command). */
  when?: (rest: readonly string[]) => boolean;
  /** What to run instead, given the rest of the arguments; the first whose command exists. */
  instead: (rest: readonly string[]) => Instead[];
  /** Arguments shown in the README's example. */
  example: string[];
}

/**
 * A Python version as pyenv and uv install it: 3, 3.12, 3.12.1, 3.14.0rc1,
 * 3.13t, with an optional implementation (pypy3.10, cpython@3.12,
 * cpython-3.12). PEP 508 lets a project name start with a digit, so a
 * project literally named `3.12` exists in principle; such a name is taken
 * as the habit, and is still installable as `venvctl install -- 3.12`
 * (everything after `--` goes to pip as it is), with a specifier
 * (`'3.12>=1'`), or with any option (`uninstall -y 3.12`): the habit is
 * only ever operands that are all versions.
 */
export function looksLikePythonVersion(word: string): boolean {
  return /^(?:(?:cpython|pypy|graalpy)[@-]?)?[23](?:\.\d+){0,2}(?:(?:a|b|rc)\d+)?t?$/i.test(word);
}

/** Arguments that name interpreter versions only (no option, no `--`). */
const versionsOnly = (rest: readonly string[]) => rest.length > 0 && rest.every(looksLikePythonVersion);

const to = (...argv: string[]): Instead => ({ argv });

/** The habits, in the order the README lists them. */
export const HABITS: Habit[] = [
  {
    typed: ["local"], from: "pyenv local", what: "pin a version for this directory", example: ["3.12"],
    instead: (rest) => [rest.length ? to("use", ...rest) : to("version")],
  },
  {
    typed: ["global"], from: "pyenv global", what: "pin a version for the user", example: ["3.12"],
    instead: (rest) => [rest.length ? to("use", "--global", ...rest) : to("version")],
  },
  {
    typed: ["shell"], from: "pyenv shell", what: "pin a version for this shell", example: ["3.12"],
    instead: (rest) => [rest.length ? to("use", "--shell", ...rest) : to("version")],
  },
  {
    typed: ["version-name"], from: "pyenv version-name", what: "print the selected version's name", example: [],
    instead: () => [to("version", "--bare")],
  },
  {
    typed: ["install"], from: "pyenv install", what: "install an interpreter", example: ["3.12"], when: versionsOnly,
    real: "installs packages, and these are Python versions",
    aside: (rest) => `a package with such a name installs with \`${commandLine(["install", "--", ...rest])}\``,
    instead: (rest) => [to("python", "install", ...rest), {
      text: `venvctl does not install interpreters here; install ${rest.join(" ")} with pyenv or uv, then \`venvctl rehash\``,
    }],
  },
  {
    typed: ["uninstall"], from: "pyenv uninstall", what: "remove an interpreter", example: ["3.12.1"], when: versionsOnly,
    real: "removes packages, and these are Python versions",
    aside: (rest) => `a package with such a name is removed with \`${commandLine(["uninstall", "-y", ...rest])}\``,
    instead: (rest) => [to("python", "uninstall", ...rest), { text: "venvctl does not remove interpreters here; remove it with the tool that installed it" }],
  },
  {
    typed: ["init", "-"], from: "pyenv init -", what: "set up the shell", example: [],
    instead: (rest) => [to("init", ...rest)],
  },
  {
    typed: ["activate"], from: "pyenv activate", what: "activate a virtual environment", example: ["env"],
    instead: (rest) => [{ text: `activation happens in your shell: \`. ${shQuote(rest[0] ?? ".venv")}/bin/activate\` (fish: activate.fish)` }],
  },
  {
    typed: ["venv"], from: "uv venv", what: "create a virtual environment", example: ["--python", "3.12", ".venv"],
    instead: (rest) => [to("create", ...rest)],
  },
  {
    typed: ["pin"], from: "uv python pin", what: "pin a version for this directory", example: ["3.12"],
    instead: (rest) => [rest.length ? to("use", ...rest) : to("version")],
  },
  {
    typed: ["python", "pin"], from: "uv python pin", what: "pin a version for this directory", example: ["3.12"],
    instead: (rest) => [rest.length ? to("use", ...rest) : to("version")],
  },
  {
    typed: ["python", "list"], from: "uv python list", what: "list the interpreters", example: [],
    instead: () => [to("versions")],
  },
  {
    typed: ["run"], from: "uv run", what: "run a command of the selected version", example: ["python", "-V"],
    instead: (rest) => [to("exec", ...rest)],
  },
  ...(["list", "freeze", "show", "install", "uninstall", "sync"] as const).map((verb): Habit => ({
    typed: ["pip", verb], from: verb === "sync" ? "uv pip sync / pip-sync" : `pip ${verb} / uv pip ${verb}`,
    what: verb === "sync" ? "make the environment match a requirements file" : `pip's ${verb}`,
    example: verb === "list" || verb === "freeze" ? [] : verb === "sync" ? ["requirements.txt"] : ["requests"],
    instead: (rest) => [to(verb, ...rest)],
  })),
];

/** The subcommand of `cmd` named `name` (its aliases too). */
function subcommand(cmd: Command, name: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

/** Whether `words` are a command path of the program (`python install`). */
function isCommandPath(program: Command, words: readonly string[]): boolean {
  let cmd: Command | undefined = program;
  for (const w of words) {
    cmd = subcommand(cmd, w);
    if (!cmd) return false;
  }
  return true;
}

/** The habit `argv` shows, if any: the longest typed path that matches and applies. */
export function matchHabit(program: Command, argv: readonly string[]): { habit: Habit; rest: string[] } | undefined {
  for (const habit of habitCandidates(argv)) {
    // A real command wins, unless the habit says when the words mean the other tool.
    if (!habit.when && isCommandPath(program, habit.typed)) continue;
    return { habit, rest: argv.slice(habit.typed.length) };
  }
  return undefined;
}

/**
 * The habits these words could be, longest first, before asking the program
 * which words are real commands: none means no habit, whatever the program.
 */
export function habitCandidates(argv: readonly string[]): Habit[] {
  return HABITS
    .filter((h) => h.typed.every((w, i) => argv[i] === w) && (!h.when || h.when(argv.slice(h.typed.length))))
    .sort((a, b) => b.typed.length - a.typed.length);
}

/** `venvctl use 3.12`, each argument quoted for a POSIX shell where it needs it. */
function commandLine(argv: readonly string[]): string {
  return ["venvctl", ...argv.map(shQuote)].join(" ");
}

/** Whether a suggested command line names a command that exists (a group's subcommand too). */
function runnable(program: Command, argv: readonly string[]): boolean {
  const cmd = argv[0] === undefined ? undefined : subcommand(program, argv[0]);
  if (!cmd) return false;
  return cmd.commands.length === 0 || (argv[1] !== undefined && subcommand(cmd, argv[1]) !== undefined);
}

/** What the habit suggests, for these arguments: the first suggestion whose command exists. */
export function suggestion(program: Command, habit: Habit, rest: readonly string[]): string {
  for (const o of habit.instead(rest)) {
    if ("text" in o) return o.text;
    if (runnable(program, o.argv)) return `run \`${commandLine(o.argv)}\``;
  }
  return "run `venvctl --help` for venvctl's commands";
}

/** The usage error for a habit: exit 2, the venvctl command in the hint. */
export function habitError(program: Command, habit: Habit, rest: readonly string[]): UsageError {
  const typed = ["venvctl", ...habit.typed, ...rest].join(" ");
  const message = isCommandPath(program, habit.typed)
    ? `\`${typed}\` looks like \`${habit.from}\` (${habit.what}): venvctl's \`${habit.typed.join(" ")}\` ${habit.real ?? "is another command"}, so nothing was done`
    : `venvctl has no \`${habit.typed.join(" ")}\` command: that is \`${habit.from}\` (${habit.what})`;
  const aside = habit.aside ? `; ${habit.aside(rest)}` : "";
  return new UsageError(message, { hint: suggestion(program, habit, rest) + aside });
}

/** The README's "Coming from pyenv / uv / pip" table, rendered from HABITS for `program`. */
export function habitsMarkdown(program: Command): string {
  const rows = ["| you type | it is | venvctl's command |", "| --- | --- | --- |"];
  for (const h of HABITS) {
    // A habit that became a real command (`python list`) is no habit any more.
    if (isCommandPath(program, h.typed) && !h.when) continue;
    const typed = ["venvctl", ...h.typed, ...h.example].join(" ");
    const hint = suggestion(program, h, h.example).replace(/^run /, "");
    rows.push(`| \`${typed}\` | ${h.from}: ${h.what} | ${hint} |`);
  }
  return rows.join("\n") + "\n";
}
