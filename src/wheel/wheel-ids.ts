// A wheel file's sha256, remembered by the file's identity, so that a wheel
// installed again from the same path (a seed wheel, at every create) finds
// its unpack-cache entry without being read and hashed: that read and hash
// cost ~10 ms for pip's 2 MB wheel, plus node:crypto's load, on a seeded
// create that otherwise takes ~60 ms of work.
//
// `$VENVCTL_CACHE_DIR/wheel-ids/<quickHash(path)>.json` holds the path, the
// file's device, inode, size, mtime and ctime as they were before it was
// read, and the sha256 of what was read. The sha256 is used only while all
// of them are still the file's: replacing the file changes its inode, and
// writing it in place changes its ctime, which cannot be set back (utimes
// sets mtime and bumps ctime). A record is trusted as the cache's manifests
// are (cache.ts): opened without following a link, the user's own, writable
// by no one else. Anything else, and any doubt, means reading the wheel.
import { renameSync, rmSync, statSync, type Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isSha256Hex } from "../util/digest.js";
import { ensureDir, siblingTempPath } from "../util/fs.js";
import { quickHash } from "../util/hash.js";
import { readOwnedFile, writeOwned } from "./trust.js";

interface WheelId {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  sha256: string;
}

/** Where the record for `wheel` lives, beside the unpack cache rooted at `cacheRoot`. */
function recordPath(cacheRoot: string, wheel: string): string {
  return join(dirname(cacheRoot), "wheel-ids", `${quickHash(wheel)}.json`);
}

/** The file's identity now (following a link, as reading it would), or undefined when it cannot be stat'ed. */
export function wheelIdentity(wheel: string): Stats | undefined {
  try {
    return statSync(wheel);
  } catch {
    return undefined;
  }
}

/** The remembered sha256 of `wheel`, if its record is sound and the file is still the one that was hashed. */
export function recallSha256(cacheRoot: string, wheel: string, st: Stats): string | undefined {
  const path = resolve(wheel);
  let id: WheelId;
  try {
    id = JSON.parse(readOwnedFile(recordPath(cacheRoot, path))) as WheelId;
  } catch {
    return undefined;
  }
  const same = id.path === path && id.dev === st.dev && id.ino === st.ino && id.size === st.size &&
    id.mtimeMs === st.mtimeMs && id.ctimeMs === st.ctimeMs && st.isFile();
  return same && typeof id.sha256 === "string" && isSha256Hex(id.sha256) ? id.sha256 : undefined;
}

/**
 * Remembers that `wheel`, with the identity `st` taken before it was read,
 * hashed to `sha256`. Best effort: a cache that cannot be written only costs
 * the next install a read.
 */
export function rememberSha256(cacheRoot: string, wheel: string, st: Stats, sha256: string): void {
  const path = resolve(wheel);
  const file = recordPath(cacheRoot, path);
  const id: WheelId = { path, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, sha256 };
  let tmp: string | undefined;
  try {
    ensureDir(dirname(file));
    tmp = siblingTempPath(file);
    writeOwned(tmp, Buffer.from(JSON.stringify(id)), 0o644);
    renameSync(tmp, file);
    tmp = undefined;
  } catch {
    // Read-only or full: nothing remembered.
  } finally {
    if (tmp) rmSync(tmp, { force: true });
  }
}
