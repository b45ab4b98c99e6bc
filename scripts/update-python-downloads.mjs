#!/usr/bin/env node
// Regenerates src/interpreters/python-downloads.json, the list of CPython
// builds `venvctl python install` can download, from python-build-standalone's
// GitHub release assets (https://github.com/astral-sh/python-build-standalone).
//
//   node scripts/update-python-downloads.mjs                 # ask GitHub (network; GITHUB_TOKEN helps with rate limits)
//   node scripts/update-python-downloads.mjs --releases FILE # releases saved from the API (offline; what the tests use)
//   node scripts/update-python-downloads.mjs --entries FILE  # a list in the `entries` shape (version, os, arch, libc, url, sha256)
//   … --out PATH   write there instead of src/interpreters/python-downloads.json ("-": stdout)
//   … --since YYYYMMDD   skip releases older than that
//
// A saved releases file is what `GET /repos/astral-sh/python-build-standalone/releases?per_page=100&page=N`
// answers (the pages concatenated into one array): `[{ tag_name, assets: [{ name, browser_download_url, digest }] }]`.
// An asset's sha256 comes from its `digest` ("sha256:…", which GitHub gives
// since 2025), else from the release's SHA256SUMS asset, else from its own
// `.sha256` asset (older releases); online those files are fetched, offline
// they may be given as `sha256sums: { "<name>": "<hex>" }` on the release.
//
// What is kept: CPython's default builds (not free-threaded, not debug) in the
// `install_only` layout (a top-level `python/` directory with bin/, lib/,
// include/), gzipped, for six platforms; `install_only_stripped` is preferred
// where a release has both, and for each version and platform the newest
// release wins. Older releases published only full `.tar.zst` builds, whose
// layout differs and which Node 20 cannot decompress: they are left out.
//
// The output is compact (about 70 KB), since every `python install` reads it:
//   { format, source, prefix, platforms: { "linux-x86_64-gnu": { assets: [tail…], builds: [[version, release, assetIndex, sha256]…] } } }
// and a build's URL is `${prefix}/${release}/cpython-${version}%2B${release}-${assets[assetIndex]}.tar.gz`,
// which is python-build-standalone's naming; every URL is checked against
// that rule before the file is written.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PREFIX = "https://github.com/astral-sh/python-build-standalone/releases/download";
const REPO_API = "https://api.github.com/repos/astral-sh/python-build-standalone/releases";

/** python-build-standalone target triples → venvctl's platform key (os-arch-libc). */
export const TRIPLES = {
  "x86_64-unknown-linux-gnu": "linux-x86_64-gnu",
  "aarch64-unknown-linux-gnu": "linux-aarch64-gnu",
  "x86_64-unknown-linux-musl": "linux-x86_64-musl",
  "x86_64-apple-darwin": "darwin-x86_64-none",
  "aarch64-apple-darwin": "darwin-aarch64-none",
  "x86_64-pc-windows-msvc": "windows-x86_64-none",
  "x86_64-pc-windows-msvc-shared": "windows-x86_64-none",
};

const ASSET = /^cpython-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)\+(\d{8})-(.+)-(install_only(?:_stripped)?)\.tar\.gz$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?$/;

/** Orders versions newest first (3.14.0 > 3.14.0rc1 > 3.14.0b1). */
export function compareVersionsDesc(a, b) {
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  for (let i = 1; i <= 3; i++) if (Number(pa[i]) !== Number(pb[i])) return Number(pb[i]) - Number(pa[i]);
  const rank = (m) => (m[4] === undefined ? 3 : { a: 0, b: 1, rc: 2 }[m[4]]);
  if (rank(pa) !== rank(pb)) return rank(pb) - rank(pa);
  return Number(pb[5] ?? 0) - Number(pa[5] ?? 0);
}

/** One usable asset: what its name says, or undefined when it is not one venvctl installs. */
export function parseAsset(name) {
  const m = ASSET.exec(name);
  if (!m) return undefined;
  const [, version, release, triple, flavor] = m;
  const platform = TRIPLES[triple];
  if (!platform) return undefined; // free-threaded and debug builds name themselves in the triple's place
  return { version, release, triple, flavor, platform };
}

/**
 * Builds the compact list from candidates `{ version, release, triple, flavor, platform, sha256, url }`:
 * for each version and platform the newest release, stripped before unstripped,
 * the plain Windows build before the `-shared` one.
 */
export function compact(candidates, source) {
  const best = new Map();
  const score = (c) => [c.release, c.flavor === "install_only_stripped" ? 1 : 0, c.triple.endsWith("-shared") ? 0 : 1];
  const better = (a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] > sb[i];
    return false;
  };
  for (const c of candidates) {
    if (!/^[0-9a-f]{64}$/.test(c.sha256)) throw new Error(`${c.url}: sha256 ${JSON.stringify(c.sha256)} is not 64 hex digits`);
    const key = `${c.platform} ${c.version}`;
    const had = best.get(key);
    if (!had || better(c, had)) best.set(key, c);
  }
  const platforms = {};
  for (const platform of [...new Set(Object.values(TRIPLES))]) {
    const chosen = [...best.values()].filter((c) => c.platform === platform)
      .sort((a, b) => compareVersionsDesc(a.version, b.version));
    if (chosen.length === 0) continue;
    const assets = [];
    const builds = chosen.map((c) => {
      const tail = `${c.triple}-${c.flavor}`;
      if (!assets.includes(tail)) assets.push(tail);
      const url = `${PREFIX}/${c.release}/cpython-${c.version}%2B${c.release}-${tail}.tar.gz`;
      // The rule venvctl rebuilds URLs by must give back the asset's own URL.
      if (c.url !== undefined && c.url !== url) throw new Error(`${c.url}: does not follow the naming rule (${url})`);
      return [c.version, c.release, assets.indexOf(tail), c.sha256];
    });
    platforms[platform] = { assets, builds };
  }
  return { format: "venvctl-python-downloads/1", source, prefix: PREFIX, platforms };
}

/** Candidates from a list in the `entries` shape (../shared/data/python-downloads.json). */
export function fromEntries(doc) {
  const out = [];
  for (const e of doc.entries ?? []) {
    if (!e.url.startsWith(`${PREFIX}/`)) continue;
    const name = decodeURIComponent(e.url.slice(e.url.lastIndexOf("/") + 1));
    const a = parseAsset(name);
    if (!a) continue;
    if (a.version !== e.version || a.platform !== `${e.os}-${e.arch}-${e.libc}`) {
      throw new Error(`${e.url}: the entry says ${e.version} for ${e.os}-${e.arch}-${e.libc}, its name another`);
    }
    out.push({ ...a, sha256: e.sha256, url: e.url });
  }
  return out;
}

/** `SHA256SUMS` text (`<hex>  <name>` lines) as a map. */
export function parseSums(text) {
  const sums = {};
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m) sums[m[2]] = m[1];
  }
  return sums;
}

/**
 * Candidates from GitHub releases. `fetchText(url)` is asked for a
 * release's SHA256SUMS (or an asset's .sha256) where an asset has no digest;
 * offline it is absent and `release.sha256sums` must hold them.
 */
export async function fromReleases(releases, { since, fetchText } = {}) {
  const out = [];
  for (const r of releases) {
    if (since && r.tag_name < since) continue;
    let sums = r.sha256sums;
    for (const asset of r.assets ?? []) {
      const a = parseAsset(asset.name);
      if (!a) continue;
      let sha256 = typeof asset.digest === "string" && asset.digest.startsWith("sha256:") ? asset.digest.slice(7) : undefined;
      if (!sha256 && !sums && fetchText) {
        const listed = (r.assets ?? []).find((x) => x.name === "SHA256SUMS");
        sums = listed ? parseSums(await fetchText(listed.browser_download_url)) : {};
      }
      sha256 ??= sums?.[asset.name];
      if (!sha256 && fetchText) {
        const own = (r.assets ?? []).find((x) => x.name === `${asset.name}.sha256`);
        if (own) sha256 = (await fetchText(own.browser_download_url)).trim().split(/\s+/)[0];
      }
      if (!sha256) throw new Error(`${r.tag_name}/${asset.name}: no sha256 (no digest, SHA256SUMS or .sha256 asset)`);
      out.push({ ...a, sha256, url: asset.browser_download_url });
    }
  }
  return out;
}

async function fetchAllReleases() {
  const headers = { accept: "application/vnd.github+json", "user-agent": "venvctl-update-python-downloads" };
  if (process.env.GITHUB_TOKEN) headers.authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const all = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${REPO_API}?per_page=100&page=${page}`, { headers });
    if (!res.ok) throw new Error(`GitHub answered ${res.status} ${res.statusText} for page ${page} of the releases`);
    const batch = await res.json();
    if (!Array.isArray(batch) || batch.length === 0) break;
    all.push(...batch);
  }
  return all;
}

async function fetchText(url) {
  const res = await fetch(url, { headers: { "user-agent": "venvctl-update-python-downloads" } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  return res.text();
}

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const out = option(args, "--out") ?? join(root, "src", "interpreters", "python-downloads.json");
  const since = option(args, "--since");
  let candidates;
  let source;
  if (option(args, "--entries")) {
    const doc = JSON.parse(readFileSync(option(args, "--entries"), "utf8"));
    candidates = fromEntries(doc);
    source = doc.source ?? "python-build-standalone release assets";
  } else {
    const saved = option(args, "--releases");
    const releases = saved ? JSON.parse(readFileSync(saved, "utf8")) : await fetchAllReleases();
    candidates = await fromReleases(releases, { since, fetchText: saved ? undefined : fetchText });
    source = `python-build-standalone release assets (install_only, stripped where available), CPython default builds, as listed on ${new Date().toISOString().slice(0, 10)}`;
  }
  const text = JSON.stringify(compact(candidates, source)).replace(/\],\[/g, "],\n[") + "\n";
  if (out === "-") {
    process.stdout.write(text);
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  const n = candidates.length;
  process.stderr.write(`wrote ${out} (${text.length} bytes, from ${n} assets)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  });
}
