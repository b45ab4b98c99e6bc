// Resolution stays pip's: `<env python> -m pip install --dry-run --report
// FILE …` with the user's requirements, constraints and index options says
// which distributions, at which versions, from which URLs and with which
// hashes pip would install (pip's "Installation Report", pip >= 22.2:
// https://pip.pypa.io/en/stable/reference/installation-report/). venvctl
// then fetches and installs them itself. (Every pip venvctl installs with
// natively has it: older than 23.0, pip does the whole install.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import type { DirectUrlJson } from "../standards/direct-url.js";
import { canonicalizeName } from "../standards/names.js";
import { runPip } from "./runner.js";

/** One distribution pip would install. */
export interface ResolvedDist {
  name: string;
  /** The canonical (PEP 503) name. */
  key: string;
  version: string;
  download: DirectUrlJson;
  /** What the URL holds: a wheel, an sdist (or other archive to build), a VCS checkout, a local directory. */
  kind: "wheel" | "sdist" | "vcs" | "directory";
  /** The sha256 pip knows for an archive (from the index, or a --hash), lower case. */
  sha256: string | undefined;
  /** Named by the user (REQUESTED), not only needed by another. */
  requested: boolean;
  /** A URL or path the user named (PEP 610: direct_url.json is written for it). */
  isDirect: boolean;
  requestedExtras: string[];
  requiresPython: string | undefined;
  requiresDist: string[];
  /** The file name at the end of the URL (percent-decoded), for archives. */
  fileName: string | undefined;
}

export interface InstallReport {
  pipVersion: string;
  install: ResolvedDist[];
  /** pip's PEP 508 marker environment for the target. */
  environment: Record<string, string>;
}

/**
 * Runs pip's resolver in the target (no change is made): `pip install
 * --dry-run --report … ARGS`. pip's own messages (errors, prompts for
 * credentials) reach the user as they would with pip; a failing resolution
 * is an error carrying pip's exit code.
 */
export async function resolveWithPip(
  ctx: Pick<Context, "env" | "cwd" | "stderr" | "dirs">,
  target: PackageTarget,
  installArgs: readonly string[],
  opts: { ignoreInstalled?: boolean; why: string },
): Promise<InstallReport> {
  const dir = mkdtempSync(join(tmpdir(), "venvctl-report-"));
  try {
    const file = join(dir, "report.json");
    const args = ["install", "--dry-run", "--quiet", "--report", file];
    if (opts.ignoreInstalled) args.push("--ignore-installed");
    // `install` itself is the caller's first argument; the rest is the user's.
    args.push(...installArgs.filter((a, i) => !(i === 0 && a === "install")));
    const code = await runPip(ctx, target, args, { why: opts.why });
    if (code !== 0) throw new PipResolutionError(code);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new VenvctlError("pip wrote no installation report", { cause: err, hint: "run the same `pip install --dry-run --report` to see why" });
    }
    return parseInstallReport(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pip could not resolve (it has said why): its exit code is the command's. */
export class PipResolutionError extends VenvctlError {
  constructor(readonly pipExitCode: number) {
    super(`pip could not resolve the requirements (exit code ${pipExitCode})`, { hint: "pip's message above says why" });
  }
}

/** Reads pip's report JSON; a shape venvctl does not know is an error, never a guess. */
export function parseInstallReport(text: string): InstallReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new VenvctlError("pip's installation report is not JSON", { cause: err });
  }
  const bad = (what: string) => new VenvctlError(`pip's installation report is not as venvctl knows it: ${what}`, {
    hint: "report this with your pip version; `venvctl install -- …` hands the whole install to pip",
  });
  if (!isObject(data) || data.version !== "1" || !Array.isArray(data.install)) throw bad("no version 1 `install` list");
  const install: ResolvedDist[] = [];
  for (const item of data.install) {
    if (!isObject(item) || !isObject(item.metadata) || !isObject(item.download_info)) throw bad("an entry without metadata or download_info");
    const md = item.metadata;
    const name = md.name, version = md.version;
    if (typeof name !== "string" || typeof version !== "string") throw bad("an entry without a name and version");
    const download = item.download_info as unknown as DirectUrlJson;
    if (typeof download.url !== "string") throw bad(`${name}: download_info without a url`);
    install.push({
      name,
      key: canonicalizeName(name),
      version,
      download,
      kind: kindOf(download),
      sha256: sha256Of(download),
      requested: item.requested === true,
      isDirect: item.is_direct === true,
      requestedExtras: Array.isArray(item.requested_extras) ? item.requested_extras.map(String) : [],
      requiresPython: typeof md.requires_python === "string" ? md.requires_python : undefined,
      requiresDist: Array.isArray(md.requires_dist) ? md.requires_dist.map(String) : [],
      fileName: download.archive_info ? fileNameOf(download.url) : undefined,
    });
  }
  const environment = isObject(data.environment) ? Object.fromEntries(Object.entries(data.environment).map(([k, v]) => [k, String(v)])) : {};
  return { pipVersion: typeof data.pip_version === "string" ? data.pip_version : "", install, environment };
}

function kindOf(d: DirectUrlJson): ResolvedDist["kind"] {
  if (d.vcs_info) return "vcs";
  if (d.dir_info) return "directory";
  return (fileNameOf(d.url) ?? "").toLowerCase().endsWith(".whl") ? "wheel" : "sdist";
}

/** The archive's sha256: `hashes.sha256`, or the legacy `hash = "sha256=…"`. */
function sha256Of(d: DirectUrlJson): string | undefined {
  const a = d.archive_info;
  if (!a) return undefined;
  const h = a.hashes?.sha256 ?? (a.hash?.startsWith("sha256=") ? a.hash.slice("sha256=".length) : undefined);
  return h && /^[0-9a-fA-F]{64}$/.test(h) ? h.toLowerCase() : undefined;
}

/** The last path segment of a URL, percent-decoded (a wheel's or sdist's file name). */
export function fileNameOf(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    const last = path.slice(path.lastIndexOf("/") + 1);
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
