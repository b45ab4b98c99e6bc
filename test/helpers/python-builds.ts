// Python builds for the `python install` tests, served on 127.0.0.1 only:
// a real archive in python-build-standalone's install_only layout (a
// top-level python/ with bin/, lib/, include/) made from one of the
// machine's pyenv interpreters, hand-made hostile tarballs, a downloads list
// pointing at them, and an HTTP server that can also fail (404, a stall, a
// connection that ends early, a redirect) and counts every request.
import type { TestContext } from "node:test";
import { requireOrSkip } from "./require.js";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PYENV_ROOT } from "./hermetic.js";

/** The pyenv interpreter the test archive is made from. */
export const ARCHIVE_VERSION = "3.12.1";
const MINOR = "3.12";

export interface BuiltArchive {
  path: string;
  sha256: string;
  size: number;
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error}`);
}

/**
 * The archive, built once per machine (and reused by every test file) under
 * the temp directory: pyenv's 3.12.1 copied to python/, without test/,
 * site-packages, __pycache__, the static libpython and the scripts that need
 * pip; binaries stripped (python-build-standalone's install_only_stripped).
 * pyenv builds libpython with an absolute RUNPATH (its own lib/), so the copy
 * would load pyenv's libpython: the RUNPATH is rewritten in place to
 * `$ORIGIN/../lib`, as python-build-standalone's binaries have it, which
 * makes the copy relocatable and self-contained.
 */
export function buildTestArchive(): BuiltArchive {
  const source = join(PYENV_ROOT, "versions", ARCHIVE_VERSION);
  const exe = join(source, "bin", `python${MINOR}`);
  const key = createHash("sha256").update(`${exe}:${statSync(exe).mtimeMs}:v1`).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), `venvctl-test-pbs-${key}`);
  const path = join(dir, `cpython-${ARCHIVE_VERSION}-install_only.tar.gz`);
  if (!existsSync(path)) {
    const staging = `${dir}.build-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const tree = join(staging, "python");
    run("cp", ["-a", source, tree]);
    const lib = join(tree, "lib", `python${MINOR}`);
    rmSync(join(lib, "test"), { recursive: true, force: true });
    rmSync(join(lib, "site-packages"), { recursive: true, force: true });
    mkdirSync(join(lib, "site-packages"));
    run("sh", ["-c", `rm -f bin/pip* bin/idle* bin/2to3* lib/python${MINOR}/config-*/*.a && find . -name __pycache__ -prune -exec rm -rf {} +`], tree);
    run("sh", ["-c", `strip --strip-unneeded lib/libpython${MINOR}.so.1.0 lib/python${MINOR}/lib-dynload/*.so`], tree);
    const bin = join(tree, "bin", `python${MINOR}`);
    const image = readFileSync(bin);
    const old = Buffer.from(`${join(source, "lib")}\0`);
    const at = image.indexOf(old);
    if (at < 0 || image.indexOf(old, at + 1) >= 0) throw new Error(`${bin}: its RUNPATH ${old} is not there exactly once`);
    const fresh = Buffer.alloc(old.length);
    fresh.write("$ORIGIN/../lib");
    fresh.copy(image, at);
    writeFileSync(bin, image);
    run("tar", ["-czf", "archive.tar.gz", "python"], staging);
    rmSync(tree, { recursive: true, force: true });
    renameSync(join(staging, "archive.tar.gz"), join(staging, `cpython-${ARCHIVE_VERSION}-install_only.tar.gz`));
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another test file built it meanwhile
    }
  }
  const data = readFileSync(path);
  return { path, sha256: sha256(data), size: data.length };
}

/** One entry of a hand-made tarball. */
export interface TarEntry {
  path: string;
  type?: "file" | "dir" | "symlink" | "hardlink" | "fifo";
  linkpath?: string;
  data?: string | Buffer;
  mode?: number;
}

const TYPEFLAG = { file: "0", hardlink: "1", symlink: "2", dir: "5", fifo: "6" } as const;

/** A ustar archive, gzipped, holding exactly these entries (paths as given: `../x`, `/etc/x`). */
export function tarGz(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? "file";
    const data = type === "file" ? Buffer.from(e.data ?? "") : Buffer.alloc(0);
    const h = Buffer.alloc(512);
    if (Buffer.byteLength(e.path) > 100) throw new Error(`tarGz: ${e.path} is longer than 100 bytes`);
    h.write(e.path, 0, 100);
    h.write(((e.mode ?? (type === "dir" ? 0o755 : 0o644)).toString(8).padStart(7, "0")) + "\0", 100);
    h.write("0000000\0", 108);
    h.write("0000000\0", 116);
    h.write(data.length.toString(8).padStart(11, "0") + "\0", 124);
    h.write("14712345670\0", 136);
    h.write("        ", 148);
    h.write(TYPEFLAG[type], 156);
    if (e.linkpath) h.write(e.linkpath, 157, 100);
    h.write("ustar\0", 257);
    h.write("00", 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A minimal python/ tree that passes the layout check (bin/python3 executable). */
export function minimalTree(): TarEntry[] {
  return [
    { path: "python/", type: "dir" },
    { path: "python/bin/", type: "dir" },
    { path: "python/bin/python3", data: "#!/bin/sh\necho fake\n", mode: 0o755 },
  ];
}

/** What a route of the server answers. */
export type Route =
  | Buffer
  | { status: number }
  | { redirect: string }
  /** Sends the headers (with the full length) and `first` bytes of `data`, then nothing more. */
  | { stall: Buffer; first: number }
  /** Claims `data`'s full length, sends `first` bytes, and closes the connection. */
  | { cut: Buffer; first: number };

export interface BuildServer {
  /** http://127.0.0.1:PORT */
  base: string;
  requests: string[];
  routes: Map<string, Route>;
  close(): Promise<void>;
}

/** Serves `routes` (by path) on 127.0.0.1; anything else is a 404. */
export async function serveBuilds(routes: Record<string, Route> = {}): Promise<BuildServer> {
  const map = new Map(Object.entries(routes));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requests.push(path);
    const route = map.get(path);
    if (route === undefined || (!Buffer.isBuffer(route) && "status" in route)) {
      res.writeHead(route && !Buffer.isBuffer(route) && "status" in route ? route.status : 404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    if (Buffer.isBuffer(route)) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": route.length });
      res.end(route);
      return;
    }
    if ("redirect" in route) {
      res.writeHead(302, { location: route.redirect });
      res.end();
      return;
    }
    const data = "stall" in route ? route.stall : route.cut;
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
    res.write(data.subarray(0, route.first));
    if ("cut" in route) setTimeout(() => res.socket?.destroy(), 50);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    base: `http://127.0.0.1:${address.port}`,
    requests,
    routes: map,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A downloads list in the shared `entries` shape, for this machine (linux-x86_64-gnu unless told). */
export function downloadsList(entries: Array<{ version: string; url: string; sha256: string; os?: string; arch?: string; libc?: string }>): string {
  return JSON.stringify({
    entries: entries.map((e) => ({ os: "linux", arch: "x86_64", libc: "gnu", ...e })),
  });
}

/**
 * The downloads lists and archives of these tests are for linux-x86_64-gnu:
 * elsewhere a test skips, or fails under VENVCTL_TEST_REQUIRE_ALL.
 */
export function onLinuxX64(t: TestContext): boolean {
  return requireOrSkip(t, process.platform === "linux" && process.arch === "x64", "the test archive (from this machine's pyenv build) and the downloads lists are linux-x86_64-gnu");
}
