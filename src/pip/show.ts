// `pip show NAME...` (pip's commands/show.py): the fields pip prints for each
// distribution, `---` between them, -v for the metadata details, -f for the
// files RECORD (or installed-files.txt) lists.
import { dependenciesOf } from "../environments/dependencies.js";
import type { OpenedEnvironment } from "../environments/environment.js";
import type { InstalledDist } from "../environments/installed-dist.js";
import { canonicalizeName } from "../standards/names.js";
import { comparePy, normalizePathlib, splitlinesPy, stripPy } from "../util/python-text.js";

export interface ShowRequest {
  names: string[];
  files: boolean;
  verbose: boolean;
}

/** What pip show reports about one distribution (pip's _PackageInfo). */
export interface PackageInfo {
  name: string;
  version: string;
  summary: string;
  homePage: string;
  author: string;
  authorEmail: string;
  license: string;
  location: string;
  /** Printed only when set (pip 23.0+). */
  editableProjectLocation: string | undefined;
  requires: string[];
  requiredBy: string[];
  metadataVersion: string;
  installer: string;
  classifiers: string[];
  entryPoints: string[];
  projectUrls: string[];
  /** undefined: neither RECORD nor installed-files.txt. */
  files: string[] | undefined;
}

export interface ShowOutput {
  packages: PackageInfo[];
  /** Names asked for and not installed, sorted as pip sorts them. */
  missing: string[];
  lines: string[];
}

const lowerCompare = (a: string, b: string) => comparePy(a.toLowerCase(), b.toLowerCase());

/** Parses one RECORD line as Python's csv module (excel dialect) and answers its first field. */
function csvFirstField(line: string): string | undefined {
  if (line === "") return undefined;
  let field = "";
  let i = 0;
  if (line[0] === '"') {
    i = 1;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          i++;
          break;
        }
      } else field += c;
    }
    // Characters after a closing quote, up to the delimiter, are kept (non-strict csv).
    while (i < line.length && line[i] !== ",") field += line[i++];
    return field;
  }
  const comma = line.indexOf(",");
  return comma < 0 ? line : line.slice(0, comma);
}

/** pip's iter_declared_entries: RECORD, else installed-files.txt made relative to the location. */
function declaredFiles(dist: InstalledDist): string[] | undefined {
  // Checked: pip's csv reader stops on a NUL, and its read_text on bytes that are not UTF-8.
  const record = dist.readCheckedText("RECORD");
  if (record !== undefined) {
    const out: string[] = [];
    for (const line of splitlinesPy(record)) {
      const f = csvFirstField(line);
      if (f !== undefined) out.push(normalizePathlib(f));
    }
    return out;
  }
  const legacy = dist.readText("installed-files.txt");
  if (legacy === undefined) return undefined;
  const paths = splitlinesPy(legacy).filter((p) => p);
  const root = dist.location;
  const info = dist.infoPath;
  if (!info.startsWith(root + "/")) return paths;
  const infoRel = info.slice(root.length + 1).split("/").filter((x) => x);
  if (infoRel.length === 0) return paths;
  return paths.map((p) => {
    let entry = normalizePathlib(p).split("/");
    if (p.startsWith("/")) return normalizePathlib(p);
    let base = [...infoRel];
    while (entry.length && entry[0] === "..") {
      if (!base.length || base[base.length - 1] === "..") base.push("..");
      else base = base.slice(0, -1);
      entry = entry.slice(1);
    }
    return normalizePathlib([...base, ...entry].join("/"));
  });
}

function info(env: OpenedEnvironment, dist: InstalledDist, installed: Map<string, InstalledDist>, req: ShowRequest): PackageInfo {
  const profile = env.profile;
  const markerEnv = env.target.interpreter.info.marker_env ?? {};
  const h = dist.headers("all");
  const deps = dependenciesOf(dist, markerEnv, profile);
  let requires: string[];
  if (deps.ok) {
    const names = deps.requirements.map((r) => r.name);
    requires = (profile.dedupRequires ? [...new Set(names)] : names).sort(lowerCompare);
  } else {
    // pip 24.1+ falls back to the raw Requires-Dist text; older pips stop with a traceback.
    requires = [...deps.raw].sort(lowerCompare);
    if (!profile.dedupRequires) env.installed.warn(`WARNING: ${deps.error}`);
  }
  let requiredBy: string[] = [];
  let invalid = false;
  for (const other of installed.values()) {
    const d = dependenciesOf(other, markerEnv, profile);
    if (!d.ok) {
      invalid = true;
      continue;
    }
    if (d.requirements.some((r) => canonicalizeName(r.name) === dist.canonicalName)) {
      requiredBy.push(other.headers("all").get("Name") || "UNKNOWN");
    }
  }
  requiredBy = invalid && profile.dedupRequires ? ["#N/A"] : requiredBy.sort(lowerCompare);

  const projectUrls = h.getAll("Project-URL");
  let homePage = h.get("Home-page") ?? "";
  if (!homePage && profile.homepageFromProjectUrls) {
    for (const u of projectUrls) {
      const comma = u.indexOf(",");
      if (comma < 0) continue;
      const label = u.slice(0, comma).toLowerCase().replace(/[-_]/g, "");
      if (stripPy(label) === "homepage") {
        homePage = stripPy(u.slice(comma + 1));
        break;
      }
    }
  }
  const entryPointsText = dist.readText("entry_points.txt");
  return {
    name: dist.rawName,
    version: profile.rawVersions ? dist.rawVersion : dist.version.text,
    summary: h.get("Summary") ?? "",
    homePage,
    author: h.get("Author") ?? "",
    authorEmail: h.get("Author-email") ?? "",
    license: h.get("License") ?? "",
    location: dist.location,
    editableProjectLocation: dist.editableLocation,
    requires,
    requiredBy,
    metadataVersion: h.get("Metadata-Version") ?? "",
    installer: req.verbose ? dist.installer : "",
    classifiers: h.getAll("Classifier"),
    entryPoints: entryPointsText === undefined ? [] : splitlinesPy(entryPointsText),
    projectUrls,
    files: req.files ? declaredFiles(dist)?.sort(comparePy) : undefined,
  };
}

/** Shows the named distributions as the env's pip would. */
export function showPackages(env: OpenedEnvironment, req: ShowRequest): ShowOutput {
  // Every distribution (no filters), the last of a name winning, as pip's dict.
  const installed = new Map<string, InstalledDist>();
  for (const d of env.installed.dists) installed.set(d.canonicalName, d);
  const queried = req.names.map((n) => ({ name: n, key: canonicalizeName(n) }));
  const missing = queried.filter((q) => !installed.has(q.key)).map((q) => q.name).sort(comparePy);
  const packages: PackageInfo[] = [];
  for (const q of queried) {
    const dist = installed.get(q.key);
    if (dist) packages.push(info(env, dist, installed, req));
  }
  const lines: string[] = [];
  packages.forEach((p, i) => {
    if (i > 0) lines.push("---");
    lines.push(
      `Name: ${p.name}`,
      `Version: ${p.version}`,
      `Summary: ${p.summary}`,
      `Home-page: ${p.homePage}`,
      `Author: ${p.author}`,
      `Author-email: ${p.authorEmail}`,
      `License: ${p.license}`,
      `Location: ${p.location}`,
    );
    if (p.editableProjectLocation !== undefined) {
      lines.push(`Editable project location: ${p.editableProjectLocation}`);
    }
    lines.push(`Requires: ${p.requires.join(", ")}`, `Required-by: ${p.requiredBy.join(", ")}`);
    if (req.verbose) {
      lines.push(`Metadata-Version: ${p.metadataVersion}`, `Installer: ${p.installer}`, "Classifiers:");
      for (const c of p.classifiers) lines.push(`  ${c}`);
      lines.push("Entry-points:");
      for (const e of p.entryPoints) lines.push(`  ${stripPy(e)}`);
      lines.push("Project-URLs:");
      for (const u of p.projectUrls) lines.push(`  ${u}`);
    }
    if (req.files) {
      lines.push("Files:");
      if (p.files === undefined) lines.push("Cannot locate RECORD or installed-files.txt");
      else for (const f of p.files) lines.push(`  ${stripPy(f)}`);
    }
  });
  return { packages, missing, lines };
}
