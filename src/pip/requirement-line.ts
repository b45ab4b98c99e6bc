// The project a requirements-file line names, as pip's install_req_from_line
// and install_req_from_editable work it out: a PEP 508 requirement, a wheel
// path or URL (its file name), anything else by its `#egg=` fragment — or no
// name at all (a local directory, an archive).
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseRequirement, type Grammar } from "../standards/requirement.js";

/** pip's req_file.COMMENT_RE: a `#` at the start or after whitespace, to the end. */
export function stripComment(line: string): string {
  return line.replace(/(^|\s+)#.*$/s, "");
}

export type LineName = { name: string | undefined; warnings: string[] } | { error: string };

const VCS = ["git", "hg", "svn", "bzr"];
const VCS_SCHEMES = [
  "git+http", "git+https", "git+ssh", "git+git", "git+file",
  "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
  "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
  "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file",
];
const ARCHIVE_EXTENSIONS = [".zip", ".whl", ".tar.bz2", ".tbz", ".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"];

function urlScheme(s: string): string | undefined {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s)?.[1]?.toLowerCase();
}

/** pip's vcs.is_url. */
export function isUrl(s: string): boolean {
  const scheme = urlScheme(s);
  return scheme !== undefined && (["http", "https", "file", "ftp"].includes(scheme) || VCS_SCHEMES.includes(scheme));
}

/** Whether a file name has an archive extension pip installs from (pip's is_archive_file). */
export function isArchiveFile(name: string): boolean {
  // pip's splitext takes `.tar.X` as one extension, so a suffix test is the same.
  const lower = name.toLowerCase();
  return ARCHIVE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function eggFragment(url: string): string | undefined {
  const m = /[#&]egg=([^&]*)/.exec(url);
  return m ? m[1] : undefined;
}

/** The project name and version a wheel file name carries (pip's models/wheel.py). */
function wheelName(filename: string): string | undefined {
  const m = /^(?<name>[^\s-]+?)-(?<ver>[^\s-]*?)(-(\d[^-]*?))?-([^\s-]+?)-([^\s-]+?)-([^\s-]+?)\.whl$/.exec(filename);
  return m ? m.groups!.name!.replace(/_/g, "-") : undefined;
}

/** pip's _looks_like_path: a path separator, or a leading dot. */
export function looksLikePath(name: string): boolean {
  return name.includes("/") || name.startsWith(".");
}

/** pip's is_installable_dir: a directory holding pyproject.toml or setup.py. */
export function isInstallableDir(p: string): boolean {
  try {
    if (!statSync(p).isDirectory()) return false;
  } catch {
    return false;
  }
  const isFile = (f: string) => statSync(join(p, f), { throwIfNoEntry: false })?.isFile() ?? false;
  return isFile("pyproject.toml") || isFile("setup.py");
}

function nameFromReqString(text: string, grammar: Grammar): LineName {
  const parsed = parseRequirement(text, grammar);
  if (!parsed.ok) return { error: `Invalid requirement: '${text}': ${parsed.error}` };
  return { name: parsed.req.name, warnings: [] };
}

/**
 * The name a requirement line (comment already removed, stripped) installs,
 * read with the env's pip's grammar (pip-profile.ts); by default, what every
 * pip accepts.
 */
export function nameOfLine(line: string, cwd: string, grammar: Grammar = {}): LineName {
  let name = line;
  const url = isUrl(name);
  const sep = url ? "; " : ";";
  const at = name.indexOf(sep);
  if (at >= 0) name = name.slice(0, at);
  name = name.trim();
  const warnings: string[] = [];
  let link: string | undefined;
  if (isUrl(name)) {
    link = name;
  } else {
    const path = resolve(cwd, name);
    const pathNoExtras = /^(.+)(\[[^\]]+\])$/.exec(path)?.[1] ?? path;
    if (looksLikePath(name) && statSync(pathNoExtras, { throwIfNoEntry: false })?.isDirectory()) {
      if (!isInstallableDir(pathNoExtras)) {
        return { error: `Directory '${name}' is not installable. Neither 'setup.py' nor 'pyproject.toml' found.` };
      }
      link = `file://${pathNoExtras}`;
    } else if (isArchiveFile(pathNoExtras)) {
      const parts = name.split("@");
      if (existsSync(pathNoExtras)) link = `file://${pathNoExtras}`;
      else if (!(parts.length >= 2 && !looksLikePath(parts[0]!))) {
        warnings.push(`WARNING: Requirement '${name}' looks like a filename, but the file does not exist`);
        link = `file://${pathNoExtras}`;
      }
    }
  }
  if (link !== undefined) {
    const path = link.replace(/[#?].*$/, "");
    const file = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
    if (file.endsWith(".whl")) {
      const wheel = wheelName(file);
      if (!wheel) return { error: `${file} is not a valid wheel filename.` };
      return { name: wheel, warnings };
    }
    const egg = eggFragment(link);
    if (egg === undefined) return { name: undefined, warnings };
    const r = nameFromReqString(egg, grammar);
    return "error" in r ? r : { name: r.name, warnings };
  }
  const r = nameFromReqString(name, grammar);
  return "error" in r ? r : { name: r.name, warnings };
}

/** The name an editable requirement (`-e ARG`) installs. */
export function nameOfEditable(arg: string, cwd: string, grammar: Grammar = {}): LineName {
  const m = /^(.+)(\[[^\]]+\])$/.exec(arg);
  let url = m ? m[1]! : arg;
  if (statSync(resolve(cwd, url), { throwIfNoEntry: false })?.isDirectory()) url = `file://${resolve(cwd, url)}`;
  if (url.toLowerCase().startsWith("file:")) {
    const egg = eggFragment(url);
    return egg === undefined ? { name: undefined, warnings: [] } : nameFromReqString(egg, grammar);
  }
  let full = arg;
  for (const v of VCS) {
    if (arg.toLowerCase().startsWith(`${v}:`)) {
      full = `${v}+${arg}`;
      break;
    }
  }
  const scheme = urlScheme(full);
  if (!scheme || !VCS_SCHEMES.includes(scheme)) {
    return {
      error: `${arg} is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with ${["bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file", "git+http", "git+https", "git+ssh", "git+git", "git+file", "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http", "svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file"].join(", ")}).`,
    };
  }
  const egg = eggFragment(full);
  if (!egg) return { error: `Could not detect requirement name for '${arg}', please specify one with #egg=your_package_name` };
  return nameFromReqString(egg, grammar);
}
