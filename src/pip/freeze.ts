// `pip freeze`, line for line (pip's operations/freeze.py): one requirement
// per distribution — `name==version`, `name @ url` for direct-URL installs,
// `-e …` for editables — sorted case-insensitively, or following the order
// and comments of -r files, then the rest.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { pythonRepr } from "../standards/pyvenv-cfg.js";
import { editableInfo } from "./editable-vcs.js";
import { filterInstalled, type OpenedEnvironment } from "../environments/environment.js";
import type { InstalledDist } from "../environments/installed-dist.js";
import type { DirectUrl } from "../standards/direct-url.js";
import { canonicalizeName } from "../standards/names.js";
import { STDLIB_PKGS } from "../environments/pip-profile.js";
import { nameOfEditable, nameOfLine, stripComment } from "./requirement-line.js";
import { comparePy, sortByPy, stripPy } from "../util/python-text.js";

export interface FreezeRequest {
  /** --all: keep pip (and the build backends, where that pip leaves them out). */
  all: boolean;
  /** --exclude NAME (normalized). */
  excludes: string[];
  excludeEditable: boolean;
  local: boolean;
  user: boolean;
  /** -r FILE, in order (relative to the working directory; messages name them as given). */
  requirementFiles: string[];
}

/** One frozen distribution. */
export interface FrozenEntry {
  /** The name as the metadata spells it. */
  name: string;
  version: string;
  /** The requirement as freeze writes it (`-e ` included for editables). */
  requirement: string;
  editable: boolean;
  editableProjectLocation?: string | undefined;
  /** Comment lines freeze writes above it. */
  comments: string[];
}

export interface FreezeOutput {
  /** The output lines, as pip prints them. */
  lines: string[];
  /** The distributions, in output order. */
  entries: FrozenEntry[];
}

/**
 * A -r line freeze cannot name. pip prints the lines before it and its
 * warnings, then `ERROR: <its message>` (pip/_internal/operations/freeze.py
 * yields line by line; the InstallationError ends the command): the command
 * then belongs to the env's pip, whose message — packaging's own, caret and
 * all, from 24.1 — only pip words exactly.
 */
export class FreezeFileLineError extends VenvctlError {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

/** name==version, or name===version for a version that is not PEP 440. */
function nameVersion(dist: InstalledDist): string {
  const v = dist.version;
  return `${dist.rawName}${v.legacy ? "===" : "=="}${v.text}`;
}

/** pip's direct_url_as_pep440_direct_reference. */
export function directReference(du: DirectUrl, name: string): string {
  let req = `${name} @ `;
  const fragments: string[] = [];
  if (du.info.kind === "vcs") req += `${du.info.vcs}+${du.url}@${du.info.commitId}`;
  else {
    req += du.url;
    if (du.info.kind === "archive" && du.info.hash) fragments.push(du.info.hash);
  }
  if (du.subdirectory) fragments.push(`subdirectory=${du.subdirectory}`);
  if (fragments.length) req += `#${fragments.join("&")}`;
  return req;
}

// str.rstrip(): trailing whitespace.
function rstripPy(s: string): string {
  return s.replace(/[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, "");
}

/** The entry of a distribution; an editable one gets its requirement from editableInfo. */
function frozen(dist: InstalledDist): FrozenEntry {
  const editableLocation = dist.editableLocation;
  if (editableLocation) {
    return {
      name: dist.rawName,
      version: dist.version.text,
      requirement: "",
      editable: true,
      editableProjectLocation: editableLocation,
      comments: [],
    };
  }
  const du = dist.directUrl;
  return {
    name: dist.rawName,
    version: dist.version.text,
    requirement: du ? directReference(du, dist.rawName) : nameVersion(dist),
    editable: false,
    comments: [],
  };
}

function render(e: FrozenEntry): string {
  if (e.comments.length === 0 && !/\s$/.test(e.requirement)) return e.requirement;
  return rstripPy([...e.comments, e.requirement].join("\n") + "\n");
}

const OPTION_PREFIXES = [
  "-r", "--requirement", "-f", "--find-links", "-i", "--index-url", "--pre", "--trusted-host",
  "--process-dependency-links", "--extra-index-url", "--use-feature",
];

/** Freezes the environment; warnings (pip's words) are appended to `warnings`. */
export async function freeze(
  ctx: Pick<Context, "env" | "cwd" | "dirs" | "platform">,
  env: OpenedEnvironment,
  req: FreezeRequest,
  warnings: string[],
): Promise<FreezeOutput> {
  const skip = new Set([...STDLIB_PKGS, ...(req.all ? [] : env.profile.freezeDevPackages), ...req.excludes]);
  const installations = new Map<string, FrozenEntry>();
  for (const dist of filterInstalled(env, { localOnly: req.local, userOnly: req.user })) {
    const entry = frozen(dist);
    if (entry.editable) {
      if (req.excludeEditable) continue;
      // Only editables may need git (asked in order, as pip does, for its warnings' order).
      const info = await editableInfo(ctx, entry.editableProjectLocation!, dist.rawName, nameVersion(dist));
      for (const w of info.warnings) env.installed.warn(w);
      entry.requirement = `-e ${info.requirement}`;
      entry.comments = info.comments;
    }
    installations.set(dist.rawKey, entry);
  }
  // What reading the environment warned about comes before the -r warnings.
  warnings.push(...env.installed.warnings);
  const lines: string[] = [];
  const entries: FrozenEntry[] = [];
  if (req.requirementFiles.length) {
    const emitted = new Set<string>();
    const reqFiles = new Map<string, string[]>();
    for (const file of req.requirementFiles) {
      let text: string;
      try {
        text = readFileSync(resolve(ctx.cwd, file), "utf8");
      } catch (err) {
        throw new VenvctlError(`cannot read the requirements file ${file}`, { cause: err });
      }
      for (let line of splitFileLines(text)) {
        const stripped = stripPy(line);
        if (!stripped || stripped.startsWith("#") || OPTION_PREFIXES.some((p) => line.startsWith(p))) {
          line = rstripPy(line);
          if (!emitted.has(line)) {
            emitted.add(line);
            lines.push(line);
          }
          continue;
        }
        let named;
        if (line.startsWith("-e") || line.startsWith("--editable")) {
          // pip goes on with the argument alone (and names it so in its messages).
          line = line.startsWith("-e") ? stripPy(line.slice(2)) : stripPy(line.slice("--editable".length)).replace(/^=+/, "");
          named = nameOfEditable(line, ctx.cwd, env.profile.grammar);
        } else {
          named = nameOfLine(stripPy(stripComment(line)), ctx.cwd, env.profile.grammar);
        }
        if ("error" in named) throw new FreezeFileLineError(file, named.error);
        warnings.push(...named.warnings);
        if (!named.name) {
          // pip logs this at INFO level, which goes to stdout, between the lines.
          lines.push(`Skipping line in requirement file [${file}] because it's not clear what it would install: ${stripPy(line)}`);
          lines.push("  (add #egg=PackageName to the URL to avoid this warning)");
          continue;
        }
        const key = canonicalizeName(named.name);
        const files = reqFiles.get(named.name) ?? [];
        reqFiles.set(named.name, files);
        const entry = installations.get(key);
        if (!entry) {
          if (files.length === 0) {
            warnings.push(
              `WARNING: Requirement file [${file}] contains ${stripPy(stripComment(line))}, but package ${pythonRepr(named.name)} is not installed`,
            );
          } else {
            files.push(file);
          }
        } else {
          lines.push(render(entry));
          entries.push(entry);
          installations.delete(key);
          files.push(file);
        }
      }
    }
    for (const [name, files] of reqFiles) {
      if (files.length > 1) {
        warnings.push(`WARNING: Requirement ${name} included multiple times [${[...new Set(files)].sort(comparePy).join(", ")}]`);
      }
    }
    lines.push("## The following requirements were added by pip freeze:");
  }
  const rest = sortByPy([...installations], ([, e]) => e.name.toLowerCase());
  for (const [key, entry] of rest) {
    if (skip.has(key)) continue;
    lines.push(render(entry));
    entries.push(entry);
  }
  return { lines, entries };
}

/** Lines as Python's text-mode iteration yields them (universal newlines, ends kept). */
function splitFileLines(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  const out = normalized.split(/(?<=\n)/);
  if (out.length && out[out.length - 1] === "") out.pop();
  return out;
}
