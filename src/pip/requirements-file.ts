// Requirements files read as pip reads them (pip/_internal/req/req_file.py
// and req/constructors.py): decoding, `\` continuations, comments, ${VAR}
// expansion, each line split into a requirement and the options pip allows
// there, nested -r/-c relative to the including file. Nothing is rewritten:
// pip receives the files themselves; this parse is for checking them before
// pip starts (FILE:LINE errors) and for answering without pip when nothing
// would change.
// The text (decoding, continuations, comments) is requirements-text.ts; the
// options of a line are requirement-options.ts.
import { readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { errnoWords, isSystemError, osError, UsageError, type SystemError } from "../errors.js";
import { isDirectory, isFile } from "../util/fs.js";
import { parseMarker, MarkerSyntaxError, type MarkerNode } from "../standards/markers.js";
import { isArchiveFile, isUrl, looksLikePath } from "./requirement-line.js";
import { parseRequirement, type Grammar, type ParsedRequirement, type Requirement } from "../standards/requirement.js";
import { stripPy } from "../util/python-text.js";
import { parseLineOptions, type LineOptions } from "./requirement-options.js";
import { breakArgsOptions, decodeRequirementsFile, logicalLines, shlexSplit } from "./requirements-text.js";

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
