// Reading a project's simple page: PEP 503 HTML (anchors, <base href>,
// data-* attributes as pip's HTMLLinkParser reads them, entities unescaped)
// or PEP 691 JSON (application/vnd.pypi.simple.v1+json, api-version 1.x),
// and a find-links page (any HTML page's anchors). A page that is neither is
// an error naming its URL: the caller cannot tell "no files" from "wrong URL".
import { VenvctlError } from "../errors.js";
import { fileNameOf } from "../pip/report.js";
import { indexFileOf, parseHashPair, type FileLink, type IndexFile } from "./files.js";

/** The media type of PEP 691's JSON pages. */
export const JSON_TYPE = "application/vnd.pypi.simple.v1+json";
/** What pip (and uv) ask for: JSON, then PEP 691's HTML, then any HTML. */
export const ACCEPT = `${JSON_TYPE}, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01`;

/** A page venvctl cannot read as a simple page. */
export class IndexPageError extends VenvctlError {}

const HINT = "check --index-url / --extra-index-url / --find-links (and PIP_INDEX_URL, pip.conf); VENVCTL_RESOLVER=pip lets pip resolve instead";

function pageError(url: string, what: string): IndexPageError {
  return new IndexPageError(`the index page ${url} ${what}`, { hint: HINT });
}

/**
 * The wheels and sdists of `project` (canonical) on a page: JSON when the
 * content type is PEP 691's, HTML when it is text/html or PEP 691's HTML;
 * anything else is an error naming `url` (the page's final URL, which
 * relative links are resolved against).
 */
export function parseProjectPage(body: string, contentType: string | undefined, url: string, project: string): IndexFile[] {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === JSON_TYPE) return parseJsonPage(body, url, project);
  if (type === "text/html" || type === "application/vnd.pypi.simple.v1+html") return parseHtmlPage(body, url, project);
  throw pageError(url, `is neither HTML nor PEP 691 JSON (content type ${JSON.stringify(contentType ?? "")})`);
}

// ---- HTML -------------------------------------------------------------------

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", num: "#", equals: "=", plus: "+", sol: "/", percnt: "%" };

/** html.unescape for what index pages hold: numeric references and the common named ones. */
export function unescapeHtml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);?/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    }
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** The start tags named `tag` in an HTML text, each with its attributes (names lower-cased, values unescaped). */
function startTags(html: string, tag: string): Array<Map<string, string | undefined>> {
  const out: Array<Map<string, string | undefined>> = [];
  const open = new RegExp(`<${tag}(?=[\\s/>])`, "gi");
  // Python's HTMLParser: an unquoted value runs to the next blank or `>`.
  const attr = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^>\s]*)))?/g;
  // Comments may hold anchors that are not links.
  const text = html.replace(/<!--[\s\S]*?-->/g, "");
  for (let m = open.exec(text); m; m = open.exec(text)) {
    let end = m.index + m[0].length;
    // The tag ends at the first `>` outside a quoted value.
    let quote: string | undefined;
    for (; end < text.length; end++) {
      const c = text[end];
      if (quote) { if (c === quote) quote = undefined; }
      else if (c === '"' || c === "'") quote = c;
      else if (c === ">") break;
    }
    const attrs = new Map<string, string | undefined>();
    const inner = text.slice(m.index + m[0].length, end);
    for (let a = attr.exec(inner); a; a = attr.exec(inner)) {
      const name = a[1]!.toLowerCase();
      const value = a[2] ?? a[3] ?? a[4];
      if (!attrs.has(name)) attrs.set(name, value === undefined ? undefined : unescapeHtml(value));
    }
    attr.lastIndex = 0;
    out.push(attrs);
    open.lastIndex = end;
  }
  return out;
}

/** The anchors of an HTML page, each with its absolute URL (resolved against <base href> or the page). */
export function htmlLinks(html: string, pageUrl: string): Array<{ url: URL; attrs: Map<string, string | undefined> }> {
  let base = pageUrl;
  const baseHref = startTags(html, "base").find((a) => a.get("href"))?.get("href");
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).href;
    } catch {
      // pip ignores a base it cannot use.
    }
  }
  const out: Array<{ url: URL; attrs: Map<string, string | undefined> }> = [];
  for (const attrs of startTags(html, "a")) {
    const href = attrs.get("href");
    if (!href) continue;
    try {
      out.push({ url: new URL(href.trim(), base), attrs });
    } catch {
      // a link no URL parser reads, as pip skips it
    }
  }
  return out;
}

/** PEP 503's HTML page (or a find-links page): the anchors that name wheels or sdists of `project`. */
export function parseHtmlPage(html: string, pageUrl: string, project: string): IndexFile[] {
  if (!/<(!doctype\s+html|html|body|a|head|meta)[\s>]/i.test(html) && html.trim() !== "") {
    throw pageError(pageUrl, "is not an HTML page");
  }
  const files: IndexFile[] = [];
  for (const { url, attrs } of htmlLinks(html, pageUrl)) {
    const fragment = url.hash.slice(1);
    url.hash = "";
    const filename = fileNameOf(url.href);
    if (!filename) continue;
    const link: FileLink = { url: url.href, hashes: parseHashPair(fragment) ?? {}, source: pageUrl };
    const rp = attrs.get("data-requires-python");
    if (rp) link.requiresPython = rp;
    if (attrs.has("data-yanked")) link.yanked = attrs.get("data-yanked") || true;
    // PEP 714: data-core-metadata, else the older data-dist-info-metadata.
    const meta = attrs.has("data-core-metadata") ? attrs.get("data-core-metadata") : attrs.get("data-dist-info-metadata");
    const core = meta === undefined ? undefined : metadataValue(meta);
    if (core !== undefined) link.coreMetadata = core;
    const file = indexFileOf(filename, project, link);
    if (file) files.push(file);
  }
  return files;
}

/** "true" → present without a hash; "sha256=…" → its hash; anything else: not offered (as pip reads it). */
function metadataValue(value: string): Record<string, string> | true | undefined {
  if (value === "true") return true;
  return parseHashPair(value);
}

// ---- JSON (PEP 691) -----------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** PEP 691's JSON page: `files`, with `meta.api-version` 1.x. */
export function parseJsonPage(body: string, pageUrl: string, project: string): IndexFile[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw pageError(pageUrl, `is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(data)) throw pageError(pageUrl, "is not a PEP 691 project page (not a JSON object)");
  const version = isObject(data.meta) ? data.meta["api-version"] : undefined;
  if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) throw pageError(pageUrl, "has no meta.api-version (PEP 691)");
  if (version.split(".")[0] !== "1") throw pageError(pageUrl, `speaks simple API ${version}; venvctl reads 1.x`);
  if (!Array.isArray(data.files)) throw pageError(pageUrl, "has no files list (PEP 691)");
  const files: IndexFile[] = [];
  for (const f of data.files) {
    if (!isObject(f) || typeof f.url !== "string" || typeof f.filename !== "string") {
      throw pageError(pageUrl, "lists a file without url or filename (PEP 691)");
    }
    let url: URL;
    try {
      url = new URL(f.url, pageUrl);
    } catch {
      continue;
    }
    url.hash = "";
    const hashes: Record<string, string> = {};
    if (isObject(f.hashes)) for (const [k, v] of Object.entries(f.hashes)) if (typeof v === "string") hashes[k.toLowerCase()] = v.toLowerCase();
    const link: FileLink = { url: url.href, hashes, source: pageUrl };
    if (typeof f["requires-python"] === "string" && f["requires-python"]) link.requiresPython = f["requires-python"];
    if (f.yanked === true || (typeof f.yanked === "string")) link.yanked = f.yanked || true;
    const meta = f["core-metadata"] ?? f["dist-info-metadata"];
    if (meta === true) link.coreMetadata = true;
    else if (isObject(meta)) {
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(meta)) if (typeof v === "string") h[k.toLowerCase()] = v.toLowerCase();
      link.coreMetadata = h;
    }
    if (typeof f.size === "number") link.size = f.size;
    if (typeof f["upload-time"] === "string") link.uploadTime = f["upload-time"];
    const file = indexFileOf(f.filename, project, link);
    if (file) files.push(file);
  }
  return files;
}
