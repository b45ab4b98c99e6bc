// Core metadata (METADATA, PKG-INFO) as Python's email parser reads it with
// the compat32 policy, which is what importlib.metadata hands pip: header
// lines up to the first line that is not one, continuation lines kept as
// written (newlines and indentation included), repeated fields in order,
// names matched case-insensitively. Files are read only as far as needed:
// the body (the long description) is never read.
import { isUtf8 } from "node:buffer";
import { closeSync, constants, openSync, readSync } from "node:fs";

/** The headers of a metadata file, in order. */
export class Headers {
  /** [name as written, lower-cased name, value] */
  readonly entries: Array<[name: string, key: string, value: string]> = [];

  /** email.message.Message.get: the first value of the field, else undefined. */
  get(name: string): string | undefined {
    const k = name.toLowerCase();
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]![1] === k) return entries[i]![2];
    return undefined;
  }

  /** Message.get_all: every value of the field, in order. */
  getAll(name: string): string[] {
    const k = name.toLowerCase();
    const out: string[] = [];
    for (const e of this.entries) if (e[1] === k) out.push(e[2]);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  add(name: string, value: string): void {
    this.entries.push([name, name.toLowerCase(), value]);
  }

  /**
   * importlib.metadata's Message (Python 3.10+ _adapters.py) re-indents
   * folded values: textwrap.dedent(" " * 8 + value), so the 8-space
   * continuation indent setuptools writes disappears.
   */
  redent(): this {
    for (const e of this.entries) if (e[2].includes("\n")) e[2] = dedentPy(" ".repeat(8) + e[2]);
    return this;
  }
}

/** textwrap.dedent: blank lines emptied, the common leading blanks removed. */
export function dedentPy(text: string): string {
  const lines = text.split("\n").map((l) => (/^[ \t]+$/.test(l) ? "" : l));
  let margin: string | undefined;
  for (const l of lines) {
    const m = /^([ \t]*)[^ \t]/.exec(l);
    if (!m) continue;
    const indent = m[1]!;
    if (margin === undefined) margin = indent;
    else if (indent.startsWith(margin)) continue;
    else if (margin.startsWith(indent)) margin = indent;
    else {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
  }
  if (!margin) return lines.join("\n");
  const m = margin;
  return lines.map((l) => (l.startsWith(m) ? l.slice(m.length) : l)).join("\n");
}

/** The file is not UTF-8 (Python's read_text would raise UnicodeDecodeError). */
export class MetadataDecodeError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

/** The file is there but cannot be read (EACCES, EIO…): importlib.metadata's read_text would answer None, as for no file. */
export class MetadataReadError extends Error {
  constructor(readonly path: string, readonly code: string) {
    super(`cannot read ${path} (${code})`);
  }
}

/** What means "no such file" to importlib.metadata's read_text (FileNotFoundError, NotADirectoryError, IsADirectoryError). */
const ABSENT = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);

const NON_ASCII = /[\x80-\xff]/;

/**
 * Scans the header section of metadata, as email.feedparser's _parse_headers
 * with the compat32 policy reads the decoded text: a line that is not a
 * field (`Name:`), a continuation (leading space or tab) or an mbox `From `
 * line ends the headers; a field's value is the rest of its line with
 * leading blanks removed plus its continuation lines as written, minus the
 * final newline. The bytes are scanned as latin-1 text (one character per
 * byte, so offsets are byte offsets) and decoded as UTF-8 only where a value
 * holds other than ASCII. With `wanted` (lower-case names) only the first
 * value of those fields is kept, and scanning stops once they are known.
 */
class HeaderScanner {
  readonly headers = new Headers();
  /** The header section ended, or every wanted field is known. */
  done = false;
  private text = "";
  private hasCR = false;
  private pos = 0;
  private field: { name: string; valueStart: number; end: number } | undefined;
  private missing: string[] | undefined;

  constructor(wanted: readonly string[] | undefined, private readonly path = "the metadata") {
    this.missing = wanted ? [...wanted] : undefined;
  }

  /** Scans complete lines of buf[0, n) not scanned yet (bytes from `from` are new); with `final`, the rest too. */
  scan(buf: Buffer, from: number, n: number, final: boolean): void {
    const added = buf.toString("latin1", from, n);
    this.text += added;
    if (!this.hasCR && added.includes("\r")) this.hasCR = true;
    const text = this.text;
    while (!this.done) {
      const start = this.pos;
      // The end of the line (universal newlines: \n, \r\n, \r).
      let eol = text.indexOf("\n", start);
      if (this.hasCR) {
        const cr = text.indexOf("\r", start);
        if (cr >= 0 && (eol < 0 || cr < eol)) eol = cr;
      }
      let next: number;
      if (eol >= 0) {
        if (text.charCodeAt(eol) === 0x0d) {
          if (eol + 1 >= n && !final) return; // \r\n may be split across reads
          next = text.charCodeAt(eol + 1) === 0x0a ? eol + 2 : eol + 1;
        } else next = eol + 1;
      } else {
        if (!final) return;
        if (start >= n) return this.finish(buf);
        eol = next = n;
      }
      this.line(buf, start, eol, next);
      this.pos = next;
    }
  }

  finish(buf: Buffer): void {
    this.commit(buf);
    this.done = true;
  }

  private line(buf: Buffer, start: number, eol: number, next: number): void {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 0x20 || c === 0x09) {
      // A continuation; one before any field is a defect and is dropped.
      if (this.field) this.field.end = next;
      return;
    }
    if (c === 0x46 && text.startsWith("From ", start)) {
      this.commit(buf); // the mbox envelope line (or a misplaced one): not a field
      return;
    }
    // A field name: [\x21-\x39\x3b-\x7e]* then a colon (a loop: cold regexps are slow here).
    let colon = start;
    for (; colon < eol; colon++) {
      const b = text.charCodeAt(colon);
      if (b < 0x21 || b > 0x7e || b === 0x3a) break;
    }
    if (colon >= eol || text.charCodeAt(colon) !== 0x3a) {
      this.finish(buf); // not a header line (a blank line included): the body starts
      return;
    }
    this.commit(buf);
    if (colon === start) return; // `:value` has no name: dropped
    let v = colon + 1;
    while (v < eol && (text.charCodeAt(v) === 0x20 || text.charCodeAt(v) === 0x09)) v++;
    this.field = { name: text.slice(start, colon), valueStart: v, end: next };
  }

  private commit(buf: Buffer): void {
    const f = this.field;
    if (!f) return;
    this.field = undefined;
    let key: string | undefined;
    if (this.missing) {
      key = f.name.toLowerCase();
      const i = this.missing.indexOf(key);
      if (i < 0) return; // not wanted, or not the first value (which is all Message.get reads)
      this.missing.splice(i, 1);
      if (this.missing.length === 0) this.done = true;
    }
    let end = f.end;
    while (end > f.valueStart && (this.text.charCodeAt(end - 1) === 0x0a || this.text.charCodeAt(end - 1) === 0x0d)) end--;
    let value = this.text.slice(f.valueStart, end);
    if (NON_ASCII.test(value)) {
      const bytes = buf.subarray(f.valueStart, end);
      if (!isUtf8(bytes)) throw new MetadataDecodeError(this.path, `the ${f.name} field is not valid UTF-8`);
      value = buf.toString("utf8", f.valueStart, end);
    } else if (value.length >= 13) {
      // A longer slice would keep the whole decoded chunk alive (a V8 sliced
      // string); a fresh copy lets it go: thousands of files add up.
      value = buf.toString("latin1", f.valueStart, end);
    }
    if (this.hasCR && value.includes("\r")) value = value.replace(/\r\n?/g, "\n");
    this.headers.entries.push([f.name, key ?? f.name.toLowerCase(), value]);
  }
}

/** Parses the header section of a whole metadata text. */
export function parseHeaders(text: string): Headers {
  const buf = Buffer.from(text, "utf8");
  const s = new HeaderScanner(undefined);
  s.scan(buf, 0, buf.length, true);
  if (!s.done) s.finish(buf);
  return s.headers;
}

let shared = Buffer.allocUnsafe(16384);

/** How much of a metadata file is decoded at a time while its headers are scanned. */
const SCAN_CHUNK = 4096;

/** Where UTF-8 decoding first fails, in Python's words: "byte 0xff in position 1". */
function firstBadByte(bytes: Buffer): string {
  // The longest valid prefix ends where the decoder stops (binary search on isUtf8 would split characters; scan instead).
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length || !isUtf8(bytes.subarray(i, i + len))) break;
    i += len;
  }
  return `byte 0x${(bytes[i] ?? 0).toString(16).padStart(2, "0")} in position ${i}`;
}

/**
 * Reads a metadata file and its header section, stopping the scan at the
 * section's end or as soon as the `wanted` fields (lower-case names) are
 * complete. The whole file is read and must be UTF-8, as importlib.metadata
 * reads it (`read_text(encoding="utf-8")`, whatever part is wanted): a stray
 * byte in a Summary or a description throws MetadataDecodeError for every
 * command alike, where pip stops with UnicodeDecodeError. Answers undefined
 * when the file cannot be read (missing, a directory) or is empty, where
 * read_text answers None or "".
 */
export function readMetadataHeaders(path: string, wanted?: readonly string[]): Headers | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY); // a number: no flag string to parse per file
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "EIO";
    if (ABSENT.has(code)) return undefined;
    throw new MetadataReadError(path, code);
  }
  try {
    let have = 0;
    for (;;) {
      if (have === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger, 0, 0, have);
        shared = bigger;
      }
      const room = shared.length - have;
      let n: number;
      try {
        n = readSync(fd, shared, have, room, have);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "EIO";
        // EISDIR: a directory is no metadata file.
        if (ABSENT.has(code) && have === 0) return undefined;
        throw new MetadataReadError(path, code);
      }
      have += n;
      // A short read of a regular file is its end: no second call to hear 0
      // (one syscall fewer per distribution; `list` of thousands notices).
      if (n < room) break;
    }
    if (have === 0) return undefined; // empty: no metadata
    if (!isUtf8(shared.subarray(0, have))) throw new MetadataDecodeError(path, `it is not UTF-8 (${firstBadByte(shared.subarray(0, have))})`);
    // Decoded as text a chunk at a time, as far as the scan goes: the body
    // (most of the file: the long description) is checked as UTF-8 above,
    // never made a string.
    const scanner = new HeaderScanner(wanted, path);
    for (let at = 0; !scanner.done && at < have;) {
      const upTo = Math.min(have, at + SCAN_CHUNK);
      scanner.scan(shared, at, upTo, upTo === have);
      at = upTo;
    }
    if (!scanner.done) scanner.finish(shared);
    return scanner.headers;
  } finally {
    closeSync(fd);
  }
}
