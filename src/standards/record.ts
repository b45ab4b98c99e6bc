// RECORD files (PEP 376, PEP 627): CSV rows of path, hash, size, read and
// written as pip does (Python's csv module, excel dialect; pip sorts the rows
// it writes and the csv writer ends lines with \r\n).
import { digest, isDigestAlgorithm, type DigestAlgorithm } from "../util/digest.js";

/** One RECORD row: path, `algo=digest` (or ""), size (or ""). */
export type RecordRow = [path: string, hash: string, size: string];

/**
 * Parses RECORD text into rows. Like pip, each line is one row (pip splits
 * the text into lines before handing it to csv.reader); blank lines are skipped.
 */
export function parseRecord(text: string): RecordRow[] {
  const rows: RecordRow[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") continue;
    const fields = parseCsvLine(line);
    rows.push([fields[0] ?? "", fields[1] ?? "", fields[2] ?? ""]);
  }
  return rows;
}

/** One line of Python's csv.reader (excel dialect, non-strict). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) break;
        const c = line[i]!;
        if (c === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      // Non-strict csv keeps whatever follows the closing quote.
      while (i < line.length && line[i] !== ",") field += line[i++];
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** A field as csv.writer (QUOTE_MINIMAL) writes it. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// Python sorts str by code point. JavaScript compares UTF-16 code units,
// which agrees except for characters above U+FFFF (surrogate pairs); for
// those, UTF-8 byte order is code point order.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** RECORD text as pip writes it: rows sorted, \r\n line ends. */
export function formatRecord(rows: RecordRow[]): string {
  const cmp = rows.some((r) => /[\ud800-\udfff]/.test(r[0] + r[1] + r[2])) ? byCodePoint : byCodeUnit;
  const sorted = [...rows].sort((x, y) => cmp(x[0], y[0]) || cmp(x[1], y[1]) || cmp(x[2], y[2]));
  let out = "";
  for (const [path, hash, size] of sorted) out += `${csvField(path)},${csvField(hash)},${csvField(size)}\r\n`;
  return out;
}

/** Splits `sha256=<urlsafe-b64>`; undefined when malformed or too weak. */
export function parseRecordHash(value: string): { algorithm: DigestAlgorithm; digest: string } | undefined {
  const eq = value.indexOf("=");
  if (eq <= 0) return undefined;
  const algorithm = value.slice(0, eq).toLowerCase();
  if (!isDigestAlgorithm(algorithm)) return undefined;
  return { algorithm, digest: value.slice(eq + 1) };
}

/** `algo=<urlsafe base64 without padding>` of `data`, as RECORD writes it. */
export function recordHash(data: Uint8Array, algorithm = "sha256"): string {
  return `${algorithm}=${digest(algorithm as DigestAlgorithm, data, "base64url")}`;
}

/** Whether `data` matches a RECORD hash value (`sha256=…`). */
export function hashMatches(data: Uint8Array, value: string): boolean {
  const parsed = parseRecordHash(value);
  if (!parsed) return false;
  // Some writers keep base64's padding; compare without it.
  return digest(parsed.algorithm, data, "base64url") === parsed.digest.replace(/=+$/, "");
}
