// The downloadable builds: the list venvctl ships (python-downloads.json,
// made by scripts/update-python-downloads.mjs from python-build-standalone's
// releases) or the one VENVCTL_PYTHON_DOWNLOADS_JSON names (a path, an
// http(s) URL or a file:// URL), URLs rewritten by VENVCTL_PYTHON_MIRROR, and
// which build a request means on this machine.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { assetPath } from "../util/assets.js";
import { requestMatches } from "./discovery.js";
import { platformKey, type Platform } from "./platform.js";
import { describeRequest, isDownloadableRequest, type PythonRequest } from "./request.js";
import { downloadsDisabled, downloadsMode } from "./downloads-mode.js";
import { compareVersions, formatVersion, parseVersion, type PythonVersion } from "./version.js";

/** Where python-build-standalone publishes; VENVCTL_PYTHON_MIRROR replaces this prefix. */
export const DEFAULT_PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download";

/** What a build is for and where it comes from (also kept in an installed build's record). */
export interface BuildFacts {
  os: string;
  arch: string;
  libc: string;
  /** python-build-standalone's release (20241016), when known. */
  build?: string | undefined;
  /** Where to fetch it, the mirror applied. */
  url: string;
  sha256: string;
}

/** One downloadable build. */
export interface Download extends BuildFacts {
  version: PythonVersion;
}

export interface DownloadsList {
  /** Where the list came from: "built-in", a path or a URL. */
  origin: string;
  downloads: Download[];
}

/** `cpython-3.12.7-linux-x86_64-gnu`: the directory a build is installed in under `$VENVCTL_ROOT/versions`. */
export function installName(d: Pick<Download, "version" | "os" | "arch" | "libc">): string {
  return `cpython-${formatVersion(d.version)}-${d.os}-${d.arch}-${d.libc}`;
}

/** Reads an install name back; undefined for any other name. */
export function parseInstallName(name: string): { version: PythonVersion; platform: Platform } | undefined {
  const m = /^cpython-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)-([a-z0-9]+)-([a-z0-9_]+)-([a-z]+)$/.exec(name);
  const version = m ? parseVersion(m[1]!) : undefined;
  return m && version ? { version, platform: { os: m[2]!, arch: m[3]!, libc: m[4]! } } : undefined;
}

// ---- reading a list ----------------------------------------------------------

interface CompactList {
  format: string;
  prefix: string;
  platforms: Record<string, { assets: string[]; builds: Array<[string, string, number, string]> }>;
}

interface EntriesList {
  entries: Array<Record<string, unknown>>;
}

function listError(origin: string, what: string): VenvctlError {
  return new VenvctlError(`the Python downloads list ${origin} ${what}`, {
    hint: "VENVCTL_PYTHON_DOWNLOADS_JSON takes a file with an `entries` array of {version, os, arch, libc, url, sha256} (a path, an http(s) URL or a file:// URL); unset it to use the built-in list",
  });
}

/** A list as its JSON says, the mirror applied. Relative URLs are read against `base`. */
export function parseDownloadsList(text: string, origin: string, base: string | undefined, mirror: string | undefined): Download[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw listError(origin, `is not JSON (${(err as Error).message})`);
  }
  const out: Download[] = [];
  const push = (i: string, e: Record<string, unknown>) => {
    const version = typeof e.version === "string" ? parseVersion(e.version) : undefined;
    if (!version || formatVersion(version) !== e.version) throw listError(origin, `has an entry (${i}) whose version is not a CPython version such as 3.12.7`);
    for (const k of ["os", "arch", "libc", "url"]) {
      if (typeof e[k] !== "string" || e[k] === "") throw listError(origin, `has an entry (${i}, ${e.version}) without \`${k}\``);
    }
    if (typeof e.sha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(e.sha256)) {
      throw listError(origin, `has an entry (${i}, ${e.version}) whose sha256 is not 64 hex digits`);
    }
    let url: string;
    try {
      url = new URL(e.url as string, base).href;
    } catch {
      throw listError(origin, `has an entry (${i}, ${e.version}) whose url is not a URL: ${String(e.url)}`);
    }
    out.push({
      version, os: e.os as string, arch: e.arch as string, libc: e.libc as string,
      build: typeof e.build === "string" ? e.build : undefined,
      url: applyMirror(url, mirror), sha256: (e.sha256 as string).toLowerCase(),
    });
  };
  if (doc && typeof doc === "object" && Array.isArray((doc as EntriesList).entries)) {
    (doc as EntriesList).entries.forEach((e, i) => push(String(i), e ?? {}));
  } else if (doc && typeof doc === "object" && (doc as CompactList).format === "venvctl-python-downloads/1") {
    const c = doc as CompactList;
    for (const [key, p] of Object.entries(c.platforms)) {
      const [os, arch, libc] = key.split("-");
      for (const [version, build, asset, sha256] of p.builds) {
        const url = `${c.prefix}/${build}/cpython-${version}%2B${build}-${p.assets[asset]}.tar.gz`;
        push(`${key} ${version}`, { version, os, arch, libc, build, url, sha256 });
      }
    }
  } else {
    throw listError(origin, "has neither an `entries` array nor venvctl's own format");
  }
  return out;
}

/** `url` with the default prefix replaced by the mirror (as uv's python-install-mirror does). */
export function applyMirror(url: string, mirror: string | undefined): string {
  if (!mirror || !url.startsWith(`${DEFAULT_PREFIX}/`)) return url;
  return `${mirror.replace(/\/+$/, "")}${url.slice(DEFAULT_PREFIX.length)}`;
}

/**
 * The list: VENVCTL_PYTHON_DOWNLOADS_JSON's, else the built-in one. A list
 * at an http(s) URL is a download, so it is refused under
 * VENVCTL_PYTHON_DOWNLOADS=never; `fetchText` fetches it.
 */
export async function loadDownloads(
  ctx: Pick<Context, "env" | "cwd">,
  fetchText: (url: string) => Promise<string>,
): Promise<DownloadsList> {
  const mirror = ctx.env.VENVCTL_PYTHON_MIRROR || undefined;
  const custom = ctx.env.VENVCTL_PYTHON_DOWNLOADS_JSON;
  if (!custom) {
    const path = assetPath("interpreters/python-downloads.json");
    return { origin: "built-in", downloads: parseDownloadsList(readFileSync(path, "utf8"), "built into venvctl", undefined, mirror) };
  }
  const origin = `from VENVCTL_PYTHON_DOWNLOADS_JSON (${custom})`;
  if (/^https?:\/\//i.test(custom)) {
    if (downloadsMode(ctx) === "never") throw downloadsDisabled(`cannot fetch the downloads list ${custom}`);
    return { origin: custom, downloads: parseDownloadsList(await fetchText(custom), origin, custom, mirror) };
  }
  const path = /^file:/i.test(custom) ? fileURLToPath(custom) : resolve(ctx.cwd, custom);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new VenvctlError(`cannot read the Python downloads list ${path} (VENVCTL_PYTHON_DOWNLOADS_JSON)`, {
      cause: err,
      hint: "check the path, or unset VENVCTL_PYTHON_DOWNLOADS_JSON to use the built-in list",
    });
  }
  return { origin: path, downloads: parseDownloadsList(text, origin, pathToFileURL(path).href, mirror) };
}

// ---- choosing a build -----------------------------------------------------------

/** Only gzipped tarballs are unpacked (Node 20 has no zstd). */
export function isInstallable(d: Download): boolean {
  return /\.(tar\.gz|tgz)$/i.test(new URL(d.url).pathname);
}

function onPlatform(d: Download, p: Platform): boolean {
  return d.os === p.os && d.arch === p.arch && d.libc === p.libc;
}

/** Newest version first; of one version, the newest release. */
function newestFirst(a: Download, b: Download): number {
  return compareVersions(b.version, a.version) || (b.build ?? "").localeCompare(a.build ?? "");
}

/** Every installable build for this platform, newest first, one per version. */
export function availableFor(list: DownloadsList, p: Platform): Download[] {
  const seen = new Set<string>();
  return list.downloads.filter((d) => onPlatform(d, p) && isInstallable(d)).sort(newestFirst).filter((d) => {
    const v = formatVersion(d.version);
    if (seen.has(v)) return false;
    seen.add(v);
    return true;
  });
}

/** The version-like part of a request (`python3.12` → 3.12). */
function versionRequest(req: PythonRequest): PythonRequest {
  return req.kind === "name" && req.fallback ? req.fallback : req;
}

/**
 * The newest build for this platform a request matches (a pre-release only
 * when it names one, as for installed interpreters). Fails with the nearest
 * versions when nothing matches, or with the platforms that have the version
 * when this one has none.
 */
export function chooseDownload(list: DownloadsList, req: PythonRequest, p: Platform): Download {
  const want = versionRequest(req);
  const text = describeRequest(req);
  if (!isDownloadableRequest(req)) {
    throw new VenvctlError(`cannot download ${text}: the downloads list holds CPython builds only`, {
      hint: "ask for a CPython version (3.13, 3.12.7) or range ('>=3.11'); install other Pythons another way (e.g. `pyenv install pypy3.10`)",
    });
  }
  const here = availableFor(list, p);
  const match = here.find((d) => requestMatches(want, d.version, "cpython"));
  if (match) return match;
  const elsewhere = list.downloads.filter((d) => requestMatches(want, d.version, "cpython") && isInstallable(d));
  if (elsewhere.length > 0) {
    const newest = elsewhere.sort(newestFirst)[0]!;
    const platforms = [...new Set(elsewhere.filter((d) => compareVersions(d.version, newest.version) === 0).map(platformKey))].sort();
    throw new VenvctlError(`no build of CPython ${formatVersion(newest.version)} for ${platformKey(p)} in the downloads list (${list.origin})`, {
      hint: `there are builds for ${platforms.join(", ")}; ${here.length ? `for this machine the newest is ${formatVersion(here[0]!.version)}` : "this machine's platform has none at all"}`,
    });
  }
  const nearest = nearestVersions(here, want);
  throw new VenvctlError(`no CPython build matches ${text} in the downloads list (${list.origin})`, {
    hint: nearest.length ? `the nearest that can be installed here: ${nearest.join(", ")} (\`venvctl python list --available\` shows all)` : `nothing in the list is for ${platformKey(p)}`,
  });
}

/** Up to five available versions closest to what was asked (by minor, then patch). */
function nearestVersions(here: Download[], req: PythonRequest): string[] {
  const asked = req.kind === "version" ? req.prefix : undefined;
  const finals = here.filter((d) => !d.version.pre);
  if (!asked) return finals.slice(0, 5).map((d) => formatVersion(d.version));
  const distance = (v: PythonVersion) => [
    Math.abs(v.major - asked.major),
    Math.abs(v.minor - (asked.minor ?? v.minor)),
    Math.abs(v.patch - (asked.patch ?? v.patch)),
  ];
  return [...(asked.pre ? here : finals)]
    .sort((a, b) => {
      const da = distance(a.version);
      const db = distance(b.version);
      return da[0]! - db[0]! || da[1]! - db[1]! || da[2]! - db[2]! || compareVersions(b.version, a.version);
    })
    .slice(0, 5)
    .map((d) => formatVersion(d.version));
}
