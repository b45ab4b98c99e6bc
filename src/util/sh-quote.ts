// The quoting and line ends shared by the activation scripts (venv/) and the
// shims and init code (shims/): one copy each.

/** POSIX sh (bash, zsh, ksh, dash): inside '...' only `'` is special; it is written `'\\''`. */
export function shSingleQuoted(value: string): string {
  return value.replace(/'/g, `'\\''`);
}

/**
 * PowerShell: inside '...' a quote is doubled — and PowerShell takes the
 * typographic single quotes (U+2018 to U+201B) as quotes too.
 */
export function powershellSingleQuoted(value: string): string {
  return value.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c);
}

/**
 * CRLF line ends: cmd.exe runs a batch file whose lines end in LF alone, but
 * mis-parses labels and `goto` in it (CPython's .bat files are CRLF too), and
 * PowerShell files on Windows have them.
 */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}
