// Shell completions, rendered from a description of the commands (which the
// command line builds by walking its own definitions, so a new command or
// option is completed as soon as it exists). Every shell's script walks the
// words typed so far the same way: the command path (`python install`),
// skipping the values of options that take one; then it offers, for the
// word under the cursor, an option's values, the options, the subcommands
// or the operands. Values that depend on the machine (installed versions,
// installed distributions, shim names) come from `venvctl __complete KIND`,
// which reads them natively: no Python is started.
import { readFileSync } from "node:fs";
import { assetPath } from "../util/assets.js";

/** What a value or an operand is completed with. */
export type ValueKind =
  | { kind: "choices"; values: string[] }
  /** Installed interpreter versions (`use`, `create -p`). */
  | { kind: "versions" }
  /** Installed versions and directories (a package command's `-p`: a version or a venv). */
  | { kind: "targets" }
  /** Distributions installed in the target environment (`show`, `uninstall`). */
  | { kind: "dists" }
  /** The commands the shims run (`which`, `exec`). */
  | { kind: "commands" }
  | { kind: "files" }
  | { kind: "dirs" }
  /** A free word: nothing to offer. */
  | { kind: "none" };

export interface CompletionOption {
  /** `-p`, `--python`: the spellings. */
  names: string[];
  description: string;
  /** The option's value, when it takes one. */
  value?: ValueKind | undefined;
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  /** Operands, when the command takes any. */
  operands?: ValueKind | undefined;
  /** Options end at the first operand (`exec CMD ARGS…`): then only files. */
  passThrough: boolean;
  subcommands: CompletionCommand[];
}

/** The dynamic kinds `venvctl __complete` answers. */
export const DYNAMIC_KINDS = ["versions", "dists", "commands"] as const;

/** Every command with its path (`python install`), the root's path being "". */
export function commandPaths(root: CompletionCommand): Array<{ path: string; cmd: CompletionCommand }> {
  const out: Array<{ path: string; cmd: CompletionCommand }> = [];
  const walk = (cmd: CompletionCommand, path: string) => {
    out.push({ path, cmd });
    for (const sub of cmd.subcommands) walk(sub, path ? `${path} ${sub.name}` : sub.name);
  };
  walk(root, "");
  return out;
}

/** A value kind as one word for the scripts' tables: `versions`, `choices:clone hardlink copy`. */
export function kindWord(v: ValueKind): string {
  return v.kind === "choices" ? `choices:${v.values.join(" ")}` : v.kind;
}

/** One line of a description, short enough for a completion menu. */
export function shortDescription(text: string): string {
  const line = text.split("\n")[0]!.replace(/\s+/g, " ").trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** A `case` pattern or word for sh: single-quoted. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The table functions bash and zsh share (POSIX `case`); `lines` gives subcommands and options as NAME:DESCRIPTION. */
function posixTables(root: CompletionCommand, lines: boolean): string {
  const all = commandPaths(root);
  const sub: string[] = [];
  const opts: string[] = [];
  const value: string[] = [];
  const operands: string[] = [];
  const pass: string[] = [];
  for (const { path, cmd } of all) {
    if (cmd.subcommands.length) {
      const text = lines
        ? cmd.subcommands.map((s) => `${s.name}:${shortDescription(s.description)}`).join("\n")
        : cmd.subcommands.map((s) => s.name).join(" ");
      sub.push(`        ${q(path)}) printf '%s\\n' ${q(text)} ;;`);
    }
    const optText = lines
      ? cmd.options.flatMap((o) => o.names.map((n) => `${n}:${shortDescription(o.description)}`)).join("\n")
      : cmd.options.flatMap((o) => o.names).join(" ");
    opts.push(`        ${q(path)}) printf '%s\\n' ${q(optText)} ;;`);
    for (const o of cmd.options) {
      if (!o.value) continue;
      value.push(`        ${o.names.map((n) => q(`${path} ${n}`)).join("|")}) echo ${q(kindWord(o.value))} ;;`);
    }
    if (cmd.operands) operands.push(`        ${q(path)}) echo ${q(kindWord(cmd.operands))} ;;`);
    if (cmd.passThrough) pass.push(q(path));
  }
  const fn = (name: string, doc: string, subject: string, body: string[], otherwise = "") =>
    `# ${doc}\n${name}() {\n    case ${subject} in\n${body.join("\n")}\n${otherwise}    esac\n}`;
  return [
    fn("__venvctl_subcommands", "The subcommands of a command path.", `$1`, sub),
    fn("__venvctl_options", "The options of a command path.", `$1`, opts),
    fn("__venvctl_value", "What completes the value of option $2 of command path $1; fails for an option without one.", `"$1 $2"`, value, "        *) return 1 ;;\n"),
    fn("__venvctl_operands", "What completes a command path's operands; fails where it takes none.", `$1`, operands, "        *) return 1 ;;\n"),
    `# Whether a command path's options end at its first operand.\n__venvctl_passthrough() {\n    case $1 in\n        ${pass.length ? pass.join("|") : "''"}) return 0 ;;\n    esac\n    return 1\n}`,
  ].join("\n\n");
}

/** fish's tables: `switch` on the command path. */
function fishTables(root: CompletionCommand): string {
  const fq = (s: string) => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  const all = commandPaths(root);
  const sub: string[] = [];
  const opts: string[] = [];
  const value: string[] = [];
  const operands: string[] = [];
  const pass: string[] = [];
  const printLines = (items: string[]) => `printf '%s\\n' ${items.map(fq).join(" ")}`;
  for (const { path, cmd } of all) {
    if (cmd.subcommands.length) {
      sub.push(`        case ${fq(path)}\n            ${printLines(cmd.subcommands.map((s) => `${s.name}\t${shortDescription(s.description)}`))}`);
    }
    const optLines = cmd.options.flatMap((o) => o.names.map((n) => `${n}\t${shortDescription(o.description)}`));
    if (optLines.length) opts.push(`        case ${fq(path)}\n            ${printLines(optLines)}`);
    for (const o of cmd.options) {
      if (o.value) value.push(`        case ${o.names.map((n) => fq(`${path} ${n}`)).join(" ")}\n            echo ${fq(kindWord(o.value))}`);
    }
    if (cmd.operands) operands.push(`        case ${fq(path)}\n            echo ${fq(kindWord(cmd.operands))}`);
    if (cmd.passThrough) pass.push(fq(path));
  }
  const fn = (name: string, doc: string, subject: string, body: string[], otherwise: string) =>
    `# ${doc}\nfunction ${name}\n    switch ${subject}\n${body.join("\n")}\n        case '*'\n            ${otherwise}\n    end\nend`;
  return [
    fn("__venvctl_subcommands", "The subcommands of a command path.", `"$argv[1]"`, sub, "return 0"),
    fn("__venvctl_options", "The options of a command path.", `"$argv[1]"`, opts, "return 0"),
    fn("__venvctl_value", "What completes the value of option $argv[2] of command path $argv[1]; fails for an option without one.", `"$argv[1] $argv[2]"`, value, "return 1"),
    fn("__venvctl_operands", "What completes a command path's operands; fails where it takes none.", `"$argv[1]"`, operands, "return 1"),
    fn("__venvctl_passthrough", "Whether a command path's options end at its first operand.", `"$argv[1]"`, pass.length ? [`        case ${pass.join(" ")}\n            return 0`] : [], "return 1"),
  ].join("\n\n");
}

export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The completion script for a shell: its template with the tables filled in. */
export function renderCompletion(shell: CompletionShell, root: CompletionCommand): string {
  const template = readFileSync(assetPath(`shims/completions/venvctl.${shell}`), "utf8");
  const tables = shell === "fish" ? fishTables(root) : posixTables(root, shell === "zsh");
  return template.replace("{{ TABLES }}", () => tables);
}
