// Requirements files read as pip reads them (pip/_internal/req/req_file.py
// and req/constructors.py): decoding, `\` continuations, comments, ${VAR}
// expansion, each line split into a requirement and the options pip allows
// there, nested -r/-c relative to the including file. Nothing is rewritten:
// pip receives the files themselves; this parse is for checking them before
// pip starts (FILE:LINE errors) and for answering without pip when nothing
// would change.
// One file, though long: like pip's req_file.py, line joining, options,
// nested -r/-c files and requirement lines share one parser state.
import { DIGEST_ALGORITHMS, isDigestAlgorithm, type DigestAlgorithm } from "../util/digest.js";
import { isUtf8 } from "node:buffer";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { errnoWords, isSystemError, osError, UsageError, type SystemError } from "../errors.js";
import { isDirectory, isFile } from "../util/fs.js";
import { parseMarker, MarkerSyntaxError, type MarkerNode } from "../standards/markers.js";
import { isArchiveFile, isUrl, looksLikePath } from "./requirement-line.js";
import { parseRequirement, type Grammar, type ParsedRequirement, type Requirement } from "../standards/requirement.js";
import { splitlinesPy, stripPy } from "../util/python-text.js";

/** Where a requirement or option came from: a file (named as pip names it) and a line. */
export interface Source {
  file: string;
  line: number;
}

/**
 * What a requirement names. Only `named` ones without a URL can be checked
 * against the installed distributions; the rest are pip's to resolve.
 */
export type RequirementKind =
  /** PEP 508: `name[extras] specifiers`, or `name @ url`. */
  | { kind: "named"; req: Requirement }
  /** A URL (an archive, a VCS checkout), as pip's is_url sees it. */
  | { kind: "url"; url: string }
  /** A local directory or archive file. */
  | { kind: "path"; path: string }
  /** `-e PATH_OR_URL`. */
  | { kind: "editable"; target: string };

/** One requirement (or constraint), from the command line or a file line. */
export interface RequirementEntry {
  /** The requirement as pip reads it: the line without comments and options, variables expanded. */
  text: string;
  spec: RequirementKind;
  /** The line's environment marker (after `;`), which pip evaluates apart from the requirement. */
  marker?: MarkerNode | undefined;
  markerText?: string | undefined;
  /** From a -c file: limits versions, installs nothing. */
  constraint: boolean;
  /** undefined: the command line. */
  source?: Source | undefined;
  /** --hash values by algorithm. */
  hashes: Record<string, string[]>;
  /** --config-settings KEY=VAL (a key given twice holds a list). */
  configSettings: Record<string, string | string[]>;
  /** --global-option values. */
  globalOptions: string[];
  /**
   * The grammar this line needed beyond what every pip accepts (some pips
   * take it, others refuse it): the no-op check decides it only where the
   * target's pip reads it so too, and pip decides the rest.
   */
  readAs?: Grammar | undefined;
}

/** An option line's option, as pip's handle_option_line takes it. */
export interface FileOption {
  source: Source;
  /** The option's long name: `--index-url`, `--pre`, … */
  name: string;
  value?: string | undefined;
}

/** Everything the files (and the command line's requirements) say. */
export interface ParsedRequirements {
  entries: RequirementEntry[];
  /** Options of option lines, in order (index URLs, --pre, --require-hashes, …). */
  options: FileOption[];
  /** Every file read, as named. */
  files: string[];
  /** Files venvctl leaves to pip, and why: a URL pip fetches, an encoding pip decodes. */
  unread: Array<{ file: string; why: string }>;
  /** What pip would warn about while parsing (shown when pip does not run). */
  warnings: string[];
}

/** A requirements file that pip would refuse: `FILE:LINE: message`, exit 2, before pip starts. */
export class RequirementsFileError extends UsageError {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string, hint?: string) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${message}`, { hint });
    this.file = file;
    this.line = line;
  }
}

export function emptyParse(): ParsedRequirements {
  return { entries: [], options: [], files: [], unread: [], warnings: [] };
}

export interface ReadOptions {
  cwd: string;
  /** The environment pip will run with (for ${VAR}). */
  env: Record<string, string | undefined>;
}

const SCHEME_RE = /^(http|https|file):/i;

/**
 * Reads a requirements file (`-r`, or `-c` with `constraint`) and the files it
 * includes, appending to `into`. Throws RequirementsFileError for what pip
 * would refuse.
 */
export function readRequirementsFile(
  file: string,
  constraint: boolean,
  opts: ReadOptions,
  into: ParsedRequirements,
  includedFrom?: { source: Source; stack: Array<{ real: string; name: string }> },
): void {
  if (SCHEME_RE.test(file)) {
    into.unread.push({ file, why: "it is a URL, which pip fetches" });
    return;
  }
  const abs = resolve(opts.cwd, file);
  const where = includedFrom?.source;
  const fail = (message: string, hint?: string): never => {
    throw where ? new RequirementsFileError(where.file, where.line, message, hint) : new RequirementsFileError(file, undefined, message, hint);
  };
  let bytes: Buffer;
  try {
    if (statSync(abs).isDirectory()) fail(`could not open requirements file ${file}: it is a directory`);
    bytes = readFileSync(abs);
  } catch (err) {
    if (err instanceof RequirementsFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied" : isSystemError(err) ? errnoWords(err) : (err as Error).message;
    return fail(`could not open requirements file ${file}: ${why}`, code === "ENOENT" ? "check the path (relative to the working directory, or to the file that includes it)" : isSystemError(err) ? osError(err).hint : undefined);
  }
  // A PEP 751 lock under another name (`requirements.lock.toml`): read as
  // requirements, its first line would be an invalid requirement.
  if (/\.toml$/i.test(file) && /^\s*lock-version\s*=/m.test(bytes.subarray(0, 4096).toString("latin1"))) {
    fail("this is a PEP 751 lock file, but lock files are known by their name", `rename it pylock.toml or pylock.NAME.toml (PEP 751), then \`venvctl sync pylock.toml\``);
  }
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    real = abs;
  }
  const stack = includedFrom?.stack ?? [];
  const seen = stack.findIndex((s) => s.real === real);
  if (seen >= 0) {
    const chain = [...stack.slice(seen).map((s) => s.name), file].join(" -> ");
    fail(`include cycle: ${chain}`, "remove one of the -r/-c lines that lead back to a file being read");
  }
  const text = decodeRequirementsFile(bytes);
  if (typeof text !== "string" && "encoding" in text) {
    into.unread.push({ file, why: `it is written in ${text.encoding}, which pip decodes` });
    return;
  }
  if (typeof text !== "string") throw new RequirementsFileError(file, undefined, `not a text file (${text.error})`);
  into.files.push(file);
  const nextStack = [...stack, { real, name: file }];

  for (const [lineno, raw] of logicalLines(text, opts.env)) {
    const source: Source = { file, line: lineno };
    const { args, optionText } = breakArgsOptions(raw);
    const tokens = shlexSplit(optionText);
    if (!Array.isArray(tokens)) throw new RequirementsFileError(file, lineno, `could not split options: ${optionText} (${tokens.error})`);
    const parsed = parseLineOptions(tokens);
    if ("error" in parsed) throw new RequirementsFileError(file, lineno, parsed.error);
    const o = parsed.values;
    if (args) {
      into.entries.push(requirementEntry(args, false, constraint, source, o, opts.cwd));
    } else if (o.editables.length) {
      into.entries.push(requirementEntry(o.editables[0]!, true, constraint, source, o, opts.cwd));
    } else if (o.requirements.length || o.constraints.length) {
      const nested = o.requirements.length ? o.requirements[0]! : o.constraints[0]!;
      const nestedConstraint = o.requirements.length === 0;
      // Relative to the including file (a URL stays as it is).
      const path = SCHEME_RE.test(nested) ? nested : pyJoin(pyDirname(file), nested);
      readRequirementsFile(path, nestedConstraint, opts, into, { source, stack: nextStack });
    } else {
      if (o.hashes) into.warnings.push(`WARNING: ${file} line ${lineno} has --hash but no requirement, and will be ignored.`);
      for (const opt of o.order) into.options.push({ source, name: opt.name, value: opt.value });
    }
  }
}

/** A requirement given on the command line (REQ, or -e with `editable`); UsageError when invalid. */
export function commandLineRequirement(text: string, editable: boolean, cwd: string): RequirementEntry {
  return requirementEntry(text, editable, false, undefined, undefined, cwd);
}

function requirementEntry(
  text: string,
  editable: boolean,
  constraint: boolean,
  source: Source | undefined,
  o: LineOptions | undefined,
  cwd: string,
): RequirementEntry {
  const entry: RequirementEntry = {
    text,
    spec: { kind: "editable", target: text },
    constraint,
    source,
    hashes: {},
    configSettings: o?.configSettings ?? {},
    globalOptions: [],
  };
  if (editable) return entry;
  entry.hashes = o?.hashes ?? {};
  entry.globalOptions = o?.globalOptions ?? [];
  const fail = (message: string, hint?: string): never => {
    if (source) throw new RequirementsFileError(source.file, source.line, message, hint);
    throw new UsageError(message, { hint });
  };
  // pip's parse_req_from_line: the marker comes off first (after "; " for a URL).
  const url = isUrl(text);
  const sep = url ? "; " : ";";
  let name = text;
  const at = text.indexOf(sep);
  if (at >= 0) {
    name = text.slice(0, at);
    const markerText = stripPy(text.slice(at + sep.length));
    if (markerText) {
      try {
        entry.marker = parseMarker(markerText);
        entry.markerText = markerText;
      } catch (err) {
        if (err instanceof MarkerSyntaxError) fail(`Invalid requirement: ${pyRepr(text)}: ${err.message}`);
        throw err;
      }
    }
  }
  name = stripPy(name);
  if (url) {
    entry.spec = { kind: "url", url: name };
    return entry;
  }
  // A local directory or archive (pip's _get_url_from_path); most lines are
  // neither, and need no file system look-up to tell.
  const nameNoExtras = /^(.+)(\[[^\]]+\])$/.exec(name)?.[1] ?? name;
  const pathLike = looksLikePath(name);
  const path = pathLike || isArchiveFile(nameNoExtras) ? resolve(cwd, name) : undefined;
  const pathNoExtras = path === undefined ? undefined : /^(.+)(\[[^\]]+\])$/.exec(path)?.[1] ?? path;
  if (pathNoExtras !== undefined && pathLike && isDirectory(pathNoExtras)) {
    entry.spec = { kind: "path", path: pathNoExtras };
    return entry;
  }
  if (pathNoExtras !== undefined && isArchiveFile(pathNoExtras)) {
    const parts = name.split("@");
    const pep508Url = !isFile(pathNoExtras) && parts.length >= 2 && !looksLikePath(parts[0]!);
    if (!pep508Url) {
      entry.spec = { kind: "path", path: pathNoExtras };
      return entry;
    }
  }
  const parsed = parseRequirementAsSomePip(name);
  if (parsed.ok && parsed.readAs) entry.readAs = parsed.readAs;
  if (!parsed.ok) {
    let hint: string | undefined;
    if (name.includes("/")) {
      const err = statError(resolve(cwd, nameNoExtras));
      hint = err && err.code !== "ENOENT"
        ? `it looks like a path, which cannot be reached: ${errnoWords(err)}; ${osError(err).hint}`
        : "it looks like a path, and there is no such file or directory";
    }
    else if (name.includes("=") && !/[<>!~=]=|[<>]/.test(name)) hint = "= is not a valid operator. Did you mean == ?";
    const why = parsed.error.endsWith(`: ${name}`) ? parsed.error.slice(0, -(name.length + 2)) : parsed.error;
    return fail(`Invalid requirement: ${pyRepr(name)}: ${why}`, hint);
  }
  entry.spec = { kind: "named", req: parsed.req };
  return entry;
}

/** Why stat fails on `p`, for a hint; undefined when it does not. */
function statError(p: string): SystemError | undefined {
  try {
    statSync(p);
    return undefined;
  } catch (err) {
    return isSystemError(err) ? err : undefined;
  }
}

/**
 * What some pip venvctl may hand the line to accepts: legacy specifiers (pip
 * before 24.1), names ending in `_` (pip 24.1 and later). Refusing these
 * would refuse a file the env's pip takes; accepting one the env's pip
 * refuses only costs pip's run, which then says so. The error is the strict
 * grammar's.
 */
function parseRequirementAsSomePip(text: string): ParsedRequirement & { readAs?: Grammar } {
  const strict = parseRequirement(text);
  if (strict.ok) return strict;
  for (const readAs of [{ legacySpecifiers: true }, { identifierNames: true }]) {
    const other = parseRequirement(text, readAs);
    if (other.ok) return { ...other, readAs };
  }
  return strict;
}

/** Python's repr of a str, for messages that quote requirements as pip does. */
function pyRepr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

// ---- reading ----------------------------------------------------------------

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

// ---- the options of a line (pip's build_parser over optparse) ---------------

interface OptionSpec {
  long: string[];
  short?: string;
  takesValue: boolean;
}

/** SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ of pip's req_file.py (pip 23.1 and later). */
const OPTION_SPECS: OptionSpec[] = [
  { long: ["--index-url", "--pypi-url"], short: "-i", takesValue: true },
  { long: ["--extra-index-url"], takesValue: true },
  { long: ["--no-index"], takesValue: false },
  { long: ["--constraint"], short: "-c", takesValue: true },
  { long: ["--requirement"], short: "-r", takesValue: true },
  { long: ["--editable"], short: "-e", takesValue: true },
  { long: ["--find-links"], short: "-f", takesValue: true },
  { long: ["--no-binary"], takesValue: true },
  { long: ["--only-binary"], takesValue: true },
  { long: ["--prefer-binary"], takesValue: false },
  { long: ["--require-hashes"], takesValue: false },
  { long: ["--pre"], takesValue: false },
  { long: ["--trusted-host"], takesValue: true },
  { long: ["--use-feature"], takesValue: true },
  { long: ["--global-option"], takesValue: true },
  { long: ["--hash"], takesValue: true },
  { long: ["--config-settings"], short: "-C", takesValue: true },
];
const LONG = new Map<string, OptionSpec>();
const SHORT = new Map<string, OptionSpec>();
for (const spec of OPTION_SPECS) {
  for (const l of spec.long) LONG.set(l, spec);
  if (spec.short) SHORT.set(spec.short, spec);
}
const LONG_NAMES = [...LONG.keys()].sort();

/** The hash algorithms pip accepts (pip's STRONG_HASHES). */
export const STRONG_HASHES: readonly DigestAlgorithm[] = DIGEST_ALGORITHMS;

/** What the options of one line set. */
export interface LineOptions {
  requirements: string[];
  constraints: string[];
  editables: string[];
  hashes: Record<string, string[]> | undefined;
  configSettings: Record<string, string | string[]> | undefined;
  globalOptions: string[];
  /** Every option given, in order, by its first long name. */
  order: Array<{ name: string; value?: string | undefined }>;
}

/** Parses a line's options as optparse does for pip (long-option prefixes included). */
export function parseLineOptions(args: string[]): { values: LineOptions } | { error: string } {
  const v: LineOptions = { requirements: [], constraints: [], editables: [], hashes: undefined, configSettings: undefined, globalOptions: [], order: [] };
  const rargs = [...args];
  const take = (spec: OptionSpec, opt: string, value: string | undefined): string | undefined => {
    const name = spec.long[0]!;
    v.order.push({ name, value });
    switch (name) {
      case "--requirement": v.requirements.push(value!); break;
      case "--constraint": v.constraints.push(value!); break;
      case "--editable": v.editables.push(value!); break;
      case "--global-option": v.globalOptions.push(value!); break;
      case "--hash": {
        const colon = value!.indexOf(":");
        if (colon < 0) return `Arguments to ${opt} must be a hash name followed by a value, like --hash=sha256:abcde...`;
        const algo = value!.slice(0, colon);
        if (!isDigestAlgorithm(algo)) return `Allowed hash algorithms for ${opt} are ${STRONG_HASHES.join(", ")}.`;
        v.hashes ??= {};
        (v.hashes[algo] ??= []).push(value!.slice(colon + 1));
        break;
      }
      case "--config-settings": {
        const eq = value!.indexOf("=");
        if (eq < 0) return `Arguments to ${opt} must be of the form KEY=VAL`;
        const key = value!.slice(0, eq);
        const val = value!.slice(eq + 1);
        v.configSettings ??= {};
        const prev = v.configSettings[key];
        v.configSettings[key] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
        break;
      }
      case "--no-binary":
      case "--only-binary":
        if (value!.startsWith("-")) return "--no-binary / --only-binary option requires 1 argument.";
        break;
    }
    return undefined;
  };
  while (rargs.length) {
    const arg = rargs.shift()!;
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      let opt = arg;
      let explicit: string | undefined;
      const eq = arg.indexOf("=");
      if (eq >= 0) {
        opt = arg.slice(0, eq);
        explicit = arg.slice(eq + 1);
      }
      let spec = LONG.get(opt);
      if (!spec) {
        const matches = LONG_NAMES.filter((n) => n.startsWith(opt));
        if (matches.length === 0) return { error: `no such option: ${opt}` };
        if (matches.length > 1) return { error: `ambiguous option: ${opt} (${matches.join(", ")}?)` };
        opt = matches[0]!;
        spec = LONG.get(opt)!;
      }
      let value: string | undefined;
      if (spec.takesValue) {
        if (explicit !== undefined) value = explicit;
        else if (rargs.length) value = rargs.shift()!;
        else return { error: `${opt} option requires 1 argument` };
      } else if (explicit !== undefined) {
        return { error: `${opt} option does not take a value` };
      }
      const err = take(spec, opt, value);
      if (err) return { error: err };
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let i = 1; i < arg.length; i++) {
        const opt = `-${arg[i]}`;
        const spec = SHORT.get(opt);
        if (!spec) return { error: `no such option: ${opt}` };
        // Every short option pip allows in a file takes a value.
        let value: string;
        if (i + 1 < arg.length) value = arg.slice(i + 1);
        else if (rargs.length) value = rargs.shift()!;
        else return { error: `${opt} option requires 1 argument` };
        const err = take(spec, opt, value);
        if (err) return { error: err };
        break;
      }
    }
    // Anything else is a positional argument, which pip ignores on an option line.
  }
  return { values: v };
}

// ---- paths as Python's os.path joins them (for file names in messages) -----

function pyDirname(p: string): string {
  const i = p.lastIndexOf("/");
  if (i < 0) return "";
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, "");
}

function pyJoin(a: string, b: string): string {
  if (b.startsWith("/") || a === "") return b;
  return a.endsWith("/") ? a + b : `${a}/${b}`;
}

/** The requirements a command was given: REQ arguments, -e, -r and -c files. */
export interface RequirementInputs {
  requirements?: readonly string[];
  editables?: readonly string[];
  requirementFiles?: readonly string[];
  constraintFiles?: readonly string[];
}

/**
 * Reads everything a command was given, in pip's order (constraints, then
 * arguments, editables, requirement files); throws for what pip would refuse.
 */
export function readInputs(inputs: RequirementInputs, opts: ReadOptions): ParsedRequirements {
  const into = emptyParse();
  for (const f of inputs.constraintFiles ?? []) readRequirementsFile(f, true, opts, into);
  for (const r of inputs.requirements ?? []) into.entries.push(commandLineRequirement(r, false, opts.cwd));
  for (const e of inputs.editables ?? []) into.entries.push(commandLineRequirement(e, true, opts.cwd));
  for (const f of inputs.requirementFiles ?? []) readRequirementsFile(f, false, opts, into);
  return into;
}
