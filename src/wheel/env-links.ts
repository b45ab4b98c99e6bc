// The registry of envs linked to the unpack cache's entries: what `cache
// verify` names and `cache verify --repair` relinks. Scanning the disk for
// envs would be slow and would miss envs outside known places.
//
// One record per env, `$CACHE/links/<key>.json` (key: a hash of the env's
// path), naming every entry an install hardlinked into it, written once per
// install (recordEnvLinks): a file per wheel (and a directory per entry, as
// venvctl did before, `links/<sha256>/<key>.json`, still read) cost a fresh
// env's install 30 file creates for 30 wheels, on a disk where each is ~0.3 ms.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { atomicWriteFile, ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree } from "../util/fs.js";
import { isSha256Hex } from "../util/digest.js";
import { quickHash } from "../util/hash.js";
import type { InstallScheme } from "./contents.js";

/** An env whose files were hardlinked from an entry: what `cache verify` names and `--repair` relinks. */
export interface EnvLink {
  env: string;
  /** The wheel installed (where it was then). */
  wheel: string;
  /** Where its files went. */
  scheme: InstallScheme;
}

/** One entry an install linked into an env. */
export interface LinkedEntry {
  sha256: string;
  wheel: string;
  scheme: InstallScheme;
}

/** An env's record: the entries linked into it, by sha256. */
interface EnvRecord {
  env: string;
  links: Record<string, { wheel: string; scheme: InstallScheme }>;
}

/** Where the envs linked to the entries of the unpack cache at `root` are recorded. */
export function linksDir(root: string): string {
  return join(dirname(root), "links");
}

const recordPath = (root: string, env: string) => join(linksDir(root), `${quickHash(env)}.json`);

const isScheme = (s: unknown): s is InstallScheme => typeof (s as InstallScheme | undefined)?.purelib === "string";

/** An env's record, or undefined for none (or one torn or meddled with: there is nothing to name). */
function readRecord(file: string): EnvRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, "utf8")) as EnvRecord;
    if (typeof r.env === "string" && r.links && typeof r.links === "object") return r;
  } catch {
    // Unreadable: as if none.
  }
  return undefined;
}

/**
 * Records that `env` holds hardlinks to these entries' files, merged into the
 * env's record (written beside and renamed: never torn). Best effort: a record
 * that cannot be written costs only `cache verify` the name of that env. Two
 * installs into one env at once are kept apart by the env's lock.
 */
export function recordEnvLinks(root: string, env: string, linked: readonly LinkedEntry[], debug: (m: string) => void = () => {}): void {
  if (linked.length === 0) return;
  const file = recordPath(root, env);
  const record = readRecord(file) ?? { env, links: {} };
  if (record.env !== env) record.links = {}; // another env's record under the same hash: ours now
  record.env = env;
  let changed = false;
  for (const { sha256, wheel, scheme } of linked) {
    const had = record.links[sha256];
    if (had && had.wheel === wheel && JSON.stringify(had.scheme) === JSON.stringify(scheme)) continue;
    record.links[sha256] = { wheel, scheme };
    changed = true;
  }
  if (!changed) return;
  try {
    ensureDir(dirname(file));
    atomicWriteFile(file, JSON.stringify(record));
  } catch (err) {
    debug(`could not record ${env} as linked to ${linked.length} cache entries: ${(err as Error).message}`);
  }
}

/** Every env recorded as linked, by the sha256 of the entry: env records and the per-entry records of earlier venvctl versions. */
export function readEnvLinks(root: string): Map<string, EnvLink[]> {
  const dir = linksDir(root);
  const out = new Map<string, EnvLink[]>();
  const add = (sha: string, link: EnvLink) => {
    if (typeof link.env !== "string" || typeof link.wheel !== "string" || !isScheme(link.scheme)) return;
    let list = out.get(sha);
    if (!list) out.set(sha, (list = []));
    if (!list.some((l) => l.env === link.env)) list.push(link);
  };
  for (const name of listNames(dir)) {
    if (isSha256Hex(name)) {
      // links/<sha256>/<key>.json, one EnvLink each (earlier venvctl versions).
      for (const f of listNames(join(dir, name))) {
        try {
          add(name, JSON.parse(readFileSync(join(dir, name, f), "utf8")) as EnvLink);
        } catch {
          // Half-written by a killed run, or meddled with: nothing to name.
        }
      }
    } else if (name.endsWith(".json")) {
      const r = readRecord(join(dir, name));
      if (r) for (const [sha, l] of Object.entries(r.links)) add(sha, { env: r.env, wheel: l?.wheel, scheme: l?.scheme });
    }
  }
  return out;
}

/**
 * Drops what names entries no longer in the cache (`live`: the sha256 of
 * those that are) or envs no longer on disk: per-entry directories of earlier
 * versions go, env records are rewritten or removed.
 */
export function pruneEnvLinks(root: string, live: ReadonlySet<string>): void {
  const dir = linksDir(root);
  for (const name of listNames(dir)) {
    const path = join(dir, name);
    if (isSha256Hex(name)) {
      if (!live.has(name)) removeOwnedTree(path);
      continue;
    }
    if (!name.endsWith(".json")) continue;
    const r = readRecord(path);
    if (!r) continue; // not ours to judge: perhaps being written
    const kept = Object.entries(r.links).filter(([sha]) => live.has(sha));
    try {
      if (kept.length === 0 || !lstatOrUndefined(r.env)?.isDirectory()) removeOwnedTree(path);
      else if (kept.length < Object.keys(r.links).length) atomicWriteFile(path, JSON.stringify({ env: r.env, links: Object.fromEntries(kept) }));
    } catch (err) {
      if (!isNodeError(err, "ENOENT")) throw err;
    }
  }
}
