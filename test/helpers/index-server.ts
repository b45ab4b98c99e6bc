// A package index for tests, on 127.0.0.1 only (PyPI cannot be reached, and
// tests must not try): PEP 503 "simple" pages for the wheels and sdists in a
// directory, and the files themselves, with sha256 fragments as pip expects
// them; optionally PEP 691 JSON, PEP 658 metadata files, yanked files,
// Requires-Python, ETags, and several indexes under prefixes of one server
// (what venvctl's own index client reads). Also in a child process, for
// callers that block their event loop (the benchmark harness times commands
// with spawnSync).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ZipArchive } from "../../src/wheel/zip.js";

export interface IndexServer {
  /** The index URL to give pip (`--index-url`): http://127.0.0.1:PORT/simple/ (or /PREFIX/simple/). */
  url: string;
  /** Every request path served, in order (to tell whether pip asked at all). */
  requests: string[];
  /** Every answer, in order: the path, its status, and the If-None-Match asked with (to tell a 304 from a 200). */
  answers: IndexAnswer[];
  close(): Promise<void>;
}

export interface IndexAnswer {
  path: string;
  status: number;
  ifNoneMatch?: string;
}

/** PEP 503 name normalization. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface ServeOptions {
  /**
   * Send PyPI's caching headers (files: `max-age=365000000, immutable`;
   * project pages: `max-age=600`), so that pip's HTTP cache keeps them as it
   * does PyPI's. Off by default: a test counting requests then sees every
   * download.
   */
  cacheHeaders?: boolean;
  /** The project pages' Cache-Control instead of `max-age=600, public` (sent with cacheHeaders). */
  pageCacheControl?: string;
  /** "json": PEP 691 JSON when the Accept header asks for it (else HTML, as PEP 691 lets a server). Default "html". */
  format?: "html" | "json";
  /** Serve `/files/<wheel>.metadata` (the wheel's METADATA, PEP 658) and advertise it with its sha256 (PEP 714 and the older name). */
  metadataFiles?: boolean;
  /** Files marked yanked (PEP 592): the reason, or true for none. */
  yanked?: Record<string, string | true>;
  /** "from-metadata": advertise each wheel's METADATA Requires-Python (data-requires-python / requires-python). */
  requiresPython?: "from-metadata";
  /** An ETag on project pages, and 304 for a request whose If-None-Match names it. */
  etag?: boolean;
  /** Serve under /PREFIX/simple/ and /PREFIX/files/ (several indexes on one server: serveIndexes). */
  prefix?: string;
}

const DISTRIBUTION = /\.(whl|tar\.gz|zip)$/;
const JSON_TYPE = "application/vnd.pypi.simple.v1+json";

/** A wheel's *.dist-info/METADATA, or undefined when it has none (a broken wheel a test serves on purpose). */
export function wheelMetadataOf(path: string): Buffer | undefined {
  try {
    const zip = new ZipArchive(readFileSync(path));
    const entry = zip.entries.find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
    return entry ? zip.read(entry) : undefined;
  } catch {
    return undefined;
  }
}

/** A METADATA header's value (first occurrence), unfolded no further than the index needs. */
function metadataField(text: string, field: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (line === "") return undefined;
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).toLowerCase() === field.toLowerCase()) return line.slice(colon + 1).trim();
  }
  return undefined;
}

const sha256Of = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

type Send = (status: number, type: string, body: string | Buffer, cache?: string, extra?: Record<string, string>) => void;

/** One index (a directory's files under a prefix): answers the paths it owns, false for the rest. */
function indexHandler(dir: string, opts: ServeOptions): (path: string, req: IncomingMessage, send: Send) => boolean {
  const base = opts.prefix ? `/${opts.prefix.replace(/^\/+|\/+$/g, "")}` : "";
  const wheels = () => {
    const byProject = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => DISTRIBUTION.test(f)).sort()) {
      // A wheel's name has no `-` (escaped to `_`); an sdist's ends at its last `-`.
      const project = normalizeName(file.endsWith(".whl") ? file.split("-")[0]! : file.replace(DISTRIBUTION, "").replace(/-[^-]*$/, ""));
      byProject.set(project, [...(byProject.get(project) ?? []), file]);
    }
    return byProject;
  };
  /** What the page says about one file. */
  const describe = (f: string) => {
    const sha = sha256Of(readFileSync(join(dir, f)));
    const metadata = f.endsWith(".whl") && (opts.metadataFiles || opts.requiresPython) ? wheelMetadataOf(join(dir, f)) : undefined;
    const requiresPython = opts.requiresPython && metadata ? metadataField(metadata.toString("utf8"), "Requires-Python") : undefined;
    const metadataSha = opts.metadataFiles && metadata ? sha256Of(metadata) : undefined;
    return { f, sha, requiresPython, metadataSha, yanked: opts.yanked?.[f] };
  };
  const wantsJson = (req: IncomingMessage) => opts.format === "json" && (req.headers.accept ?? "").includes(JSON_TYPE);
  return (path, req, send) => {
    if (!path.startsWith(`${base}/`)) return false;
    const rest = path.slice(base.length);
    const all = wheels();
    if (rest === "/simple/" || rest === "/simple") {
      if (wantsJson(req)) {
        const body = JSON.stringify({ meta: { "api-version": "1.1" }, projects: [...all.keys()].map((name) => ({ name })) });
        send(200, JSON_TYPE, body);
        return true;
      }
      const links = [...all.keys()].map((p) => `<a href="${base}/simple/${p}/">${p}</a>`).join("\n");
      send(200, "text/html", `<!DOCTYPE html><html><body>\n${links}\n</body></html>\n`);
      return true;
    }
    const project = /^\/simple\/([^/]+)\/?$/.exec(rest);
    if (project) {
      const name = normalizeName(project[1]!);
      const files = all.get(name);
      if (!files) {
        send(404, "text/plain", "not found\n");
        return true;
      }
      const described = files.map(describe);
      const json = wantsJson(req);
      let type: string;
      let body: string;
      if (json) {
        type = JSON_TYPE;
        body = JSON.stringify({
          meta: { "api-version": "1.1" },
          name,
          files: described.map((d) => ({
            filename: d.f,
            url: `${base}/files/${encodeURIComponent(d.f)}`,
            hashes: { sha256: d.sha },
            ...(d.requiresPython !== undefined ? { "requires-python": d.requiresPython } : {}),
            ...(d.yanked !== undefined ? { yanked: d.yanked } : {}),
            ...(d.metadataSha ? { "core-metadata": { sha256: d.metadataSha }, "dist-info-metadata": { sha256: d.metadataSha } } : {}),
          })),
        });
      } else {
        type = "text/html";
        const links = described.map((d) => {
          const attrs = [
            d.requiresPython !== undefined ? ` data-requires-python="${escapeHtml(d.requiresPython)}"` : "",
            d.yanked !== undefined ? ` data-yanked="${d.yanked === true ? "" : escapeHtml(d.yanked)}"` : "",
            d.metadataSha ? ` data-core-metadata="sha256=${d.metadataSha}" data-dist-info-metadata="sha256=${d.metadataSha}"` : "",
          ].join("");
          return `<a href="${base}/files/${encodeURIComponent(d.f)}#sha256=${d.sha}"${attrs}>${escapeHtml(d.f)}</a>`;
        });
        body = `<!DOCTYPE html><html><body>\n${links.join("<br/>\n")}\n</body></html>\n`;
      }
      const cache = opts.pageCacheControl ?? "max-age=600, public";
      if (opts.etag) {
        const etag = `"${sha256Of(type + "\n" + body).slice(0, 32)}"`;
        const asked = (req.headers["if-none-match"] ?? "").split(",").map((s) => s.trim().replace(/^W\//, ""));
        if (asked.includes(etag)) {
          send(304, type, "", cache, { etag });
          return true;
        }
        send(200, type, body, cache, { etag, vary: "Accept" });
        return true;
      }
      send(200, type, body, cache, { vary: "Accept" });
      return true;
    }
    const metadata = /^\/files\/([^/]+\.whl)\.metadata$/.exec(rest);
    if (metadata && opts.metadataFiles) {
      const data = existsSync(join(dir, metadata[1]!)) ? wheelMetadataOf(join(dir, metadata[1]!)) : undefined;
      if (data) send(200, "application/octet-stream", data, "max-age=365000000, immutable, public");
      else send(404, "text/plain", "not found\n");
      return true;
    }
    const file = /^\/files\/([^/]+\.(?:whl|tar\.gz|zip))$/.exec(rest);
    if (file) {
      try {
        send(200, "application/octet-stream", readFileSync(join(dir, file[1]!)), "max-age=365000000, immutable, public");
      } catch {
        send(404, "text/plain", "not found\n");
      }
      return true;
    }
    return false;
  };
}

export interface IndexEntry {
  /** The path prefix (`a` serves /a/simple/); "" or undefined for the root. */
  prefix?: string;
  dir: string;
  opts?: ServeOptions;
}

export interface IndexServers {
  /** The index URLs, in the order of the entries. */
  urls: string[];
  /** Every request path served, in order, for all of them. */
  requests: string[];
  answers: IndexAnswer[];
  close(): Promise<void>;
}

/**
 * Serves several directories from one server, each under its own prefix
 * (an entry's prefix wins over its opts.prefix). Anything no entry owns is 404.
 */
export async function serveIndexes(entries: IndexEntry[]): Promise<IndexServers> {
  const requests: string[] = [];
  const answers: IndexAnswer[] = [];
  const handlers = entries.map((e) => {
    const opts = { ...e.opts, prefix: e.prefix ?? e.opts?.prefix };
    return { opts, handle: indexHandler(e.dir, opts) };
  });
  // Longer prefixes first, so that "" (the root) does not answer for "/a/…".
  const byPrefix = [...handlers].sort((a, b) => (b.opts.prefix ?? "").length - (a.opts.prefix ?? "").length);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    requests.push(path);
    for (const h of byPrefix) {
      const send: Send = (status, type, body, cache, extra = {}) => {
        const ifNoneMatch = req.headers["if-none-match"];
        answers.push({ path, status, ...(ifNoneMatch ? { ifNoneMatch } : {}) });
        res.writeHead(status, {
          "content-type": type,
          ...(status === 304 ? {} : { "content-length": Buffer.byteLength(body) }),
          ...(h.opts.cacheHeaders && cache ? { "cache-control": cache } : {}),
          ...extra,
        });
        res.end(status === 304 ? undefined : body);
      };
      if (h.handle(path, req, send)) return;
    }
    answers.push({ path, status: 404 });
    res.writeHead(404, { "content-type": "text/plain", "content-length": 10 });
    res.end("not found\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the index server has no TCP address");
  const root = `http://127.0.0.1:${address.port}`;
  return {
    urls: handlers.map((h) => `${root}${h.opts.prefix ? `/${h.opts.prefix.replace(/^\/+|\/+$/g, "")}` : ""}/simple/`),
    requests,
    answers,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * Serves the wheels and sdists (`.whl`, `.tar.gz`, `.zip`) of `dir`, read
 * anew on each request, so a test may add files while the server runs.
 * Answers 404 for any project it lacks.
 */
export async function serveIndex(dir: string, opts: ServeOptions = {}): Promise<IndexServer> {
  const s = await serveIndexes([{ dir, opts }]);
  return { url: s.urls[0]!, requests: s.requests, answers: s.answers, close: s.close };
}

export interface IndexProcess {
  /** The index URL to give pip (`--index-url`). */
  url: string;
  /** Stops the server process. */
  close(): void;
}

const HERE = fileURLToPath(new URL(".", import.meta.url));

/**
 * Serves `dir` as serveIndex does, from a child Node process, and answers
 * once it listens (synchronously: for callers whose event loop is blocked
 * while pip runs, such as the benchmark harness).
 */
export function serveIndexInProcess(dir: string, portFile: string, opts: ServeOptions = {}): IndexProcess {
  rmSync(portFile, { force: true });
  const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "index-server-main.ts"), dir, portFile, JSON.stringify(opts)], {
    // Its stdin is ours: when this process ends, however it ends, the server sees EOF and ends too.
    stdio: ["pipe", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (!existsSync(portFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the index server process for ${dir} did not start`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  return { url: readFileSync(portFile, "utf8").trim(), close: () => void child.kill("SIGTERM") };
}
