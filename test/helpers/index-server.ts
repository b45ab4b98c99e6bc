// A package index for tests, on 127.0.0.1 only (PyPI cannot be reached, and
// tests must not try): PEP 503 "simple" pages for the wheels and sdists in a
// directory, and the files themselves, with sha256 fragments as pip expects
// them. Also in a child process, for callers that block their event loop
// (the benchmark harness times commands with spawnSync).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface IndexServer {
  /** The index URL to give pip (`--index-url`): http://127.0.0.1:PORT/simple/ */
  url: string;
  /** Every request path served, in order (to tell whether pip asked at all). */
  requests: string[];
  close(): Promise<void>;
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
   * Send PyPI's caching headers (files: `max-age=365000000, immutable`), so
   * that pip's HTTP cache keeps the files as it does PyPI's. Off by default:
   * a test counting requests then sees every download.
   */
  cacheHeaders?: boolean;
}

const DISTRIBUTION = /\.(whl|tar\.gz|zip)$/;

/**
 * Serves the wheels and sdists (`.whl`, `.tar.gz`, `.zip`) of `dir`, read
 * anew on each request, so a test may add files while the server runs.
 * Answers 404 for any project it lacks.
 */
export async function serveIndex(dir: string, opts: ServeOptions = {}): Promise<IndexServer> {
  const requests: string[] = [];
  const wheels = () => {
    const byProject = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => DISTRIBUTION.test(f)).sort()) {
      // A wheel's name has no `-` (escaped to `_`); an sdist's ends at its last `-`.
      const project = normalizeName(file.endsWith(".whl") ? file.split("-")[0]! : file.replace(DISTRIBUTION, "").replace(/-[^-]*$/, ""));
      byProject.set(project, [...(byProject.get(project) ?? []), file]);
    }
    return byProject;
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    requests.push(path);
    const send = (status: number, type: string, body: string | Buffer, cache?: string) => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        ...(opts.cacheHeaders && cache ? { "cache-control": cache } : {}),
      });
      res.end(body);
    };
    const all = wheels();
    if (path === "/simple/" || path === "/simple") {
      const links = [...all.keys()].map((p) => `<a href="/simple/${p}/">${p}</a>`).join("\n");
      return send(200, "text/html", `<!DOCTYPE html><html><body>\n${links}\n</body></html>\n`);
    }
    const project = /^\/simple\/([^/]+)\/?$/.exec(path);
    if (project) {
      const files = all.get(normalizeName(project[1]!));
      if (!files) return send(404, "text/plain", "not found\n");
      const links = files.map((f) => {
        const sha = createHash("sha256").update(readFileSync(join(dir, f))).digest("hex");
        return `<a href="/files/${encodeURIComponent(f)}#sha256=${sha}">${escapeHtml(f)}</a>`;
      });
      return send(200, "text/html", `<!DOCTYPE html><html><body>\n${links.join("<br/>\n")}\n</body></html>\n`, "max-age=600, public");
    }
    const file = /^\/files\/([^/]+\.(?:whl|tar\.gz|zip))$/.exec(path);
    if (file) {
      try {
        return send(200, "application/octet-stream", readFileSync(join(dir, file[1]!)), "max-age=365000000, immutable, public");
      } catch {
        return send(404, "text/plain", "not found\n");
      }
    }
    send(404, "text/plain", "not found\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the index server has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}/simple/`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
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
  const child = spawn(process.execPath, ["--import", "tsx", join(HERE, "index-server-main.ts"), dir, portFile, opts.cacheHeaders ? "cache" : "nocache"], {
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
