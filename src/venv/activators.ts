// The activation scripts `venvctl create` writes into an env's bin directory.
// Each shell's script is a real shell file in ./activators/ with
// `{{ PLACEHOLDER }}`s; this module fills them with values escaped for that
// shell (uv's approach), so a path or prompt holding quotes, `$`, backticks,
// `!` or backslashes is taken as it is, and never run.
import { readFileSync } from "node:fs";
import { posix, win32 } from "node:path";
import { VenvctlError } from "../errors.js";
import { assetPath } from "../util/assets.js";
import { crlf, powershellSingleQuoted, shSingleQuoted } from "../util/sh-quote.js";

export { powershellSingleQuoted } from "../util/sh-quote.js";

export interface ActivatorInput {
  /** The env's final absolute path. */
  envDir: string;
  /** "bin" or "Scripts", relative to envDir. */
  binName: string;
  /** The bare prompt name (`myenv`); the scripts show it as `(myenv) `. */
  prompt: string;
  layout: "posix" | "windows";
}

export interface ActivatorFile {
  /** File name in the bin directory. */
  name: string;
  content: string;
  mode: number;
}

/**
 * venv copies the mode of its own script files, which are rw-r--r-- in every
 * CPython 3 (Lib/venv/__init__.py, install_scripts: shutil.copymode).
 */
const SCRIPT_MODE = 0o644;

/**
 * Which files each layout gets, as `python -m venv` makes them (plus
 * Activate.ps1 before 3.8): on Windows, scripts/common (activate for Git
 * Bash/MSYS2/Cygwin, Activate.ps1) and scripts/nt (the .bat files). 3.13's
 * activate.fish in scripts/common is left out there: it takes the Windows
 * path as it is, which no fish on Windows can use.
 */
const FILES: Record<ActivatorInput["layout"], readonly string[]> = {
  posix: ["activate", "activate.fish", "activate.csh", "Activate.ps1"],
  windows: ["activate", "activate.bat", "deactivate.bat", "Activate.ps1"],
};

/** Renders every activation script of the layout, ready to write into the bin directory. */
export function renderActivators(input: ActivatorInput): ActivatorFile[] {
  const binDir = input.layout === "windows" ? win32.join(input.envDir, input.binName) : posix.join(input.envDir, input.binName);
  const name = input.prompt;
  return FILES[input.layout].map((file) => {
    /** The template filled: every script gets the env, the prompt and the bin directory, quoted for its shell. */
    const fill = (quote: (s: string) => string, more: Record<string, string> = {}) =>
      fillTemplate(file, readTemplate(file), {
        VIRTUAL_ENV: quote(input.envDir),
        VIRTUAL_ENV_PROMPT: quote(name),
        BIN_DIR: quote(binDir),
        ...more,
      });
    let content: string;
    switch (file) {
      case "activate":
        content = fill(shSingleQuoted, {
          WINDOWS_ENV: input.layout === "windows" ? "yes" : "no",
          PS1_PREFIX_BASH: shSingleQuoted(prefix(name, (s) => bashPromptText(s, "plain"))),
          PS1_PREFIX_BASH_PROMPTVARS: shSingleQuoted(prefix(name, (s) => bashPromptText(s, "promptvars"))),
          PS1_PREFIX_BASH_POSIX: shSingleQuoted(prefix(name, (s) => bashPromptText(s, "posix"))),
          PS1_PREFIX_ZSH: shSingleQuoted(prefix(name, (s) => zshPromptText(s, { subst: false, bang: false }))),
          PS1_PREFIX_ZSH_SUBST: shSingleQuoted(prefix(name, (s) => zshPromptText(s, { subst: true, bang: false }))),
          PS1_PREFIX_ZSH_BANG: shSingleQuoted(prefix(name, (s) => zshPromptText(s, { subst: false, bang: true }))),
          PS1_PREFIX_ZSH_SUBST_BANG: shSingleQuoted(prefix(name, (s) => zshPromptText(s, { subst: true, bang: true }))),
          PS1_PREFIX_KSH: shSingleQuoted(prefix(name, kshPromptText)),
          PS1_PREFIX_SH: shSingleQuoted(prefix(name, posixPromptText)),
        });
        break;
      case "activate.fish":
        content = fill(fishSingleQuoted);
        break;
      case "activate.csh":
        content = fill(cshSingleQuoted, { PROMPT_PREFIX_TCSH: cshSingleQuoted(prefix(name, tcshPromptText)) });
        break;
      case "Activate.ps1":
        content = fill(powershellSingleQuoted);
        // Windows PowerShell 5.1 reads a script without a byte order mark in
        // the ANSI code page, which would garble a non-ASCII path.
        if (/[^\x00-\x7f]/.test(content)) content = `\uFEFF${content}`;
        break;
      case "activate.bat":
        content = crlf(fill(batchQuoted, { PROMPT_PREFIX_CMD: batchQuoted(prefix(name, cmdPromptText)) }));
        break;
      case "deactivate.bat":
        content = crlf(fillTemplate(file, readTemplate(file), {}));
        break;
      default:
        throw new Error(`no renderer for activation script ${file}`);
    }
    return { name: file, content, mode: SCRIPT_MODE };
  });
}

/** `(name) ` with the name escaped for one prompt language. */
function prefix(name: string, escape: (s: string) => string): string {
  return `(${escape(name)}) `;
}

const templates = new Map<string, string>();

function readTemplate(file: string): string {
  let text = templates.get(file);
  if (text === undefined) {
    text = readFileSync(assetPath(`venv/activators/${file}`), "utf8");
    templates.set(file, text);
  }
  return text;
}

/**
 * Replaces each `{{ NAME }}` with its (already escaped) value. A placeholder
 * without a value, or a value without a placeholder, is a bug in venvctl.
 */
export function fillTemplate(file: string, template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{ ([A-Z0-9_]+) \}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`activation script ${file}: no value for {{ ${key} }}`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`activation script ${file}: no placeholder for ${unused.join(", ")}`);
  if (out.includes("{{")) throw new Error(`activation script ${file}: malformed placeholder`);
  return out;
}

// ---------------------------------------------------------------------------
// Quoting: each function answers the text to put between the template's
// single quotes (or, for cmd, its `set "NAME=..."` quotes).


/** fish: inside '...' only `\` and `'` are special, each escaped with a backslash. */
export function fishSingleQuoted(value: string): string {
  return value.replace(/[\\']/g, (c) => `\\${c}`);
}

/**
 * csh/tcsh: inside '...', `'` is written `'\''`; history substitution still
 * happens there (in sourced files too), so `!` is written `\!`; and a newline
 * needs a backslash before it. Any other backslash stays as it is.
 */
export function cshSingleQuoted(value: string): string {
  return value.replace(/['!\n]/g, (c) => (c === "'" ? `'\\''` : `\\${c}`));
}

/**
 * cmd.exe, for `set "NAME=<value>"` in a batch file: `%` is doubled, and
 * since each `"` switches cmd's quoting on or off, the characters cmd treats
 * specially (`^ & | < > ( )`) are escaped with `^` wherever an odd number of
 * quotes has left them outside quotes. (With delayed expansion enabled by
 * default in the registry, `!` would still be eaten; CPython's scripts share
 * that.) A line break cannot be written at all. After a value holding an odd
 * number of `"`, the rest of the line is outside quotes: activate.bat has only
 * `%PROMPT%` there, which is made of `$` codes in practice.
 */
export function batchQuoted(value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new VenvctlError(`cannot write ${JSON.stringify(value)} into a batch file: it contains a line break`, {
      hint: "choose a prompt (--prompt) and path without line breaks",
    });
  }
  let inside = true;
  let out = "";
  for (const c of value) {
    if (c === "%") out += "%%";
    else if (c === '"') {
      inside = !inside;
      out += c;
    } else if (!inside && /[\^&|<>()]/.test(c)) out += `^${c}`;
    else out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Prompt text: each shell expands its prompt string before showing it, each in
// its own way; these answer the text that shows `name` literally and runs
// nothing.

/**
 * bash: backslash escapes (`\u`, `\$`, ...) are decoded first, so every `\`
 * is doubled; then, with `shopt promptvars` (the default), the result is
 * expanded like a double-quoted string, so `$`, `` ` `` and `\` get a
 * backslash before that; in POSIX mode (`sh`, `set -o posix`) expansion always
 * happens and `!` is the history number, `!!` a literal `!`.
 */
export function bashPromptText(name: string, mode: "plain" | "promptvars" | "posix"): string {
  let s = name;
  if (mode !== "plain") s = s.replace(/[\\$`]/g, (c) => `\\${c}`);
  s = s.replace(/\\/g, "\\\\");
  if (mode === "posix") s = s.replace(/!/g, "!!");
  return s;
}

/**
 * zsh: with PROMPT_SUBST the string is first expanded (`\`, `$`, `` ` `` get
 * a backslash), then `%` escapes are decoded (`%%` is a `%`) and, with
 * PROMPT_BANG, `!` is the history number (`!!` a literal `!`). PROMPT_PERCENT
 * is taken as on (it is off only under `emulate sh/ksh`, where a `%` would show
 * doubled).
 */
export function zshPromptText(name: string, options: { subst: boolean; bang: boolean }): string {
  let s = name.replace(/%/g, "%%");
  if (options.bang) s = s.replace(/!/g, "!!");
  if (options.subst) s = s.replace(/[\\$`]/g, (c) => `\\${c}`);
  return s;
}

/**
 * ksh93 (and mksh): PS1 is expanded as if inside double quotes (`\`, `$`,
 * `` ` ``, `"` get a backslash), and `!` is the history number (`!!` a literal `!`).
 */
export function kshPromptText(name: string): string {
  return name.replace(/[\\$`"]/g, (c) => `\\${c}`).replace(/!/g, "!!");
}

/** dash and other POSIX shells: `$`, `` ` `` and `\` are expanded in PS1 (a `"` stays as it is). */
export function posixPromptText(name: string): string {
  return name.replace(/[\\$`]/g, (c) => `\\${c}`);
}

/** tcsh: `%` sequences (`%%` is a `%`), `!` the history number, `\c` and `^c` as in bindkey. */
export function tcshPromptText(name: string): string {
  return name.replace(/%/g, "%%").replace(/[\\!^]/g, (c) => `\\${c}`);
}

/** cmd.exe's PROMPT: `$` starts a code (`$P`, `$G`, ...); `$$` is a `$`. */
export function cmdPromptText(name: string): string {
  return name.replace(/\$/g, "$$$$");
}
