// HTTP for the index client: node:http/node:https loaded on first use (a
// command that never asks an index never parses them), keep-alive agents
// with several sockets so pages and files for many projects are in flight
// at once, redirects followed (PyPI sends /simple/Foo/ to /simple/foo/),
// gzip bodies inflated, and only a generous hang timeout: a slow index is
// waited for, a silent one is an error naming the URL.
import { createWriteStream, rmSync } from "node:fs";
import type { Agent, IncomingHttpHeaders, IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { VenvctlError, withPath } from "../errors.js";
import { DIGEST_ALGORITHMS, nodeCrypto, type DigestAlgorithm } from "../util/digest.js";

/** No byte for this long: the request is given up. */
export const HANG_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;
const USER_AGENT = "venvctl (index client)";

export const NETWORK_HINT = "check the URL and your connection (--index-url, --extra-index-url, --find-links, PIP_INDEX_URL, pip.conf); VENVCTL_RESOLVER=pip lets pip resolve instead";

/** An index or file server that did not answer as it should. */
export class IndexHttpError extends VenvctlError {
  constructor(readonly url: string, readonly status: number | undefined, message: string, hint = NETWORK_HINT) {
    super(message, { hint });
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, inflated (empty for 304 and for downloads to a file). */
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

type HttpModule = typeof import("node:http");
type HttpsModule = typeof import("node:https");
let httpModule: HttpModule | undefined;
let httpsModule: HttpsModule | undefined;
/** node:http, or node:https (and TLS with it) only when an https URL is asked: a loopback index never parses TLS. */
function load(protocol: string): HttpModule | HttpsModule {
  const require = createRequire(import.meta.url);
  if (protocol === "https:") return (httpsModule ??= require("node:https") as HttpsModule);
  return (httpModule ??= require("node:http") as HttpModule);
}

const zlib = () => createRequire(import.meta.url)("node:zlib") as typeof import("node:zlib");

/** Credentials and connections for one client. */
export class Http {
  private agents: { http?: Agent; https?: Agent } = {};
  /** `user:password@` of the configured URLs, by host (as pip's MultiDomainBasicAuth keeps them). */
  private readonly auth = new Map<string, string>();

  /** `ca`: the certificates that replace Node's default trust store for https (pip's `cert`). */
  constructor(private readonly ca?: Buffer) {}

  /** Remembers the credentials a URL holds and answers it without them. */
  credentialsOf(url: string): string {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return url;
    }
    if (!u.username && !u.password) return url;
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    this.auth.set(u.host, "Basic " + Buffer.from(`${user}:${pass}`, "utf8").toString("base64"));
    u.username = "";
    u.password = "";
    return u.href;
  }

  private agent(protocol: string): Agent {
    if (protocol === "https:") return (this.agents.https ??= new (load(protocol) as HttpsModule).Agent({ keepAlive: true, maxSockets: 8, ...(this.ca ? { ca: this.ca } : {}) }));
    return (this.agents.http ??= new (load(protocol) as HttpModule).Agent({ keepAlive: true, maxSockets: 8 }));
  }

  /**
   * GET `url` (redirects followed). With `toFile`, a 200's body is written
   * there (the digests of `hash` computed as it arrives) instead of kept.
   */
  async get(url: string, headers: Record<string, string>, toFile?: { path: string; hash: readonly DigestAlgorithm[] }): Promise<HttpAnswer & { digests: Record<string, string> }> {
    let at = url;
    for (let hop = 0; ; hop++) {
      const answer = await this.once(at, headers, toFile);
      const location = answer.headers.location;
      if ([301, 302, 303, 307, 308].includes(answer.status) && location) {
        if (hop >= MAX_REDIRECTS) throw new IndexHttpError(url, answer.status, `${url} redirects more than ${MAX_REDIRECTS} times`);
        at = new URL(location, at).href;
        continue;
      }
      return answer;
    }
  }

  private once(url: string, headers: Record<string, string>, toFile?: { path: string; hash: readonly DigestAlgorithm[] }): Promise<HttpAnswer & { digests: Record<string, string> }> {
    const u = new URL(url);
    const mod = load(u.protocol);
    const all: Record<string, string> = { "user-agent": USER_AGENT, "accept-encoding": "gzip", ...headers };
    const auth = this.auth.get(u.host);
    if (auth) all.authorization = auth;
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => reject(networkError(url, err));
      const req = mod.get(u, { agent: this.agent(u.protocol), headers: all }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const done = (body: Buffer, digests: Record<string, string> = {}) => resolve({ status, headers: res.headers, body, url, digests });
        res.on("error", fail);
        if (toFile && status === 200) {
          // Streamed to disk, hashed as it comes: a wheel may be larger than memory wants.
          const hashes = toFile.hash.map((a) => [a, nodeCrypto().createHash(a)] as const);
          const out = createWriteStream(toFile.path, { flags: "wx", mode: 0o644 });
          const inflate = res.headers["content-encoding"] === "gzip" ? zlib().createGunzip() : undefined;
          const source = inflate ? res.pipe(inflate) : res;
          source.on("data", (chunk: Buffer) => {
            for (const [, h] of hashes) h.update(chunk);
            if (!out.write(chunk)) {
              res.pause();
              out.once("drain", () => res.resume());
            }
          });
          source.on("error", (err: unknown) => {
            out.destroy();
            rmSync(toFile.path, { force: true });
            fail(err);
          });
          out.on("error", (err) => {
            res.destroy();
            rmSync(toFile.path, { force: true });
            reject(withPath(err, "write the download", toFile.path));
          });
          source.on("end", () => out.end(() => done(Buffer.alloc(0), Object.fromEntries(hashes.map(([a, h]) => [a, h.digest("hex")])))));
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let body = Buffer.concat(chunks);
          if (res.headers["content-encoding"] === "gzip" && body.length > 0) {
            try {
              body = zlib().gunzipSync(body);
            } catch (err) {
              return fail(new Error(`the gzip body cannot be inflated: ${(err as Error).message}`));
            }
          }
          done(body);
        });
      });
      req.setTimeout(HANG_TIMEOUT_MS, () => req.destroy(new Error(`no answer for ${HANG_TIMEOUT_MS / 1000} s`)));
      req.on("error", fail);
    });
  }

  /** Ends the keep-alive sockets, so the process can exit. */
  close(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
    this.agents = {};
  }
}

/** A failed request in words: the URL and what went wrong (connection refused, a timeout, TLS). */
function networkError(url: string, err: unknown): unknown {
  if (err instanceof VenvctlError) return err;
  const code = (err as { code?: unknown }).code;
  const words: Record<string, string> = {
    ECONNREFUSED: "the connection was refused", ENOTFOUND: "the host name does not resolve", EAI_AGAIN: "the host name does not resolve",
    ECONNRESET: "the connection was reset", ETIMEDOUT: "the connection timed out",
  };
  const what = typeof code === "string" && words[code] ? `${words[code]} (${code})` : (err as Error).message ?? String(err);
  return new IndexHttpError(url, undefined, `cannot fetch ${url}: ${what}`);
}

/** The strong digests (sha256 and stronger) a file's advertised hashes name, sha256 always among them. */
export function digestsToCheck(hashes: Record<string, string>): DigestAlgorithm[] {
  const out: DigestAlgorithm[] = ["sha256"];
  for (const a of DIGEST_ALGORITHMS) if (a !== "sha256" && hashes[a]) out.push(a);
  return out;
}
