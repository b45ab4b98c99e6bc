// What installing a wheel (install.ts: preparing; place.ts: placing) takes
// and gives: the options, the target a wheel must fit, the journal that hears
// of every change, and a wheel between the two steps.
import type { CacheEntry, WheelCache } from "./cache.js";
import type { InstallScheme, WheelInfo } from "./contents.js";
import type { LinkedEntry } from "./env-links.js";
import type { WindowsMachine } from "./launchers.js";
import type { EffectiveLinkMode, LinkMode } from "./materialize.js";
import type { TagPriorities } from "../standards/wheel-tags.js";
import type { VerifiedWheel } from "./verify.js";

export interface InstallOptions {
  /** Where files go, as final paths (the env's own paths, not the build directory's). */
  scheme: InstallScheme;
  /** The env's python as launchers name it in their shebang (a final path). */
  python: string;
  /** The target interpreter's version: pip3 / pip3.X are named after it. */
  pythonVersion: { major: number; minor: number };
  /** Maps a final path to where it is written now (create builds in a temporary sibling). */
  stagePath?: (finalPath: string) => string;
  /** The unpack cache's root (`$VENVCTL_CACHE_DIR/wheels`); undefined installs straight from the wheel. */
  cacheDir?: string | undefined;
  linkMode: LinkMode;
  /** Written to INSTALLER (default `venvctl`). */
  installer?: string;
  /** Write REQUESTED (PEP 376), as pip does for what the user asked for (ensurepip's seeds included). */
  requested?: boolean;
  /** For the shebang length limit (512 on macOS, else 127), and line ends (Windows). */
  platform?: NodeJS.Platform;
  /** Installing into a Windows env: launchers are `<name>.exe` (launchers.ts). */
  windows?: WindowsInstall | undefined;
  /** Debug story lines (VENVCTL_DEBUG). */
  debug?: (message: string) => void;
  /** The interpreter the wheel must fit: checked before anything is written. */
  target?: WheelTarget;
  /** direct_url.json (PEP 610) as JSON text, for a wheel from a URL, a path or a VCS. */
  directUrl?: string;
  /** Hears of every change to the env, so that it can be undone (transaction.ts). */
  journal?: InstallJournal;
  /** The env installed into: recorded beside the cache entry when its files are hardlinked (for `cache verify`). */
  envDir?: string;
}

/** What writing Windows launchers needs. */
export interface WindowsInstall {
  machine: WindowsMachine;
  /**
   * Directories holding distlib's stubs (t64.exe …) besides the env's own pip
   * (<purelib>/pip/_vendor/distlib, looked at first, as it is being
   * installed too when pip is seeded): the base interpreter's pip.
   */
  stubDirs: string[];
  /** SOURCE_DATE_EPOCH, which distlib takes for the time in the launcher's ZIP. */
  sourceDateEpoch?: string | undefined;
}

/** What a wheel must fit. */
export interface WheelTarget {
  /** The target interpreter's supported tags (standards/wheel-tags.ts). */
  tags: TagPriorities;
  /** Its full version, `3.12.1`, for Requires-Python. */
  pythonVersion: string;
  /** How the target is named in errors (`/path/to/env (CPython 3.12.1)`). */
  label: string;
}

/** Told of each change an install makes, in order. */
export interface InstallJournal {
  /** A directory the install made. */
  madeDir(path: string): void;
  /** A file the install created (from here on it is the install's). */
  wrote(path: string): void;
  /** An existing file is where the install writes: the journal moves it aside (rather than the install deleting it). */
  displace(path: string): void;
}

/** A wheel whose sha256 is known and trusted (the store checked it): a cache hit then needs no read at all. */
export interface KnownWheel {
  path: string;
  sha256: string;
}

export interface InstallResult {
  /** Name and Version from METADATA. */
  name: string;
  version: string;
  distInfo: string;
  /** The site directory the .dist-info is in (purelib or platlib): RECORD paths are relative to it. */
  libDir: string;
  /** How the files got there: from a sound cache entry, a new or rebuilt one, or straight from the wheel. */
  cache: "hit" | "filled" | "rebuilt" | "bypassed" | "off";
  /** How cached files were placed (undefined when written from the wheel). */
  linkMode: EffectiveLinkMode | undefined;
  /** Final paths of everything installed, RECORD included. */
  files: string[];
  /** One line each, for the user (e.g. an unwritable cache). */
  warnings: string[];
  /** The cache entry whose files were hardlinked into the env: recorded for `cache verify` (env-links.ts) once the install is done. */
  linked?: LinkedEntry | undefined;
}

export type Source = { kind: "cache"; entry: CacheEntry } | { kind: "wheel"; data: Map<string, Buffer> };

/** A wheel ready to be placed: checked, its files in the cache (or verified in memory). */
export interface PreparedWheel {
  wheel: string;
  sha256: string;
  info: WheelInfo;
  /** @internal */
  source: Source;
  /** @internal */
  cache: WheelCache | undefined;
  state: InstallResult["cache"];
  warnings: string[];
  /** @internal Reads and verifies the whole wheel (once). */
  verify(): Promise<VerifiedWheel>;
}
