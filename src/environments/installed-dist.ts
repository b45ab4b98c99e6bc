// One installed distribution as pip's importlib backend sees it
// (pip/_internal/metadata/importlib/_dists.py): its name and version (from
// the .dist-info directory's name or its metadata, as that pip reads them),
// its metadata headers read lazily and only as far as needed, direct_url.json,
// INSTALLER, an egg-info's requires.txt; installed.ts finds them.
import { parseDirectUrlJson, type DirectUrl } from "../standards/direct-url.js";
import { isUtf8 } from "node:buffer";
import { existsSync, readFileSync } from "node:fs";
import { Headers, readMetadataHeaders } from "../standards/metadata.js";
import { canonicalizeName, safeExtra } from "../standards/names.js";
import { formatPep440, parsePep440 } from "../standards/pep440.js";
import type { PipProfile } from "./pip-profile.js";
import { fileUrlToPath, realpathPy } from "../util/py-paths.js";
import { splitlinesPy, stripPy } from "../util/python-text.js";

/** What a distribution asks of the environment that found it (installed.ts's InstalledEnvironment). */
export interface DistHost {
  readonly profile: PipProfile;
  readonly need: MetadataNeed;
  warn(message: string): void;
  /** Whether an .egg-link for this project is on sys.path. */
  hasEggLink(rawName: string): boolean;
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
    private readonly env: DistHost,
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
