// venvctl's package-index client: every file a project has across the
// find-links places and the indexes (pip's order: find-links, then the
// indexes), pages from the page cache when fresh and revalidated when not,
// PEP 658 metadata (or the METADATA / PKG-INFO inside the file when there
// is none), and hash-checked downloads. Projects are asked about in
// parallel over keep-alive connections; a page, metadata answer or wheel
// is fetched once per client. One file, though long: pages, metadata and
// downloads share the client's memo of what was fetched and where.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Context } from "../context.js";
import { HashMismatchError, VenvctlError, withPath } from "../errors.js";
import { canonicalizeName } from "../standards/names.js";
import { digest, isDigestAlgorithm, nodeCrypto } from "../util/digest.js";
import { atomicWriteFile, ensureDir, isNodeError, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { debug } from "../util/log.js";
import { indexFileOf, type IndexFile } from "./files.js";
import { digestsToCheck, Http, IndexHttpError, NETWORK_HINT } from "./http.js";
import { cacheControl, PageCache, PARSED_FORMAT, type CachedPage } from "./page-cache.js";
import { ACCEPT, parseHtmlPage, parseProjectPage } from "./pages.js";
import type { IndexSettings } from "./settings.js";

type ClientContext = Pick<Context, "env" | "dirs" | "cwd" | "stderr" | "platform">;

/** `posixpath.join(index, quote(project)) + "/"`, as pip's mkurl_pypi_url. */
function projectUrl(index: string, project: string): string {
  return `${index.endsWith("/") ? index : `${index}/`}${encodeURIComponent(project)}/`;
}

export class IndexClient {
  private readonly http: Http;
  private readonly pages: PageCache;
  private readonly metadataDir: string;
  private readonly indexUrls: string[];
  private readonly findLinks: string[];
  private readonly projects = new Map<string, Promise<IndexFile[]>>();
  private readonly metadataAnswers = new Map<string, Promise<string | undefined>>();
  /** Files fetched for their metadata, by URL: `download` moves them instead of fetching again. */
  private readonly fetched = new Map<string, { path: string; sha256: string }>();
  private tmp: string | undefined;

  constructor(private readonly ctx: ClientContext, settings: IndexSettings) {
    this.http = new Http(settings.caFile === undefined ? undefined : readCaFile(settings.caFile));
    this.pages = new PageCache(ctx.dirs.cache);
    this.metadataDir = join(ctx.dirs.cache, "index", "metadata");
    // Credentials go to the Authorization header of their host, never into a file's URL.
    this.indexUrls = settings.indexUrls.map((u) => this.http.credentialsOf(u));
    this.findLinks = settings.findLinks.map((u) => this.http.credentialsOf(u));
  }

  /**
   * Every file for a project across the find-links places and the indexes
   * (find-links first, each in the order given; a URL listed twice counts
   * once). Concurrent calls for different projects run in parallel; a 404
   * on an index is no files; other failures are VenvctlErrors naming the URL.
   */
  projectFiles(name: string): Promise<IndexFile[]> {
    const project = canonicalizeName(name);
    let p = this.projects.get(project);
    if (!p) {
      p = this.collect(project);
      this.projects.set(project, p);
    }
    return p;
  }

  private async collect(project: string): Promise<IndexFile[]> {
    const lists = await Promise.all([
      ...this.findLinks.map((place) => this.findLinksFiles(place, project)),
      ...this.indexUrls.map((index) => this.indexFiles(projectUrl(index, project), project)),
    ]);
    const seen = new Set<string>();
    const out: IndexFile[] = [];
    for (const f of lists.flat()) {
      if (seen.has(f.url)) continue;
      seen.add(f.url);
      out.push(f);
    }
    debug(this.ctx, `index: ${out.length} files for ${project} from ${lists.length} places`);
    return out;
  }

  /** A find-links place: a directory's archives, a local HTML file, an archive, or an http(s) page. */
  private async findLinksFiles(place: string, project: string): Promise<IndexFile[]> {
    if (/^https?:/i.test(place)) return (await this.page(place, project, false)) ?? [];
    const path = /^file:/i.test(place) ? fileURLToPath(place) : place;
    let st;
    try {
      st = statSync(path);
    } catch {
      debug(this.ctx, `index: find-links ${place} is not there; skipped (as pip skips it)`);
      return [];
    }
    const source = pathToFileURL(path).href;
    if (st.isDirectory()) {
      const out: IndexFile[] = [];
      for (const name of readdirSync(path).sort()) {
        const url = pathToFileURL(join(path, name)).href;
        const f = indexFileOf(name, project, { url, hashes: {}, source });
        if (f) out.push(f);
      }
      return out;
    }
    if (/\.html?$/i.test(path)) return parseHtmlPage(this.readLocal(path), source, project);
    const name = path.slice(path.lastIndexOf("/") + 1);
    const f = indexFileOf(name, project, { url: source, hashes: {}, source });
    return f ? [f] : [];
  }

  private readLocal(path: string): string {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      throw withPath(err, "read the index page", path);
    }
  }

  /** A project page of an index; a file:// index is a directory holding PROJECT/index.html. */
  private async indexFiles(url: string, project: string): Promise<IndexFile[]> {
    if (/^file:/i.test(url)) {
      const page = join(fileURLToPath(url), "index.html");
      let html: string;
      try {
        html = readFileSync(page, "utf8");
      } catch (err) {
        if (isNodeError(err, "ENOENT") || isNodeError(err, "ENOTDIR")) return [];
        throw withPath(err, "read the index page", page);
      }
      return parseHtmlPage(html, pathToFileURL(page).href, project);
    }
    return (await this.page(url, project, true)) ?? [];
  }

  /**
   * A page's files, from the cache when fresh, else asked for (revalidated
   * with the cached ETag / Last-Modified). Undefined for a 404 on an index.
   */
  private async page(url: string, project: string, isIndex: boolean): Promise<IndexFile[] | undefined> {
    const cached = this.pages.get(url);
    if (cached && PageCache.isFresh(cached)) {
      debug(this.ctx, `index: ${url} from the cache (fresh)`);
      return this.filesOf(cached, project);
    }
    const headers: Record<string, string> = { accept: ACCEPT };
    if (cached?.etag) headers["if-none-match"] = cached.etag;
    if (cached?.lastModified) headers["if-modified-since"] = cached.lastModified;
    const answer = await this.http.get(url, headers);
    const cc = cacheControl(header(answer.headers["cache-control"]));
    if (answer.status === 304 && cached) {
      debug(this.ctx, `index: ${url} not modified (304)`);
      const page: CachedPage = { ...cached, fetched: Date.now(), maxAge: cc.maxAge ?? cached.maxAge, noCache: cc.noCache || undefined };
      const files = this.filesOf(page, project);
      if (!cc.noStore) this.pages.put(page);
      return files;
    }
    if (answer.status === 404 && isIndex) {
      debug(this.ctx, `index: ${url} answers 404: no files there`);
      return undefined;
    }
    if (answer.status !== 200) throw statusError(url, answer.status);
    const page: CachedPage = {
      url,
      finalUrl: answer.url,
      contentType: header(answer.headers["content-type"]),
      etag: header(answer.headers.etag),
      lastModified: header(answer.headers["last-modified"]),
      fetched: Date.now(),
      maxAge: cc.maxAge,
      noCache: cc.noCache || undefined,
      body: answer.body.toString("utf8"),
    };
    // Parsed before it is kept: a page that cannot be read is not cached.
    const files = this.filesOf(page, project);
    if (!cc.noStore) this.pages.put(page);
    return files;
  }

  /** The page's files for `project`: kept with it when read before, else read from its body (and kept with it). */
  private filesOf(page: CachedPage, project: string): IndexFile[] {
    const kept = page.parsed;
    if (kept && kept.format === PARSED_FORMAT && kept.project === project && Array.isArray(kept.files)) return kept.files;
    const files = parseProjectPage(page.body, page.contentType, page.finalUrl, project);
    page.parsed = { format: PARSED_FORMAT, project, files };
    return files;
  }

  /**
   * The METADATA text of a file: its PEP 658 `.metadata` when the index
   * offers one (checked against the advertised hash), else the file itself
   * fetched (hash-checked) and its METADATA or PKG-INFO read. For an sdist
   * the text counts only when it is static (Metadata-Version >= 2.2, no
   * Dynamic Requires-Dist / Requires-Python); otherwise undefined (the
   * caller builds it). Kept on disk by the file's sha256.
   */
  metadata(file: IndexFile): Promise<string | undefined> {
    let p = this.metadataAnswers.get(file.url);
    if (!p) {
      p = this.readMetadata(file);
      this.metadataAnswers.set(file.url, p);
      p.catch(() => this.metadataAnswers.delete(file.url));
    }
    return p;
  }

  private async readMetadata(file: IndexFile): Promise<string | undefined> {
    const known = file.hashes.sha256;
    if (known) {
      const hit = this.cachedMetadata(known);
      if (hit !== undefined) return hit.text;
    }
    const { isStaticMetadata, sdistPkgInfo, wheelMetadata, ArchiveMetadataError } = await import("./archive-metadata.js");
    const judge = (text: string | undefined) => (text !== undefined && (file.kind === "wheel" || isStaticMetadata(text)) ? text : undefined);
    if (file.coreMetadata && !/^file:/i.test(file.url)) {
      const text = await this.coreMetadata(file);
      if (text !== undefined) {
        const answer = judge(text);
        if (known) this.keepMetadata(known, answer);
        return answer;
      }
    }
    const { path, sha256 } = await this.fetchFile(file);
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (err) {
      throw withPath(err, "read", path);
    }
    let text: string | undefined;
    try {
      text = file.kind === "wheel" ? wheelMetadata(data, file.project) : sdistPkgInfo(data, file.filename);
    } catch (err) {
      if (!(err instanceof ArchiveMetadataError)) throw err;
      throw new VenvctlError(`cannot read the metadata of ${file.filename} (from ${file.source}): ${err.message}`, {
        hint: "the file is damaged or not a distribution; VENVCTL_RESOLVER=pip lets pip resolve instead",
      });
    }
    const answer = judge(text);
    this.keepMetadata(sha256, answer);
    return answer;
  }

  /** The PEP 658 file, verified; undefined when the index does not have it after all (404). */
  private async coreMetadata(file: IndexFile): Promise<string | undefined> {
    const url = `${file.url}.metadata`;
    const answer = await this.http.get(url, {});
    if (answer.status === 404) {
      debug(this.ctx, `index: ${url} is advertised but answers 404; reading the file instead`);
      return undefined;
    }
    if (answer.status !== 200) throw statusError(url, answer.status);
    if (file.coreMetadata !== true) {
      for (const [algorithm, expected] of Object.entries(file.coreMetadata ?? {})) {
        if (!isDigestAlgorithm(algorithm)) continue;
        const actual = digest(algorithm, answer.body, "hex");
        if (actual !== expected) throw HashMismatchError.of(url, algorithm, expected, actual);
      }
    }
    return answer.body.toString("utf8");
  }

  private cachedMetadata(sha256: string): { text: string | undefined } | undefined {
    const path = join(this.metadataDir, sha256);
    try {
      const kept = JSON.parse(readFileSync(`${path}.json`, "utf8")) as { text?: unknown };
      if (typeof kept.text === "string") return { text: kept.text };
    } catch {
      // Absent, or torn by a crash (it is not flushed): read again.
    }
    try {
      statSync(`${path}.dynamic`);
      return { text: undefined };
    } catch {
      return undefined;
    }
  }

  /**
   * Metadata by the file's sha256 (immutable), as JSON so that an entry cut
   * short by a crash does not parse (a METADATA cut short would read as one
   * with fewer dependencies); `.dynamic` marks an sdist whose PKG-INFO does
   * not count. Not flushed.
   */
  private keepMetadata(sha256: string, text: string | undefined): void {
    const path = join(this.metadataDir, text === undefined ? `${sha256}.dynamic` : `${sha256}.json`);
    try {
      ensureDir(this.metadataDir);
      atomicWriteFile(path, text === undefined ? "" : JSON.stringify({ text }), 0o644, { flush: false });
    } catch (err) {
      throw withPath(err, "write the index metadata cache entry", path);
    }
  }

  /** The client's own directory for files fetched for their metadata (in the cache: same file system as the store). */
  private tmpDir(): string {
    if (!this.tmp) {
      const parent = join(this.ctx.dirs.cache, "tmp");
      try {
        ensureDir(parent);
        this.tmp = mkdtempSync(join(parent, "index-"));
      } catch (err) {
        throw withPath(err, "create a directory in", parent);
      }
    }
    return this.tmp;
  }

  /** The file on disk: a local file as it is (hashed), a remote one fetched once into the client's directory. */
  private async fetchFile(file: IndexFile): Promise<{ path: string; sha256: string }> {
    const had = this.fetched.get(file.url);
    if (had) return had;
    if (/^file:/i.test(file.url)) {
      const { path, sha256 } = readLocalFile(file);
      return { path, sha256 };
    }
    const dir = join(this.tmpDir(), String(this.fetched.size));
    ensureDir(dir);
    const got = await this.fetchInto(file, join(dir, file.filename));
    this.fetched.set(file.url, got);
    return got;
  }

  /** Streams a remote file to `path` (beside it first), checked against its advertised hashes. */
  private async fetchInto(file: IndexFile, path: string): Promise<{ path: string; sha256: string }> {
    const part = siblingTempPath(path, "part");
    const answer = await this.http.get(file.url, {}, { path: part, hash: digestsToCheck(file.hashes) });
    if (answer.status !== 200) {
      rmSync(part, { force: true });
      throw statusError(file.url, answer.status);
    }
    for (const [algorithm, actual] of Object.entries(answer.digests)) {
      const expected = file.hashes[algorithm];
      if (expected && expected !== actual) {
        rmSync(part, { force: true });
        throw HashMismatchError.of(file.url, algorithm, expected, actual);
      }
    }
    try {
      renameSync(part, path);
    } catch (err) {
      rmSync(part, { force: true });
      throw withPath(err, "write the download", path);
    }
    debug(this.ctx, `index: fetched ${file.url}`);
    return { path, sha256: answer.digests.sha256! };
  }

  /**
   * Downloads the file into `dir` (as `dir/<filename>`), hash-checked
   * against what the index advertised; a file already fetched for its
   * metadata is moved there, not fetched again. Answers its path and sha256.
   */
  async download(file: IndexFile, dir: string): Promise<{ path: string; sha256: string }> {
    const dest = join(dir, file.filename);
    try {
      ensureDir(dir);
    } catch (err) {
      throw withPath(err, "create directory", dir);
    }
    const had = this.fetched.get(file.url);
    if (had) {
      try {
        renameSync(had.path, dest);
      } catch (err) {
        if (!isNodeError(err, "EXDEV")) throw withPath(err, "move the download to", dest);
        copyFileSync(had.path, dest);
        rmSync(had.path, { force: true });
      }
      const got = { path: dest, sha256: had.sha256 };
      this.fetched.set(file.url, got);
      return got;
    }
    if (/^file:/i.test(file.url)) {
      const { data, sha256 } = readLocalFile(file);
      try {
        atomicWriteFile(dest, data);
      } catch (err) {
        throw withPath(err, "write the download", dest);
      }
      return { path: dest, sha256 };
    }
    const got = await this.fetchInto(file, dest);
    this.fetched.set(file.url, got);
    return got;
  }

  /** Ends the keep-alive sockets (so the process can exit) and removes files fetched only for their metadata. */
  close(): void {
    this.http.close();
    if (this.tmp) {
      try {
        removeOwnedTree(this.tmp);
      } catch {
        // the cache may be cleaned later; nothing depends on this directory
      }
      this.tmp = undefined;
    }
  }
}

/** A file:// file's bytes, checked against the hashes its listing gave. */
function readLocalFile(file: IndexFile): { path: string; data: Buffer; sha256: string } {
  const path = fileURLToPath(file.url);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw withPath(err, "read", path);
  }
  return { path, data, sha256: verify(file, data) };
}

/** The advertised hashes checked against the bytes; answers the sha256. */
function verify(file: IndexFile, data: Buffer): string {
  let sha256 = "";
  for (const algorithm of digestsToCheck(file.hashes)) {
    const actual = algorithm === "sha256" ? digest("sha256", data, "hex") : nodeCrypto().createHash(algorithm).update(data).digest("hex");
    if (algorithm === "sha256") sha256 = actual;
    const expected = file.hashes[algorithm];
    if (expected && expected !== actual) throw HashMismatchError.of(file.url, algorithm, expected, actual);
  }
  return sha256;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** An answer that is not 200 (or 404 for a project), in words. */
function statusError(url: string, status: number): IndexHttpError {
  const why =
    status === 401 || status === 403 ? `${status} (${status === 401 ? "credentials needed" : "forbidden"})`
    : status >= 500 ? `${status} (a server error)`
    : String(status);
  const hint = status === 401 || status === 403
    ? `give credentials in the URL (https://user:password@host/simple/), or let pip resolve with its keyring and netrc support (VENVCTL_RESOLVER=pip); ${NETWORK_HINT}`
    : NETWORK_HINT;
  return new IndexHttpError(url, status, `${url} answered HTTP ${why}`, hint);
}

/** The CA bundle's bytes; an unreadable one is an error naming it. */
function readCaFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw withPath(err, "read the CA bundle", path);
  }
}
