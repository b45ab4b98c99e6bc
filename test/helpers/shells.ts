// Real shells for the activation-script tests. For each shell: how to run a
// script file (no rc files), how to source a script, and a `show PHASE`
// helper that prints, from inside the shell, everything the tests assert on —
// as NUL-separated records, so values with spaces, quotes or newlines come
// through whole. The assertions are made in TypeScript on what was printed.
import { spawnSync } from "node:child_process";

export type ShellName = "bash" | "dash" | "zsh" | "ksh" | "fish" | "tcsh";

export interface Shell {
  name: ShellName;
  exe: string;
  /** argv to run a script file, without rc files. */
  args(script: string): string[];
  /** The activation script this shell sources. */
  activator: "activate" | "activate.fish" | "activate.csh";
  /** Definitions the scripts below rely on (`show`, `pyprobe`, `mark`). */
  prelude: string;
  /** Sources the file named by the environment variable `envVar`. */
  source(envVar: string): string;
  /**
   * Records a phase: the exported environment (`env -0`), the raw prompt
   * variable (PS1/prompt; absent = unset), the prompt as the shell renders it
   * (where it can render it in-process), whether `deactivate` exists, what
   * `python` resolves to, and the names of the shell's variables.
   */
  show(phase: string): string;
  /** Records `prefix=` (sys.prefix of `python`) and `prefix3=` (of `python3`), run through PATH. */
  pyprobe: string;
  /** Prints one marker record. */
  mark(name: string): string;
  deactivate(arg?: string): string;
  /** Sets the prompt from $OLD_PROMPT. */
  setPrompt: string;
  /** Unsets the prompt variable (not for fish, whose prompt is a function). */
  unsetPrompt?: string;
  /** Makes expanding an unset variable an error (where the shell has that). */
  nounset?: string;
  /** Undoes the quoting the shell's `command -v` adds to an awkward path (ksh). */
  unquoteWhich?(printed: string): string;
  /** The variable activation saves the prompt in (a marker, for fish). */
  savedPromptVar: string;
  /** Whether the shell's variable list includes exported variables. */
  listsEnvVars: boolean;
  /**
   * Renders the prompt in a real interactive session, for shells that cannot
   * render it in-process (dash, tcsh): the prompt shown after the given
   * statements ran.
   */
  renderInteractive?(statements: string[], opts: { cwd: string; env: Record<string, string> }): string;
}

const PYPROBE_LINES = [
  `python -c 'import sys; sys.stdout.write("prefix=" + sys.prefix + "\\0")'`,
  `python3 -c 'import sys; sys.stdout.write("prefix3=" + sys.prefix + "\\0")'`,
];

/** The sh family: bash, dash, zsh, ksh differ only in how they render PS1 and list variables. */
function posixShell(name: "bash" | "dash" | "zsh" | "ksh", opts: { args: string[]; render?: string; vars: string }): Shell {
  const prelude = [
    `rec() { printf '%s\\0' "$@"; }`,
    `show() {`,
    `    rec @phase "$1" @env`,
    `    /usr/bin/env -0`,
    `    rec @endenv`,
    `    if [ -n "\${PS1+x}" ]; then`,
    `        rec "PS1=$PS1"`,
    opts.render ? `        ${opts.render}` : `        :`,
    `    else`,
    `        rec PS1`,
    `    fi`,
    `    if command -v deactivate >/dev/null 2>&1; then rec deactivate=yes; else rec deactivate=no; fi`,
    `    rec "which=$(command -v python || :)"`,
    `    rec "vars=$(${opts.vars})"`,
    `}`,
    `pyprobe() {`,
    ...PYPROBE_LINES.map((l) => `    ${l}`),
    `}`,
  ].join("\n");
  return {
    name,
    exe: `/usr/bin/${name}`,
    args: (script) => [...opts.args, script],
    activator: "activate",
    prelude,
    source: (v) => `. "$${v}"`,
    show: (phase) => `show ${phase}`,
    pyprobe: "pyprobe",
    mark: (m) => `rec @${m}`,
    deactivate: (arg) => (arg ? `deactivate ${arg}` : "deactivate"),
    setPrompt: `PS1=$OLD_PROMPT`,
    unsetPrompt: "unset PS1",
    nounset: "set -u",
    savedPromptVar: "_OLD_VIRTUAL_PS1",
    listsEnvVars: true,
  };
}

const fish: Shell = {
  name: "fish",
  exe: "/usr/bin/fish",
  args: (script) => ["--no-config", script],
  activator: "activate.fish",
  prelude: [
    `function rec; printf '%s\\0' $argv; end`,
    `function show`,
    `    rec @phase $argv[1] @env`,
    `    /usr/bin/env -0`,
    `    rec @endenv`,
    // The old prompt prints the status it sees: give it one to pass on.
    `    printf prompt=; false; fish_prompt; printf '\\0'`,
    `    rec "fish_prompt="(functions fish_prompt | string match -rv '^\\s*#' | string collect)`,
    `    if functions -q deactivate; rec deactivate=yes; else; rec deactivate=no; end`,
    `    set -l w (command -v python)`,
    `    rec "which=$w"`,
    `    rec "vars="(set -n | string join ' ')`,
    `    rec "functions="(functions -a -n | string join ' ')`,
    `end`,
    `function pyprobe`,
    ...PYPROBE_LINES.map((l) => `    ${l}`),
    `end`,
  ].join("\n"),
  source: (v) => `source $${v}`,
  show: (phase) => `show ${phase}`,
  pyprobe: "pyprobe",
  mark: (m) => `rec @${m}`,
  deactivate: (arg) => (arg ? `deactivate ${arg}` : "deactivate"),
  setPrompt: `function fish_prompt; printf '%s[%s]> ' $OLD_PROMPT $status; end`,
  savedPromptVar: "_OLD_FISH_PROMPT_OVERRIDE",
  listsEnvVars: true,
};

// tcsh has no functions: `show` is a file sourced with the phase as argument
// (its path in $SHOW_CSH, written by the test from TCSH_SHOW).
const tcsh: Shell = {
  name: "tcsh",
  exe: "/usr/bin/tcsh",
  args: (script) => ["-f", script],
  activator: "activate.csh",
  prelude: "",
  source: (v) => `source $${v}:q`,
  show: (phase) => `source $SHOW_CSH:q ${phase}`,
  pyprobe: PYPROBE_LINES.join("\n"),
  mark: (m) => `/usr/bin/printf '%s\\0' @${m}`,
  deactivate: (arg) => (arg ? `deactivate ${arg}` : "deactivate"),
  setPrompt: `set prompt = "$OLD_PROMPT:q"`,
  unsetPrompt: "unset prompt",
  savedPromptVar: "_OLD_VIRTUAL_PROMPT",
  listsEnvVars: false,
  renderInteractive: (statements, opts) => {
    // An interactive tcsh reading a pipe prints its prompt (on stdout) when it
    // needs input, i.e. once more after the last line: take what follows the
    // marker, up to the "exit" it prints at end of input.
    const r = spawnSync("/usr/bin/tcsh", ["-f", "-i"], {
      input: [...statements, "echo @M", ""].join("\n"),
      cwd: opts.cwd,
      env: opts.env,
      encoding: "utf8",
      timeout: 20_000,
    });
    const at = r.stdout.lastIndexOf("@M\n");
    if (at < 0 || !r.stdout.endsWith("exit\n")) throw new Error(`tcsh -i: unexpected output\n${r.stdout}\n${r.stderr}`);
    return r.stdout.slice(at + 3, -"exit\n".length);
  },
};

/** The `show` file for tcsh. */
export const TCSH_SHOW = [
  `/usr/bin/printf '%s\\0' @phase "$argv[1]" @env`,
  `/usr/bin/env -0`,
  `/usr/bin/printf '%s\\0' @endenv`,
  `if ($?prompt) then`,
  `    /usr/bin/printf 'PS1=%s\\0' "$prompt:q"`,
  `else`,
  `    /usr/bin/printf '%s\\0' PS1`,
  `endif`,
  `if (\`alias deactivate | /usr/bin/wc -c\` == 0) then`,
  `    /usr/bin/printf '%s\\0' deactivate=no`,
  `else`,
  `    /usr/bin/printf '%s\\0' deactivate=yes`,
  `endif`,
  `/usr/bin/printf 'which=%s\\0' "\`which python\`"`,
  `/usr/bin/printf 'vars=%s\\0' "\`set | /usr/bin/cut -f1 | /usr/bin/tr '\\n' ' '\`"`,
  "",
].join("\n");

/** Renders dash's prompt in a real interactive dash (which prints it on stderr). */
function dashRenderInteractive(statements: string[], opts: { cwd: string; env: Record<string, string> }): string {
  const r = spawnSync("/usr/bin/dash", ["-i"], {
    input: [...statements, "echo @M >&2", ""].join("\n"),
    cwd: opts.cwd,
    env: opts.env,
    encoding: "utf8",
    timeout: 20_000,
  });
  // After the marker: the prompt shown for the next (absent) line, then the
  // newline dash prints at end of input.
  const at = r.stderr.lastIndexOf("@M\n");
  if (at < 0 || !r.stderr.endsWith("\n")) throw new Error(`dash -i: unexpected output\n${r.stderr}`);
  return r.stderr.slice(at + 3, -1);
}

export const SHELLS: Shell[] = [
  // ${PS1@P} is bash's own prompt expansion (bash 4.4+).
  posixShell("bash", { args: ["--norc", "--noprofile"], render: `rec "prompt=\${PS1@P}"`, vars: "compgen -v" }),
  { ...posixShell("dash", { args: [], vars: `set | /usr/bin/sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p'` }), renderInteractive: dashRenderInteractive },
  // (%%): full prompt expansion, honouring PROMPT_SUBST and PROMPT_BANG.
  posixShell("zsh", { args: ["-f"], render: `rec "prompt=\${(%%)PS1}"`, vars: `print -r -- \${(k)parameters}` }),
  // ksh93 expands PS1 as a double-quoted string; then `!` is the history
  // number and `!!` a `!`, which kshHistory() applies on this side.
  { ...posixShell("ksh", { args: [], render: `eval "__render=\\"$PS1\\""; rec "prompt=$__render"`, vars: "typeset +" }), unquoteWhich: unquoteKsh },
  fish,
  tcsh,
];

/**
 * ksh93's `command -v` prints a path holding special characters quoted, as
 * '...' or $'...' (with \\, \\' and \\xHH escapes).
 */
function unquoteKsh(printed: string): string {
  if (printed.startsWith("$'") && printed.endsWith("'")) {
    const bytes: number[] = [];
    const body = printed.slice(2, -1);
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c !== "\\") {
        bytes.push(...Buffer.from(c, "utf8"));
        continue;
      }
      const n = body[++i]!;
      if (n === "x") {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(...Buffer.from(n, "utf8"));
    }
    return Buffer.from(bytes).toString("utf8");
  }
  if (printed.startsWith("'") && printed.endsWith("'")) return printed.slice(1, -1);
  return printed;
}

/** ksh's last step of prompt expansion: `!!` is a `!`, a lone `!` the history number. */
export function kshHistory(expanded: string): string {
  return expanded.replace(/!!?/g, (m) => (m === "!!" ? "!" : "<history>"));
}

export interface Phase {
  /** The exported environment as a child process sees it. */
  env: Map<string, string>;
  /** key=value records; a key without `=` is recorded as undefined (unset). */
  rec: Map<string, string | undefined>;
}

export interface Recording {
  phases: Map<string, Phase>;
  /** Anything printed between a `quiet-begin` and a `quiet-end` marker. */
  noise: string[];
}

/** Parses the records a script printed with show/mark/pyprobe. */
export function parseRecords(stdout: string): Recording {
  const items = stdout.split("\0");
  if (items.at(-1) === "") items.pop();
  const phases = new Map<string, Phase>();
  const noise: string[] = [];
  let current: Phase | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item === "@phase") {
      const name = items[++i]!;
      current = { env: new Map(), rec: new Map() };
      phases.set(name, current);
      if (items[++i] !== "@env") throw new Error(`malformed records after @phase ${name}`);
      for (i++; i < items.length && items[i] !== "@endenv"; i++) {
        const kv = items[i]!;
        const eq = kv.indexOf("=");
        current.env.set(kv.slice(0, eq), kv.slice(eq + 1));
      }
    } else if (item === "@quiet-begin") {
      // The next record must be the end marker, exactly: sourcing printed nothing.
      const next = items[++i];
      if (next !== "@quiet-end") noise.push(next ?? "(end of output)");
    } else if (current) {
      const eq = item.indexOf("=");
      if (eq < 0) current.rec.set(item, undefined);
      else current.rec.set(item.slice(0, eq), item.slice(eq + 1));
    } else {
      noise.push(item);
    }
  }
  return { phases, noise };
}
