// pyvenv.cfg: `key = value` lines, each split at the first `=` (it is neither
// INI nor TOML: CPython's site.py reads it this way).

export interface PyvenvCfgEntry {
  key: string;
  value: string;
}

/** Parses pyvenv.cfg text into its entries, in order; lines without `=` are skipped. */
export function parsePyvenvCfg(text: string): PyvenvCfgEntry[] {
  const out: PyvenvCfgEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    if (!key) continue;
    out.push({ key, value: line.slice(eq + 1).trim() });
  }
  return out;
}

/** Looks a key up as site.py does (keys are lower-cased there). */
export function getCfgValue(entries: readonly PyvenvCfgEntry[], key: string): string | undefined {
  const k = key.toLowerCase();
  return entries.find((e) => e.key.toLowerCase() === k)?.value;
}

/** Serializes entries, one `key = value` line each. */
export function formatPyvenvCfg(entries: readonly PyvenvCfgEntry[]): string {
  return entries.map((e) => `${e.key} = ${e.value}\n`).join("");
}

/**
 * Python's repr() of a str, as venv writes `prompt = 'name'` (3.8+): single
 * quotes unless the text holds a `'` and no `"`; backslash escapes for the
 * quote, backslash and control characters; printable non-ASCII kept as is.
 */
export function pythonRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp >= 0x80 && cp <= 0xa0) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp === 0xad) out += "\\xad";
    else out += ch;
  }
  return out + quote;
}
