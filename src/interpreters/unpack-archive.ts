// Unpacking a build's .tar.gz (python-build-standalone's install_only layout:
// everything under a top-level `python/`) with npm's `tar` package, into a
// directory of venvctl's own. Every entry is checked before it is written:
// no absolute path, no `..`, nothing outside `python/`, no devices or FIFOs,
// no link naming something outside; once unpacked, every symbolic link is
// followed on disk to prove it stays inside (a chain of links that are each
// harmless on their own can still point out).
import { lstatSync, readlinkSync } from "node:fs";
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

/**
 * Runs `fn` with stack traces off. tar (7.5, which keeps no cache of the
 * directories it made, for safety) tries mkdir on every parent of every
 * entry, and each EEXIST is an Error whose stack V8 would capture: a third
 * of the unpack's time here. None of those errors is ever shown.
 */
function withoutStacks<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Unpacks a gzipped tarball held in memory into `dest` (an empty directory
 * venvctl made), refusing hostile entries. `origin` names the archive in
 * messages; `signal` stops it between chunks (Ctrl-C). On failure `dest` may
 * hold part of the archive: the caller removes it.
 */
export async function unpackArchive(data: Buffer, dest: string, origin: string, signal?: AbortSignal): Promise<void> {
  const tar = await importVendor<TarModule>("tar");
  const symlinks: string[] = [];
  const hint = "the archive is not a Python build venvctl will unpack; nothing was installed";
  // The entries are written synchronously (about three times faster here
  // than tar's streaming unpack, which makes a thread-pool round trip per
  // file), while zlib inflates the next chunks on the thread pool, in
  // parallel, as `tar -xz` has gzip do in another process.
  const unpack = tar.x({
    cwd: dest,
    sync: true,
    strict: true,
    preserveOwner: false,
    filter: (path, entry) => {
      const e = entry as { type: string; linkpath?: string };
      const refused = refuseEntry(path, e.type, e.linkpath);
      if (refused) throw new HostileArchiveError(`refusing ${origin}: ${refused}`, { hint });
      if (e.type === "SymbolicLink") symlinks.push(path.replace(/^(\.\/)+/, ""));
      return true;
    },
  });
  const wrap = (err: unknown): unknown => {
    if (err instanceof VenvctlError) return err;
    if (isSystemError(err)) return osError(err, { action: "unpack into", path: dest });
    return new VenvctlError(`cannot unpack ${origin}: ${(err as Error).message}`, {
      hint: "the archive is damaged or not a .tar.gz; nothing was installed",
    });
  };
  await new Promise<void>((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(wrap(err));
    };
    const onAbort = () => fail(new VenvctlError(`unpacking ${origin} was interrupted`, { hint: "nothing was installed" }));
    signal?.addEventListener("abort", onAbort, { once: true });
    gunzip.on("data", (chunk: Buffer) => {
      if (failed) return;
      try {
        withoutStacks(() => unpack.write(chunk));
      } catch (err) {
        fail(err);
      }
    });
    gunzip.on("error", fail);
    gunzip.on("end", () => {
      signal?.removeEventListener("abort", onAbort);
      if (failed) return;
      try {
        withoutStacks(() => unpack.end());
        resolve();
      } catch (err) {
        fail(err);
      }
    });
    gunzip.end(data);
  });
  for (const link of symlinks) {
    if (leavesRoot(dest, link)) {
      throw new HostileArchiveError(`refusing ${origin}: symbolic link ${JSON.stringify(link)} leads outside the archive`, { hint });
    }
  }
}
