// The index client's page cache: one file per page URL under
// $VENVCTL_CACHE_DIR/index/pages (named by the URL's sha256), holding the
// body and what HTTP caching needs: content type, ETag, Last-Modified,
// Cache-Control's max-age / no-cache, and when it was fetched. A page still
// fresh is used without a request; a stale one is revalidated (304 keeps
// the body), with the files read from it. Written atomically; an entry that
// does not read back whole is treated as absent (the page is fetched
// again), never as an error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { withPath } from "../errors.js";
import { digest } from "../util/digest.js";
import { atomicWriteFile, ensureDir } from "../util/fs.js";
import type { IndexFile } from "./files.js";

export interface CachedPage {
  /** The URL asked for (the key). */
  url: string;
  /** The URL that answered, after redirects: relative links resolve against it. */
  finalUrl: string;
  contentType: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** Date.now() when fetched or last revalidated. */
  fetched: number;
  /** Cache-Control max-age, seconds. */
  maxAge?: number | undefined;
  /** Cache-Control no-cache: always revalidate. */
  noCache?: boolean | undefined;
  body: string;
  /**
   * The body's files for the project it was read for, as pages.ts read
   * them then (PARSED_FORMAT): a fresh or revalidated page is used without
   * parsing it again. A find-links page lists many projects; it is kept for
   * the last one asked.
   */
  parsed?: { format: number; project: string; files: IndexFile[] } | undefined;
}

/** Bumped when pages.ts reads a page otherwise: older parsed files are then read again from the body. */
export const PARSED_FORMAT = 1;

/** What Cache-Control says about keeping and reusing an answer. */
export function cacheControl(header: string | undefined): { maxAge?: number; noCache: boolean; noStore: boolean } {
  const out: { maxAge?: number; noCache: boolean; noStore: boolean } = { noCache: false, noStore: false };
  for (const part of (header ?? "").split(",")) {
    const [k, v] = part.trim().toLowerCase().split("=", 2) as [string, string | undefined];
    if (k === "no-cache") out.noCache = true;
    else if (k === "no-store") out.noStore = true;
    else if (k === "max-age" && v !== undefined && /^\d+$/.test(v.replace(/"/g, ""))) out.maxAge = Number(v.replace(/"/g, ""));
  }
  return out;
}

export class PageCache {
  readonly dir: string;

  constructor(cacheRoot: string) {
    this.dir = join(cacheRoot, "index", "pages");
  }

  private pathOf(url: string): string {
    return join(this.dir, digest("sha256", url, "hex"));
  }

  /** The cached page of `url`, or undefined (absent, unreadable, or not one this cache wrote). */
  get(url: string): CachedPage | undefined {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.pathOf(url), "utf8"));
    } catch {
      return undefined;
    }
    const p = data as Partial<CachedPage>;
    if (typeof p !== "object" || p === null || p.url !== url || typeof p.body !== "string" || typeof p.fetched !== "number" || typeof p.finalUrl !== "string") return undefined;
    return p as CachedPage;
  }

  /** Whether the page may be used without asking the server (fresh by its max-age, not no-cache). */
  static isFresh(page: CachedPage, now = Date.now()): boolean {
    return !page.noCache && page.maxAge !== undefined && now - page.fetched < page.maxAge * 1000 && now >= page.fetched;
  }

  put(page: CachedPage): void {
    const path = this.pathOf(page.url);
    try {
      ensureDir(this.dir);
      // Not flushed: an entry torn by a crash does not parse, and is fetched again.
      atomicWriteFile(path, JSON.stringify(page), 0o644, { flush: false });
    } catch (err) {
      throw withPath(err, "write the index page cache entry", path);
    }
  }
}
