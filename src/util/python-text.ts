// Python's string semantics, where pip's output depends on them: ordering by
// code point, str.splitlines(), str.strip(), json.dumps(), pathlib's path
// normalization.

/** Compares strings by code point, as Python orders str. */
export function comparePy(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above the rest of the BMP.
    if (x >= 0xd800 && x <= 0xdfff && !(y >= 0xd800 && y <= 0xdfff) && y >= 0xe000) return 1;
    if (y >= 0xd800 && y <= 0xdfff && !(x >= 0xd800 && x <= 0xdfff) && x >= 0xe000) return -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Sorts by a string key in Python's order, stably: the keys are computed
 * once and compared natively unless one holds a surrogate (then by code point).
 */
export function sortByPy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const keys = items.map(key);
  if (keys.some((k) => SURROGATE.test(k) || k.includes("\0"))) {
    const order = keys.map((_, i) => i).sort((a, b) => comparePy(keys[a]!, keys[b]!) || a - b);
    return order.map((i) => items[i]!);
  }
  // The default sort compares UTF-16 units natively, which is code point
  // order without surrogates; "\0" + a padded index keeps it stable.
  const tagged = keys.map((k, i) => `${k}\0${String(i).padStart(8, "0")}`).sort();
  return tagged.map((t) => items[Number(t.slice(t.lastIndexOf("\0") + 1))]!);
}

// Characters str.splitlines() breaks at (besides \r\n as a pair).
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** str.splitlines() without keepends. */
export function splitlinesPy(text: string): string[] {
  if (text === "") return [];
  const out = text.split(new RegExp(LINE_BREAK.source, "g"));
  // A trailing line break does not make an empty last line.
  if (out.length > 0 && out[out.length - 1] === "" && LINE_BREAK.test(text.slice(-1))) out.pop();
  return out;
}

// str.isspace(): Unicode whitespace plus the ASCII separators \x1c-\x1f.
const WS = "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const STRIP_RE = new RegExp(`^${WS}+|${WS}+$`, "g");

/** str.strip() with no argument. */
export function stripPy(s: string): string {
  return s.replace(STRIP_RE, "");
}

/** json.dumps(value) with Python's defaults: `, ` and `: ` separators, ASCII only. */
export function jsonDumpsPy(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === "string") return quotePy(value);
  if (Array.isArray(value)) return `[${value.map(jsonDumpsPy).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${quotePy(k)}: ${jsonDumpsPy(v)}`).join(", ")}}`;
}

function quotePy(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/**
 * str(pathlib.PurePosixPath(p)): collapses repeated and trailing slashes and
 * `.` components (`..` is kept); an empty path is `.`.
 */
export function normalizePathlib(p: string): string {
  if (p === "") return ".";
  // Fast path: nothing to collapse.
  if (!/\/\/|\/\.(?:\/|$)|^\.(?:\/|$)|.\/$/.test(p)) return p;
  const lead = p.startsWith("//") && !p.startsWith("///") ? "//" : p.startsWith("/") ? "/" : "";
  const parts = p.split("/").filter((x) => x !== "" && x !== ".");
  const body = parts.join("/");
  return lead + body || ".";
}
