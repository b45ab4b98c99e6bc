// Path functions with Python's semantics, where pip's answers depend on them:
// os.path.realpath (non-strict: a missing tail is kept), abspath, and the
// file: URL to path conversion pip applies to direct_url.json.
import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const realCache = new Map<string, string>();

/** os.path.realpath(p) (non-strict): symlinks resolved as far as the path exists. */
export function realpathPy(p: string): string {
  const abs = resolve(p);
  const hit = realCache.get(abs);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    out = realpathSync.native(abs);
  } catch {
    const parent = dirname(abs);
    out = parent === abs ? abs : join(realpathPy(parent), basename(abs));
  }
  realCache.set(abs, out);
  return out;
}

/** urllib.parse.unquote: percent-decoding as UTF-8, invalid sequences replaced. */
export function unquotePy(s: string): string {
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  let out = "";
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString("utf8");
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      flush();
      out += c;
    }
  }
  flush();
  return out;
}

/**
 * pip's url_to_path for a file: URL (POSIX): the path part, percent-decoded.
 * Answers undefined for a URL pip could not turn into a local path.
 */
export function fileUrlToPath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  let rest = url.slice(5);
  // urlsplit: fragment and query are not part of the path.
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  let netloc = "";
  if (rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    netloc = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : "";
  }
  if (netloc !== "" && netloc !== "localhost") return undefined;
  return unquotePy(rest);
}
