// Validating a parsed pylock.toml into the Pylock model: every key's type,
// the required keys, lock-version's major version, one kind of source per
// package, hashes, names, versions, markers and specifiers that parse. The
// rules are the specification's, checked as packaging.pylock checks them;
// each failure names the file, the line (pylock-lines.ts) and the entry.
import { canonicalizeName } from "./names.js";
import { MarkerSyntaxError, parseMarker } from "./markers.js";
import { comparePep440, parsePep440, parseSpecifierSet } from "./pep440.js";
import type { PylockLines } from "./pylock-lines.js";
import {
  distFileName, formatUploadTime, PylockError,
  type Pylock, type PylockArchive, type PylockDirectory, type PylockDistFile, type PylockPackage, type PylockVcs,
} from "./pylock-model.js";

/** A table as the `toml` parser returns it. */
export type Raw = Record<string, unknown>;

const HINT = "the file does not follow the pylock.toml specification (PEP 751); fix that entry, or write the lock again (venvctl lock)";

const KEYS = {
  top: ["lock-version", "environments", "requires-python", "extras", "dependency-groups", "default-groups", "created-by", "packages", "tool"],
  package: ["name", "version", "marker", "requires-python", "dependencies", "vcs", "directory", "archive", "index", "sdist", "wheels", "attestation-identities", "tool"],
  vcs: ["type", "url", "path", "requested-revision", "commit-id", "subdirectory"],
  directory: ["path", "editable", "subdirectory"],
  archive: ["url", "path", "size", "upload-time", "hashes", "subdirectory"],
  file: ["name", "upload-time", "url", "path", "size", "hashes"],
};

// Digest lengths of hashlib's guaranteed algorithms, in hex digits.
const DIGEST_LENGTH: Record<string, number> = {
  md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128, blake2b: 128, blake2s: 64,
  sha3_224: 56, sha3_256: 64, sha3_384: 96, sha3_512: 128,
};

/** Where a value is: its label in messages (`packages[2] (numpy).wheels[0]`) and its line. */
interface At {
  where: string;
  line: number | undefined;
}

type Kind = "string" | "integer" | "boolean" | "table" | "date-time";

function describe(value: unknown): string {
  if (typeof value === "string") return `a string (${JSON.stringify(value)})`;
  if (typeof value === "number") return `a number (${value})`; // TOML's 1.0 and 1 are one JavaScript number
  if (typeof value === "boolean") return `a boolean (${value})`;
  if (value instanceof Date) return "a date-time";
  if (Array.isArray(value)) return "an array";
  return "a table";
}

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case "string": return typeof value === "string";
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "date-time": return value instanceof Date;
    case "table": return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
  }
}

const ARTICLE: Record<Kind, string> = { string: "a string", integer: "an integer", boolean: "a boolean", table: "a table", "date-time": "a date-time" };

class Checker {
  readonly warnings: string[] = [];
  /** lock-version's minor version is newer than 1.0: unknown keys are warned about. */
  newerMinor = false;
  constructor(readonly path: string, readonly lines: PylockLines) {}

  fail(at: At, message: string, hint = HINT): never {
    throw new PylockError(this.path, at.line, at.where ? `${at.where}: ${message}` : message, hint);
  }

  get(table: Raw, key: string, kind: Kind, at: At, required = false): unknown {
    const value = table[key];
    if (value === undefined) {
      if (required) this.fail(at, `missing the required key ${key}`);
      return undefined;
    }
    if (kind === "date-time" && typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) {
      // toml gives a local date-time as its text: the specification records UTC.
      const date = new Date(`${value}Z`);
      if (!Number.isNaN(date.getTime())) return date;
    }
    if (!isKind(value, kind)) this.fail(at, `${key} must be ${ARTICLE[kind]}, not ${describe(value)}`);
    return value;
  }

  str(table: Raw, key: string, at: At, required: true): string;
  str(table: Raw, key: string, at: At, required?: false): string | undefined;
  str(table: Raw, key: string, at: At, required = false): string | undefined {
    return this.get(table, key, "string", at, required as false) as string | undefined;
  }

  /** An array whose items are all of one kind. */
  array(table: Raw, key: string, kind: Kind, at: At, required = false): unknown[] | undefined {
    const value = table[key];
    if (value === undefined) {
      if (required) this.fail(at, `missing the required key ${key}`);
      return undefined;
    }
    if (!Array.isArray(value)) this.fail(at, `${key} must be an array of ${kind}s, not ${describe(value)}`);
    value.forEach((item, i) => {
      if (!isKind(item, kind)) this.fail(at, `${key}[${i}] must be ${ARTICLE[kind]}, not ${describe(item)}`);
    });
    return value;
  }

  unknownKeys(table: Raw, known: string[], where: string): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const version = this.newerMinor ? "known to venvctl (which reads lock-version 1.0)" : "of lock-version 1.0";
      this.warnings.push(`${this.path}: ${where ? `${where}.` : ""}${key} is not a key ${version}; ignored`);
    }
  }
}

/** Validates the parsed TOML and returns the lock (PylockError when it is not one). */
export function checkLock(data: Raw, path: string, lines: PylockLines): { lock: Pylock; warnings: string[] } {
  const c: Checker = new Checker(path, lines);
  const top = (key: string): At => ({ where: "", line: lines.topLine(key) });

  const lockVersion = c.str(data, "lock-version", top("lock-version"), true);
  const v = parsePep440(lockVersion);
  const at = top("lock-version");
  if (!v) c.fail(at, `lock-version ${JSON.stringify(lockVersion)} is not a version`);
  if (comparePep440(v, parsePep440("1")!) < 0 || comparePep440(v, parsePep440("2")!) >= 0) {
    c.fail(at, `lock-version ${JSON.stringify(lockVersion)} is not supported: venvctl reads version 1 lock files`,
      "this lock was written for a newer (or older) version of the format; use a tool that reads it, or lock again with one that writes lock-version 1.0");
  }
  if (comparePep440(v, parsePep440("1.0")!) > 0) {
    c.newerMinor = true;
    c.warnings.push(`${path}: lock-version ${lockVersion} is newer than 1.0, the version venvctl knows; keys it does not know are ignored`);
  }
  c.unknownKeys(data, KEYS.top, "");

  const environments = c.array(data, "environments", "string", top("environments")) as string[] | undefined;
  environments?.forEach((m, i) => marker(c, m, { where: `environments[${i}]`, line: lines.topLine("environments") }, false));
  const requiresPython = c.str(data, "requires-python", top("requires-python"));
  if (requiresPython !== undefined) specifiers(c, requiresPython, top("requires-python"));
  const extras = c.array(data, "extras", "string", top("extras")) as string[] | undefined;
  extras?.forEach((e) => {
    if (canonicalizeName(e) !== e) c.fail(top("extras"), `extra ${JSON.stringify(e)} is not normalized (${JSON.stringify(canonicalizeName(e))})`);
  });
  const dependencyGroups = c.array(data, "dependency-groups", "string", top("dependency-groups")) as string[] | undefined;
  const defaultGroups = c.array(data, "default-groups", "string", top("default-groups")) as string[] | undefined;
  const createdBy = c.str(data, "created-by", top("created-by"), true);
  const rawPackages = c.array(data, "packages", "table", top("packages"), true) as Raw[];
  const tool = c.get(data, "tool", "table", top("tool")) as Raw | undefined;

  const packages = rawPackages.map((p, i) => checkPackage(c, p, i));
  const lock: Pylock = { lockVersion, createdBy, packages };
  if (environments) lock.environments = environments;
  if (requiresPython !== undefined) lock.requiresPython = requiresPython;
  if (extras) lock.extras = extras;
  if (dependencyGroups) lock.dependencyGroups = dependencyGroups;
  if (defaultGroups) lock.defaultGroups = defaultGroups;
  if (tool) lock.tool = plain(tool) as Record<string, unknown>;
  return { lock, warnings: c.warnings };
}

function checkPackage(c: Checker, raw: Raw, i: number): PylockPackage {
  const label = (name?: string) => `packages[${i}]${name ? ` (${name})` : ""}`;
  const entry: At = { where: label(), line: c.lines.packageLine(i) };
  const name = c.str(raw, "name", entry, true);
  const where = label(name);
  const at = (key: string): At => ({ where, line: c.lines.packageKeyLine(i, key) });
  if (canonicalizeName(name) !== name) {
    c.fail(at("name"), `name ${JSON.stringify(name)} is not normalized (the specification asks for ${JSON.stringify(canonicalizeName(name))})`);
  }
  c.unknownKeys(raw, KEYS.package, where);
  const pkg: PylockPackage = { name };

  const version = c.str(raw, "version", at("version"));
  if (version !== undefined) {
    if (!parsePep440(version)) c.fail(at("version"), `version ${JSON.stringify(version)} is not a PEP 440 version`);
    pkg.version = version;
  }
  const markerText = c.str(raw, "marker", at("marker"));
  if (markerText !== undefined) pkg.marker = marker(c, markerText, at("marker"), true);
  const requiresPython = c.str(raw, "requires-python", at("requires-python"));
  if (requiresPython !== undefined) pkg.requiresPython = specifiers(c, requiresPython, at("requires-python"));
  const dependencies = c.array(raw, "dependencies", "table", at("dependencies")) as Raw[] | undefined;
  if (dependencies) pkg.dependencies = dependencies.map((d) => plain(d) as Record<string, unknown>);

  const vcs = c.get(raw, "vcs", "table", at("vcs")) as Raw | undefined;
  if (vcs) pkg.vcs = checkVcs(c, vcs, { where: `${where}.vcs`, line: at("vcs").line });
  const directory = c.get(raw, "directory", "table", at("directory")) as Raw | undefined;
  if (directory) pkg.directory = checkDirectory(c, directory, { where: `${where}.directory`, line: at("directory").line });
  const archive = c.get(raw, "archive", "table", at("archive")) as Raw | undefined;
  if (archive) pkg.archive = checkFile(c, archive, { where: `${where}.archive`, line: at("archive").line }, "archive");
  const index = c.str(raw, "index", at("index"));
  if (index !== undefined) pkg.index = index;
  const sdist = c.get(raw, "sdist", "table", at("sdist")) as Raw | undefined;
  if (sdist) pkg.sdist = checkFile(c, sdist, { where: `${where}.sdist`, line: at("sdist").line }, "sdist");
  const wheels = c.array(raw, "wheels", "table", at("wheels")) as Raw[] | undefined;
  if (wheels) {
    pkg.wheels = wheels.map((w, j) => checkFile(c, w, { where: `${where}.wheels[${j}]`, line: c.lines.itemLine(i, "wheels", j) }, "wheel"));
  }
  const attestations = c.array(raw, "attestation-identities", "table", at("attestation-identities")) as Raw[] | undefined;
  if (attestations) {
    pkg.attestationIdentities = attestations.map((a, j) => {
      c.str(a, "kind", { where: `${where}.attestation-identities[${j}]`, line: c.lines.itemLine(i, "attestation-identities", j) }, true);
      return plain(a) as Record<string, unknown>;
    });
  }
  const tool = c.get(raw, "tool", "table", at("tool")) as Raw | undefined;
  if (tool) pkg.tool = plain(tool) as Record<string, unknown>;

  // One kind of source: sdist and/or wheels, or exactly one of vcs, directory, archive.
  const direct = (["vcs", "directory", "archive"] as const).filter((k) => pkg[k]);
  // An empty `wheels = []` is no file (packaging counts len(wheels)).
  const files = [...(pkg.sdist ? ["sdist"] : []), ...(pkg.wheels?.length ? ["wheels"] : [])];
  if (files.length && direct.length) {
    c.fail(at(direct[0]!), `has both ${files.join(" and ")} and ${direct.join(" and ")}: a package comes either from files (sdist, wheels) or from one of vcs, directory, archive`);
  }
  if (direct.length > 1) c.fail(at(direct[1]!), `has ${direct.join(" and ")}: a package has at most one of vcs, directory, archive`);
  if (!direct.length && !files.length) {
    c.fail(entry.line === undefined ? at("name") : { where, line: entry.line }, "has no source: give it wheels, an sdist, or one of vcs, directory, archive");
  }
  return pkg;
}

function checkVcs(c: Checker, raw: Raw, at: At): PylockVcs {
  c.unknownKeys(raw, KEYS.vcs, at.where);
  const vcs: PylockVcs = { type: c.str(raw, "type", at, true), commitId: c.str(raw, "commit-id", at, true) };
  for (const [key, field] of [["url", "url"], ["path", "path"], ["requested-revision", "requestedRevision"], ["subdirectory", "subdirectory"]] as const) {
    const value = c.str(raw, key, at);
    if (value !== undefined) vcs[field] = value;
  }
  if (!vcs.url && !vcs.path) c.fail(at, "needs a url or a path");
  return vcs;
}

function checkDirectory(c: Checker, raw: Raw, at: At): PylockDirectory {
  c.unknownKeys(raw, KEYS.directory, at.where);
  const dir: PylockDirectory = { path: c.str(raw, "path", at, true) };
  const editable = c.get(raw, "editable", "boolean", at) as boolean | undefined;
  if (editable !== undefined) dir.editable = editable;
  const subdirectory = c.str(raw, "subdirectory", at);
  if (subdirectory !== undefined) dir.subdirectory = subdirectory;
  return dir;
}

function checkFile(c: Checker, raw: Raw, at: At, kind: "sdist" | "wheel"): PylockDistFile;
function checkFile(c: Checker, raw: Raw, at: At, kind: "archive"): PylockArchive;
function checkFile(c: Checker, raw: Raw, at: At, kind: "sdist" | "wheel" | "archive"): PylockDistFile | PylockArchive {
  c.unknownKeys(raw, kind === "archive" ? KEYS.archive : KEYS.file, at.where);
  const file: PylockDistFile & PylockArchive = { hashes: hashes(c, raw, at) };
  const name = kind === "archive" ? undefined : c.str(raw, "name", at);
  const url = c.str(raw, "url", at);
  const path = c.str(raw, "path", at);
  if (!url && !path) c.fail(at, "needs a url or a path");
  if (name !== undefined) file.name = name;
  if (url !== undefined) file.url = url;
  if (path !== undefined) file.path = path;
  const size = c.get(raw, "size", "integer", at) as number | undefined;
  if (size !== undefined) {
    if (size < 0) c.fail(at, `size must not be negative (${size})`);
    file.size = size;
  }
  const uploadTime = c.get(raw, "upload-time", "date-time", at) as Date | undefined;
  if (uploadTime !== undefined) file.uploadTime = formatUploadTime(uploadTime);
  if (kind === "archive") {
    const subdirectory = c.str(raw, "subdirectory", at);
    if (subdirectory !== undefined) file.subdirectory = subdirectory;
    return file;
  }
  const fileName = distFileName(file);
  const ok = kind === "wheel"
    ? /^[^-]+-[^-]+(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.test(fileName)
    : /\.(tar\.gz|zip)$/.test(fileName);
  if (!ok) c.fail(at, `${JSON.stringify(fileName)} is not ${kind === "wheel" ? "a wheel's file name" : "an sdist's file name (.tar.gz or .zip)"}`);
  return file;
}

function hashes(c: Checker, raw: Raw, at: At): Record<string, string> {
  const table = c.get(raw, "hashes", "table", at, true) as Raw;
  const keys = Object.keys(table);
  if (keys.length === 0) c.fail(at, "hashes is empty: the specification asks for at least one hash of the file");
  const out: Record<string, string> = {};
  for (const algorithm of keys) {
    const digest = table[algorithm];
    if (typeof digest !== "string") c.fail(at, `hashes.${algorithm} must be a string, not ${describe(digest)}`);
    const length = DIGEST_LENGTH[algorithm.toLowerCase()];
    if (!/^[0-9a-fA-F]+$/.test(digest) || (length !== undefined && digest.length !== length)) {
      c.fail(at, `hashes.${algorithm} is not a ${algorithm} digest in hexadecimal${length ? ` (${length} digits)` : ""}: ${JSON.stringify(digest)}`);
    }
    out[algorithm.toLowerCase()] = digest.toLowerCase();
  }
  return out;
}

/** A marker that parses (in a lock file's context, where `extras` and `dependency_groups` are sets). */
function marker(c: Checker, text: string, at: At, lockFile: boolean): string {
  try {
    parseMarker(text, { lockFile });
  } catch (err) {
    if (err instanceof MarkerSyntaxError) c.fail(at, `invalid marker: ${err.message}`);
    throw err;
  }
  return text;
}

function specifiers(c: Checker, text: string, at: At): string {
  if (!parseSpecifierSet(text)) c.fail(at, `requires-python ${JSON.stringify(text)} is not a version specifier (such as ">=3.9")`);
  return text;
}

/** A copy without the parser's null prototypes, for tool tables and dependencies kept as they are. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
