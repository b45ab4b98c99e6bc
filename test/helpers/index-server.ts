// A package index for tests, on 127.0.0.1 only (PyPI cannot be reached, and
// tests must not try): PEP 503 "simple" pages for the wheels in a directory,
// and the wheels themselves, with sha256 fragments as pip expects them.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

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

/**
 * Serves the `.whl` files of `dir` (read anew on each request, so a test may
 * add wheels while the server runs). Answers 404 for any project it lacks.
 */
export async function serveIndex(dir: string): Promise<IndexServer> {
  const requests: string[] = [];
  const wheels = () => {
    const byProject = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".whl")).sort()) {
      const project = normalizeName(file.split("-")[0]!);
      byProject.set(project, [...(byProject.get(project) ?? []), file]);
    }
    return byProject;
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    requests.push(path);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
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
      return send(200, "text/html", `<!DOCTYPE html><html><body>\n${links.join("<br/>\n")}\n</body></html>\n`);
    }
    const file = /^\/files\/([^/]+\.whl)$/.exec(path);
    if (file) {
      try {
        return send(200, "application/octet-stream", readFileSync(join(dir, file[1]!)));
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
