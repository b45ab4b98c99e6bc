// The unpack cache: each wheel unpacked once, under `<root>/<sha256 of the
// wheel file>/` (`files/` as in the archive, `manifest.json` describing them,
// its mtime stamped at every use for `cache prune`),
// filled in a temporary sibling and renamed into place — a process that
// loses the race to another uses the winner's entry.
// The trust rules themselves are trust.ts; the envs linked to entries, env-links.ts.
//
// Whoever can write the cache could change it, so an entry is used only
// after checking, every time, at the cost of a few stat calls per file:
// - the wheel's sha256 finds the entry: hashed from the wheel, or the store's,
//   or remembered for an unchanged file (wheel-ids.ts), and the manifest must
//   be for that sha256 and for the name and version in the wheel's file name
//   (a remembered sha256 could be forged: anything but a sound hit makes the
//   install read and hash the wheel);
// - no symbolic link is followed: the root, the entry and every directory in
//   it are lstat'ed and must be real directories, every file a regular file
//   (lstat), the manifest is opened with O_NOFOLLOW;
// - every directory, file and the manifest must belong to the user running
//   venvctl, and no file or manifest may be writable by group or others
//   (venvctl never writes them so, whatever the umask): another user can
//   then neither edit them in place nor swap them without the swap showing;
// - every file must have the size, mtime, inode and ctime the manifest
//   recorded. A file whose stats moved is hashed against its RECORD hash and
//   only a mismatch means damage. ctime cannot be set back (utimes sets
//   mtime, and bumps ctime), so an edit in place is noticed even with its
//   size and mtime restored. A hardlink made or removed (an env created or
//   deleted) bumps ctime too, with the link count: ctime and link count
//   moving together is not hashed, and after linking the install records
//   the stats it saw (refresh, into `stats.json` beside the manifest: a
//   hint, written in place, that a torn write only turns into hashing), so
//   an edit after that shows.
// - a hardlink must land on the inode that was checked (install.ts).
// A damaged entry is rebuilt, never linked. Hashing every file at every use
// would be sound without the ownership rules, but costs more than the whole
// seeding (25 ms of 60 for pip, measured), so it is done only when stats move.
// Cached files are read-only (0444, 0555): hardlinked into envs, an edit
// through one would change every env, and editors warn before writing them.
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { isSha256Hex } from "../util/digest.js";
import { ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { fileStats, readOwnedFile, readOwnedStats, stampUsed, UMASK, UntrustedError, untrustedDir, untrustedFile, writeOwned, type FileStats } from "./trust.js";
import { canonicalizeName, type WheelBytes, type WheelInfo } from "./contents.js";
import { parseWheelFileName, sameWheelVersion } from "../standards/wheel-tags.js";
import { hashMatches } from "../standards/record.js";
import type { VerifiedWheel } from "./verify.js";

/** The entry's last recorded stats (refresh), beside its manifest. */
const STATS_FILE = "stats.json";

/** Bumped when the entry layout or manifest changes: older entries are then rebuilt. */
const FORMAT = 3;

interface Manifest extends WheelInfo {
  format: number;
  sha256: string;
  /** Per file, in `files` order. */
  stats: FileStats[];
}

/** A usable cache entry. */
export interface CacheEntry {
  info: WheelInfo;
  /** Where the files are, at their archive paths. */
  filesDir: string;
  /** The stats each file had when it was checked, in `info.files` order. */
  stats: FileStats[];
}

export type Lookup =
  | { status: "hit"; entry: CacheEntry }
  | { status: "missing" }
  | { status: "damaged"; reason: string };

/** The cache cannot be used: it cannot be written (read-only, not a directory, full), or its root is a symbolic link. */
export class CacheUnusableError extends Error {
  constructor(readonly dir: string, message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** What isSafeArchivePath refuses, as one quick test. */
const UNSAFE_PATH = /^\/|\/\/|(^|\/)\.\.?(\/|$)|\0|^$/;

/** Errors that mean "this cache cannot be written", as opposed to bugs. */
const UNWRITABLE = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST", "ENOSPC", "EDQUOT", "ENOENT", "ELOOP", "ENAMETOOLONG"]);

/** The unpack cache rooted at `root` (`$VENVCTL_CACHE_DIR/wheels`). */
export class WheelCache {
  constructor(readonly root: string, private readonly debug: (message: string) => void = () => {}) {}

  private entryDir(sha256: string): string {
    return join(this.root, sha256);
  }

  /**
   * The root must be a real directory: through a symbolic link every entry
   * would be outside the cache. Throws CacheUnusableError; false when there is no root yet.
   */
  private checkRoot(): boolean {
    const st = lstatOrUndefined(this.root);
    if (st && !st.isDirectory()) {
      throw new CacheUnusableError(this.root, st.isSymbolicLink()
        ? `the wheel cache at ${this.root} is a symbolic link, which venvctl does not follow`
        : `cannot write the wheel cache at ${this.root} (ENOTDIR)`);
    }
    return st !== undefined;
  }

  /**
   * Finds the entry for a wheel and checks it (see the module comment).
   * Throws CacheUnusableError when the root itself cannot be trusted.
   */
  lookup(wheel: WheelBytes): Lookup {
    if (!this.checkRoot()) return { status: "missing" };
    const dir = this.entryDir(wheel.sha256);
    const dirSt = lstatOrUndefined(dir);
    if (!dirSt) return { status: "missing" };
    const damaged = (reason: string): Lookup => ({ status: "damaged", reason });
    const filesDir = join(dir, "files");
    for (const [path, label] of [[dir, "the entry directory"], [filesDir, "files/"]] as const) {
      const why = untrustedDir(path === dir ? dirSt : lstatOrUndefined(path));
      if (why) return damaged(`${label} ${why}`);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readOwnedFile(join(dir, "manifest.json"))) as Manifest;
    } catch (err) {
      return damaged(err instanceof UntrustedError ? err.message : "its manifest is missing or unreadable");
    }
    if (manifest.format !== FORMAT || manifest.sha256 !== wheel.sha256 || !Array.isArray(manifest.files) ||
      !Array.isArray(manifest.stats) || manifest.stats.length !== manifest.files.length) {
      return damaged("its manifest is of another format or for another wheel");
    }
    // The manifest must be for this wheel: another wheel's entry put here
    // (its manifest edited) would install another project.
    const named = parseWheelFileName(wheel.wheel);
    if (named && (canonicalizeName(manifest.name) !== canonicalizeName(named.name) || !sameWheelVersion(manifest.version, named.version))) {
      return damaged(`its manifest is for ${manifest.name} ${manifest.version}, not ${named.name} ${named.version}`);
    }
    // The stats last recorded (refresh), else those the entry was filled with.
    const recorded = readOwnedStats(join(dir, STATS_FILE), manifest.files.length);
    if (recorded) manifest.stats = recorded;
    const checkedDirs = new Set<string>();
    let refreshed = false;
    for (let i = 0; i < manifest.files.length; i++) {
      const file = manifest.files[i]!;
      // Paths were checked when the wheel was verified; a manifest changed
      // since must not lead a link outside the env.
      if (UNSAFE_PATH.test(file.path)) return damaged("its manifest names an unsafe path");
      for (let at = file.path.indexOf("/"); at >= 0; at = file.path.indexOf("/", at + 1)) {
        const sub = file.path.slice(0, at);
        if (checkedDirs.has(sub)) continue;
        const why = untrustedDir(lstatOrUndefined(`${filesDir}/${sub}`));
        if (why) return damaged(`${sub}/ ${why}`);
        checkedDirs.add(sub);
      }
      const path = `${filesDir}/${file.path}`;
      const st = lstatOrUndefined(path);
      if (!st) return damaged(`${file.path} is missing`);
      const why = untrustedFile(st);
      if (why) return damaged(`${file.path} ${why}`);
      if (st.size !== file.size) return damaged(`${file.path} was changed`);
      const [mtimeMs, ino, ctimeMs, nlink] = manifest.stats[i]!;
      // A new or removed hardlink (an env made or deleted) moves ctime and the
      // link count together; an edit moves ctime alone.
      if (st.mtimeMs !== mtimeMs || st.ino !== ino || (st.ctimeMs !== ctimeMs && st.nlink === nlink)) {
        if (!hashMatches(readFileSync(path), file.hash)) return damaged(`${file.path} was changed`);
        manifest.stats[i] = fileStats(st);
        refreshed = true;
      }
    }
    const entry: CacheEntry = { info: manifest, filesDir, stats: manifest.stats };
    // Intact, but touched or linked: remember the new stats so the next use is cheap again.
    if (refreshed) this.refresh(wheel.sha256, manifest.stats);
    return { status: "hit", entry };
  }

  /**
   * Records the stats the entry's files have now (after hardlinking bumped
   * their ctimes); best effort — a read-only cache is still usable, and stats
   * recorded wrongly by a race only cost a hash at the next use.
   */
  refresh(sha256: string, stats: FileStats[]): void {
    // Written in place, not beside and renamed: a new file and a rename per
    // wheel cost an install more than linking its files. Stats are only a
    // hint: one torn by a crash or a concurrent refresh does not parse (or
    // does not match), and the files are then hashed, as on a first use.
    const file = join(this.entryDir(sha256), STATS_FILE);
    let fd: number | undefined;
    try {
      if (!lstatOrUndefined(this.root)?.isDirectory()) return;
      fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644 & ~UMASK & ~0o022);
      if (untrustedFile(fstatSync(fd))) return;
      const data = Buffer.from(JSON.stringify(stats));
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    } catch {
      // A read-only cache is still usable; the next use hashes what moved.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Every entry's sha256 (the names that are one). */
  entries(): string[] {
    return listNames(this.root).filter(isSha256Hex);
  }

  /** An entry's manifest, read as lookup reads it (no link followed, the user's own), without checking its files. */
  inspect(sha256: string): { info: WheelInfo; filesDir: string; dir: string } | undefined {
    const dir = this.entryDir(sha256);
    try {
      const manifest = JSON.parse(readOwnedFile(join(dir, "manifest.json"))) as Manifest;
      if (manifest.format !== FORMAT || !Array.isArray(manifest.files)) return undefined;
      return { info: manifest, filesDir: join(dir, "files"), dir };
    } catch {
      return undefined;
    }
  }

  /** Whether an entry was written by another venvctl (another manifest format): rebuilt at its next use, not damaged. */
  isStale(sha256: string): boolean {
    try {
      const manifest = JSON.parse(readOwnedFile(join(this.entryDir(sha256), "manifest.json"))) as { format?: unknown };
      return manifest.format !== FORMAT;
    } catch {
      return false;
    }
  }

  /** Marks an entry used now (`cache prune` keeps what was used recently); best effort. */
  stamp(sha256: string): void {
    // No link is followed (a forged entry must not make venvctl touch files elsewhere).
    if (!lstatOrUndefined(this.root)?.isDirectory() || !lstatOrUndefined(this.entryDir(sha256))?.isDirectory()) return;
    stampUsed(join(this.entryDir(sha256), "manifest.json"));
  }

  /**
   * Unpacks a verified wheel into a new entry, atomically; replaces a damaged
   * one. Answers the entry in place afterwards — ours, or another process's
   * that got there first and passes the same checks. Throws CacheUnusableError
   * when the cache cannot be written or its root is a symbolic link.
   */
  fill(wheel: VerifiedWheel, bytes: WheelBytes, replaceDamaged: boolean): CacheEntry | undefined {
    const final = this.entryDir(wheel.sha256);
    let tmp: string | undefined;
    try {
      ensureDir(this.root);
      this.checkRoot();
      tmp = siblingTempPath(final, "fill");
      const filesDir = join(tmp, "files");
      ensureDir(filesDir);
      const made = new Set<string>();
      const stats: FileStats[] = [];
      for (const file of wheel.files) {
        const path = join(filesDir, file.path);
        const parent = dirname(path);
        if (!made.has(parent)) {
          ensureDir(parent);
          made.add(parent);
        }
        // Read-only: envs share these files by hardlinks, and an editor
        // warns before writing through one.
        stats.push(writeOwned(path, wheel.data.get(file.path)!, file.executable ? 0o555 : 0o444));
      }
      const manifest: Manifest = {
        format: FORMAT,
        sha256: wheel.sha256,
        name: wheel.name,
        version: wheel.version,
        distInfo: wheel.distInfo,
        rootIsPurelib: wheel.rootIsPurelib,
        record: wheel.record,
        entryPoints: wheel.entryPoints,
        files: wheel.files,
        facts: wheel.facts,
        stats,
      };
      // Its mtime is the entry's last use (`cache prune`): now; lookups stamp it again.
      writeOwned(join(tmp, "manifest.json"), Buffer.from(JSON.stringify(manifest)), 0o666);
      if (replaceDamaged) {
        // Aside first (rename(2) will not replace a non-empty directory), then
        // in. A symbolic link put there is moved and removed itself, never followed.
        const aside = siblingTempPath(final, "damaged");
        try {
          renameSync(final, aside);
          removeOwnedTree(aside);
        } catch (err) {
          if (!isNodeError(err, "ENOENT")) throw err; // another process moved it already
        }
      }
      try {
        renameSync(tmp, final);
        tmp = undefined;
        this.debug(`unpacked ${wheel.name} ${wheel.version} into the cache (${final})`);
        return { info: manifest, filesDir: join(final, "files"), stats };
      } catch (err) {
        if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
      }
      // Another process filled it first: that is success, if its entry is sound.
      this.debug(`another process unpacked ${wheel.name} ${wheel.version} into the cache first; using its entry`);
      const theirs = this.lookup(bytes);
      return theirs.status === "hit" ? theirs.entry : undefined;
    } catch (err) {
      if (isNodeError(err) && UNWRITABLE.has(err.code!)) {
        throw new CacheUnusableError(this.root, `cannot write the wheel cache at ${this.root} (${err.code})`, err);
      }
      throw err;
    } finally {
      if (tmp) removeOwnedTree(tmp);
    }
  }
}
