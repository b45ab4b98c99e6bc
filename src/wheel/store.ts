// The store of wheel files, content-addressed: `$VENVCTL_CACHE_DIR/wheel-files/`
//   sha256/<hex>/<file name>.whl   the wheel, read-only
//   sha256/<hex>/entry.json        its facts: file name, size, name, version,
//                                  METADATA's Requires-Python, Requires-Dist,
//                                  Provides-Extra, and the file's stats;
//                                  its mtime is stamped at every use, for prune
//   names/<canonical name>/<version>@<hex>   an index: empty files (one
//                                  directory per project, not per version
//                                  too: a mkdir per wheel costs a cold
//                                  install more than the file; the
//                                  <version>/<hex> of earlier versions is read)
//   built/<key>.json               an sdist (by sha256) or a VCS URL + commit
//                                  built into a wheel (by sha256)
// A wheel comes in verified whole (verify.ts; its hash against the one pip's
// report gave, when given) and unpacked into the unpack cache at once, so a
// corrupt or unexpected file is never kept. It is used only after the same
// trust checks as the unpack cache (cache.ts): a regular file, the user's,
// writable by no one else, with the stats recorded when it came in — or, when
// they moved, its sha256 is computed again; a mismatch drops the entry.
// Facts are read from entry.json without opening the wheel: a pinned set's
// closure can be checked from the store alone.
import { digest, isSha256Hex } from "../util/digest.js";
import { chmodSync, closeSync, copyFileSync, openSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { HashMismatchError, VenvctlError } from "../errors.js";
import { atomicWriteFile, ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { canonicalizeName } from "../standards/names.js";
import { formatPep440, parsePep440 } from "../standards/pep440.js";
import { WheelCache } from "./cache.js";
import { fileStats, readOwnedFile, stampUsed, untrustedDir, untrustedFile, type FileStats } from "./trust.js";
import { CorruptWheelError, type MetadataFacts } from "./contents.js";
import { parseWheelFileName } from "../standards/wheel-tags.js";
import type { KnownWheel } from "./install-types.js";
import type { TagPriorities } from "../standards/wheel-tags.js";

const FORMAT = 1;

/** A wheel in the store, checked. */
export interface StoredWheel extends KnownWheel {
  fileName: string;
  size: number;
  /** Name and Version from METADATA, and the canonical name. */
  name: string;
  canonical: string;
  version: string;
  facts: MetadataFacts;
}

interface EntryFile {
  format: number;
  sha256: string;
  fileName: string;
  size: number;
  name: string;
  version: string;
  facts: MetadataFacts;
  stats: FileStats;
  added: string;
}

/** What an sdist or a VCS checkout was built from. */
export type BuildSource = { sdistSha256: string } | { vcsUrl: string; commit: string };


/**
 * A version as the index spells it: packaging's canonicalize_version (trailing
 * zeros of the release dropped), so that 2, 2.0 and 2.0.0 — equal versions —
 * find the same wheels. A version that is not PEP 440 is kept as written.
 */
function versionKey(version: string): string {
  const v = parsePep440(version);
  if (!v) return version;
  const release = [...v.release];
  while (release.length > 1 && release[release.length - 1] === "0") release.pop();
  return formatPep440({ ...v, release });
}

/** A version's key as a file name: what no file system refuses (a version that is not PEP 440 may hold anything). */
const indexKey = (version: string) => encodeURIComponent(versionKey(version));

/** An index file's name read back: `<key>@<sha256>`, else undefined (an earlier venvctl's version directory). */
function indexEntry(name: string): { key: string; sha256: string } | undefined {
  const at = name.lastIndexOf("@");
  return at >= 0 && isSha256Hex(name.slice(at + 1)) ? { key: name.slice(0, at), sha256: name.slice(at + 1) } : undefined;
}

/** The store's directories. */
export function storeDir(cacheDir: string): string {
  return join(cacheDir, "wheel-files");
}

export class WheelStore {
  readonly root: string;
  private readonly unpack: WheelCache;

  /** `cacheDir` is `$VENVCTL_CACHE_DIR`. */
  constructor(readonly cacheDir: string, private readonly debug: (message: string) => void = () => {}) {
    this.root = storeDir(cacheDir);
    this.unpack = new WheelCache(join(cacheDir, "wheels"), debug);
  }

  entryDir(sha256: string): string {
    return join(this.root, "sha256", sha256);
  }

  /**
   * Adds a wheel file pip downloaded (into a temporary directory) by moving
   * it in: verified whole first, and its sha256 checked against `expected`
   * (the hash pip's report gave), else refused with the file left where it
   * was. Unpacked into the unpack cache at once. Answers the stored wheel
   * (the one already there, when another process added it first).
   */
  async addByMove(file: string, expected?: string): Promise<StoredWheel> {
    return this.add(file, expected, true);
  }

  /** Adds a copy of a wheel file the user owns (a local path): the file itself is left alone. */
  async addByCopy(file: string, expected?: string): Promise<StoredWheel> {
    return this.add(file, expected, false);
  }

  private async add(file: string, expected: string | undefined, move: boolean): Promise<StoredWheel> {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new VenvctlError(`cannot read the wheel ${file}`, { cause: err });
    }
    const sha256 = digest("sha256", bytes, "hex");
    if (expected !== undefined && expected.toLowerCase() !== sha256) {
      throw HashMismatchError.of(basename(file), "sha256", expected, sha256);
    }
    const existing = this.get(sha256);
    if (existing) {
      if (move) rmSync(file, { force: true });
      return existing;
    }
    const { verifyWheelBytes } = await import("./verify.js");
    const wheel = verifyWheelBytes(file, bytes, sha256); // throws CorruptWheelError: nothing kept
    const named = parseWheelFileName(file);
    if (!named) throw new CorruptWheelError(file, "its file name is not a wheel's (name-version-python-abi-platform.whl)");
    // The unpack cache first: a store entry always has its unpacked files (best effort).
    try {
      const found = this.unpack.lookup({ wheel: file, bytes, sha256 });
      if (found.status !== "hit") this.unpack.fill(wheel, { wheel: file, bytes, sha256 }, found.status === "damaged");
    } catch (err) {
      this.debug(`could not unpack ${basename(file)} into the cache: ${(err as Error).message}`);
    }

    const final = this.entryDir(sha256);
    ensureDir(join(this.root, "sha256"));
    const tmp = siblingTempPath(final, "add");
    try {
      ensureDir(tmp);
      const dest = join(tmp, basename(file));
      if (move) {
        try {
          renameSync(file, dest);
        } catch (err) {
          if (!isNodeError(err, "EXDEV")) throw err;
          copyFileSync(file, dest);
        }
      } else {
        copyFileSync(file, dest);
      }
      chmodSync(dest, 0o444);
      const st = lstatOrUndefined(dest)!;
      const entry: EntryFile = {
        format: FORMAT, sha256, fileName: basename(file), size: bytes.length, name: wheel.name, version: wheel.version,
        facts: wheel.facts, stats: fileStats(st), added: new Date().toISOString(),
      };
      // Not flushed: a torn entry.json drops the entry (its wheel is fetched again).
      // Its mtime is the entry's last use (`cache prune`): now.
      atomicWriteFile(join(tmp, "entry.json"), JSON.stringify(entry), 0o644, { flush: false });
      try {
        renameSync(tmp, final);
      } catch (err) {
        if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
        // Another process added it first: theirs is used (if sound).
      }
      if (move) rmSync(file, { force: true }); // the EXDEV copy's original
      this.index(canonicalizeName(wheel.name), wheel.version, sha256);
    } finally {
      if (lstatOrUndefined(tmp)) removeOwnedTree(tmp);
    }
    const stored = this.get(sha256);
    if (!stored) throw new VenvctlError(`the wheel store at ${this.root} did not keep ${basename(file)}`, { hint: "check that the cache directory is writable" });
    this.debug(`stored ${basename(file)} (${sha256.slice(0, 12)}…)`);
    return stored;
  }

  private index(canonical: string, version: string, sha256: string): void {
    const dir = join(this.root, "names", canonical);
    ensureDir(dir);
    closeSync(openSync(join(dir, `${indexKey(version)}@${sha256}`), "a", 0o644));
  }

  /** The sha256 of the stored wheels indexed under a project at a version. */
  private indexed(name: string, version: string): string[] {
    const dir = join(this.root, "names", canonicalizeName(name));
    const key = indexKey(version);
    const old = versionKey(version);
    const out: string[] = [];
    for (const n of listNames(dir)) {
      const entry = indexEntry(n);
      if (entry?.key === key) out.push(entry.sha256);
      else if (n === old) out.push(...listNames(join(dir, n)).filter(isSha256Hex)); // an earlier venvctl's <version>/<hex>
    }
    return out;
  }

  /** Drops index entries whose wheel is no longer stored (`cache prune`). */
  pruneIndex(): void {
    const names = join(this.root, "names");
    for (const project of listNames(names)) {
      const dir = join(names, project);
      for (const n of listNames(dir)) {
        const entry = indexEntry(n);
        if (entry) {
          if (!lstatOrUndefined(this.entryDir(entry.sha256))) removeOwnedTree(join(dir, n));
          continue;
        }
        for (const sha of listNames(join(dir, n))) {
          if (!lstatOrUndefined(this.entryDir(sha))) removeOwnedTree(join(dir, n, sha));
        }
      }
    }
  }

  /**
   * The stored wheel with this sha256, checked (see the module comment), and
   * stamped as used; undefined when absent — or damaged, which removes it.
   */
  get(sha256: string): StoredWheel | undefined {
    if (!isSha256Hex(sha256)) return undefined;
    const dir = this.entryDir(sha256);
    // Stamped before it is read: `cache prune` keeps an entry whose use has begun.
    this.stamp(sha256);
    const why = untrustedDir(lstatOrUndefined(dir));
    if (why === "is missing") return undefined;
    const drop = (reason: string): undefined => {
      this.debug(`the stored wheel ${sha256.slice(0, 12)}… ${reason}; dropping it`);
      this.remove(sha256);
      return undefined;
    };
    if (why) return drop(`entry ${why}`);
    let entry: EntryFile;
    try {
      entry = JSON.parse(readOwnedFile(join(dir, "entry.json"))) as EntryFile;
    } catch {
      return drop("has no readable entry.json");
    }
    if (entry.format !== FORMAT || entry.sha256 !== sha256 || typeof entry.fileName !== "string" || entry.fileName.includes("/")) {
      return drop("has an entry.json of another format or for another file");
    }
    const path = join(dir, entry.fileName);
    const st = lstatOrUndefined(path);
    if (!st) return drop("has lost its wheel file");
    const bad = untrustedFile(st);
    if (bad) return drop(`file ${bad}`);
    const [mtimeMs, ino, ctimeMs] = entry.stats;
    if (st.size !== entry.size || st.mtimeMs !== mtimeMs || st.ino !== ino || st.ctimeMs !== ctimeMs) {
      const actual = digest("sha256", readFileSync(path), "hex");
      if (actual !== sha256) return drop("was changed");
      entry.stats = fileStats(st);
      try {
        atomicWriteFile(join(dir, "entry.json"), JSON.stringify(entry), 0o644, { flush: false });
      } catch {
        // Read-only cache: the next use hashes again.
      }
    }
    const canonical = canonicalizeName(entry.name);
    return { path, sha256, fileName: entry.fileName, size: entry.size, name: entry.name, canonical, version: entry.version, facts: entry.facts };
  }

  /** Marks an entry used now (prune keeps what was used recently). */
  stamp(sha256: string): void {
    // No link is followed (a forged entry must not make venvctl touch files elsewhere).
    if (!lstatOrUndefined(this.entryDir(sha256))?.isDirectory()) return;
    stampUsed(join(this.entryDir(sha256), "entry.json"));
  }

  /** The stored wheels of a project at a version (any spelling of either). */
  wheelsOf(name: string, version: string): StoredWheel[] {
    return this.indexed(name, version).flatMap((sha) => {
      const w = this.get(sha);
      return w ? [w] : [];
    });
  }

  /** The best stored wheel of a project at a version for a target (standards/wheel-tags.ts priorities), or undefined. */
  find(name: string, version: string, tags: TagPriorities): StoredWheel | undefined {
    let best: { w: StoredWheel; p: number } | undefined;
    for (const w of this.wheelsOf(name, version)) {
      const p = tags.ofWheel(w.fileName);
      if (p !== undefined && (!best || p < best.p)) best = { w, p };
    }
    return best?.w;
  }

  /** Records that `source` was built into the stored wheel `wheelSha256`. */
  recordBuild(source: BuildSource, wheelSha256: string): void {
    const file = join(this.root, "built", `${buildKey(source)}.json`);
    ensureDir(join(this.root, "built"));
    // Not flushed: a record that does not parse means "not built yet".
    atomicWriteFile(file, JSON.stringify({ source, wheel: wheelSha256 }), 0o644, { flush: false });
  }

  /** The wheel `source` was built into before, if it is still stored and sound. */
  builtFrom(source: BuildSource): StoredWheel | undefined {
    try {
      const rec = JSON.parse(readOwnedFile(join(this.root, "built", `${buildKey(source)}.json`))) as { wheel: string };
      return this.get(rec.wheel);
    } catch {
      return undefined;
    }
  }

  /** Every entry's sha256. */
  list(): string[] {
    return listNames(join(this.root, "sha256")).filter(isSha256Hex);
  }

  /** Removes an entry (its index files are left; a lookup through them finds nothing). */
  remove(sha256: string): void {
    const dir = this.entryDir(sha256);
    const aside = siblingTempPath(dir, "gone");
    try {
      renameSync(dir, aside);
    } catch (err) {
      if (isNodeError(err, "ENOENT")) return;
      throw err;
    }
    removeOwnedTree(aside);
  }
}

/** The key of a build record: sha256 of the source, spelled one way. */
function buildKey(source: BuildSource): string {
  const text = "sdistSha256" in source ? `sdist:${source.sdistSha256.toLowerCase()}` : `vcs:${source.vcsUrl}@${source.commit}`;
  return digest("sha256", text, "hex");
}
