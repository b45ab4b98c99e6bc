// The unpack cache: each wheel unpacked once, under `<root>/<sha256 of the
// wheel file>/` (`files/` as in the archive, `manifest.json` describing them),
// filled in a temporary sibling and renamed into place — a process that
// loses the race to another uses the winner's entry.
//
// Integrity, cheaply: the manifest records each file's size, mtime and inode
// as written. Before an entry is used every file is lstat'ed (a few µs each);
// a file missing, of another size or not a regular file means the entry is
// damaged; a file whose mtime or inode moved (touched, restored from a backup,
// edited in place through a hardlink) is hashed against its RECORD hash, and
// only a mismatch means damage. A damaged entry is rebuilt, never linked.
// Hashing every file on every use would cost more than the whole create.
//
// The wheel's sha256 is remembered by path, size, mtime and inode
// (`keys/`), so a warm install does not read and hash the wheel either.
import { createHash } from "node:crypto";
import {
  closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, type Stats,
} from "node:fs";
import { dirname, join } from "node:path";
import { atomicWriteFile, isNodeError, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import type { WheelInfo } from "./contents.js";
import { hashMatches } from "./record.js";
import type { VerifiedWheel } from "./verify.js";

/** Bumped when the entry layout or manifest changes: older entries are then rebuilt. */
const FORMAT = 1;

interface Manifest extends WheelInfo {
  format: number;
  sha256: string;
  /** Per file, in `files` order: [mtimeMs, inode] as written. */
  stats: Array<[number, number]>;
}

/** A usable cache entry. */
export interface CacheEntry {
  info: WheelInfo;
  /** Where the files are, at their archive paths. */
  filesDir: string;
}

export type Lookup =
  | { status: "hit"; entry: CacheEntry }
  | { status: "missing" }
  | { status: "damaged"; reason: string };

/** The cache cannot be written (read-only, not a directory, full). */
export class CacheUnwritableError extends Error {
  constructor(readonly dir: string, readonly code: string, cause: unknown) {
    super(`cannot write the wheel cache at ${dir} (${code})`, { cause });
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

  private keyFile(wheel: string): string {
    return join(this.root, "keys", `${createHash("sha256").update(wheel).digest("hex").slice(0, 32)}.json`);
  }

  /** The wheel's sha256 as remembered for this path, if the file has not changed since. */
  knownSha256(wheel: string, st: Stats): string | undefined {
    try {
      const k = JSON.parse(readFileSync(this.keyFile(wheel), "utf8")) as Record<string, unknown>;
      if (k.path === wheel && k.size === st.size && k.mtimeMs === st.mtimeMs && k.ino === st.ino && k.dev === st.dev &&
        typeof k.sha256 === "string" && /^[0-9a-f]{64}$/.test(k.sha256)) {
        return k.sha256;
      }
    } catch {
      // No memo (or an unreadable one): the wheel will be hashed.
    }
    return undefined;
  }

  /** Remembers the wheel's sha256 for its path; best effort. */
  rememberSha256(wheel: string, st: Stats, sha256: string): void {
    try {
      const file = this.keyFile(wheel);
      mkdirSync(dirname(file), { recursive: true });
      atomicWriteFile(file, JSON.stringify({ path: wheel, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev, sha256 }));
    } catch {
      // An unwritable cache is reported by fill(); the memo only saves time.
    }
  }

  /** Finds the entry for a wheel's sha256 and checks it is intact. */
  lookup(sha256: string): Lookup {
    const dir = this.entryDir(sha256);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    } catch (err) {
      if (isNodeError(err, "ENOENT") && !lstatOrUndefined(dir)) return { status: "missing" };
      return { status: "damaged", reason: "its manifest is missing or unreadable" };
    }
    if (manifest.format !== FORMAT || manifest.sha256 !== sha256 || !Array.isArray(manifest.files) ||
      !Array.isArray(manifest.stats) || manifest.stats.length !== manifest.files.length) {
      return { status: "damaged", reason: "its manifest is of another format" };
    }
    const filesDir = join(dir, "files");
    let refreshed = false;
    for (let i = 0; i < manifest.files.length; i++) {
      const file = manifest.files[i]!;
      const [mtimeMs, ino] = manifest.stats[i]!;
      // Paths were checked when the wheel was verified; a manifest changed
      // since must not lead a link outside the env.
      if (UNSAFE_PATH.test(file.path)) return { status: "damaged", reason: `its manifest names an unsafe path` };
      const path = `${filesDir}/${file.path}`;
      const st = lstatOrUndefined(path);
      if (!st) return { status: "damaged", reason: `${file.path} is missing` };
      if (!st.isFile() || st.size !== file.size) return { status: "damaged", reason: `${file.path} was changed` };
      if (st.mtimeMs !== mtimeMs || st.ino !== ino) {
        if (!hashMatches(readFileSync(path), file.hash)) return { status: "damaged", reason: `${file.path} was changed` };
        manifest.stats[i] = [st.mtimeMs, st.ino];
        refreshed = true;
      }
    }
    if (refreshed) {
      // Intact, but moved or touched: remember the new stats so the next use is cheap again.
      try {
        atomicWriteFile(join(dir, "manifest.json"), JSON.stringify(manifest));
      } catch {
        // A read-only cache is still usable.
      }
    }
    return { status: "hit", entry: { info: manifest, filesDir } };
  }

  /**
   * Unpacks a verified wheel into a new entry, atomically; replaces a damaged
   * one. Answers the entry in place afterwards — ours, or another process's
   * that got there first. Throws CacheUnwritableError when the cache cannot
   * be written.
   */
  fill(wheel: VerifiedWheel, replaceDamaged: boolean): CacheEntry | undefined {
    const final = this.entryDir(wheel.sha256);
    let tmp: string | undefined;
    try {
      mkdirSync(this.root, { recursive: true });
      tmp = siblingTempPath(final, "fill");
      const filesDir = join(tmp, "files");
      mkdirSync(filesDir, { recursive: true });
      const made = new Set<string>();
      const stats: Array<[number, number]> = [];
      for (const file of wheel.files) {
        const path = join(filesDir, file.path);
        const parent = dirname(path);
        if (!made.has(parent)) {
          mkdirSync(parent, { recursive: true });
          made.add(parent);
        }
        stats.push(writeAndStat(path, wheel.data.get(file.path)!, file.executable ? 0o777 : 0o666));
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
        stats,
      };
      writeAndStat(join(tmp, "manifest.json"), Buffer.from(JSON.stringify(manifest)), 0o666);
      if (replaceDamaged) {
        // Aside first (rename(2) will not replace a non-empty directory), then in.
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
        return { info: manifest, filesDir: join(final, "files") };
      } catch (err) {
        if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
      }
      // Another process filled it first: that is success, if its entry is sound.
      this.debug(`another process unpacked ${wheel.name} ${wheel.version} into the cache first; using its entry`);
      const theirs = this.lookup(wheel.sha256);
      return theirs.status === "hit" ? theirs.entry : undefined;
    } catch (err) {
      if (isNodeError(err) && UNWRITABLE.has(err.code!)) throw new CacheUnwritableError(this.root, err.code!, err);
      throw err;
    } finally {
      if (tmp) removeOwnedTree(tmp);
    }
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR: a parent was replaced by a file
  }
}

/** Writes a new file and answers its [mtimeMs, inode] as written. */
function writeAndStat(path: string, data: Buffer, mode: number): [number, number] {
  const fd = openSync(path, "wx", mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    const st = fstatSync(fd);
    return [st.mtimeMs, st.ino];
  } finally {
    closeSync(fd);
  }
}
