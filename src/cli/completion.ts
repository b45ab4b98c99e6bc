// `venvctl completion bash|zsh|fish`: the completion script, generated from
// the program's own definitions (walked here, where commander lives), so a
// command or option added anywhere is completed as soon as it is registered.
// `venvctl __complete KIND` (hidden) answers the values that depend on the
// machine, at TAB time.
import { Option, type Command } from "commander";
import { UsageError } from "../errors.js";
import { COMPLETION_SHELLS, renderCompletion, type CompletionCommand, type CompletionOption, type CompletionShell, type ValueKind } from "../shims/completion.js";
import { SHELL_NAMES } from "../shims/shell.js";
import type { Cli } from "./cli.js";

const versions: ValueKind = { kind: "versions" };
const dists: ValueKind = { kind: "dists" };
const files: ValueKind = { kind: "files" };

/**
 * What completes a command's operands, by command path; data, so a new
 * command says here what its operands are. A command not listed completes
 * file names, or its argument's choices.
 */
export const OPERANDS: Record<string, ValueKind> = {
  create: { kind: "dirs" },
  use: versions,
  show: dists,
  uninstall: dists,
  reinstall: dists,
  which: { kind: "commands" },
  exec: { kind: "commands" },
  init: { kind: "choices", values: [...SHELL_NAMES] },
  completion: { kind: "choices", values: [...COMPLETION_SHELLS] },
  "python uninstall": versions,
  "python find": versions,
  "python pin": versions,
};

/** What completes an option's value: its choices, else by its name and its value's name. */
function optionValue(path: string, o: Option): ValueKind | undefined {
  if (!o.required && !o.optional) return undefined;
  if (o.argChoices) return { kind: "choices", values: [...o.argChoices] };
  if (o.long === "--python") return path === "create" || path.startsWith("python") ? versions : { kind: "targets" };
  const arg = /<([^>]+)>|\[([^\]]+)\]/.exec(o.flags);
  const name = arg?.[1] ?? arg?.[2] ?? "";
  if (o.long === "--exclude") return dists;
  if (/dir/.test(name)) return { kind: "dirs" };
  if (/file|path/.test(name)) return files;
  return { kind: "none" };
}

/** A command as the completion scripts see it; hidden commands and options are left out. */
export function completionSpec(cmd: Command, path = ""): CompletionCommand {
  const options: CompletionOption[] = [];
  for (const o of cmd.options as Option[]) {
    if (o.hidden) continue;
    options.push({ names: [o.short, o.long].filter((n): n is string => Boolean(n)), description: o.description, value: optionValue(path, o) });
  }
  options.push({ names: ["-h", "--help"], description: "show help" });
  const args = cmd.registeredArguments;
  let operands: ValueKind | undefined;
  if (args.length) {
    const choices = args[0]!.argChoices;
    operands = OPERANDS[path] ?? (choices ? { kind: "choices", values: [...choices] } : files);
  }
  const subcommands = cmd.commands
    .filter((c) => !(c as Command & { _hidden?: boolean })._hidden)
    .map((c) => completionSpec(c, path ? `${path} ${c.name()}` : c.name()));
  return {
    name: cmd.name(),
    description: cmd.description(),
    options,
    operands,
    passThrough: Boolean((cmd as Command & { _passThroughOptions?: boolean })._passThroughOptions),
    subcommands,
  };
}

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  program
    .command("completion")
    .description("Print the shell completion script (`venvctl init` loads it): venvctl completion bash|zsh|fish")
    .argument("<shell>", `the shell: ${COMPLETION_SHELLS.join(", ")}`)
    .action(async (shell: string) => {
      if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`venvctl has no completion for the shell \`${shell}\``, { hint: `pass one of: ${COMPLETION_SHELLS.join(", ")}` });
      }
      ctx.stdout.write(await completionScript(program, shell as CompletionShell));
    });
  program
    .command("__complete", { hidden: true })
    .description("the values completions offer at TAB time (for the completion scripts)")
    .argument("<kind>", "versions, dists or commands")
    .option("-p, --python <target>", "for dists: the environment")
    .action(async (kind: string, o: { python?: string }) => {
      if (kind !== "versions" && kind !== "dists" && kind !== "commands") throw new UsageError(`no completion values of kind \`${kind}\``);
      const { complete } = await import("../commands/complete.js");
      const values = await complete({ kind, python: o.python }, ctx);
      if (values.length) ctx.stdout.write(values.join("\n") + "\n");
    });
}

/** The completion script for `shell`, from the program's root. */
export async function completionScript(program: Command, shell: CompletionShell): Promise<string> {
  let root = program;
  while (root.parent) root = root.parent;
  return renderCompletion(shell, completionSpec(root));
}
