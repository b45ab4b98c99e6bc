// What bash, zsh, ksh and sh share for `init`: quoting, PATH set-up, and the
// `venvctl` shell function that lets `venvctl use --shell` change this shell.
import { shSingleQuoted } from "../util/sh-quote.js";
import type { Shell } from "./shell-adapter.js";

/** Quotes a string for any POSIX shell: 'it'\''s' (as is when nothing in it is special). */
export function shQuote(s: string): string {
  if (s !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${shSingleQuoted(s)}'`;
}

/**
 * The init code of a POSIX-family shell: the shims directory first on PATH
 * (once, however often the rc file is sourced), and a `venvctl` function that
 * evaluates what `venvctl use --shell` prints and forgets remembered command
 * paths after `use`/`rehash` (new shims must win over what the shell cached).
 */
function posixInit(name: string, shimsDir: string): string {
  const dir = shQuote(shimsDir);
  return `# venvctl: ${name} set-up (eval "$(venvctl init ${name})" in your rc file)
case ":\${PATH}:" in
  *:${dir}:*) ;;
  *) PATH=${dir}\${PATH:+:\$PATH}; export PATH ;;
esac
venvctl() {
  if [ "\${1-}" = use ]; then
    for __venvctl_arg in "$@"; do
      if [ "$__venvctl_arg" = --shell ]; then
        unset __venvctl_arg
        __venvctl_code=$(VENVCTL_SHELL_INTEGRATION=${name} command venvctl "$@") || return
        eval "$__venvctl_code"
        unset __venvctl_code
        hash -r 2>/dev/null
        return 0
      fi
    done
    unset __venvctl_arg
  fi
  command venvctl "$@"
  set -- "$?" "\${1-}"
  case $2 in use|rehash|install|reinstall|uninstall|sync) hash -r 2>/dev/null ;; esac
  return "$1"
}
`;
}

/** Builds a POSIX-family shell adapter (bash, zsh, ksh and sh differ only in name). */
export function posixShell(name: string): Shell {
  return {
    name,
    init: (shimsDir) => posixInit(name, shimsDir),
    setEnv: (variable, value) => `export ${variable}=${shQuote(value)}\n`,
    unsetEnv: (variable) => `unset ${variable}\n`,
  };
}
