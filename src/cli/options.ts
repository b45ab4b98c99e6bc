// What several commands' flags and printing share: repeatable options, the
// `-p` help, the index and base-interpreter flags, pip's words after `--`,
// and writing lines or JSON to stdout with warnings on stderr.
import { Option, type Command } from "commander";
import type { Context } from "../context.js";
import { chooseLinkMode, LINK_MODES } from "../wheel/materialize.js";

// No defaults shown in --help: absent booleans are false, absent lists empty.
/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
/** A repeatable flag's count (`-v -v`). */
export const count = (_: string, previous: number | undefined): number => (previous ?? 0) + 1;

export const pythonHelp =
  "the environment: a venv directory, a python executable, or a version (default: $VIRTUAL_ENV, the nearest .venv, then the selected version)";

/**
 * Everything after `--` is pip's. Commander appends those words to the
 * command's operands; they are the last ones, so they come off the end.
 */
export function passThrough(argv: readonly string[], operands: string[]): { operands: string[]; pipArgs: string[] } {
  const dd = argv.indexOf("--");
  const pipArgs = dd >= 0 ? argv.slice(dd + 1) : [];
  return { operands: operands.slice(0, operands.length - pipArgs.length), pipArgs };
}

/** Which installed packages pip's freeze and list read: -l, --user, --path. */
export const withScopeOptions = (cmd: Command): Command => cmd
  .option("-l, --local", "in a venv with system site-packages, leave out the base interpreter's packages")
  .option("--user", "only packages installed in the user site")
  .option("--path <dir>", "read the packages in this directory instead of sys.path (repeatable)", collect);

export type IndexFlags = { pre?: boolean; indexUrl?: string; extraIndexUrl?: string[]; findLinks?: string[]; index: boolean };

/** pip's index options, for the commands that hand them to pip. */
export const withIndexOptions = (cmd: Command): Command => cmd
  .option("--pre", "consider pre-releases and development versions")
  .option("-i, --index-url <url>", "the package index (PEP 503)")
  .option("--extra-index-url <url>", "another index (repeatable)", collect)
  .option("-f, --find-links <url>", "look for archives in this directory or page (repeatable)", collect)
  .option("--no-index", "use --find-links only");

export const indexOptions = (o: IndexFlags) => ({
  pre: Boolean(o.pre),
  indexUrl: o.indexUrl,
  extraIndexUrls: o.extraIndexUrl ?? [],
  findLinks: o.findLinks ?? [],
  noIndex: o.index === false,
});

// Changing a base interpreter's packages is asked for, never assumed.
export type ChangeFlags = { system?: boolean; breakSystemPackages?: boolean };

export const withChangeOptions = (cmd: Command): Command => cmd
  .option("--system", "change the packages of the selected base interpreter (no virtual environment)")
  .option("--break-system-packages", "change an externally managed interpreter's packages all the same (PEP 668; pip's flag)");

export const changeOptions = (o: ChangeFlags) => ({ system: Boolean(o.system), breakSystemPackages: Boolean(o.breakSystemPackages) });

/** Warnings on stderr, then the lines on stdout. */
/** --link-mode: how installed files get from venvctl's cache into the env (VENVCTL_LINK_MODE when not given). */
export const linkModeOption = (what: string) =>
  new Option("--link-mode <mode>", `how ${what} get from the cache into the env [env: VENVCTL_LINK_MODE]`).choices([...LINK_MODES]);

export type RequirementFlags = { python?: string; requirement?: string[]; constraint?: string[] };

/** The requirements a command resolves: operands, -p, -r and -c, as install and lock take them. */
export const withRequirementOptions = (cmd: Command, verb: string): Command => cmd
  .argument("[requirements...]", "requirements: names with versions (`requests>=2`), URLs, paths")
  .option("-p, --python <target>", pythonHelp)
  .option("-r, --requirement <file>", `${verb} what this requirements file lists (repeatable)`, collect)
  .option("-c, --constraint <file>", "limit versions with this constraints file (repeatable)", collect);

export type PlacementFlags = { linkMode?: string; compile?: boolean };

/** --link-mode and --compile, for the commands that install with venvctl's installer. */
export const withPlacementOptions = (cmd: Command): Command => cmd
  .addOption(linkModeOption("installed files"))
  .option("--compile", "byte-compile the installed Python files (venvctl does not by default; pip does)");

export const placementOptions = (o: PlacementFlags, env: Record<string, string | undefined>) => ({
  linkMode: chooseLinkMode(o.linkMode, env),
  compile: Boolean(o.compile),
});

export function printOutput(ctx: Context, lines: string[], warnings: string[]): void {
  for (const w of warnings) ctx.stderr.write(w + "\n");
  if (lines.length) ctx.stdout.write(lines.join("\n") + "\n");
}

/** --json: the warnings on stderr, the value as Python's json.dumps writes it on stdout. */
export async function printJson(ctx: Context, value: unknown, warnings: string[]): Promise<void> {
  const { jsonDumpsPy } = await import("../util/python-text.js");
  for (const w of warnings) ctx.stderr.write(w + "\n");
  ctx.stdout.write(jsonDumpsPy(value) + "\n");
}

/** `allowExisting` → `allow-existing`, for naming flags in messages. */
export function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
