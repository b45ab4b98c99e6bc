// What venvctl's wheel store lacks is fetched by pip, so that the user's
// indexes, credentials, proxies and certificates work exactly as with pip:
// `pip download --no-deps` for wheels, `pip wheel --no-deps` for sdists, VCS
// checkouts and local projects. Every archive is checked against the sha256
// the resolution gave before it is handed on.
import { digest } from "../util/digest.js";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.js";
import { HashMismatchError, VenvctlError } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import { canonicalizeName } from "../standards/names.js";
import { normalizeVersion } from "../standards/pep440.js";
import { parseWheelFileName } from "../standards/wheel-tags.js";
import type { ResolvedDist } from "./report.js";
import { indexArgs, runPip, type IndexOptions } from "./runner.js";

/** A wheel pip fetched or built, in the caller's temporary directory. */
export interface FetchedWheel {
  dist: ResolvedDist;
  /** The wheel file. */
  path: string;
  /** The wheel's own sha256. */
  sha256: string;
  /** Built by `pip wheel` (from an sdist, a VCS checkout, a local project), not downloaded as it is. */
  built: boolean;
}

/** sha256 of a file, hex. */
export function sha256File(path: string): string {
  return digest("sha256", readFileSync(path), "hex");
}

/**
 * Fetches (wheels) and builds (everything else) `dists` into `tmp` with the
 * target's pip, in at most two pip runs; answers one wheel per dist.
 */
export async function fetchWithPip(
  ctx: Pick<Context, "env" | "cwd" | "stderr" | "dirs">,
  target: PackageTarget,
  dists: readonly ResolvedDist[],
  index: IndexOptions,
  tmp: string,
): Promise<FetchedWheel[]> {
  const wheels = dists.filter((d) => d.kind === "wheel");
  const builds = dists.filter((d) => d.kind !== "wheel");
  const out: FetchedWheel[] = [];
  for (const a of await downloadArchives(ctx, target, wheels, index, join(tmp, "downloaded"))) out.push({ ...a, built: false });
  if (builds.length) {
    const dest = join(tmp, "built");
    mkdirSync(dest, { recursive: true });
    const code = await runPip(ctx, target, ["wheel", "--no-deps", "--quiet", "--wheel-dir", dest, ...indexArgs(index), ...builds.map(buildRequirement)], {
      why: `building ${builds.map((d) => `${d.name} ${d.version}`).join(", ")} into wheels`,
    });
    if (code !== 0) throw new PipFetchError("wheel", code);
    const made = readdirSync(dest).filter((f) => f.endsWith(".whl"));
    for (const d of builds) {
      const file = made.find((f) => wheelIs(f, d));
      if (!file) {
        throw new VenvctlError(`pip built no wheel for ${d.name} ${d.version}`, { hint: `try \`pip wheel --no-deps ${buildRequirement(d)}\` to see what it makes` });
      }
      const path = join(dest, file);
      out.push({ dist: d, path, sha256: sha256File(path), built: true });
    }
  }
  return out;
}

/**
 * Downloads the archives (wheels or sdists, as they are: nothing is built)
 * of `dists` into `dest` with `pip download --no-deps`, each checked against
 * the sha256 the resolution gave; answers them in the order of `dists`.
 */
export async function downloadArchives(
  ctx: Pick<Context, "env" | "cwd" | "stderr" | "dirs">,
  target: PackageTarget,
  dists: readonly ResolvedDist[],
  index: IndexOptions,
  dest: string,
): Promise<Array<{ dist: ResolvedDist; path: string; sha256: string }>> {
  if (!dists.length) return [];
  mkdirSync(dest, { recursive: true });
  const code = await runPip(ctx, target, ["download", "--no-deps", "--quiet", "--dest", dest, ...indexArgs(index), ...dists.map(pinnedUrl)], {
    why: `fetching ${dists.length} file${dists.length === 1 ? "" : "s"} venvctl's cache lacks`,
  });
  if (code !== 0) throw new PipFetchError("download", code);
  return dists.map((d) => {
    const path = join(dest, d.fileName!);
    return { dist: d, path, sha256: checked(path, d.fileName!, d.sha256) };
  });
}

/** pip could not fetch or build (it has said why). */
export class PipFetchError extends VenvctlError {
  constructor(verb: "download" | "wheel", readonly pipExitCode: number) {
    super(`pip ${verb} failed (exit code ${pipExitCode}); nothing was installed`, { hint: "pip's message above says why" });
  }
}

/** The wheel's sha256, checked against what the resolution said when it said anything. */
function checked(path: string, name: string, expected: string | undefined): string {
  let actual: string;
  try {
    actual = sha256File(path);
  } catch (err) {
    throw new VenvctlError(`pip did not download ${name}`, { cause: err, hint: "pip's messages above may say why" });
  }
  if (expected !== undefined && actual !== expected) throw HashMismatchError.of(name, "sha256", expected, actual);
  return actual;
}

/** The archive's URL with its hash, so that pip checks it too. */
function pinnedUrl(d: ResolvedDist): string {
  const url = d.download.url;
  return d.sha256 && !url.includes("#") ? `${url}#sha256=${d.sha256}` : url;
}

/** What `pip wheel` is given to build `d` exactly as resolved. */
export function buildRequirement(d: ResolvedDist): string {
  const sub = d.download.subdirectory ? `subdirectory=${d.download.subdirectory}` : "";
  if (d.download.vcs_info) {
    const { vcs, commit_id } = d.download.vcs_info;
    return `${d.name} @ ${vcs}+${d.download.url}@${commit_id}${sub ? `#${sub}` : ""}`;
  }
  if (d.download.dir_info) {
    const path = fileURLToPath(d.download.url);
    return sub ? join(path, d.download.subdirectory!) : path;
  }
  const url = pinnedUrl(d);
  return sub ? `${url}${url.includes("#") ? "&" : "#"}${sub}` : url;
}

/** Whether the wheel file name is `d`'s (name and version as wheel names spell them). */
function wheelIs(file: string, d: ResolvedDist): boolean {
  const named = parseWheelFileName(file);
  return named !== undefined && canonicalizeName(named.name) === d.key && normalizeVersion(named.version) === normalizeVersion(d.version);
}
