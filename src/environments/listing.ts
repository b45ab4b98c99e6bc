// Directory listings as the scan of installed distributions reads them,
// cached for the process (a directory of sys.path is listed once): sorted,
// which is cheap, or in the file system's order where pip's answer depends
// on it.
import { opendirSync, readdirSync } from "node:fs";

const listings = new Map<string, string[] | undefined>();
const rawListings = new Map<string, string[]>();

/**
 * A directory's entry names, sorted (readdirSync sorts; it is several times
 * cheaper than listing in the file system's order). Undefined when it is not
 * a readable directory.
 */
export function listDir(dir: string): string[] | undefined {
  let out = listings.get(dir);
  if (out === undefined && !listings.has(dir)) {
    try {
      out = readdirSync(dir);
    } catch {
      out = undefined;
    }
    listings.set(dir, out);
  }
  return out;
}

/**
 * The names in the file system's order, as os.listdir gives them: asked for
 * only where pip's answer depends on it (two candidates for one name).
 */
export function listDirRaw(dir: string): string[] {
  let out = rawListings.get(dir);
  if (out) return out;
  out = [];
  try {
    const d = opendirSync(dir, { bufferSize: 1024 });
    try {
      for (let e = d.readSync(); e; e = d.readSync()) out.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    // listed before, gone now: nothing
  }
  rawListings.set(dir, out);
  return out;
}

/** Forgets cached listings (tests change trees between calls). */
export function clearListingCache(): void {
  listings.clear();
  rawListings.clear();
}
