// Snapshots of directory trees, for comparing ours with `python -m venv`'s.
import { existsSync, lstatSync, readdirSync, readlinkSync } from "node:fs";
import { join, relative } from "node:path";

export interface TreeEntry {
  kind: "dir" | "file" | "link" | "other";
  /** Link target, as stored (not resolved). */
  target?: string;
  mode?: number;
}

/** Every path below `root` (relative, sorted) with its kind and link target. */
export function snapshotTree(root: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  const walk = (rel: string) => {
    const abs = rel ? join(root, rel) : root;
    for (const name of readdirSync(abs).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) out.set(r, { kind: "link", target: readlinkSync(join(root, r)) });
      else if (st.isDirectory()) {
        out.set(r, { kind: "dir" });
        walk(r);
      } else if (st.isFile()) out.set(r, { kind: "file", mode: st.mode & 0o777 });
      else out.set(r, { kind: "other" });
    }
  };
  walk("");
  return out;
}

/** Every file below `dir` (relative, sorted), `__pycache__` left out; none when `dir` is missing. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === "__pycache__") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}
