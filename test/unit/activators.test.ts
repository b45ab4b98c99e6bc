// Activation scripts as text: the quoting functions on awkward strings, and
// the files renderActivators writes for both layouts. The POSIX scripts also
// run in the real shells (test/e2e/activate-shells.test.ts). PowerShell and
// cmd.exe cannot run here (pwsh is not installable on these machines), so
// Activate.ps1 and the .bat files are checked for structure only: every
// placeholder filled, the values read back from the quoting exactly as given
// (by small models of PowerShell's and cmd's quoting written for this test),
// balanced braces and quotes, a `deactivate` defined. That is weaker than
// running them; it catches broken quoting, not wrong behaviour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { VenvctlError } from "../../src/errors.js";
import { assetPath } from "../../src/util/assets.js";
import {
  bashPromptText, batchQuoted, cmdPromptText, cshSingleQuoted, fillTemplate, fishSingleQuoted, kshPromptText,
  posixPromptText, powershellSingleQuoted, renderActivators, tcshPromptText, zshPromptText,
  type ActivatorFile,
} from "../../src/venv/activators.js";
import { shSingleQuoted } from "../../src/util/sh-quote.js";

const AWKWARD = [
  "plain", "with space", "it's", `say "hi"`, "$HOME", "$(id)", "`id`", "!x !!", "back\\slash", "trailing\\",
  "é ü ✓", "100%", "%n %%", "^G", "&|<>();#*?[]~{a,b}", "Bob’s ‘x’", "line\nbreak",
];

/** Parses `'...'` as POSIX sh does: the text up to the next `'`, no escapes; `\'` outside quotes is a `'`. */
function shWord(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    if (word[i] === "'") {
      const end = word.indexOf("'", i + 1);
      assert.ok(end > i, `unterminated quote in ${word}`);
      out += word.slice(i + 1, end);
      i = end;
    } else if (word[i] === "\\") out += word[++i];
    else assert.fail(`unquoted ${JSON.stringify(word[i])} in ${word}`);
  }
  return out;
}

test("sh: single quotes hold anything; a quote is closed, escaped and reopened", () => {
  assert.equal(shSingleQuoted("it's"), `it'\\''s`);
  for (const s of AWKWARD) assert.equal(shWord(`'${shSingleQuoted(s)}'`), s, s);
});

test("fish: backslash and quote are escaped, nothing else", () => {
  assert.equal(fishSingleQuoted(`it's a\\b $x`), `it\\'s a\\\\b $x`);
  for (const s of AWKWARD) {
    const q = fishSingleQuoted(s);
    assert.equal(q.replace(/\\([\\'])/g, "$1"), s);
    assert.doesNotMatch(q.replace(/\\[\\']/g, ""), /'/, "no bare quote left");
  }
});

test("csh: quotes as in sh, and every ! and newline escaped (history works inside quotes)", () => {
  assert.equal(cshSingleQuoted("a!b"), "a\\!b");
  assert.equal(cshSingleQuoted("it's!"), `it'\\''s\\!`);
  assert.equal(cshSingleQuoted("a\nb"), "a\\\nb");
  // tcsh reads `\!` as `!` even after other backslashes: `a\\!` is `a\!`.
  assert.equal(cshSingleQuoted("a\\!"), "a\\\\!");
  for (const s of AWKWARD) assert.doesNotMatch(cshSingleQuoted(s), /(^|[^\\])[!\n]/, s);
});

test("PowerShell: every kind of single quote doubled", () => {
  assert.equal(powershellSingleQuoted("it's Bob’s ‘x’ ‚y‛"), "it''s Bob’’s ‘‘x’’ ‚‚y‛‛");
  assert.equal(powershellSingleQuoted(`$x "y" \`z\``), `$x "y" \`z\``);
});

test("cmd: % doubled; special characters escaped only where a quote has left them outside quotes", () => {
  assert.equal(batchQuoted("C:\\a & b (x86) 100%"), "C:\\a & b (x86) 100%%");
  assert.equal(batchQuoted(`a"b&c"d&e`), `a"b^&c"d&e`);
  assert.throws(() => batchQuoted("a\nb"), VenvctlError);
  for (const s of AWKWARD.filter((x) => !x.includes("\n"))) assert.equal(cmdSetValue(`set "X=${batchQuoted(s)}"`, "X"), s, s);
});

test("prompt text per shell: the escapes each shell's prompt expansion undoes", () => {
  const name = `a\\b $x \`y\` "q" !h %p ^c`;
  assert.equal(bashPromptText(name, "plain"), `a\\\\b $x \`y\` "q" !h %p ^c`);
  assert.equal(bashPromptText(name, "promptvars"), `a\\\\\\\\b \\\\$x \\\\\`y\\\\\` "q" !h %p ^c`);
  assert.equal(bashPromptText(name, "posix"), `a\\\\\\\\b \\\\$x \\\\\`y\\\\\` "q" !!h %p ^c`);
  assert.equal(zshPromptText(name, { subst: false, bang: false }), `a\\b $x \`y\` "q" !h %%p ^c`);
  assert.equal(zshPromptText(name, { subst: true, bang: true }), `a\\\\b \\$x \\\`y\\\` "q" !!h %%p ^c`);
  assert.equal(kshPromptText(name), `a\\\\b \\$x \\\`y\\\` \\"q\\" !!h %p ^c`);
  assert.equal(posixPromptText(name), `a\\\\b \\$x \\\`y\\\` "q" !h %p ^c`);
  assert.equal(tcshPromptText(name), `a\\\\b $x \`y\` "q" \\!h %%p \\^c`);
  assert.equal(cmdPromptText("$P and $$"), "$$P and $$$$");
});

test("fillTemplate fills every placeholder and refuses a missing or unused value", () => {
  assert.equal(fillTemplate("t", "a {{ X }} b {{ X }} {{ Y_2 }}", { X: "1", Y_2: "$" }), "a 1 b 1 $");
  assert.throws(() => fillTemplate("t", "{{ X }}", {}), /no value for \{\{ X \}\}/);
  assert.throws(() => fillTemplate("t", "x", { X: "1" }), /no placeholder for X/);
  assert.throws(() => fillTemplate("t", "{{X}}", {}), /malformed placeholder/);
});

// ---------------------------------------------------------------------------
// The rendered files.

const POSIX_ENV = "/home/zoë/it's a \"$HOME\" `x` !y \\z";
const POSIX_PROMPT = "my 'env' $x !";

function posixFiles(): ActivatorFile[] {
  return renderActivators({ envDir: POSIX_ENV, binName: "bin", prompt: POSIX_PROMPT, layout: "posix" });
}

function file(files: ActivatorFile[], name: string): string {
  const f = files.find((x) => x.name === name);
  assert.ok(f, `${name} is rendered`);
  return f.content;
}

test("posix layout: the four scripts venv writes, mode 0644, every placeholder filled", () => {
  const files = posixFiles();
  assert.deepEqual(files.map((f) => f.name).sort(), ["Activate.ps1", "activate", "activate.csh", "activate.fish"]);
  for (const f of files) {
    assert.equal(f.mode, 0o644, f.name);
    assert.doesNotMatch(f.content, /\{\{|\}\}/, `${f.name}: no placeholder left`);
  }
});

test("posix layout: each script holds the env path and prompt in its own quoting", () => {
  const files = posixFiles();
  const sh = file(files, "activate");
  assert.equal(shWord(sh.match(/^VIRTUAL_ENV=(.*)$/m)![1]!), POSIX_ENV);
  assert.equal(shWord(sh.match(/^VIRTUAL_ENV_PROMPT=(.*)$/m)![1]!), POSIX_PROMPT);
  assert.equal(shWord(sh.match(/^_venvctl_bin=(.*)$/m)![1]!), `${POSIX_ENV}/bin`);
  assert.match(sh, /^PATH="\$_venvctl_bin\$\{PATH:\+:\$PATH\}"$/m);
  assert.equal(shWord(sh.match(/^if \[ (.*) = yes \]; then$/m)![1]!), "no", "a POSIX env's paths are never converted");
  // One PS1 line per prompt dialect, each a quoted prefix before the old PS1.
  const ps1 = [...sh.matchAll(/^\s*PS1=('.*')"\$PS1"$/gm)].map((m) => shWord(m[1]!));
  assert.equal(ps1.length, 9, "bash (3 modes), zsh (4 option sets), ksh, other sh");
  assert.ok(ps1.every((p) => p.startsWith("(my ") && p.endsWith(") ")), ps1.join("\n"));

  const fish = file(files, "activate.fish");
  assert.ok(fish.includes(`set -gx VIRTUAL_ENV '${fishSingleQuoted(POSIX_ENV)}'\n`));
  assert.ok(fish.includes(`set -gx PATH '${fishSingleQuoted(`${POSIX_ENV}/bin`)}' $PATH\n`));
  assert.ok(fish.includes(`printf '(%s) ' '${fishSingleQuoted(POSIX_PROMPT)}'\n`));

  const csh = file(files, "activate.csh");
  assert.ok(csh.includes(`setenv VIRTUAL_ENV '${cshSingleQuoted(POSIX_ENV)}'\n`));
  assert.ok(csh.includes(`set prompt = '${cshSingleQuoted(`(${tcshPromptText(POSIX_PROMPT)}) `)}'"$prompt:q"\n`));
  // csh substitutes history even in comments: no bare ! outside the escapes.
  for (const line of csh.split("\n")) {
    assert.doesNotMatch(line.replace(/\\!|!=|! /g, ""), /!/, `bare ! in: ${line}`);
  }
});

test("Activate.ps1: values read back exactly, braces balanced, deactivate defined (structure only)", () => {
  const envDir = "/home/Bob’s 'env' $x `y`";
  const ps = file(renderActivators({ envDir, binName: "bin", prompt: "it's ‘mine’", layout: "posix" }), "Activate.ps1");
  assert.ok(ps.startsWith("\uFEFF"), "non-ASCII content gets a byte order mark (Windows PowerShell 5.1 reads it as UTF-8 then)");
  const tokens = powershellStrings(ps.slice(1));
  assert.ok(tokens.includes(envDir), "VIRTUAL_ENV literal");
  assert.ok(tokens.includes(`${envDir}/bin`), "bin directory literal");
  assert.ok(tokens.includes("it's ‘mine’"), "VIRTUAL_ENV_PROMPT literal");
  assert.ok(tokens.includes("(it's ‘mine’) "), "prompt prefix literal");
  assert.match(ps, /^function global:deactivate\(\[switch\] \$NonDestructive\) \{$/m);
  assert.match(ps, /^deactivate -NonDestructive$/m);
  assert.match(ps, /^\s+function global:prompt \{$/m);

  const ascii = file(renderActivators({ envDir: "/srv/env", binName: "bin", prompt: "env", layout: "posix" }), "Activate.ps1");
  assert.ok(!ascii.startsWith("\uFEFF"), "ASCII content: no byte order mark");
});

const WIN_ENV = "C:\\Users\\Zoë O'Brien\\my env (x86) & 100%\\.venv";
const WIN_PROMPT = `it's "q" $P & 50% <x>`;

test("windows layout: activate.bat, deactivate.bat and Activate.ps1, mode 0644, CRLF (structure only)", () => {
  const files = renderActivators({ envDir: WIN_ENV, binName: "Scripts", prompt: WIN_PROMPT, layout: "windows" });
  // As CPython's scripts/common and scripts/nt: activate for Git Bash/MSYS2/Cygwin too.
  assert.deepEqual(files.map((f) => f.name).sort(), ["Activate.ps1", "activate", "activate.bat", "deactivate.bat"]);
  const sh = file(files, "activate");
  assert.equal(shWord(sh.match(/^VIRTUAL_ENV=(.*)$/m)![1]!), WIN_ENV);
  assert.equal(shWord(sh.match(/^_venvctl_bin=(.*)$/m)![1]!), `${WIN_ENV}\\Scripts`);
  assert.equal(shWord(sh.match(/^if \[ (.*) = yes \]; then$/m)![1]!), "yes", "cygpath converts a Windows env's paths in MSYS/Cygwin");
  for (const f of files) {
    assert.equal(f.mode, 0o644, f.name);
    assert.doesNotMatch(f.content, /\{\{|\}\}/, `${f.name}: no placeholder left`);
  }
  const bat = file(files, "activate.bat");
  const deact = file(files, "deactivate.bat");
  for (const [name, text] of [["activate.bat", bat], ["deactivate.bat", deact]] as const) {
    assert.doesNotMatch(text, /(^|[^\r])\n/, `${name}: every line ends in CRLF`);
    assert.ok(text.startsWith("@echo off\r\n"), `${name}: quiet`);
  }
  const lines = bat.split("\r\n");
  assert.equal(cmdSetValue(lines.find((l) => l.startsWith('set "VIRTUAL_ENV='))!, "VIRTUAL_ENV"), WIN_ENV);
  assert.equal(cmdSetValue(lines.find((l) => l.startsWith('set "VIRTUAL_ENV_PROMPT='))!, "VIRTUAL_ENV_PROMPT"), WIN_PROMPT);
  assert.equal(cmdSetValue(lines.find((l) => l.startsWith('set "PATH='))!, "PATH", { PATH: "C:\\Windows" }), `${WIN_ENV}\\Scripts;C:\\Windows`);
  assert.equal(cmdSetValue(lines.find((l) => l.startsWith('set "PROMPT=('))!, "PROMPT", { PROMPT: "$P$G" }), `(it's "q" $$P & 50% <x>) $P$G`);
  assert.ok(lines.includes(":prompt_done") && lines.includes("if defined VIRTUAL_ENV_DISABLE_PROMPT goto :prompt_done"));
  assert.ok(lines.includes('call "%~dp0deactivate.bat"'), "leaves the active env first");
  // deactivate.bat unsets every variable activate.bat sets.
  const setByActivate = new Set([...bat.matchAll(/^set "([A-Z_]+)=/gm)].map((m) => m[1]!));
  for (const v of setByActivate) {
    if (v === "PATH" || v === "PROMPT" || v === "PYTHONHOME" || v === "_OLD_CODEPAGE") continue;
    assert.ok(deact.includes(`set "${v}="\r\n`), `deactivate.bat unsets ${v}`);
  }

  const ps = file(files, "Activate.ps1");
  const strings = powershellStrings(ps.replace(/^\uFEFF/, ""));
  assert.ok(strings.includes(WIN_ENV) && strings.includes(`${WIN_ENV}\\Scripts`) && strings.includes(WIN_PROMPT));
});

test("every template file is used by a layout, and nothing else is in the directory", () => {
  const used = new Set([
    ...renderActivators({ envDir: "/e", binName: "bin", prompt: "e", layout: "posix" }),
    ...renderActivators({ envDir: "C:\\e", binName: "Scripts", prompt: "e", layout: "windows" }),
  ].map((f) => f.name));
  assert.deepEqual(readdirSync(join(assetPath("venv/activators"))).sort(), [...used].sort());
});

// ---------------------------------------------------------------------------
// Small models of PowerShell's and cmd's quoting, for the structural checks.

/**
 * Tokenizes PowerShell just enough to answer its single-quoted string
 * literals (decoded), failing on an unterminated string or unbalanced
 * braces, parentheses or brackets outside strings and comments.
 */
function powershellStrings(script: string): string[] {
  const SQ = "'\u2018\u2019\u201a\u201b";
  const DQ = '"\u201c\u201d\u201e';
  const strings: string[] = [];
  const stack: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "#") {
      i = script.indexOf("\n", i);
      if (i < 0) break;
    } else if (c === "<" && script[i + 1] === "#") {
      i = script.indexOf("#>", i);
      assert.ok(i > 0, "unterminated block comment");
      i++;
    } else if (SQ.includes(c)) {
      let value = "";
      for (i++; ; i++) {
        assert.ok(i < script.length, "unterminated single-quoted string");
        const d = script[i]!;
        if (SQ.includes(d)) {
          if (SQ.includes(script[i + 1] ?? "")) {
            value += d;
            i++;
          } else break;
        } else value += d;
      }
      strings.push(value);
    } else if (DQ.includes(c)) {
      for (i++; ; i++) {
        assert.ok(i < script.length, "unterminated double-quoted string");
        const d = script[i]!;
        if (d === "`") i++;
        else if (DQ.includes(d)) {
          if (DQ.includes(script[i + 1] ?? "")) i++;
          else break;
        }
      }
    } else if ("({[".includes(c)) stack.push(c);
    else if (")}]".includes(c)) assert.equal(stack.pop(), pairs[c], `unbalanced ${c} at ${i}`);
  }
  assert.deepEqual(stack, [], "braces, parentheses and brackets balanced");
  return strings;
}

/**
 * What `set "NAME=..."` on this batch-file line sets NAME to: %-expansion
 * (`%%` is a `%`, `%VAR%` from `vars`), then cmd's quote-aware parsing (a `^`
 * outside quotes escapes the next character; an unescaped `& | < >` outside
 * quotes would end the command, which fails here), then `set`'s own rule (the
 * text between the first and the last quote).
 */
function cmdSetValue(line: string, name: string, vars: Record<string, string> = {}): string {
  const expanded = line.replace(/%%|%([^%]+)%/g, (m, v: string | undefined) => (m === "%%" ? "%" : (vars[v!] ?? "")));
  let inside = false;
  let out = "";
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i]!;
    if (c === '"') {
      inside = !inside;
      out += c;
    } else if (!inside && c === "^") out += expanded[++i] ?? "";
    else if (!inside && "&|<>".includes(c)) assert.fail(`unescaped ${c} outside quotes ends the command: ${line}`);
    else out += c;
  }
  const m = /^set "(.*)"[^"]*$/.exec(out);
  assert.ok(m, `a set "NAME=value" command: ${line}`);
  const [key, ...rest] = m[1]!.split("=");
  assert.equal(key, name);
  return rest.join("=");
}
