// What removing an installed distribution removes, as pip's uninstall
// decides it (pip/_internal/req/req_uninstall.py): every path its RECORD
// lists, with the .pyc of each listed .py (beside it, and in __pycache__ for
// the target's cache tag), and a directory as a whole when every file under
// it is to go (compress_for_rename). Unlike pip, a distribution without a
// RECORD is refused rather than guessed at, nothing outside the environment
// is ever removed, and the directories the environment is made of (site
// dirs, bin, include and their parents) are never removed whole.
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { VenvctlError } from "../errors.js";
import { isNodeError, listNames } from "../util/fs.js";
import { canonicalizeName } from "../standards/names.js";
import { parseRecord } from "../standards/record.js";

/** An installed distribution, found by its metadata directory. */
export interface InstalledDist {
  /** The name as the directory spells it, and its canonical form. */
  name: string;
  canonical: string;
  version: string;
  /** The `.dist-info` (or `.egg-info`) directory. */
  infoDir: string;
  /** Where RECORD paths are relative to (the site directory). */
  location: string;
  kind: "dist-info" | "egg-info";
}

const DIST_INFO = /^(.+)-([^-]+)\.dist-info$/;
const EGG_INFO = /^([^-]+)(?:-([^-]+))?(?:-py\d[^-]*)?(?:-[^-]+)?\.egg-info$/;

/** The distributions installed in these site directories, by canonical name. */
export function findInstalled(siteDirs: readonly string[]): Map<string, InstalledDist[]> {
  const out = new Map<string, InstalledDist[]>();
  for (const dir of new Set(siteDirs)) {
    for (const n of listNames(dir)) {
      const m = DIST_INFO.exec(n) ?? EGG_INFO.exec(n);
      if (!m) continue;
      const kind = n.endsWith(".dist-info") ? "dist-info" : "egg-info";
      const canonical = canonicalizeName(m[1]!);
      const dist: InstalledDist = { name: m[1]!, canonical, version: m[2] ?? "", infoDir: join(dir, n), location: dir, kind };
      out.set(canonical, [...(out.get(canonical) ?? []), dist]);
    }
  }
  return out;
}

/** What removing one distribution takes away. */
export interface RemovalPlan {
  dist: InstalledDist;
  /** Files, and directories to go whole, that exist now. */
  paths: string[];
  /** How many files that is (directories counted by their files). */
  fileCount: number;
}

export interface RemovalContext {
  /** The environment: nothing outside it is removed. */
  envDir: string;
  /** sys.implementation.cache_tag (`cpython-312`), for `__pycache__/<name>.<tag>.pyc`. */
  cacheTag: string | null | undefined;
  /** Directories never removed whole (the env's own structure), with their ancestors. */
  protectedDirs: ReadonlySet<string>;
}

/** The directories an environment is made of, and their ancestors: never removed, even when emptied. */
export function protectedDirsOf(dirs: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const d of dirs) for (let p = resolve(d); !out.has(p); p = dirname(p)) out.add(p);
  return out;
}

function inside(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Plans the removal of `dist`; throws a VenvctlError naming it when it cannot be removed safely. */
export function planRemoval(dist: InstalledDist, ctx: RemovalContext): RemovalPlan {
  const label = `${dist.name} ${dist.version}`.trim();
  if (dist.kind === "egg-info") {
    throw new VenvctlError(`cannot remove ${label} natively: it is an egg-info installation (${dist.infoDir}), which lists no files reliably`, {
      hint: `remove it with the environment's pip (\`python -m pip uninstall ${dist.name}\`), then run again`,
    });
  }
  let text: string;
  try {
    text = readFileSync(join(dist.infoDir, "RECORD"), "utf8");
  } catch (err) {
    if (!isNodeError(err, "ENOENT")) throw err;
    throw new VenvctlError(`cannot remove ${label}: ${dist.infoDir} has no RECORD, so which files are its own is unknown`, {
      hint: `it was not installed by pip, uv or venvctl; remove it by hand (or with \`python -m pip uninstall ${dist.name}\` if pip can), then run again`,
    });
  }
  const envDir = resolve(ctx.envDir);
  // Existence by directory listings (one readdir per directory instead of
  // four lstat calls per .py file: thousands of files per distribution).
  const listings = new Map<string, Set<string>>();
  const exists = (p: string): boolean => {
    const dir = dirname(p);
    let names = listings.get(dir);
    if (!names) {
      names = new Set(listNames(dir));
      listings.set(dir, names);
    }
    return names.has(basename(p));
  };
  const wanted = new Set<string>();
  const add = (p: string) => {
    if (!exists(p)) return;
    if (!inside(p, envDir)) {
      throw new VenvctlError(`cannot remove ${label}: its RECORD lists ${p}, outside the environment ${envDir}`, {
        hint: "venvctl removes nothing outside the environment; remove the distribution by hand",
      });
    }
    wanted.add(p);
  };
  for (const [entry] of parseRecord(text)) {
    const p = resolve(dist.location, entry);
    add(p);
    if (p.endsWith(".py")) {
      const base = p.slice(0, -3);
      add(`${base}.pyc`);
      add(`${base}.pyo`);
      if (ctx.cacheTag) add(join(dirname(p), "__pycache__", `${basename(base)}.${ctx.cacheTag}.pyc`));
    }
  }
  // compress_for_rename: a directory whose every file goes, goes whole (and
  // then none of its files is listed on its own).
  const remaining = new Set(wanted);
  const wildcards = new Set<string>();
  const underWildcard = (d: string) => {
    for (let p = d; p.length > envDir.length; p = dirname(p)) if (wildcards.has(p)) return true;
    return false;
  };
  const roots = [...new Set([...wanted].map((p) => dirname(p)))].sort((a, b) => a.length - b.length);
  for (const root of roots) {
    if (ctx.protectedDirs.has(root) || !inside(root, envDir) || underWildcard(root)) continue;
    const files = filesUnder(root);
    if (files.every((f) => remaining.has(f))) {
      for (const f of files) remaining.delete(f);
      wildcards.add(root);
    }
  }
  return { dist, paths: [...wildcards, ...remaining], fileCount: wanted.size };
}

/** Every non-directory under `dir` (links not followed). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}
