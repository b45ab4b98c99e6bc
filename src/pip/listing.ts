// `pip list` (pip's commands/list.py): the columns table (header, dashes,
// widths, the "Editable project location" column when an editable is
// there), the freeze format, and JSON.
import { dependenciesOf } from "../environments/dependencies.js";
import { filterInstalled, type OpenedEnvironment } from "../environments/environment.js";
import type { InstalledDist } from "../environments/installed-dist.js";
import { canonicalizeName } from "../standards/names.js";
import { STDLIB_PKGS } from "../environments/pip-profile.js";
import { jsonDumpsPy, sortByPy } from "../util/python-text.js";

export type ListFormat = "columns" | "freeze" | "json";

export interface ListRequest {
  format: ListFormat;
  /** -e: only editable installs. */
  editableOnly: boolean;
  /** --exclude-editable. */
  excludeEditable: boolean;
  /** --not-required: only what nothing else installed requires. */
  notRequired: boolean;
  /** --exclude NAME (normalized). */
  excludes: string[];
  local: boolean;
  user: boolean;
  /** -v: add Location and Installer. */
  verbose: number;
}

export interface ListedPackage {
  name: string;
  /** The version as the columns format prints it. */
  version: string;
  location?: string | undefined;
  installer?: string | undefined;
  editableProjectLocation?: string | undefined;
}

export interface ListOutput {
  lines: string[];
  packages: ListedPackage[];
}

/** Length in code points, as Python's len(). */
function pyLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** pip's utils/misc.py tabulate: left-justified columns, trailing spaces stripped. */
export function tabulate(rows: string[][]): { lines: string[]; sizes: number[] } {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const sizes: number[] = [];
  for (let c = 0; c < cols; c++) sizes.push(Math.max(...rows.map((r) => pyLen(r[c] ?? ""))));
  const lines = rows.map((r) =>
    sizes.map((w, c) => {
      const cell = r[c] ?? "";
      return cell + " ".repeat(Math.max(0, w - pyLen(cell)));
    }).join(" ").replace(/\s+$/, ""),
  );
  return { lines, sizes };
}

/** Lists the environment's packages as its pip would. */
export function listPackages(env: OpenedEnvironment, req: ListRequest): ListOutput {
  const skip = new Set([...STDLIB_PKGS, ...req.excludes.map(canonicalizeName)]);
  let dists = filterInstalled(env, {
    localOnly: req.local,
    userOnly: req.user,
    editablesOnly: req.editableOnly,
    includeEditables: !req.excludeEditable,
    skip,
  });
  if (req.notRequired) {
    const markerEnv = env.target.interpreter.info.marker_env ?? {};
    const required = new Set<string>();
    for (const d of dists) {
      const deps = dependenciesOf(d, markerEnv, env.profile);
      if (!deps.ok) {
        env.installed.warn(`WARNING: Ignoring the dependencies of ${d.rawName}: ${deps.error}`);
        continue;
      }
      for (const r of deps.requirements) required.add(canonicalizeName(r.name));
    }
    dists = dists.filter((d) => !required.has(d.canonicalName));
  }
  dists = sortByPy(dists, (d) => d.canonicalName);
  const verbose = req.verbose >= 1;
  // What pip evaluates, in its order: editable_project_location is asked once
  // per distribution by `any()` (up to the first editable), then per row.
  const lines: string[] = [];
  const packages: ListedPackage[] = [];
  if (req.format === "columns" && dists.length) {
    const header = ["Package", "Version"];
    const hasEditables = dists.some((d) => d.editable);
    if (hasEditables) header.push("Editable project location");
    if (verbose) header.push("Location", "Installer");
    const rows = [header];
    for (const d of dists) {
      const p = listed(env, d, req.format, verbose, hasEditables);
      packages.push(p);
      const row = [p.name, p.version];
      if (hasEditables) row.push(p.editableProjectLocation ?? "");
      if (verbose) row.push(p.location ?? "", p.installer ?? "");
      rows.push(row);
    }
    const t = tabulate(rows);
    t.lines.splice(1, 0, t.sizes.map((n) => "-".repeat(n)).join(" "));
    lines.push(...t.lines);
  } else if (req.format === "freeze") {
    for (const d of dists) {
      packages.push(listed(env, d, req.format, verbose, false));
      lines.push(verbose ? `${d.rawName}==${d.version.text} (${d.location})` : `${d.rawName}==${d.version.text}`);
    }
  } else if (req.format === "json") {
    const data = dists.map((d) => {
      const p = listed(env, d, req.format, verbose, true);
      packages.push(p);
      const o: Record<string, string> = { name: d.rawName, version: d.version.text };
      if (verbose) {
        o.location = d.location;
        o.installer = d.installer;
      }
      if (p.editableProjectLocation) o.editable_project_location = p.editableProjectLocation;
      return o;
    });
    lines.push(jsonDumpsPy(data));
  }
  return { lines, packages };
}

function listed(env: OpenedEnvironment, d: InstalledDist, format: ListFormat, verbose: boolean, withEditable: boolean): ListedPackage {
  // The columns format prints the metadata's spelling from pip 24.1; before, and
  // in the other formats, str(version).
  const version = format === "columns" && env.profile.rawVersions ? d.rawVersion : d.version.text;
  return {
    name: d.rawName,
    version,
    location: verbose ? d.location : undefined,
    installer: verbose ? d.installer : undefined,
    editableProjectLocation: withEditable ? d.editableLocation : undefined,
  };
}
