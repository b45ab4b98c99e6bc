// The unpack cache: each wheel unpacked once, under `<root>/<sha256 of the
// wheel file>/files/` at its archive paths, filled in a temporary sibling and
// renamed into place — a process that loses the race to another uses the
// winner's entry.
//
// Whoever can write the cache can change anything in it, so nothing read
// from it is believed on its own. The wheel file is the anchor: it is read
// and hashed at every use (that finds the entry; a sha256 remembered in the
// cache could be forged), its file list and RECORD come from its own archive,
// and every cached file must match the RECORD hash and size — the checks that
// verify.ts makes on a fresh wheel, over the cached bytes instead of inflated
// ones (about 10 ms for pip's 500 files and 8 MB). No symbolic link is
// followed: the root, the entry and every directory below are lstat'ed and
// must be real directories, each file is opened with O_NOFOLLOW and must be a
// regular file. A hardlinked file is checked once more after the link: the
// env must hold the very inode that was read (install.ts). An entry that fails
// any check is rebuilt from the wheel, never linked.
import {
  closeSync, constants, fstatSync, mkdirSync, openSync, readSync, renameSync, writeSync, type Stats,
} from "node:fs";
import { dirname, join } from "node:path";
import { isNodeError, lstatOrUndefined, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { CorruptWheelError, type WheelInfo } from "./contents.js";
import { describeWheel, openWheelArchive, type VerifiedWheel, type WheelBytes } from "./verify.js";

/** The inode a cached file was when it was checked. */
export interface CheckedInode {
  dev: number;
  ino: number;
}

/** A usable cache entry, checked against its wheel. */
export interface CacheEntry {
  info: WheelInfo;
  /** Where the files are, at their archive paths. */
  filesDir: string;
  /** The checked bytes, by archive path: what a copy or a rewritten script is made from. */
  data: Map<string, Buffer>;
  /** The checked inodes, by archive path: a hardlink must land on these. */
  inodes: Map<string, CheckedInode>;
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

/** Errors that mean "this cache cannot be written", as opposed to bugs. */
const UNWRITABLE = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST", "ENOSPC", "EDQUOT", "ENOENT", "ELOOP", "ENAMETOOLONG"]);

/** A cached file or directory that is not what the entry needs; the message says which. */
class DamagedEntryError extends Error {}

/** The unpack cache rooted at `root` (`$VENVCTL_CACHE_DIR/wheels`). */
export class WheelCache {
  constructor(readonly root: string, private readonly debug: (message: string) => void = () => {}) {}

  private entryDir(sha256: string): string {
    return join(this.root, sha256);
  }

  /**
   * The root must be a real directory: a symbolic link there would lead
   * every entry out of the cache. Throws CacheUnusableError; answers false
   * when there is no root yet.
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
   * Finds the entry for a wheel and checks it against the wheel: every file
   * by content, no symbolic link anywhere. Throws CacheUnusableError when
   * the root itself cannot be trusted.
   */
  lookup(wheel: WheelBytes): Lookup {
    if (!this.checkRoot()) return { status: "missing" };
    const dir = this.entryDir(wheel.sha256);
    const filesDir = join(dir, "files");
    const dirSt = lstatOrUndefined(dir);
    if (!dirSt) return { status: "missing" };
    const checkedDirs = new Set<string>();
    const inodes = new Map<string, CheckedInode>();
    const checkDir = (path: string, label: string) => {
      if (checkedDirs.has(path)) return;
      const st = lstatOrUndefined(path);
      if (!st) throw new DamagedEntryError(`${label} is missing`);
      if (!st.isDirectory()) throw new DamagedEntryError(`${label} is ${st.isSymbolicLink() ? "a symbolic link" : "not a directory"}`);
      checkedDirs.add(path);
    };
    try {
      checkDir(dir, "the entry directory");
      checkDir(filesDir, "files/");
      const zip = openWheelArchive(wheel.wheel, wheel.bytes);
      const described = describeWheel(wheel.wheel, zip, (entry, fromArchive) => {
        if (fromArchive) return zip.read(entry);
        for (let i = entry.name.indexOf("/"); i >= 0; i = entry.name.indexOf("/", i + 1)) {
          checkDir(`${filesDir}/${entry.name.slice(0, i)}`, entry.name.slice(0, i + 1));
        }
        const { bytes, st } = readRegularFile(`${filesDir}/${entry.name}`, entry.name, entry.size);
        inodes.set(entry.name, { dev: st.dev, ino: st.ino });
        return bytes;
      });
      const { data, ...info } = described;
      return { status: "hit", entry: { info, filesDir, data, inodes } };
    } catch (err) {
      if (err instanceof DamagedEntryError) return { status: "damaged", reason: err.message };
      // The cached bytes fail the wheel's own check (or the wheel is corrupt,
      // which verifying it whole will then say).
      if (err instanceof CorruptWheelError) return { status: "damaged", reason: err.reason };
      throw err;
    }
  }

  /**
   * Unpacks a verified wheel into a new entry, atomically; replaces a damaged
   * one. Answers the entry in place afterwards — ours, or another process's
   * that got there first and passes the same checks. Throws CacheUnusableError
   * when the cache cannot be written or its root is a symbolic link.
   */
  fill(wheel: VerifiedWheel, replaceDamaged: boolean): CacheEntry | undefined {
    const final = this.entryDir(wheel.sha256);
    let tmp: string | undefined;
    try {
      mkdirSync(this.root, { recursive: true });
      this.checkRoot();
      tmp = siblingTempPath(final, "fill");
      const filesDir = join(tmp, "files");
      mkdirSync(filesDir, { recursive: true });
      const made = new Set<string>();
      const inodes = new Map<string, CheckedInode>();
      for (const file of wheel.files) {
        const path = join(filesDir, file.path);
        const parent = dirname(path);
        if (!made.has(parent)) {
          mkdirSync(parent, { recursive: true });
          made.add(parent);
        }
        inodes.set(file.path, writeAndStat(path, wheel.data.get(file.path)!, file.executable ? 0o777 : 0o666));
      }
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
        const { data, bytes: _bytes, wheel: _wheel, sha256: _sha256, ...info } = wheel;
        return { info, filesDir: join(final, "files"), data, inodes };
      } catch (err) {
        if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
      }
      // Another process filled it first: that is success, if its entry is sound.
      this.debug(`another process unpacked ${wheel.name} ${wheel.version} into the cache first; using its entry`);
      const theirs = this.lookup(wheel);
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

/**
 * Reads a cached file without following a symbolic link, refusing anything
 * but a regular file of the expected size (checked before reading, so a
 * planted huge file costs nothing).
 */
function readRegularFile(path: string, label: string, size: number): { bytes: Buffer; st: Stats } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (isNodeError(err, "ELOOP")) throw new DamagedEntryError(`${label} is a symbolic link`);
    if (isNodeError(err, "ENOENT") || isNodeError(err, "ENOTDIR")) throw new DamagedEntryError(`${label} is missing`);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new DamagedEntryError(`${label} is not a regular file`);
    if (st.size !== size) throw new DamagedEntryError(`${label} was changed (${st.size} bytes, the wheel has ${size})`);
    const bytes = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) throw new DamagedEntryError(`${label} was changed while it was read`);
      off += n;
    }
    return { bytes, st };
  } finally {
    closeSync(fd);
  }
}

/** Writes a new file and answers its inode. */
function writeAndStat(path: string, data: Buffer, mode: number): CheckedInode {
  const fd = openSync(path, "wx", mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    const st = fstatSync(fd);
    return { dev: st.dev, ino: st.ino };
  } finally {
    closeSync(fd);
  }
}
