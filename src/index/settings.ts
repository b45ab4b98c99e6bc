// Where venvctl's own index client looks, and what it may take, settled as
// pip settles it: pip.conf ([global] of every file, then [install]), then
// PIP_* variables, then the command line, then each requirement file's
// option lines applied to the finder as pip's handle_option_line does (an
// `-i` there replaces every index so far, only a line's first -f counts, a
// -f is relative to its file when that exists). Whatever venvctl cannot do
// as pip would — client certificates, proxies, keyring, TLS exceptions,
// ignoring Requires-Python — is answered as {unsupported}, so the caller
// hands resolution to pip rather than resolve differently.
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, dirname } from "node:path";
import type { Context } from "../context.js";
import type { FileOption } from "../pip/requirements-file.js";
import type { IndexOptions } from "../pip/runner.js";
import { installValues, normalize, pipConfigFiles } from "../pip/settings.js";
import { canonicalizeName } from "../standards/names.js";

/** What the index client is to read, and which formats it may take. */
export interface IndexSettings {
  /** [index-url, ...extra-index-urls]; [] with --no-index. URLs may hold user:password@. */
  indexUrls: string[];
  /** Directories (absolute paths or file:// URLs) and http(s)/file pages. */
  findLinks: string[];
  pre: boolean;
  /** Canonical names, or ":all:" (pip's FormatControl). Ask allowedFormats, which applies pip's order. */
  onlyBinary: Set<string> | ":all:";
  noBinary: Set<string> | ":all:";
  preferBinary: boolean;
  /** pip's `cert`: the CA bundle that replaces the default trust store for https, or undefined for Node's own. */
  caFile?: string | undefined;
}

/** pip's default index. */
export const PYPI_SIMPLE = "https://pypi.org/simple/";

/** pip's FormatControl.get_allowed_formats: which kinds of file a project may be installed from. */
export function allowedFormats(s: Pick<IndexSettings, "onlyBinary" | "noBinary">, name: string): { wheel: boolean; sdist: boolean } {
  const key = canonicalizeName(name);
  const has = (set: Set<string> | ":all:", k: string) => (set === ":all:" ? k === ":all:" : set.has(k));
  if (has(s.onlyBinary, key)) return { wheel: true, sdist: false };
  if (has(s.noBinary, key)) return { wheel: false, sdist: true };
  if (has(s.onlyBinary, ":all:")) return { wheel: true, sdist: false };
  if (has(s.noBinary, ":all:")) return { wheel: false, sdist: true };
  return { wheel: true, sdist: true };
}

/** pip's FormatControl, as two sets (":all:" a member), changed by handle_mutual_excludes. */
class FormatControl {
  readonly onlyBinary = new Set<string>();
  readonly noBinary = new Set<string>();

  /** --only-binary VALUE (binary) or --no-binary VALUE; false when pip would refuse the value. */
  apply(value: string, binary: boolean): boolean {
    if (value.startsWith("-")) return false;
    const target = binary ? this.onlyBinary : this.noBinary;
    const other = binary ? this.noBinary : this.onlyBinary;
    let names = value.split(",");
    while (names.includes(":all:")) {
      other.clear();
      target.clear();
      target.add(":all:");
      names = names.slice(names.indexOf(":all:") + 1);
      if (!names.includes(":none:")) return true;
    }
    for (const n of names) {
      if (n === ":none:") {
        target.clear();
        continue;
      }
      const key = canonicalizeName(n);
      other.delete(key);
      target.add(key);
    }
    return true;
  }

  /** As IndexSettings holds it: ":all:" alone stands for the set (names beside it change nothing pip asks). */
  static view(set: Set<string>): Set<string> | ":all:" {
    return set.has(":all:") ? ":all:" : new Set(set);
  }
}

/** pip's strtobool; undefined for a value pip refuses. */
function strtobool(v: string): boolean | undefined {
  const s = v.trim().toLowerCase();
  if (["y", "yes", "t", "true", "on", "1"].includes(s)) return true;
  if (["n", "no", "f", "false", "off", "0"].includes(s)) return false;
  return undefined;
}

/** Index settings venvctl's client cannot honour; pip would act on them. */
const UNSUPPORTED: Record<string, string> = {
  "client-cert": "a client certificate (client-cert)",
  proxy: "a proxy (proxy)",
  "use-deprecated": "a deprecated pip behaviour (use-deprecated)",
};

/** Where an http(s) URL is loopback, which pip counts as a secure origin without TLS. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * The index settings of an install: pip.conf < PIP_* < `cli`, then the
 * requirement files' option lines in order (`configFiles`: pip's, unless a
 * test names its own). Answers {unsupported: why} for
 * a setting venvctl cannot honour natively (the caller lets pip resolve).
 */
export function indexSettings(
  ctx: Pick<Context, "env" | "dirs" | "platform" | "cwd">,
  sysPrefix: string,
  cli: IndexOptions,
  fileOptions: readonly FileOption[],
  configFiles: readonly string[] = pipConfigFiles(ctx, sysPrefix),
): { settings: IndexSettings } | { unsupported: string } {
  // pip's _get_ordered_configuration_items: the files merged (a later file's key wins), [global] then [install], then PIP_*.
  const sections = { global: new Map<string, [string, string]>(), install: new Map<string, [string, string]>() };
  for (const file of configFiles) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // absent or unreadable: pip skips it
    }
    const values = installValues(text);
    if (values === undefined) return { unsupported: `${file} could not be read as pip reads it` };
    for (const v of values) sections[v.section].set(normalize(v.key), [v.value, file]);
  }
  const items: Array<{ key: string; value: string; where: string }> = [];
  for (const section of [sections.global, sections.install]) for (const [key, [value, where]] of section) items.push({ key, value, where });
  for (const [name, value] of Object.entries(ctx.env)) {
    if (!name.startsWith("PIP_") || value === undefined) continue;
    const key = normalize(name.slice(4));
    if (key === "version" || key === "help") continue;
    items.push({ key, value, where: `the environment variable ${name}` });
  }

  let indexUrl: string | undefined;
  let extra: string[] = [];
  let findLinks: string[] = [];
  let noIndex = false;
  let pre = false;
  let preferBinary = false;
  let caFile: string | undefined;
  const formats = new FormatControl();
  const trusted: string[] = [];
  for (const { key, value, where } of items) {
    const bool = () => strtobool(value);
    switch (key) {
      case "index-url": indexUrl = value; break;
      case "extra-index-url": extra = value.split(/\s+/).filter(Boolean); break;
      case "find-links": findLinks = value.split(/\s+/).filter(Boolean); break;
      case "cert": caFile = value; break;
      case "trusted-host": trusted.push(...value.split(/\s+/).filter(Boolean)); break;
      case "no-index": case "pre": case "prefer-binary": case "ignore-requires-python": {
        const b = bool();
        if (b === undefined) return { unsupported: `${where} sets ${key} to ${JSON.stringify(value)}, which pip refuses` };
        if (key === "no-index") noIndex = b;
        else if (key === "pre") pre = b;
        else if (key === "prefer-binary") preferBinary = b;
        else if (b) return { unsupported: `${where} sets ignore-requires-python` };
        break;
      }
      case "only-binary": case "no-binary":
        if (!formats.apply(value, key === "only-binary")) return { unsupported: `${where} sets ${key} to ${JSON.stringify(value)}, which pip refuses` };
        break;
      case "keyring-provider":
        if (!["auto", "disabled"].includes(value.trim().toLowerCase())) return { unsupported: `${where} sets keyring-provider (credentials from keyring)` };
        break;
      case "use-feature":
        if (/\btruststore\b/.test(value)) return { unsupported: `${where} sets use-feature=truststore (the system's certificate store)` };
        break;
      default:
        if (UNSUPPORTED[key]) return { unsupported: `${where} sets ${UNSUPPORTED[key]}` };
    }
  }

  // The command line: stores replace, appends add to what the configuration gave (optparse's defaults).
  if (cli.indexUrl) indexUrl = cli.indexUrl;
  extra = [...extra, ...cli.extraIndexUrls];
  findLinks = [...findLinks, ...cli.findLinks];
  if (cli.noIndex) noIndex = true;
  if (cli.pre) pre = true;
  // requests' merge_environment_settings: REQUESTS_CA_BUNDLE, else CURL_CA_BUNDLE, wins over the session's verify (pip's cert).
  caFile = ctx.env.REQUESTS_CA_BUNDLE || ctx.env.CURL_CA_BUNDLE || caFile;
  if (caFile !== undefined) {
    // requests' verify=PATH: a bundle file (a directory of hashed certificates is OpenSSL's, and not read here).
    caFile = resolve(ctx.cwd, caFile);
    try {
      if (!statSync(caFile).isFile()) return { unsupported: `cert names ${caFile}, which is not a file of certificates` };
    } catch {
      return { unsupported: `cert names ${caFile}, which cannot be read` };
    }
  }

  // The finder pip builds (SearchScope.create: `~` expanded), then each requirement-file line applied to it.
  const home = ctx.dirs.home;
  const expand = (l: string) => (l.startsWith("~") && existsSync(join(home, l.slice(1))) ? join(home, l.slice(1)) : l);
  let indexUrls = noIndex ? [] : [indexUrl ?? PYPI_SIMPLE, ...extra];
  const links = findLinks.map(expand).map((l) => ({ link: l, base: ctx.cwd }));
  for (const line of optionLines(fileOptions)) {
    const get = (name: string) => line.filter((o) => o.name === name);
    if (get("--no-index").length) {
      noIndex = true;
      indexUrls = [];
    }
    const i = get("--index-url").at(-1)?.value;
    if (i && !noIndex) indexUrls = [i];
    if (!noIndex) indexUrls.push(...get("--extra-index-url").map((o) => o.value!));
    const f = get("--find-links")[0];
    if (f?.value) {
      const fileDir = dirname(resolve(ctx.cwd, f.source.file));
      const nextTo = join(fileDir, f.value);
      links.push({ link: existsSync(nextTo) ? nextTo : f.value, base: ctx.cwd });
    }
    if (get("--pre").length) pre = true;
    if (get("--prefer-binary").length) preferBinary = true;
    for (const o of line) {
      if (o.name === "--only-binary" || o.name === "--no-binary") {
        if (!formats.apply(o.value ?? "", o.name === "--only-binary")) {
          return { unsupported: `${o.source.file}:${o.source.line}: ${o.name} ${o.value ?? ""} is refused by pip` };
        }
      }
      if (o.name === "--trusted-host" && o.value) trusted.push(o.value);
    }
  }

  // Every place must be one venvctl reads: http(s) and file URLs, or paths (find-links only).
  const urls: URL[] = [];
  for (const u of indexUrls) {
    const scheme = SCHEME.exec(u)?.[1]?.toLowerCase();
    if (scheme !== "http" && scheme !== "https" && scheme !== "file") return { unsupported: `the index URL ${u} is not an http(s) or file URL` };
    try {
      urls.push(new URL(u));
    } catch {
      return { unsupported: `the index URL ${u} cannot be parsed` };
    }
  }
  const findLinkPlaces: string[] = [];
  for (const { link, base } of links) {
    const scheme = SCHEME.exec(link)?.[1]?.toLowerCase();
    if (scheme === undefined || (ctx.platform === "win32" && /^[A-Za-z]:/.test(link))) {
      findLinkPlaces.push(isAbsolute(link) ? link : resolve(base, link));
      continue;
    }
    if (scheme !== "http" && scheme !== "https" && scheme !== "file") return { unsupported: `--find-links ${link} is not an http(s) or file URL or a path` };
    try {
      urls.push(new URL(link));
    } catch {
      return { unsupported: `--find-links ${link} cannot be parsed` };
    }
    findLinkPlaces.push(link);
  }

  const why = networkWhy(ctx, urls, trusted);
  if (why) return { unsupported: why };
  return {
    settings: {
      indexUrls,
      findLinks: findLinkPlaces,
      pre,
      onlyBinary: FormatControl.view(formats.onlyBinary),
      noBinary: FormatControl.view(formats.noBinary),
      preferBinary,
      caFile,
    },
  };
}

/** The option lines: consecutive options from one file line, as pip handles a line at a time. */
function optionLines(options: readonly FileOption[]): FileOption[][] {
  const out: FileOption[][] = [];
  for (const o of options) {
    const last = out.at(-1)?.[0];
    if (last && last.source.file === o.source.file && last.source.line === o.source.line) out.at(-1)!.push(o);
    else out.push([o]);
  }
  return out;
}

/**
 * What pip's requests session would do differently for these URLs: a
 * trusted host over https (no TLS check), plain http to a host pip does
 * not trust (pip skips it), proxies from the environment,
 * credentials from ~/.netrc. (A CA bundle, pip's `cert` or
 * REQUESTS_CA_BUNDLE, is honoured: IndexSettings.caFile.)
 */
function networkWhy(ctx: Pick<Context, "env" | "dirs">, urls: readonly URL[], trusted: readonly string[]): string | undefined {
  const env = ctx.env;
  const isTrusted = (u: URL) => trusted.some((t) => t === u.host || t === u.hostname);
  const remote = urls.filter((u) => (u.protocol === "http:" || u.protocol === "https:") && !isLoopback(u.hostname));
  for (const u of urls) {
    if (u.protocol === "https:" && isTrusted(u)) return `--trusted-host ${u.host} turns off certificate checks for ${u.origin}`;
    if (u.protocol === "http:" && !isLoopback(u.hostname) && !isTrusted(u)) return `pip ignores ${u.origin} (plain http to a host it does not trust)`;
  }
  if (remote.length === 0) return undefined;
  for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]) {
    if (env[name]) return `the environment variable ${name} names a proxy`;
  }
  const netrc = env.NETRC || join(ctx.dirs.home, ".netrc");
  if (remote.some((u) => !u.username) && existsSync(netrc)) return `${netrc} may hold credentials pip would send`;
  return undefined;
}
