// The registry of envs linked to the unpack cache's entries
// (`$CACHE/links/<sha256>/<key>.json`, written by WheelCache.registerEnv):
// what `cache verify` names and `cache verify --repair` relinks. Scanning
// the disk for envs would be slow and would miss envs outside known places.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listNames } from "../util/fs.js";
import type { InstallScheme } from "./contents.js";

/** An env whose files were hardlinked from an entry (`$CACHE/links/<sha256>/<key>.json`): what `cache verify` names and `--repair` relinks. */
export interface EnvLink {
  env: string;
  /** The wheel installed (where it was then). */
  wheel: string;
  /** Where its files went. */
  scheme: InstallScheme;
}

/** Where the envs linked to the entries of the unpack cache at `root` are recorded. */
export function linksDir(root: string): string {
  return join(dirname(root), "links");
}

/** The envs recorded as linked to an entry (unreadable records are skipped). */
export function readEnvLinks(root: string, sha256: string): Array<EnvLink & { record: string }> {
  const dir = join(linksDir(root), sha256);
  const out: Array<EnvLink & { record: string }> = [];
  for (const name of listNames(dir)) {
    const record = join(dir, name);
    try {
      const link = JSON.parse(readFileSync(record, "utf8")) as EnvLink;
      if (typeof link.env === "string" && link.scheme && typeof link.scheme.purelib === "string") out.push({ ...link, record });
    } catch {
      // A record half-written by a killed run, or meddled with: nothing to name.
    }
  }
  return out;
}
