// The text of a requirements file as pip's req_file.py reads it, before any
// line is understood: the bytes decoded (a BOM, PEP 263's coding line, else
// UTF-8, then the locale's encoding), `\` continuations joined, comments and
// blank lines dropped, ${VAR} expanded; and a line split into its arguments
// and its options, the options into shell words (shlex).
import { isUtf8 } from "node:buffer";
import { splitlinesPy, stripPy } from "../util/python-text.js";

/** What decoding a requirements file gives: its text, a reason it is not text, or an encoding pip must decode. */
export type DecodedFile = string | { error: string } | { encoding: string };

/**
 * pip's auto_decode (pip/_internal/utils/encoding.py): a byte-order mark,
 * else a PEP 263 `coding:` comment in the first two lines, else UTF-8 (the
 * locale's encoding on the machines we support). A NUL byte is text like any
 * other (pip takes it; in a comment it is harmless). An encoding venvctl does
 * not decode exactly as Python does answers `{ encoding }`: pip reads that file.
 */
export function decodeRequirementsFile(bytes: Buffer): DecodedFile {
  let encoding = "utf-8";
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = "utf-16-le";
    body = bytes.subarray(2);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = "utf-16-be";
    body = bytes.subarray(2);
  } else if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff) {
    encoding = "utf-32-be"; // (pip takes ff fe 00 00 for UTF-16, as above: its UTF-16 mark comes first)
  } else {
    // data.split(b"\n")[:2], each tested with ENCODING_RE if it starts with #.
    let start = 0;
    for (let n = 0; n < 2 && start <= bytes.length; n++) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      const line = bytes.subarray(start, end).toString("latin1");
      const m = line.startsWith("#") ? /coding[:=]\s*([-\w.]+)/.exec(line) : null;
      if (m) {
        encoding = m[1]!;
        break;
      }
      start = end + 1;
    }
  }
  const codec = CODECS.get(pythonCodecName(encoding));
  if (!codec) return { encoding };
  const text = codec(body);
  return text === undefined ? { error: `it is not valid ${encoding}` } : text;
}

/** encodings.normalize_encoding, lower-cased as codecs.lookup does, then encodings.aliases. */
function pythonCodecName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9.]+/g, "_").replace(/^_+|_+$/g, "");
  return CODEC_ALIASES[n] ?? n;
}

// The upper halves (0x80–0xff) of two single-byte codecs users declare, as
// Python's tables have them (Lib/encodings/cp437.py, mac_roman.py): Node's
// TextDecoder has no cp437, and its "macintosh" depends on how Node was built.
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";
const MAC_ROMAN_HIGH =
  "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u00a0ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

function singleByte(high: string): (b: Buffer) => string {
  const table = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), ...high];
  return (b) => {
    let out = "";
    for (const byte of b) out += table[byte]!;
    return out;
  };
}

/** The codecs venvctl decodes exactly as Python does, by Python's name; undefined: invalid bytes. */
const CODECS = new Map<string, (b: Buffer) => string | undefined>([
  ["utf_8", (b) => (isUtf8(b) ? b.toString("utf8") : undefined)],
  ["utf_16_le", (b) => (b.length % 2 === 0 ? decodeStrict("utf-16le", b) : undefined)],
  ["utf_16_be", (b) => (b.length % 2 === 0 ? decodeStrict("utf-16be", b) : undefined)],
  ["latin_1", (b) => b.toString("latin1")],
  ["ascii", (b) => (b.every((x) => x < 0x80) ? b.toString("latin1") : undefined)],
  ["cp437", singleByte(CP437_HIGH)],
  ["mac_roman", singleByte(MAC_ROMAN_HIGH)],
]);

/** Python's encodings.aliases for those codecs. */
const CODEC_ALIASES: Record<string, string> = {
  utf8: "utf_8", u8: "utf_8", utf: "utf_8", cp65001: "utf_8", utf8_ucs2: "utf_8", utf8_ucs4: "utf_8",
  utf_16le: "utf_16_le", utf_16be: "utf_16_be", unicodelittleunmarked: "utf_16_le", unicodebigunmarked: "utf_16_be",
  latin1: "latin_1", latin: "latin_1", l1: "latin_1", "8859": "latin_1", cp819: "latin_1", csisolatin1: "latin_1",
  ibm819: "latin_1", iso8859: "latin_1", iso8859_1: "latin_1", iso_8859_1: "latin_1", iso_8859_1_1987: "latin_1", iso_ir_100: "latin_1",
  "646": "ascii", "ansi_x3.4_1968": "ascii", "ansi_x3.4_1986": "ascii", ansi_x3_4_1968: "ascii", cp367: "ascii", csascii: "ascii",
  ibm367: "ascii", iso646_us: "ascii", "iso_646.irv_1991": "ascii", iso_ir_6: "ascii", us: "ascii", us_ascii: "ascii",
  "437": "cp437", ibm437: "cp437", cspc8codepage437: "cp437",
  macroman: "mac_roman", macintosh: "mac_roman",
};

function decodeStrict(label: string, b: Buffer): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

const COMMENT_RE = /(^|\s+)#.*$/;
const STARTS_AS_COMMENT = /^\s*#/;
const ENV_VAR_RE = /\$\{([A-Z0-9_]+)\}/g;

/**
 * pip's preprocess: lines joined at a trailing `\` (not after a comment; the
 * joined line takes the first line's number), comments removed, lines
 * stripped and the empty ones dropped, then ${NAME} replaced by the variable's
 * value when it is set and not empty (only upper-case letters, digits and `_`).
 */
export function logicalLines(text: string, env: Record<string, string | undefined>): Array<[number, string]> {
  const joined: Array<[number, string]> = [];
  let pending: string[] = [];
  let first = 0;
  splitlinesPy(text).forEach((line, i) => {
    const lineno = i + 1;
    const comment = STARTS_AS_COMMENT.test(line);
    if (!line.endsWith("\\") || comment) {
      if (comment) line = " " + line;
      if (pending.length) {
        pending.push(line);
        joined.push([first, pending.join("")]);
        pending = [];
      } else {
        joined.push([lineno, line]);
      }
    } else {
      if (!pending.length) first = lineno;
      pending.push(line.replace(/^\\+|\\+$/g, ""));
    }
  });
  if (pending.length) joined.push([first, pending.join("")]);

  const out: Array<[number, string]> = [];
  for (const [lineno, raw] of joined) {
    let line = stripPy(raw.replace(COMMENT_RE, ""));
    if (!line) continue;
    for (const m of [...line.matchAll(ENV_VAR_RE)]) {
      const value = env[m[1]!];
      if (!value) continue;
      line = line.split(m[0]).join(value);
    }
    out.push([lineno, line]);
  }
  return out;
}

/**
 * pip's break_args_options: the words (split at single spaces) before the
 * first one starting with `-` are the requirement; the rest are options. Only
 * the options are shell-split, so markers keep their quotes.
 */
export function breakArgsOptions(line: string): { args: string; optionText: string } {
  const tokens = line.split(" ");
  let i = 0;
  while (i < tokens.length && !tokens[i]!.startsWith("-")) i++;
  return { args: tokens.slice(0, i).join(" "), optionText: tokens.slice(i).join(" ") };
}

/** shlex.split(s) (POSIX mode, no comments): words, quotes and backslash escapes. */
export function shlexSplit(s: string): string[] | { error: string } {
  const out: string[] = [];
  let token = "";
  let inToken = false;
  let i = 0;
  const WS = " \t\r\n";
  while (i < s.length) {
    const c = s[i]!;
    if (WS.includes(c)) {
      if (inToken) out.push(token);
      token = "";
      inToken = false;
      i++;
    } else if (c === "\\") {
      if (i + 1 >= s.length) return { error: "No escaped character" };
      token += s[i + 1];
      inToken = true;
      i += 2;
    } else if (c === "'" || c === '"') {
      inToken = true;
      i++;
      for (;;) {
        if (i >= s.length) return { error: "No closing quotation" };
        const d = s[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (c === '"' && d === "\\") {
          if (i + 1 >= s.length) return { error: "No closing quotation" };
          const e = s[i + 1]!;
          token += e === '"' || e === "\\" ? e : d + e;
          i += 2;
          continue;
        }
        token += d;
        i++;
      }
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  if (inToken) out.push(token);
  return out;
}

