// Unpacking a build's .tar.gz (python-build-standalone's install_only layout:
// everything under a top-level `python/`) into a fresh directory of
// venvctl's own, as its bytes arrive. npm's `tar` package parses the archive
// (its Parser: headers, pax, checksums); the entries are written here, not
// by tar's Unpack, which tries mkdir and lstat on every parent of every
// entry (it keeps no cache of the directories it made, as it cannot trust
// what else writes in its target): three times the system calls of GNU tar.
// Here the target is a directory this process just made, so what is in it is
// what this code put there, and it is remembered. Every entry is checked
// before it is written: no absolute path, no `..`, nothing outside
// `python/`, no devices or FIFOs, no link naming something outside, nothing
// written through a symbolic link the archive made, no hard link to
// anything but a file already unpacked; files are created with O_EXCL and
// O_NOFOLLOW. Once unpacked, every symbolic link is followed on disk to
// prove it stays inside (a chain of links that are each harmless on their
// own can still point out). Modes and mtimes are the archive's (.pyc files
// are valid only beside .py files with the mtime they recorded).
import { closeSync, constants, futimesSync, linkSync, lstatSync, mkdirSync, chmodSync, openSync, readlinkSync, symlinkSync, unlinkSync, utimesSync, writeSync } from "node:fs";
import { isAbsolute, join, posix } from "node:path";
import { createGunzip } from "node:zlib";
import { VenvctlError, isSystemError, osError } from "../errors.js";
import { importVendor } from "../util/vendor.js";

/** An archive entry refused before anything of it was written. */
export class HostileArchiveError extends VenvctlError {}

type TarModule = typeof import("tar");

const WRITABLE_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory", "SymbolicLink", "Link"]);

/** Whether a path (as an archive spells it) is absolute on any system: /x, \x, C:x. */
function looksAbsolute(p: string): boolean {
  return p.startsWith("/") || p.startsWith("\\") || /^[A-Za-z]:/.test(p);
}

function hasDotDot(p: string): boolean {
  return p.split(/[/\\]/).includes("..");
}

/** Why an entry may not be unpacked, or undefined when it may. */
export function refuseEntry(path: string, type: string, linkpath: string | undefined): string | undefined {
  const shown = JSON.stringify(path);
  if (looksAbsolute(path)) return `entry ${shown} has an absolute path`;
  if (hasDotDot(path)) return `entry ${shown} climbs out with \`..\``;
  const rel = path.replace(/^(\.\/)+/, "");
  if (rel !== "python" && rel !== "python/" && !rel.startsWith("python/")) return `entry ${shown} is outside the top-level python/ directory`;
  if (!WRITABLE_TYPES.has(type)) return `entry ${shown} is a ${type}, which a Python build has no use for`;
  if (type === "SymbolicLink" || type === "Link") {
    const kind = type === "Link" ? "hard link" : "symbolic link";
    if (!linkpath) return `${kind} ${shown} names no target`;
    if (looksAbsolute(linkpath)) return `${kind} ${shown} points to the absolute path ${JSON.stringify(linkpath)}`;
    // A hard link names another entry (from the archive's root); a symbolic link is read from its own directory.
    const target = type === "Link" ? posix.normalize(linkpath) : posix.normalize(posix.join(posix.dirname(rel), linkpath));
    if (target === ".." || target.startsWith("../") || (type === "Link" && hasDotDot(linkpath))) {
      return `${kind} ${shown} points outside the archive (${JSON.stringify(linkpath)})`;
    }
  }
  return undefined;
}

/**
 * Whether following `rel` (relative to `root`) on disk, through every
 * symbolic link on the way, ever leaves `root`. A missing component ends the
 * walk (a dangling link that stays inside is harmless).
 */
export function leavesRoot(root: string, rel: string): boolean {
  const stack: string[] = [];
  const pending = rel.split("/");
  let links = 0;
  while (pending.length > 0) {
    const c = pending.shift()!;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (stack.length === 0) return true;
      stack.pop();
      continue;
    }
    const p = join(root, ...stack, c);
    let isLink = false;
    try {
      isLink = lstatSync(p).isSymbolicLink();
    } catch {
      stack.push(c);
      continue;
    }
    if (!isLink) {
      stack.push(c);
      continue;
    }
    if (++links > 40) return true; // a loop: refused rather than followed forever
    const target = readlinkSync(p);
    if (isAbsolute(target)) return true;
    pending.unshift(...target.split("/"));
  }
  return false;
}

type Made = "dir" | "file" | "link";

interface TarEntry {
  path: string;
  type: string;
  mode?: number | undefined;
  mtime?: Date | undefined;
  atime?: Date | undefined;
  linkpath?: string | undefined;
  on(ev: "data", fn: (chunk: Buffer) => void): unknown;
  on(ev: "end", fn: () => void): unknown;
  resume(): unknown;
}

/** Feeds a .tar.gz to the disk as it arrives; see startUnpack. */
export interface Unpacker {
  /** The next bytes of the .tar.gz. After a failure they are dropped. */
  write(chunk: Buffer): void;
  /** No more bytes: resolves once every entry is on disk and every link checked, or rejects with the first failure. */
  end(): Promise<void>;
  /** Stops (Ctrl-C, a failed download): nothing more is written. */
  abort(): void;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;

/**
 * Starts unpacking into `dest` (an empty directory this process made).
 * `origin` names the archive in messages. zlib inflates on the thread pool
 * while the entries are written synchronously, as `tar -xz` has gzip run in
 * another process; the writes cost one open/write/futimes/close per file.
 * On failure `dest` may hold part of the archive: the caller removes it.
 */
export async function startUnpack(dest: string, origin: string): Promise<Unpacker> {
  const tar = await importVendor<TarModule>("tar");
  const hint = "the archive is not a Python build venvctl will unpack; nothing was installed";
  const hostile = (why: string) => new HostileArchiveError(`refusing ${origin}: ${why}`, { hint });
  const made = new Map<string, Made>([["", "dir"]]);
  const symlinks: string[] = [];
  const dirs: Array<{ rel: string; mode: number | undefined; mtime: Date | undefined; atime: Date | undefined }> = [];
  let failure: unknown;
  let settled = false;
  /** Closes the file being written, if any (a failure may come in the middle of one). */
  let closeOpen: (() => void) | undefined;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const fail = (err: unknown) => {
    if (failure !== undefined) return;
    failure = wrap(err);
    gunzip.destroy();
  };
  const wrap = (err: unknown): unknown => {
    if (err instanceof VenvctlError) return err;
    if (isSystemError(err)) return osError(err, { action: "unpack into", path: dest });
    return new VenvctlError(`cannot unpack ${origin}: ${(err as Error).message}`, {
      hint: "the archive is damaged or not a .tar.gz; nothing was installed",
    });
  };

  /** Makes the directories above `rel` that are not there yet; refuses a way through a link or a file. */
  const ensureParents = (rel: string, shown: string) => {
    const parts = rel.split("/");
    let at = "";
    for (let i = 0; i < parts.length - 1; i++) {
      at = at ? `${at}/${parts[i]}` : parts[i]!;
      const kind = made.get(at);
      if (kind === "dir") continue;
      if (kind === "link") throw hostile(`entry ${shown} goes through the symbolic link ${JSON.stringify(at)}`);
      if (kind === "file") throw hostile(`entry ${shown} goes through the file ${JSON.stringify(at)}`);
      mkdirSync(join(dest, at));
      made.set(at, "dir");
    }
  };
  /** Frees `rel` for a new entry: an earlier file or link of that name goes (as tar replaces it); a directory stays. */
  const replace = (rel: string, shown: string) => {
    const kind = made.get(rel);
    if (kind === undefined) return;
    if (kind === "dir") throw hostile(`entry ${shown} would replace a directory`);
    unlinkSync(join(dest, rel));
    made.delete(rel);
  };

  const onEntry = (entry: TarEntry) => {
    if (failure !== undefined) {
      entry.resume();
      return;
    }
    try {
      const shown = JSON.stringify(entry.path);
      const refused = refuseEntry(entry.path, entry.type, entry.linkpath);
      if (refused) throw hostile(refused);
      const rel = posix.normalize(entry.path).replace(/\/+$/, "");
      ensureParents(rel, shown);
      const abs = join(dest, rel);
      const mode = typeof entry.mode === "number" ? entry.mode & 0o7777 : undefined;
      if (entry.type === "Directory") {
        const kind = made.get(rel);
        if (kind !== undefined && kind !== "dir") throw hostile(`directory ${shown} would replace a file or link of that name`);
        // Owner access while unpacking; the archive's mode is set at the end.
        if (kind === undefined) mkdirSync(abs, (mode ?? 0o777) | 0o700);
        made.set(rel, "dir");
        dirs.push({ rel, mode, mtime: entry.mtime, atime: entry.atime });
        entry.resume();
      } else if (entry.type === "SymbolicLink") {
        replace(rel, shown);
        symlinkSync(entry.linkpath!, abs);
        made.set(rel, "link");
        symlinks.push(rel);
        entry.resume();
      } else if (entry.type === "Link") {
        const target = posix.normalize(entry.linkpath!).replace(/\/+$/, "");
        if (made.get(target) !== "file") throw hostile(`hard link ${shown} names ${JSON.stringify(entry.linkpath)}, which is not a file earlier in the archive`);
        replace(rel, shown);
        linkSync(join(dest, target), abs);
        made.set(rel, "file");
        entry.resume();
      } else {
        replace(rel, shown);
        const fd = openSync(abs, NEW_FILE, mode ?? 0o666);
        made.set(rel, "file");
        let open = true;
        const close = () => {
          if (open) {
            open = false;
            closeOpen = undefined;
            closeSync(fd);
          }
        };
        closeOpen = close;
        entry.on("end", () => {
          try {
            if (failure === undefined && entry.mtime) futimesSync(fd, entry.atime ?? new Date(), entry.mtime);
            close();
          } catch (err) {
            fail(err);
          }
        });
        entry.on("data", (chunk: Buffer) => {
          if (failure !== undefined) return close();
          try {
            for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
          } catch (err) {
            fail(err);
            close();
          }
        });
      }
    } catch (err) {
      fail(err);
      entry.resume();
    }
  };

  const parser = new tar.Parser({ strict: true });
  parser.on("entry", onEntry as (e: unknown) => void);
  parser.on("error", fail);
  let resolveEnd!: () => void;
  let rejectEnd!: (err: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    resolveEnd = resolve;
    rejectEnd = reject;
  });
  ended.catch(() => {}); // awaited by end(); a failure before it is not unhandled
  const finish = () => {
    if (settled) return;
    settled = true;
    if (failure !== undefined) {
      try {
        closeOpen?.();
      } catch {
        // the failure already reported is the one that matters
      }
      return rejectEnd(failure);
    }
    try {
      // Directories last: their mode (it may forbid writing) and their mtime (every entry in them changed it).
      for (let i = dirs.length - 1; i >= 0; i--) {
        const d = dirs[i]!;
        const abs = join(dest, d.rel);
        if (d.mode !== undefined && (d.mode & 0o700) !== 0o700) chmodSync(abs, d.mode);
        if (d.mtime) utimesSync(abs, d.atime ?? new Date(), d.mtime);
      }
      for (const link of symlinks) {
        if (leavesRoot(dest, link)) throw hostile(`symbolic link ${JSON.stringify(link)} leads outside the archive`);
      }
      resolveEnd();
    } catch (err) {
      rejectEnd(wrap(err));
    }
  };
  // zlib hands over what it inflated only between two pieces of its work:
  // writing the entries inside its 'data' event would hold the next piece
  // back until they are on disk. They are queued instead, and written from
  // the event loop while zlib inflates the next piece on the thread pool.
  const inflated: Buffer[] = [];
  let inflatedAll = false;
  let pumping = false;
  const pump = () => {
    pumping = false;
    try {
      for (let c = inflated.shift(); c && failure === undefined; c = inflated.shift()) parser.write(c);
      if (inflatedAll && failure === undefined) parser.end();
    } catch (err) {
      fail(err);
    }
    if (inflatedAll || failure !== undefined) finish();
  };
  gunzip.on("data", (chunk: Buffer) => {
    if (failure !== undefined) return;
    inflated.push(chunk);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
  gunzip.on("error", (err) => {
    fail(err);
    finish();
  });
  gunzip.on("close", () => {
    if (failure !== undefined) finish();
  });
  gunzip.on("end", () => {
    inflatedAll = true;
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
  let ending = false;
  return {
    write(chunk) {
      if (failure === undefined && !ending) gunzip.write(chunk);
    },
    end() {
      if (!ending) {
        ending = true;
        if (failure === undefined) gunzip.end();
        else finish();
      }
      return ended;
    },
    abort() {
      fail(new VenvctlError(`unpacking ${origin} was interrupted`, { hint: "nothing was installed" }));
      finish();
    },
  };
}
