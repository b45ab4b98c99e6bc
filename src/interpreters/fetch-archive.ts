// Fetching a build: Node's own fetch (redirects followed), an idle timeout
// (VENVCTL_HTTP_TIMEOUT seconds without a byte, default 30), the sha256
// computed as the bytes arrive, a progress callback. The archive is kept in
// memory (tens of MB), or handed over chunk by chunk as it arrives (onData:
// unpacking while downloading), so a download that fails or is interrupted
// leaves nothing of its own anywhere. file:// URLs (air-gapped mirrors) are
// read from disk.
//
// Proxies: Node 20's fetch does not read HTTPS_PROXY/HTTP_PROXY/NO_PROXY;
// Node 22.21+ and 24.5+ do when started with NODE_USE_ENV_PROXY=1. venvctl
// adds no HTTP stack of its own for it: where a proxy is needed on Node 20,
// point VENVCTL_PYTHON_MIRROR (or VENVCTL_PYTHON_DOWNLOADS_JSON) at a
// reachable mirror or a file:// copy. A failed download says so when a proxy
// variable is set.
import { digest, nodeCrypto } from "../util/digest.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";

export interface Fetched {
  /** The bytes, unless they went to onData (then empty). */
  data: Buffer;
  sha256: string;
  size: number;
}

export interface FetchOptions {
  /** Called as bytes arrive: received so far, and the total when the server said it. */
  onProgress?: ((received: number, total: number | undefined) => void) | undefined;
  /** Aborts the download (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** Takes each chunk as it arrives (before the sha256 is known), instead of keeping them. */
  onData?: ((chunk: Buffer) => void) | undefined;
}

/** VENVCTL_HTTP_TIMEOUT in milliseconds: how long a download may go without a byte. */
export function idleTimeoutMs(ctx: Pick<Context, "env">): number {
  const s = Number(ctx.env.VENVCTL_HTTP_TIMEOUT ?? "");
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

function proxyNote(ctx: Pick<Context, "env">): string {
  const proxy = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"].find((k) => ctx.env[k]);
  if (!proxy) return "";
  return ctx.env.NODE_USE_ENV_PROXY === "1"
    ? ""
    : `; ${proxy} is set, but Node's fetch uses a proxy only on Node 22.21+/24.5+ with NODE_USE_ENV_PROXY=1 — on Node 20 set VENVCTL_PYTHON_MIRROR to a mirror you can reach`;
}

/** Whatever fetch threw, as the user should read it (undici hides the reason in `cause`). */
function reasonOf(err: unknown): string {
  let e: unknown = err;
  const parts: string[] = [];
  while (e instanceof Error && parts.length < 4) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
    e = e.cause;
  }
  return parts.join(": ") || String(err);
}

/**
 * Fetches `url` whole into memory, hashing it. Fails with an error naming
 * the URL on an HTTP error status, a stall longer than the idle timeout, a
 * connection that ends early, or an abort.
 */
export async function fetchArchive(ctx: Pick<Context, "env">, url: string, opts: FetchOptions = {}): Promise<Fetched> {
  if (url.startsWith("file:")) return readLocal(url, opts);
  const timeout = idleTimeoutMs(ctx);
  const controller = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, timeout);
  };
  const onAbort = () => controller.abort();
  opts.signal?.addEventListener("abort", onAbort);
  arm();
  const hash = nodeCrypto().createHash("sha256");
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    const res = await fetch(url, { redirect: "follow", signal: controller.signal, headers: { "user-agent": "venvctl" } });
    if (!res.ok || !res.body) {
      throw new VenvctlError(`cannot download ${url}: the server answered ${res.status} ${res.statusText}`.trimEnd(), {
        hint: res.status === 404
          ? "the downloads list may name a build the server no longer has: check VENVCTL_PYTHON_MIRROR and VENVCTL_PYTHON_DOWNLOADS_JSON, or update venvctl"
          : "try again later, or set VENVCTL_PYTHON_MIRROR to another mirror",
      });
    }
    const length = Number(res.headers.get("content-length") ?? "");
    const total = Number.isFinite(length) && length > 0 ? length : undefined;
    opts.onProgress?.(0, total);
    arm();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      hash.update(b);
      if (opts.onData) opts.onData(b);
      else chunks.push(b);
      received += b.length;
      opts.onProgress?.(received, total);
    }
    if (total !== undefined && received !== total) {
      throw new VenvctlError(`cannot download ${url}: the connection ended after ${received} of ${total} bytes`, {
        hint: "try again; nothing was kept",
      });
    }
    return { data: opts.onData ? Buffer.alloc(0) : Buffer.concat(chunks, received), sha256: hash.digest("hex"), size: received };
  } catch (err) {
    if (err instanceof VenvctlError) throw err;
    if (stalled) {
      throw new VenvctlError(`cannot download ${url}: no data for ${timeout / 1000} s (after ${received} bytes)`, {
        hint: `the server or the network stalled; try again, or raise VENVCTL_HTTP_TIMEOUT (seconds)${proxyNote(ctx)}`,
      });
    }
    if (opts.signal?.aborted) throw new VenvctlError(`the download of ${url} was interrupted`, { hint: "nothing was kept" });
    throw new VenvctlError(`cannot download ${url}: ${reasonOf(err)}`, {
      hint: `check the network and the URL, or set VENVCTL_PYTHON_MIRROR to a mirror you can reach${proxyNote(ctx)}`,
    });
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

function readLocal(url: string, opts: FetchOptions): Fetched {
  let data: Buffer;
  try {
    data = readFileSync(fileURLToPath(url));
  } catch (err) {
    throw new VenvctlError(`cannot read ${url}`, { cause: err, hint: "check the mirror's path (VENVCTL_PYTHON_MIRROR, VENVCTL_PYTHON_DOWNLOADS_JSON)" });
  }
  opts.onProgress?.(data.length, data.length);
  const sha256 = digest("sha256", data, "hex");
  if (opts.onData) {
    opts.onData(data);
    return { data: Buffer.alloc(0), sha256, size: data.length };
  }
  return { data, sha256, size: data.length };
}

/** A small text file (a downloads list) over http(s), with the same errors. */
export async function fetchText(ctx: Pick<Context, "env">, url: string): Promise<string> {
  return (await fetchArchive(ctx, url)).data.toString("utf8");
}

/** `12.3 MiB`. */
function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A progress bar for a terminal's stderr: `name [=====>    ] 12.3/30.1 MiB  8.2 MiB/s  ETA 2s`,
 * redrawn with `\r` at most ten times a second, cleared when done.
 */
export function progressBar(write: (s: string) => void, name: string, now: () => number = Date.now): {
  update(received: number, total: number | undefined): void;
  done(): void;
} {
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(received, total) {
      const t = now();
      if (drawn && t - last < 100 && received !== total) return;
      last = t;
      drawn = true;
      const rate = received / Math.max((t - start) / 1000, 0.001);
      let line = `${name} `;
      if (total) {
        const width = 24;
        const filled = Math.min(width, Math.floor((received / total) * width));
        line += `[${"=".repeat(filled)}${filled < width ? ">" : ""}${" ".repeat(Math.max(0, width - filled - 1))}] ${size(received)}/${size(total)}`;
        const eta = rate > 0 ? Math.ceil((total - received) / rate) : undefined;
        line += `  ${size(Math.round(rate))}/s${eta !== undefined ? `  ETA ${eta}s` : ""}`;
      } else {
        line += `${size(received)}  ${size(Math.round(rate))}/s`;
      }
      write(`\r${line}\x1b[K`);
    },
    done() {
      if (drawn) write("\r\x1b[K");
    },
  };
}
