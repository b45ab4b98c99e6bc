// The one POSIX sh single-quote escape, for the activation scripts (venv/)
// and the shims and init code (shims/).

/** POSIX sh (bash, zsh, ksh, dash): inside '...' only `'` is special; it is written `'\\''`. */
export function shSingleQuoted(value: string): string {
  return value.replace(/'/g, `'\\''`);
}
