// How freeze writes an editable install (pip's operations/freeze.py
// _get_editable_info): a project under Git becomes `git+URL@COMMIT#egg=NAME`
// (asking git, as pip does), anything else its directory with a comment.
// Other version control systems are left to pip itself.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Context } from "../context.js";
import { findOnPath } from "../util/path-search.js";
import { capture } from "../util/exec.js";
import { splitlinesPy } from "../util/python-text.js";
import { isInstallableDir } from "./requirement-line.js";

export interface EditableInfo {
  requirement: string;
  comments: string[];
  warnings: string[];
}

/** Thrown when the project is under a VCS venvctl does not ask (Mercurial, Subversion, Bazaar). */
export class NeedsPip extends Error {}

function findUp(start: string, marker: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The freeze requirement of an editable install at `projectLocation`.
 * `display` is `name==version` (or `name===version`).
 */
export async function editableInfo(
  ctx: Pick<Context, "env" | "cwd" | "dirs" | "platform">,
  projectLocation: string,
  rawName: string,
  display: string,
): Promise<EditableInfo> {
  const location = resolve(ctx.cwd, projectLocation);
  const hasGit = findOnPath(ctx, "git") !== undefined;
  // pip asks each VCS for its repository root and takes the innermost.
  let gitRoot: string | undefined;
  if (existsSync(join(location, ".git"))) gitRoot = location;
  else if (hasGit) gitRoot = findUp(location, ".git");
  const hgRoot = findOnPath(ctx, "hg") ? findUp(location, ".hg") : undefined;
  const other = existsSync(join(location, ".svn")) || existsSync(join(location, ".bzr"));
  if (other || (hgRoot && (!gitRoot || hgRoot.length >= gitRoot.length))) throw new NeedsPip();
  if (!gitRoot) {
    return { requirement: location, comments: [`# Editable install with no version control (${display})`], warnings: [] };
  }
  if (!hasGit) {
    return {
      requirement: location,
      comments: [],
      warnings: [`WARNING: cannot determine version of editable source in ${location} (git command not found in path)`],
    };
  }
  const git = async (args: string[], okCodes: number[] = [0]) => {
    const r = await capture("git", args, { cwd: location, env: ctx.env });
    if (!okCodes.includes(r.exitCode)) throw new Error(r.stderr.trim() || `git ${args.join(" ")} exited with ${r.exitCode}`);
    return r.stdout;
  };
  try {
    const remotes = splitlinesPy(await git(["config", "--get-regexp", "remote\\..*\\.url"], [0, 1]));
    if (remotes.length === 0) {
      return { requirement: location, comments: [`# Editable Git install with no remote (${display})`], warnings: [] };
    }
    const found = remotes.find((r) => r.startsWith("remote.origin.url ")) ?? remotes[0]!;
    const rawUrl = (found.split(" ")[1] ?? "").trim();
    const url = gitRemoteToPipUrl(rawUrl);
    if (url === undefined) {
      return {
        requirement: location,
        comments: [`# Editable Git install (${display}) with either a deleted local remote or invalid URI:`, `# '${rawUrl}'`],
        warnings: [],
      };
    }
    const repoUrl = url.toLowerCase().startsWith("git:") ? url : `git+${url}`;
    const revision = (await git(["rev-parse", "HEAD"])).trim();
    let gitDir = (await git(["rev-parse", "--git-dir"])).trim();
    if (!isAbsolute(gitDir)) gitDir = join(location, gitDir);
    const repoRoot = resolve(gitDir, "..");
    const warnings: string[] = [];
    let project: string | undefined = location;
    while (!isInstallableDir(project)) {
      const up = dirname(project);
      if (up === project) {
        warnings.push(`WARNING: Could not find a Python project for directory ${location} (tried all parent directories)`);
        project = undefined;
        break;
      }
      project = up;
    }
    let subdir: string | undefined;
    if (project !== undefined && resolve(project) !== resolve(repoRoot)) subdir = relative(repoRoot, project);
    let req = `${repoUrl}@${revision}#egg=${rawName.replace(/-/g, "_")}`;
    if (subdir) req += `&subdirectory=${subdir}`;
    return { requirement: req, comments: [], warnings };
  } catch (err) {
    return {
      requirement: location,
      comments: ["## !! Could not determine repository location"],
      warnings: [
        `WARNING: Error when trying to get requirement for VCS system ${(err as Error).message}`,
        `WARNING: Could not determine repository location of ${location}`,
      ],
    };
  }
}

/** pip's Git._git_remote_to_pip_url; undefined for a remote pip rejects. */
function gitRemoteToPipUrl(url: string): string | undefined {
  if (/^\w+:\/\//.test(url)) return url;
  if (url && existsSync(url)) return "file://" + quotePath(resolve(url));
  const m = /^(\w+@)?([^/:]+):(\w[^:]*)$/.exec(url);
  if (m) return `ssh://${m[1] ?? ""}${m[2]}/${m[3]}`;
  return undefined;
}

/** urllib.parse.quote(path): everything but letters, digits, `_.-~/` percent-encoded (UTF-8). */
function quotePath(p: string): string {
  let out = "";
  for (const byte of Buffer.from(p, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(c) ? c : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}
