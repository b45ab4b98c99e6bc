// Installed distributions as pip sees them: the directories of sys.path
// scanned in order for *.dist-info and *.egg-info (directories, or PKG-INFO
// files), then the targets of *.egg-link files, the first distribution of
// each name winning (pip's metadata/importlib/_envs.py over
// importlib.metadata's Lookup); a distribution whose metadata cannot be read
// is skipped with a warning. One distribution is installed-dist.ts; the
// cached listings are listing.ts.
import { readFileSync, statSync } from "node:fs";
import { MetadataDecodeError, MetadataReadError } from "../standards/metadata.js";
import { canonicalizeName, isValidProjectName, safeName } from "../standards/names.js";
import { InstalledDist, type DistHost, type MetadataNeed } from "./installed-dist.js";
import { listDir, listDirRaw } from "./listing.js";
import type { PipProfile } from "./pip-profile.js";
import { normalizePathlib, stripPy } from "../util/python-text.js";

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
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
export class InstalledEnvironment implements DistHost {
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
