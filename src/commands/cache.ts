// `venvctl cache dir|info|prune|verify`: the cache of wheel files (the store),
// of unpacked wheels (hardlinked into envs) and of interpreter probes.
//   prune: entries not used for N days go — never one used in the last hour
//     whatever N is, and never one another process is using: an entry is
//     stamped (its record file's mtime) before every use, and prune renames an entry aside,
//     looks at its stamp again, and renames it back if a use began meanwhile.
//   verify: every file of every entry hashed against its RECORD hash (store:
//     the wheel against its sha256); a changed file is named with the envs
//     that share it by hardlink. Envs are known from a small registry written
//     when an install links entries (`links/<env key>.json`): scanning the disk
//     for envs would be slow and would miss envs outside any known place.
//     --repair rebuilds an entry from its wheel and relinks those envs.
import { digest } from "../util/digest.js";
import { linkSync, readdirSync, readFileSync, renameSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import { UsageError } from "../errors.js";
import { listNames, lstatOrUndefined, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { hashMatches } from "../standards/record.js";
import { WheelCache } from "../wheel/cache.js";
import { pruneEnvLinks, readEnvLinks, type EnvLink } from "../wheel/env-links.js";
import { destinationOf, routeArchivePath } from "../wheel/contents.js";
import { storeDir, WheelStore } from "../wheel/store.js";
import type { VerifiedWheel } from "../wheel/verify.js";

const DAY = 24 * 3600 * 1000;
/** An entry used this recently is in use, whatever --days says. */
const IN_USE_MS = 3600 * 1000;

export function cacheDir(_opts: object, ctx: Context): { dir: string } {
  return { dir: ctx.dirs.cache };
}

export interface CacheInfo {
  dir: string;
  /** Bytes of every file under the cache (a file linked twice counted once). */
  size: number;
  wheelFiles: { entries: number; size: number };
  unpacked: { entries: number; size: number };
  interpreters: { entries: number; size: number };
}

/** Sums the sizes of the regular files below `dir`, each inode once. */
function du(dir: string, seen: Set<number>): number {
  let total = 0;
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = lstatOrUndefined(p);
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !seen.has(st.ino)) {
        seen.add(st.ino);
        total += st.size;
      }
    }
  };
  walk(dir);
  return total;
}

export function cacheInfo(_opts: object, ctx: Context): CacheInfo {
  const root = ctx.dirs.cache;
  const seen = new Set<number>();
  const store = new WheelStore(root);
  const unpack = new WheelCache(join(root, "wheels"));
  const wheelFiles = { entries: store.list().length, size: du(storeDir(root), seen) };
  const unpacked = { entries: unpack.entries().length, size: du(join(root, "wheels"), seen) };
  const interpreters = { entries: listNames(join(root, "interpreters")).filter((n) => n.endsWith(".json")).length, size: du(join(root, "interpreters"), seen) };
  const size = wheelFiles.size + unpacked.size + interpreters.size + du(root, seen);
  return { dir: root, size, wheelFiles, unpacked, interpreters };
}

export interface PruneOptions {
  days: number;
}

export interface PruneResult {
  removed: Array<{ kind: "wheel file" | "unpacked"; sha256: string; what: string }>;
  kept: number;
  freed: number;
}

/**
 * When an entry was last used: its record file's mtime (stampUsed), or the
 * `used` file an earlier venvctl stamped instead, whichever is newer.
 */
function lastUsed(dir: string, record: string): number | undefined {
  let newest: number | undefined;
  for (const f of ["used", record]) {
    const st = lstatOrUndefined(join(dir, f));
    if (st && (newest === undefined || st.mtimeMs > newest)) newest = st.mtimeMs;
  }
  return newest;
}

export function cachePrune(opts: PruneOptions, ctx: Context): PruneResult {
  if (!Number.isFinite(opts.days) || opts.days < 0) throw new UsageError(`--days ${opts.days} is not a number of days`, { hint: "pass a whole number, 0 or more" });
  const root = ctx.dirs.cache;
  const cutoff = Date.now() - Math.max(opts.days * DAY, IN_USE_MS);
  const result: PruneResult = { removed: [], kept: 0, freed: 0 };
  const seen = new Set<number>();
  const prune = (kind: PruneResult["removed"][number]["kind"], dir: string, sha256: string, what: string, record: string) => {
    const used = lastUsed(dir, record);
    if (used === undefined || used > cutoff) {
      result.kept++;
      return;
    }
    // Aside first, then the stamp again: a use that began before the rename
    // stamped it, and the entry goes back; one after finds no entry (a miss).
    const aside = siblingTempPath(dir, "prune");
    try {
      renameSync(dir, aside);
    } catch {
      result.kept++;
      return;
    }
    const again = lastUsed(aside, record);
    if (again !== undefined && again > cutoff) {
      renameSync(aside, dir);
      result.kept++;
      return;
    }
    result.freed += du(aside, seen);
    removeOwnedTree(aside);
    result.removed.push({ kind, sha256, what });
  };
  const store = new WheelStore(root);
  for (const sha of store.list()) {
    const dir = store.entryDir(sha);
    const name = listNames(dir).find((n) => n.endsWith(".whl")) ?? sha;
    prune("wheel file", dir, sha, name, "entry.json");
  }
  const unpack = new WheelCache(join(root, "wheels"));
  for (const sha of unpack.entries()) {
    const info = unpack.inspect(sha)?.info;
    prune("unpacked", join(unpack.root, sha), sha, info ? `${info.name} ${info.version}` : sha, "manifest.json");
  }
  pruneEnvLinks(unpack.root, new Set(unpack.entries()));
  store.pruneIndex(); // index entries whose wheel went
  return result;
}

export interface VerifyOptions {
  repair: boolean;
}

export interface VerifyProblem {
  kind: "wheel file" | "unpacked";
  sha256: string;
  /** `name version` (unpacked) or the wheel's file name. */
  what: string;
  /** The files that fail (archive paths), and why. */
  files: Array<{ path: string; reason: string }>;
  /** Envs holding hardlinks to a failing file. */
  envs: string[];
  repaired?: boolean;
  /** Why it could not be repaired. */
  unrepaired?: string;
}

export interface VerifyResult {
  checked: number;
  problems: VerifyProblem[];
}

function sha256Of(path: string): string {
  return digest("sha256", readFileSync(path), "hex");
}

/** The envs (of those recorded) whose files are these very inodes. */
function envsSharing(links: readonly EnvLink[], files: Array<{ path: string; st: Stats }>): string[] {
  const out: string[] = [];
  for (const link of links) {
    const shares = files.some(({ path, st }) => {
      const route = routeArchivePath(path);
      if (!route) return false;
      const dest = lstatOrUndefined(route.key === "root" ? join(link.scheme.purelib, path) : destinationOf(route, link.scheme, true));
      const destPlat = route.key === "root" ? lstatOrUndefined(join(link.scheme.platlib, path)) : undefined;
      return [dest, destPlat].some((d) => d && d.ino === st.ino && d.dev === st.dev);
    });
    if (shares) out.push(link.env);
  }
  return out;
}

export async function cacheVerify(opts: VerifyOptions, ctx: Context): Promise<VerifyResult> {
  const root = ctx.dirs.cache;
  const store = new WheelStore(root);
  const unpack = new WheelCache(join(root, "wheels"));
  const result: VerifyResult = { checked: 0, problems: [] };
  const readWheel = opts.repair ? (await import("../wheel/verify.js")).readWheel : undefined;
  let allLinks: Map<string, EnvLink[]> | undefined; // read once, at the first damaged entry

  for (const sha of store.list()) {
    result.checked++;
    const dir = store.entryDir(sha);
    const whl = listNames(dir).find((n) => n.endsWith(".whl"));
    const reason = !whl ? "the wheel file is missing" : sha256Of(join(dir, whl)) !== sha ? "its sha256 does not match" : undefined;
    if (!reason) continue;
    const problem: VerifyProblem = { kind: "wheel file", sha256: sha, what: whl ?? sha, files: [{ path: whl ?? "", reason }], envs: [] };
    if (opts.repair) {
      store.remove(sha);
      problem.repaired = true; // dropped: the next install fetches it again
    }
    result.problems.push(problem);
  }

  for (const sha of unpack.entries()) {
    result.checked++;
    const entry = unpack.inspect(sha);
    if (!entry && unpack.isStale(sha)) continue; // another venvctl's format: rebuilt when next used
    if (!entry) {
      const problem: VerifyProblem = { kind: "unpacked", sha256: sha, what: sha, files: [{ path: "manifest.json", reason: "missing or unreadable" }], envs: [] };
      if (opts.repair) {
        removeOwnedTree(join(unpack.root, sha));
        problem.repaired = true;
      }
      result.problems.push(problem);
      continue;
    }
    const bad: Array<{ path: string; reason: string; st: Stats }> = [];
    const all: Array<{ path: string; st: Stats }> = [];
    for (const f of entry.info.files) {
      const p = join(entry.filesDir, f.path);
      const st = lstatOrUndefined(p);
      if (!st || !st.isFile()) {
        bad.push({ path: f.path, reason: "missing", st: st ?? ({} as Stats) });
        continue;
      }
      all.push({ path: f.path, st });
      if (!hashMatches(readFileSync(p), f.hash)) bad.push({ path: f.path, reason: "changed (its hash is not RECORD's)", st });
      else if (st.mode & 0o222) bad.push({ path: f.path, reason: "writable (cached files are read-only)", st });
    }
    if (bad.length === 0) continue;
    allLinks ??= readEnvLinks(unpack.root);
    const links = allLinks.get(sha) ?? [];
    const what = `${entry.info.name} ${entry.info.version}`;
    const problem: VerifyProblem = {
      kind: "unpacked", sha256: sha, what, files: bad.map(({ path, reason }) => ({ path, reason })),
      envs: envsSharing(links, bad.filter((b) => b.st.ino !== undefined)),
    };
    if (opts.repair) repairEntry(readWheel!, store, unpack, sha, entry, all, links, problem);
    result.problems.push(problem);
  }
  return result;
}

/** Rebuilds an unpacked entry from its wheel and relinks the envs that shared its old files. */
function repairEntry(
  readWheel: (wheel: string) => VerifiedWheel, store: WheelStore, unpack: WheelCache, sha: string,
  entry: NonNullable<ReturnType<WheelCache["inspect"]>>, old: Array<{ path: string; st: Stats }>,
  links: readonly EnvLink[], problem: VerifyProblem,
): void {
  // The wheel: from the store, else where an install found it (if it is still that wheel).
  const wheel = store.get(sha)?.path ?? links.map((l) => l.wheel).find((w) => lstatOrUndefined(w) && sha256Of(w) === sha);
  if (!wheel) {
    problem.unrepaired = "its wheel is neither in the store nor where it was installed from; the entry was removed, the envs keep their files";
    removeOwnedTree(entry.dir);
    return;
  }
  const w = readWheel(wheel);
  const fresh = unpack.fill(w, { wheel, bytes: Buffer.alloc(0), sha256: sha }, true);
  if (!fresh) {
    problem.unrepaired = "the entry could not be rebuilt";
    return;
  }
  const oldIno = new Map(old.map(({ path, st }) => [path, st.ino]));
  for (const link of links) {
    for (const f of fresh.info.files) {
      const route = routeArchivePath(f.path);
      const ino = oldIno.get(f.path);
      if (!route || ino === undefined) continue;
      const dests = route.key === "root" ? [join(link.scheme.purelib, f.path), join(link.scheme.platlib, f.path)] : [destinationOf(route, link.scheme, true)];
      for (const dest of new Set(dests)) {
        const st = lstatOrUndefined(dest);
        if (!st || st.ino !== ino) continue;
        // A new link beside, renamed over: the env never lacks the file.
        const tmp = siblingTempPath(dest, "relink");
        linkSync(join(fresh.filesDir, f.path), tmp);
        renameSync(tmp, dest);
      }
    }
  }
  problem.repaired = true;
}
