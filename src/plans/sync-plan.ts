// Planning `sync`: which listed requirements are not satisfied (pip installs
// them, with what they need, in one call) and which installed distributions
// neither the files list nor anything listed needs (pip uninstalls them, in
// one call). The seed tools pip, setuptools and wheel are never uninstalled;
// nor is anything outside the environment's own prefix (a base interpreter's
// packages seen through system site-packages, the user site). When venvctl
// cannot tell what a listed URL or path installed, or what an installed
// distribution needs, it uninstalls nothing rather than guess.
import { pathToFileURL } from "node:url";
import type { CheckedEnvironment } from "./install-check.js";
import type { InstalledDist } from "../environments/installed-dist.js";
import { canonicalizeName } from "../standards/names.js";
import { specifierContains } from "../standards/pep440.js";
import { realpathPy } from "../util/py-paths.js";
import { nameOfEditable, nameOfLine } from "../pip/requirement-line.js";
import type { ParsedRequirements, RequirementEntry } from "../pip/requirements-file.js";
import { installedClosure, markerMayHold, providedExtra, type Satisfaction } from "./satisfaction.js";

/** Never uninstalled by sync: what environments are made with. */
export const SEED_TOOLS = ["pip", "setuptools", "wheel"];

/** A listed requirement pip will act on. */
export interface InstallStep {
  /** The requirement as written. */
  requirement: string;
  /** Why: not installed, another version installed, or pip's to decide (a URL, a path, -e, --hash). */
  reason: "missing" | "version" | "extra" | "pip";
  /** The version installed now (reason "version"). */
  installed?: string | undefined;
  where: string;
}

export interface InstallPlan {
  steps: InstallStep[];
  /** Whether pip's install runs: a step, or something deeper (a dependency, a constraint). */
  needed: boolean;
  why: string | undefined;
  /** Distinct projects listed whose markers hold here. */
  listed: number;
}

function applies(e: RequirementEntry, checked: CheckedEnvironment): boolean {
  return !e.marker || !checked.markers || markerMayHold(e.marker, checked.markers, "");
}

function whereOf(e: RequirementEntry): string {
  return e.source ? `${e.source.file} line ${e.source.line}` : "the command line";
}

/** What pip's install will have to do for these inputs; `decision` is the no-op check's answer. */
export function planInstall(inputs: ParsedRequirements, checked: CheckedEnvironment, decision: Satisfaction): InstallPlan {
  const steps: InstallStep[] = [];
  const listed = new Set<string>();
  for (const e of inputs.entries) {
    if (e.constraint || !applies(e, checked)) continue;
    const where = whereOf(e);
    if (e.spec.kind !== "named" || e.spec.req.url || Object.keys(e.hashes).length) {
      steps.push({ requirement: e.text, reason: "pip", where });
      continue;
    }
    const req = e.spec.req;
    listed.add(canonicalizeName(req.name));
    const dist = checked.index.get(req.name);
    if (!dist) {
      steps.push({ requirement: e.text, reason: "missing", where });
    } else if (dist.version.legacy || !req.specifiers.every((s) => specifierContains(s, dist.version.text, true))) {
      steps.push({ requirement: e.text, reason: "version", installed: dist.version.text, where });
    } else if (req.extras.some((x) => providedExtra(dist, x) === undefined)) {
      steps.push({ requirement: e.text, reason: "extra", installed: dist.version.text, where });
    }
  }
  const needed = steps.length > 0 || !decision.satisfied;
  const why = steps.length ? `${steps.length} listed requirement${steps.length === 1 ? " is" : "s are"} not satisfied` : decision.satisfied ? undefined : decision.reason;
  return { steps, needed, why, listed: listed.size };
}

export interface UninstallPlan {
  /** Installed distributions to uninstall, by name as the metadata spells it. */
  remove: Array<{ name: string; version: string }>;
  /** Why nothing is uninstalled (venvctl could not tell what is needed). */
  blocked: string | undefined;
}

/** file:// URL of a directory, as pip writes it into direct_url.json. */
function fileUrl(path: string): string {
  return pathToFileURL(path).href;
}

/** The installed distribution a URL, path or editable requirement installed, if venvctl can tell. */
function identify(e: RequirementEntry, checked: CheckedEnvironment, cwd: string): InstalledDist | undefined {
  const byName = (r: { name: string | undefined } | { error: string }) =>
    "name" in r && r.name ? checked.index.get(r.name) : undefined;
  let dir: string | undefined;
  switch (e.spec.kind) {
    case "named":
      return checked.index.get(e.spec.req.name);
    case "editable": {
      const found = byName(nameOfEditable(e.spec.target, cwd));
      if (found) return found;
      dir = e.spec.target.startsWith("file:") ? undefined : e.spec.target;
      break;
    }
    case "url":
      return byName(nameOfLine(e.spec.url, cwd));
    case "path": {
      const found = byName(nameOfLine(e.text.split(";")[0]!.trim(), cwd));
      if (found) return found;
      dir = e.spec.path;
      break;
    }
  }
  if (dir === undefined) return undefined;
  const url = fileUrl(realpathPy(dir.startsWith("/") ? dir : `${cwd}/${dir}`));
  return checked.index.all().find((d) => {
    const du = d.directUrl;
    return du?.info.kind === "dir" && du.url.replace(/\/+$/, "") === url.replace(/\/+$/, "");
  });
}

/**
 * What sync uninstalls: the environment's own distributions that are not
 * listed, not a seed tool, and not needed by anything listed or kept.
 */
export function planUninstall(inputs: ParsedRequirements, checked: CheckedEnvironment, cwd: string): UninstallPlan {
  const roots: Array<{ name: string; extras: readonly string[] }> = SEED_TOOLS.map((name) => ({ name, extras: [] }));
  for (const e of inputs.entries) {
    if (e.constraint || !applies(e, checked)) continue;
    const dist = identify(e, checked, cwd);
    if (!dist) {
      if (e.spec.kind === "named") continue; // listed, not installed (yet): nothing of it to keep
      return { remove: [], blocked: `venvctl cannot tell which installed project ${e.text} (${whereOf(e)}) is, so it uninstalls nothing` };
    }
    roots.push({ name: dist.canonicalName, extras: e.spec.kind === "named" ? e.spec.req.extras : [] });
  }
  if (!checked.markers) return { remove: [], blocked: "the interpreter's probe has no marker variables" };
  const closure = installedClosure(roots, checked.index, checked.markers);
  if ("error" in closure) return { remove: [], blocked: `${closure.error}, so venvctl cannot tell what it needs and uninstalls nothing` };
  const prefix = realpathPy(checked.opened.target.prefix);
  const remove: Array<{ name: string; version: string }> = [];
  for (const d of checked.index.all()) {
    if (closure.names.has(d.canonicalName)) continue;
    const loc = d.installedLocation;
    if (loc !== prefix && !loc.startsWith(prefix + "/")) continue;
    remove.push({ name: d.rawName, version: d.version.text });
  }
  remove.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  return { remove, blocked: undefined };
}
