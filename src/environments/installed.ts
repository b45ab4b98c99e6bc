// Installed distributions as pip sees them: the directories of sys.path
// scanned in order for *.dist-info and *.egg-info (directories, or PKG-INFO
// files), then the targets of *.egg-link files, the first distribution of
// each name winning (pip's metadata/importlib/_envs.py over
// importlib.metadata's Lookup). Files are read lazily and only as far as
// needed; a broken distribution is skipped with the warning pip gives.
// One file, though long: the scan and the lazily read distributions share
// the listing cache and the order rules, as pip's _envs.py keeps them together.
import { parseDirectUrlJson, type DirectUrl } from "../standards/direct-url.js";
import { isUtf8 } from "node:buffer";
import { existsSync, opendirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { Headers, MetadataDecodeError, MetadataReadError, readMetadataHeaders } from "../standards/metadata.js";
import { canonicalizeName, isValidProjectName, safeName, safeExtra } from "../standards/names.js";
import { formatPep440, parsePep440 } from "../standards/pep440.js";
import type { PipProfile } from "./pip-profile.js";
import { fileUrlToPath, realpathPy } from "../util/py-paths.js";
import { normalizePathlib, splitlinesPy, stripPy } from "../util/python-text.js";

const listings = new Map<string, string[] | undefined>();
const rawListings = new Map<string, string[]>();

/**
 * A directory's entry names, sorted (readdirSync sorts; it is several times
 * cheaper than listing in the file system's order). Undefined when it is not
 * a readable directory.
 */
export function listDir(dir: string): string[] | undefined {
  let out = listings.get(dir);
  if (out === undefined && !listings.has(dir)) {
    try {
      out = readdirSync(dir);
    } catch {
      out = undefined;
    }
    listings.set(dir, out);
  }
  return out;
}

/**
 * The names in the file system's order, as os.listdir gives them: asked for
 * only where pip's answer depends on it (two candidates for one name).
 */
export function listDirRaw(dir: string): string[] {
  let out = rawListings.get(dir);
  if (out) return out;
  out = [];
  try {
    const d = opendirSync(dir, { bufferSize: 1024 });
    try {
      for (let e = d.readSync(); e; e = d.readSync()) out.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    // listed before, gone now: nothing
  }
  rawListings.set(dir, out);
  return out;
}

/** Forgets cached listings (tests change trees between calls). */
export function clearListingCache(): void {
  listings.clear();
  rawListings.clear();
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

const NAME_VERSION = ["name", "version"];

/** How much of the metadata the caller needs. */
export type MetadataNeed = "name-version" | "all";

/** One installed distribution. */
export class InstalledDist {
  /** pip's `location`: the directory holding the metadata directory. */
  readonly location: string;
  /** pip's `info_location`: the .dist-info / .egg-info path. */
  readonly infoPath: string;
  /** The name of the metadata directory or file. */
  readonly infoName: string;
  readonly format: "dist-info" | "egg-info";
  /** For a distribution found through an .egg-link: the directory holding the link. */
  readonly linkDir: string | undefined;
  /** Set once the environment has taken it (named, valid, readable). */
  accepted = false;
  private _headers: Headers | undefined;
  private _complete = false;
  private _installed: string | undefined;
  private _directUrl: DirectUrl | null | undefined;
  private _directUrlError: string | undefined;
  private _eggLink: boolean | undefined;
  private _name: string | null | undefined;
  private _canonical: string | undefined;
  private _rawKey: string | undefined;
  private _version: { text: string; legacy: boolean } | undefined;
  private _dirParts: { name?: string | undefined; version?: string | undefined } | undefined;

  constructor(
    private readonly env: InstalledEnvironment,
    location: string,
    infoName: string,
    linkDir?: string,
  ) {
    this.location = location;
    this.infoName = infoName;
    // `location` is normalized already and a directory entry has no slash.
    this.infoPath = location === "/" ? `/${infoName}` : `${location}/${infoName}`;
    this.format = infoName.toLowerCase().endsWith(".dist-info") ? "dist-info" : "egg-info";
    this.linkDir = linkDir;
  }

  /** Name and version from the directory name, as pip 24.2+ reads them (undefined when it has none). */
  get dirNameParts(): { name?: string | undefined; version?: string | undefined } {
    return (this._dirParts ??= this.parseDirName());
  }

  private parseDirName(): { name?: string | undefined; version?: string | undefined } {
    const dot = this.infoName.lastIndexOf(".");
    const stem = dot > 0 ? this.infoName.slice(0, dot) : this.infoName;
    const suffix = dot > 0 ? this.infoName.slice(dot) : "";
    if (suffix === ".dist-info") {
      const dash = stem.indexOf("-");
      if (dash >= 0) return { name: stem.slice(0, dash), version: stem.slice(dash + 1) };
    }
    if (suffix === ".egg-info") return { name: stem.split("-", 1)[0] };
    return {};
  }

  /** The metadata headers (METADATA, else PKG-INFO, else the egg-info file itself). */
  headers(need: MetadataNeed = this.env.need): Headers {
    if (this._headers && (this._complete || need === "name-version")) return this._headers;
    const wanted = need === "all" ? undefined : NAME_VERSION;
    // METADATA, else PKG-INFO, else the path itself (an egg-info file); an
    // empty file counts as none, as importlib.metadata's `or` chain has it.
    // (String concatenation, not path.join: infoPath is normalized, and join's
    // character loop costs milliseconds over a few hundred cold calls.)
    let found = readMetadataHeaders(this.infoPath + "/METADATA", wanted);
    if (!found) found = readMetadataHeaders(this.infoPath + "/PKG-INFO", wanted);
    if (!found) found = readMetadataHeaders(this.infoPath, wanted);
    // pip reads metadata through importlib.metadata, which re-indents folded values.
    this._headers = (found ?? new Headers()).redent();
    this._complete = need === "all";
    if (need === "all") this.addEggInfoRequires(this._headers);
    return this._headers;
  }

  /** `Name:` from the metadata (undefined when missing). */
  get metadataName(): string | undefined {
    if (this._name === undefined) this._name = this.headers().get("Name") ?? null;
    return this._name ?? undefined;
  }

  /** pip's canonical_name for this pip. */
  get canonicalName(): string {
    if (this._canonical === undefined) {
      const fromDir = this.env.profile.infoDirNameFirst ? this.dirNameParts.name : this.legacyDirName();
      this._canonical = canonicalizeName(fromDir || (this.metadataName ?? ""));
    }
    return this._canonical;
  }

  // pip < 24.2: stem.split("-", 1)[0] for either suffix (case-sensitive suffix).
  private legacyDirName(): string | undefined {
    const dot = this.infoName.lastIndexOf(".");
    const suffix = dot > 0 ? this.infoName.slice(dot) : "";
    if (suffix !== ".dist-info" && suffix !== ".egg-info") return undefined;
    return this.infoName.slice(0, dot).split("-", 1)[0];
  }

  /** pip's raw_name: the metadata's spelling, else the canonical name. */
  get rawName(): string {
    return this.metadataName ?? this.canonicalName;
  }

  /** canonicalize_name(raw_name): the key freeze files it under. */
  get rawKey(): string {
    return (this._rawKey ??= canonicalizeName(this.rawName));
  }

  /** pip's raw_version (`Version:` as written; Python prints a missing one as None). */
  get rawVersion(): string {
    return this.headers().get("Version") ?? "None";
  }

  /**
   * str(dist.version): normalized when PEP 440 (pip 24.2+ reads it from the
   * .dist-info name when there is one); `legacy` when it is not.
   */
  get version(): { text: string; legacy: boolean } {
    return (this._version ??= this.computeVersion());
  }

  private computeVersion(): { text: string; legacy: boolean } {
    const fromDir = this.env.profile.infoDirNameFirst && this.format === "dist-info" ? this.dirNameParts.version : undefined;
    const text = fromDir || this.rawVersion;
    // Most versions are already normal (1.2.3): no need for the full parser.
    if (/^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*$/.test(text)) return { text, legacy: false };
    const v = parsePep440(text);
    // Not PEP 440: pip prints the metadata's spelling (LegacyVersion, or `===raw` in freeze).
    return v ? { text: formatPep440(v), legacy: false } : { text: this.rawVersion, legacy: true };
  }

  /** pip's installed_location: where the distribution is installed, symlinks resolved. */
  get installedLocation(): string {
    return (this._installed ??= realpathPy(this.linkDir ?? this.location));
  }

  /** A file in the metadata directory, as text; undefined when there is none. */
  readText(name: string): string | undefined {
    const p = this.infoPath + "/" + name;
    if (!existsSync(p)) return undefined;
    try {
      return readFileSync(p, "utf8").replace(/\r\n?/g, "\n");
    } catch {
      return undefined;
    }
  }

  /**
   * A file in the metadata directory that must be UTF-8 text (RECORD):
   * undefined when there is none, and, when it cannot be read, is not UTF-8
   * or holds a NUL (where pip stops with a traceback), one warning naming it,
   * and undefined.
   */
  readCheckedText(name: string): string | undefined {
    const p = this.infoPath + "/" + name;
    let data: Buffer;
    try {
      data = readFileSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "EIO";
      if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "EISDIR") this.env.warn(`warning: ${p} cannot be read (${code}); its files are not listed`);
      return undefined;
    }
    const problem = !isUtf8(data) ? "is not UTF-8" : data.includes(0) ? "holds a NUL byte" : undefined;
    if (problem) {
      this.env.warn(`warning: ${p} ${problem}; its files are not listed`);
      return undefined;
    }
    return data.toString("utf8").replace(/\r\n?/g, "\n");
  }

  /**
   * PEP 610 data, or undefined. An invalid file is warned about at every
   * access, as pip re-reads it each time it asks (freeze and list ask more
   * than once, and their warnings show it).
   */
  get directUrl(): DirectUrl | undefined {
    if (this._directUrl === undefined) {
      const text = this.readText("direct_url.json");
      if (text === undefined) this._directUrl = null;
      else {
        try {
          this._directUrl = parseDirectUrlJson(text);
        } catch (err) {
          this._directUrlError = (err as Error).message;
          this._directUrl = null;
        }
      }
    }
    if (this._directUrlError !== undefined) {
      this.env.warn(`WARNING: Error parsing direct_url.json for ${this.canonicalName}: ${this._directUrlError}`);
    }
    return this._directUrl ?? undefined;
  }

  /** pip's editable_project_location: the project directory of an editable install (re-evaluated, as pip does). */
  get editableLocation(): string | undefined {
    const du = this.directUrl;
    if (du) return du.info.kind === "dir" && du.info.editable ? fileUrlToPath(du.url) : undefined;
    // Legacy `setup.py develop`: an .egg-link named after the project on sys.path.
    this._eggLink ??= this.env.hasEggLink(this.rawName);
    return this._eggLink ? this.location : undefined;
  }

  get editable(): boolean {
    return Boolean(this.editableLocation);
  }

  /** The INSTALLER file's first non-empty line, or "". */
  get installer(): string {
    const text = this.readText("INSTALLER");
    if (text === undefined) return "";
    for (const line of splitlinesPy(text)) {
      const s = stripPy(line);
      if (s) return s;
    }
    return "";
  }

  /** egg-info requires.txt as Requires-Dist / Provides-Extra (pip's _add_egg_info_requires). */
  private addEggInfoRequires(h: Headers): void {
    const needReqs = h.getAll("Requires-Dist").length === 0;
    const needExtras = h.getAll("Provides-Extra").length === 0;
    if (!needReqs && !needExtras) return;
    const text = this.readText("requires.txt");
    if (text === undefined) return;
    const entries: Array<{ req: string; extra: string; marker: string }> = [];
    let extra = "";
    let marker = "";
    for (const raw of splitlinesPy(text)) {
      const line = stripPy(raw);
      if (!line || line.startsWith("#")) continue;
      if (line.startsWith("[") && line.endsWith("]")) {
        const inner = line.replace(/^\[+|\]+$/g, "");
        const colon = inner.indexOf(":");
        extra = colon >= 0 ? inner.slice(0, colon) : inner;
        marker = colon >= 0 ? inner.slice(colon + 1) : "";
        continue;
      }
      entries.push({ req: line, extra, marker });
    }
    if (needReqs) {
      for (const e of entries) {
        const x = this.env.profile.modernPackaging ? canonicalizeName(e.extra) : safeExtra(e.extra);
        let m = "";
        if (x && e.marker) m = `(${e.marker}) and extra == "${x}"`;
        else if (x) m = `extra == "${x}"`;
        else if (e.marker) m = e.marker;
        h.add("Requires-Dist", m ? `${e.req} ; ${m}` : e.req);
      }
    }
    if (needExtras) {
      const known = new Set([""]);
      for (const e of entries) {
        const x = canonicalizeName(e.extra);
        if (known.has(x)) continue;
        known.add(x);
        h.add("Provides-Extra", x);
      }
    }
  }
}

export interface ScanOptions {
  /** The directories to scan, in order (sys.path, or --path). */
  paths: readonly string[];
  /** The interpreter's sys.path, where pip looks for .egg-link files. */
  sysPath: readonly string[];
  profile: PipProfile;
  need: MetadataNeed;
}

/** A distribution skipped because its metadata cannot be read: which, and why (for `show`). */
export interface BrokenDist {
  /** The canonical name its directory gives. */
  key: string;
  infoPath: string;
  /** The file that could not be read. */
  file: string;
  /** "it is not UTF-8 (byte 0xff in position 1)", "EACCES"… */
  reason: string;
}

/** The distributions of an environment, in the order pip finds them. */
export class InstalledEnvironment {
  readonly dists: InstalledDist[] = [];
  readonly warnings: string[] = [];
  /** Distributions skipped because their metadata cannot be read (each warned about once). */
  readonly broken: BrokenDist[] = [];
  /**
   * Set when the environment holds what venvctl does not read the way pip
   * does (eggs, which pip loads through pkg_resources): the command should be
   * handed to pip.
   */
  unsupported: string | undefined;
  readonly profile: PipProfile;
  readonly need: MetadataNeed;
  private readonly sysPath: readonly string[];
  private eggLinks: Set<string> | undefined;

  constructor(opts: ScanOptions) {
    this.profile = opts.profile;
    this.need = opts.need;
    this.sysPath = opts.sysPath;
    this.scan(opts.paths);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Whether an .egg-link for this project is on sys.path (pip's egg_link_path_from_sys_path). */
  hasEggLink(rawName: string): boolean {
    if (!this.eggLinks) {
      this.eggLinks = new Set();
      for (const dir of this.sysPath) {
        for (const name of listDir(dir) ?? []) {
          if (name.endsWith(".egg-link") && isFile(dir + "/" + name)) this.eggLinks.add(name);
        }
      }
    }
    if (this.eggLinks.size === 0) return false;
    const names = [`${safeName(rawName)}.egg-link`];
    if (this.profile.eggLinkRawName) names.push(`${rawName}.egg-link`);
    return names.some((n) => this.eggLinks!.has(n));
  }

  private scan(paths: readonly string[]): void {
    const found = new Set<string>();
    for (const location of paths) {
      // A wheel on sys.path is not an installed distribution.
      if (location.endsWith(".whl")) continue;
      const loc = normalizePathlib(location);
      const names = listDir(location);
      if (!names) {
        if (location.endsWith(".egg") || location.endsWith(".zip")) this.unsupportedIfExists(location);
        continue;
      }
      if (names.some((n) => n.endsWith(".egg"))) this.unsupported = `${location} holds eggs (.egg)`;
      if (/\.egg\/*$/i.test(location)) this.unsupported = `${location} is an egg`;
      this.scanLocation(loc, names, found);
      // Distributions behind .egg-link files come last (pkg_resources tie-breaks so).
      let links = names.filter(isEggLinkName);
      if (links.length > 1) links = listDirRaw(location).filter(isEggLinkName);
      for (const link of links) {
        const target = readEggLink(loc + "/" + link);
        if (!target) continue;
        const targetLoc = normalizePathlib(target.startsWith("/") ? target : `${loc}/${target}`);
        const targetNames = listDir(targetLoc);
        if (targetNames) this.scanLocation(targetLoc, targetNames, found, loc);
      }
    }
  }

  private unsupportedIfExists(location: string): void {
    // A zip archive or zipped egg on sys.path: pip looks inside; venvctl does not.
    if (statSync(location, { throwIfNoEntry: false })?.isFile()) this.unsupported = `${location} is an archive on sys.path`;
  }

  /**
   * The distributions of one directory. They are taken in sorted order, which
   * gives pip's answer unless two of them compete for a name or several are
   * warned about: then again in the file system's order, which pip follows.
   */
  private scanLocation(loc: string, names: readonly string[], found: Set<string>, linkDir?: string): void {
    const attempt = (order: readonly string[], exact: boolean): boolean => {
      const candidates = infoCandidates(order, loc);
      if (!candidates) return true;
      if (!exact && candidates.grouped) return false;
      const dists: InstalledDist[] = [];
      const warnings: string[] = [];
      const keys: string[] = [];
      const undo = () => {
        for (const k of keys) found.delete(k);
        return false;
      };
      for (const name of candidates.names) {
        const dist = new InstalledDist(this, loc, name, linkDir);
        const key = this.consider(dist, found, keys, warnings);
        if (key === "collision" && !exact) return undo();
        if (dist.accepted) dists.push(dist);
      }
      if (!exact && warnings.length > 1) return undo();
      for (const d of dists) this.dists.push(d);
      for (const w of warnings) this.warnings.push(w);
      return true;
    };
    // Undone, the sorted pass leaves no trace; the file system's order decides.
    if (!attempt(names, false)) attempt(listDirRaw(loc), true);
  }

  /**
   * pip's _find_impl and iter_all_distributions for one candidate: its name
   * (the directory name, or Name: from the metadata), skipped when that name
   * was found before; warned about when the name is missing or invalid.
   * Answers the name key recorded, "collision" when taken within this
   * directory, or undefined when skipped.
   */
  private consider(dist: InstalledDist, found: Set<string>, keys: string[], warnings: string[]): string | undefined {
    let key: string;
    try {
      const fromDir = this.profile.infoDirNameFirst ? dist.dirNameParts.name : undefined;
      if (fromDir) {
        key = canonicalizeName(fromDir);
      } else {
        if (dist.metadataName === undefined) {
          warnings.push(`WARNING: Skipping ${dist.infoPath} due to invalid metadata entry 'name'`);
          return undefined;
        }
        key = dist.rawKey;
      }
    } catch (err) {
      if (err instanceof MetadataDecodeError || err instanceof MetadataReadError) return this.unreadable(dist, err, warnings);
      throw err;
    }
    if (found.has(key)) return keys.includes(key) ? "collision" : undefined;
    found.add(key);
    keys.push(key);
    try {
      const canonical = dist.canonicalName;
      if (!isValidProjectName(canonical)) {
        warnings.push(`WARNING: Ignoring invalid distribution ${canonical} (${dist.location})`);
        return key;
      }
      dist.headers(); // read now, so that a broken file is reported here, in order
    } catch (err) {
      if (err instanceof MetadataDecodeError || err instanceof MetadataReadError) {
        this.unreadable(dist, err, warnings);
        return key;
      }
      throw err;
    }
    dist.accepted = true;
    return key;
  }

  /**
   * Metadata that cannot be read: not UTF-8 (pip's importlib.metadata reads
   * the whole file as UTF-8 for every command, and pip stops with a
   * UnicodeDecodeError traceback in list, freeze and show alike), or
   * unreadable (EACCES, EIO: read_text answers None, and pip skips the
   * distribution as one with no name, without saying why). venvctl skips the
   * distribution, as pip's newer releases skip invalid ones, with one
   * warning that names the file and what is wrong; `show` of it is an error
   * (BrokenDist).
   */
  private unreadable(dist: InstalledDist, err: MetadataDecodeError | MetadataReadError, warnings: string[]): undefined {
    const reason = err instanceof MetadataReadError ? `it cannot be read (${err.code})` : err.message;
    const file = err.path;
    warnings.push(`warning: skipping ${dist.infoPath}: ${file.startsWith(`${dist.infoPath}/`) ? file.slice(dist.infoPath.length + 1) : file} ${reason.replace(/^it /, "")}`);
    if (!this.broken.some((b) => b.infoPath === dist.infoPath)) this.broken.push({ key: canonicalizeName(dist.dirNameParts.name ?? dist.infoName.replace(/\.(dist|egg)-info$/i, "")), infoPath: dist.infoPath, file, reason });
    return undefined;
  }
}

function isEggLinkName(name: string): boolean {
  // pathlib's Path.suffix == ".egg-link": the part from the last dot, not a leading one.
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.slice(dot) === ".egg-link";
}

/** The first non-empty line of an .egg-link file. */
function readEggLink(path: string): string | undefined {
  try {
    for (const line of readFileSync(path, "utf8").split(/\r\n|\r|\n/)) {
      const s = stripPy(line);
      if (s) return s;
    }
  } catch {
    // unreadable: skipped, as a failed open would make pip fail differently
  }
  return undefined;
}

/**
 * The metadata entries of a directory in importlib.metadata's order: grouped
 * by the normalized name prefix, groups in order of first appearance, and an
 * egg's EGG-INFO after them (importlib/metadata Lookup). `grouped` says
 * whether a group holds more than one entry (then the listing order decides).
 */
function infoCandidates(entries: readonly string[], location: string): { names: string[]; grouped: boolean } | undefined {
  let groups: Map<string, string[]> | undefined;
  let grouped = false;
  let egg = false;
  const baseIsEgg = /\.egg\/*$/i.test(location);
  for (const name of entries) {
    // Cheap test first: both suffixes end in "-info".
    const last = name.charCodeAt(name.length - 1);
    if (last !== 0x6f && last !== 0x4f) continue; // "o" / "O"
    const low = name.toLowerCase();
    if (low.endsWith(".dist-info") || low.endsWith(".egg-info")) {
      const prefix = low.slice(0, low.lastIndexOf("."));
      const dash = prefix.indexOf("-");
      const key = (dash >= 0 ? prefix.slice(0, dash) : prefix).replace(/[-_.]+/g, "_");
      groups ??= new Map();
      const g = groups.get(key);
      if (g) {
        g.push(name);
        grouped = true;
      } else groups.set(key, [name]);
    } else if (baseIsEgg && low === "egg-info") {
      egg = true;
    }
  }
  if (!groups && !egg) return undefined;
  const names: string[] = [];
  if (groups) for (const g of groups.values()) names.push(...g);
  if (egg) names.push("EGG-INFO");
  return { names, grouped };
}
